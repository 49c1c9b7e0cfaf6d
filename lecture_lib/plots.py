"""The figures a learner would rather see than read (every notebook).

Each function draws on a new figure and returns it, so a notebook cell shows it and a test can
inspect it. No function calls ``plt.show()``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from . import data


def _as_display(img: np.ndarray) -> np.ndarray:
    img = np.asarray(img)
    if img.ndim == 3 and img.shape[-1] == 1:
        img = img[..., 0]
    if img.dtype != np.uint8:
        lo, hi = float(img.min()), float(img.max())
        img = (img - lo) / (hi - lo) if hi > lo else np.zeros_like(img, dtype=float)
    return img


def image_grid(
    images: Sequence[np.ndarray],
    titles: Sequence[str] | None = None,
    *,
    ncols: int = 8,
    title: str | None = None,
    size: float = 1.6,
    title_colors: Sequence[str] | None = None,
) -> Figure:
    """Images in a grid with one label each (sample grids, misclassified examples, galleries)."""
    n = len(images)
    ncols = max(1, min(ncols, n))
    nrows = max(1, -(-n // ncols))
    lines = max((str(t).count("\n") + 1 for t in titles), default=0) if titles is not None else 0
    row_height = (
        size + 0.18 * lines
    )  # room for each row's titles, so they never reach the photos above
    fig, axes = plt.subplots(
        nrows,
        ncols,
        figsize=(size * ncols, row_height * nrows + (0.5 if title else 0)),
        squeeze=False,
    )
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i < n:
            img = _as_display(images[i])
            ax.imshow(img, cmap="gray" if img.ndim == 2 else None)
            if titles is not None:
                ax.set_title(
                    str(titles[i]), fontsize=9, color=(title_colors[i] if title_colors else "black")
                )
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def class_counts(
    counts: Mapping[str, Mapping[str, int]] | Mapping[str, int],
    *,
    title: str = "Images per class",
    xlabel: str = "class",
) -> Figure:
    """Bars of images per class; with {split: {class: n}} the splits stand side by side (their
    legend beside the bars, never over one); long class names are slanted, short ones not."""
    if counts and isinstance(next(iter(counts.values())), Mapping):
        splits = dict(counts)
    else:
        splits = {"all": dict(counts)}
    classes = sorted({c for per in splits.values() for c in per})
    width = 0.8 / len(splits)
    fig, ax = plt.subplots(figsize=(max(5, 0.55 * len(classes) * max(1, len(splits) / 1.5)), 3.2))
    x = np.arange(len(classes))
    for i, (sp, per) in enumerate(splits.items()):
        ax.bar(x + i * width - 0.4 + width / 2, [per.get(c, 0) for c in classes], width, label=sp)
    slant = len(classes) > 6 and max(len(c) for c in classes) > 3
    ax.set_xticks(x, classes, rotation=45 if slant else 0, ha="right" if slant else "center")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("images")
    ax.set_title(title)
    if len(splits) > 1:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    fig.tight_layout()
    return fig


def size_histogram(sizes: Sequence[tuple[int, int]], *, title: str = "Image sizes") -> Figure:
    """Widths and heights as histograms: why images must be standardized before a CNN sees them."""
    w = np.array([s[0] for s in sizes])
    h = np.array([s[1] for s in sizes])
    fig, ax = plt.subplots(figsize=(6, 3.2))
    bins = np.linspace(0, max(w.max(), h.max()) + 1, 40)
    ax.hist(w, bins=bins, alpha=0.6, label=f"width (median {int(np.median(w))})")
    ax.hist(h, bins=bins, alpha=0.6, label=f"height (median {int(np.median(h))})")
    ax.set_xlabel("pixels")
    ax.set_ylabel("images")
    ax.set_title(title)
    ax.legend()
    fig.tight_layout()
    return fig


def training_curves(
    histories: Mapping[str, Mapping[str, Sequence[float]]],
    *,
    metrics: Sequence[str] = ("loss", "accuracy"),
    marks: Mapping[str, float] | None = None,
) -> Figure:
    """Training and validation curves of one or several runs (``{run: history.history}``).

    ``marks`` draws labelled vertical lines (e.g. the epoch where fine-tuning starts).
    """
    fig, axes = plt.subplots(1, len(metrics), figsize=(5.2 * len(metrics), 3.4), squeeze=False)
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for ax, metric in zip(axes.flat, metrics, strict=False):
        for i, (run, hist) in enumerate(histories.items()):
            c = colors[i % len(colors)]
            if metric in hist:
                ep = np.arange(1, len(hist[metric]) + 1)
                ax.plot(ep, hist[metric], "-o", ms=3, color=c, label=f"{run} train")
            if f"val_{metric}" in hist:
                ep = np.arange(1, len(hist[f"val_{metric}"]) + 1)
                ax.plot(ep, hist[f"val_{metric}"], "--s", ms=3, color=c, label=f"{run} validation")
        for label, x in (marks or {}).items():
            ax.axvline(x, color="grey", ls=":", label=f"{label} (epoch {x:g})")
        ax.set_xlabel("epoch")
        ax.set_title(metric)
        ax.grid(alpha=0.3)
    # one legend for all panels, below them: it never covers a curve or a mark
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(
        handles, labels, loc="lower center", ncol=min(len(labels), 3), fontsize=8, frameon=False
    )
    fig.tight_layout(rect=(0, 0.06 * (1 + (len(labels) - 1) // 3), 1, 1))
    return fig


def confusion_matrix(
    y_true: Sequence[int],
    y_pred: Sequence[int],
    class_names: Sequence[str],
    *,
    title: str = "Confusion matrix",
    normalize: bool = False,
) -> Figure:
    """Counts (or row fractions) of true class vs predicted class, annotated."""
    from sklearn.metrics import confusion_matrix as cm

    m = cm(y_true, y_pred, labels=list(range(len(class_names))))
    shown = m / np.maximum(m.sum(1, keepdims=True), 1) if normalize else m
    k = len(class_names)
    fig, ax = plt.subplots(figsize=(max(3.5, 0.45 * k + 2), max(3, 0.45 * k + 1.5)))
    ax.imshow(shown, cmap="Blues")
    ax.set_xticks(
        range(k), class_names, rotation=45 if k > 4 else 0, ha="right" if k > 4 else "center"
    )
    ax.set_yticks(range(k), class_names)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    thresh = shown.max() / 2 if shown.size else 0
    for i in range(k):
        for j in range(k):
            if m[i, j]:
                txt = f"{shown[i, j]:.2f}" if normalize else str(m[i, j])
                ax.text(
                    j,
                    i,
                    txt,
                    ha="center",
                    va="center",
                    fontsize=7 if k > 10 else 9,
                    color="white" if shown[i, j] > thresh else "black",
                )
    ax.set_title(title)
    fig.tight_layout()
    return fig


def misclassified(
    images: np.ndarray,
    y_true: Sequence[int],
    y_pred: Sequence[int],
    confidence: Sequence[float],
    class_names: Sequence[str],
    *,
    n: int = 16,
    ncols: int = 8,
) -> Figure:
    """The most confident mistakes, titled 'true -> predicted (confidence)'."""
    y_true, y_pred, confidence = np.asarray(y_true), np.asarray(y_pred), np.asarray(confidence)
    wrong = np.flatnonzero(y_true != y_pred)
    wrong = wrong[np.argsort(-confidence[wrong])][:n]
    titles = [
        f"{class_names[y_true[i]]}→{class_names[y_pred[i]]}\n{confidence[i]:.0%}" for i in wrong
    ]
    if len(wrong) == 0:
        fig, ax = plt.subplots(figsize=(4, 1))
        ax.axis("off")
        ax.text(0.5, 0.5, "no misclassified images", ha="center")
        return fig
    return image_grid(
        [images[i] for i in wrong],
        titles,
        ncols=ncols,
        title=f"{len(np.flatnonzero(y_true != y_pred))} mistakes; the {len(wrong)} most confident",
    )


def imagenet_scatter(rows: Sequence, *, title: str = "ImageNet: size vs accuracy") -> Figure:
    """Parameters (log scale) against top-1, coloured by extra training data, each point labelled."""
    groups: dict[str, list] = {}
    for r in rows:
        groups.setdefault(r.extra_data or "ImageNet only", []).append(r)
    fig, ax = plt.subplots(figsize=(10, 6))
    for label, rs in groups.items():
        ax.scatter([r.params_m for r in rs], [r.top1 for r in rs], s=40, label=label)
        for r in rs:
            ax.annotate(
                r.method,
                (r.params_m, r.top1),
                textcoords="offset points",
                xytext=(4, 3),
                fontsize=7,
            )
    ax.set_xscale("log")
    ax.set_xlabel("parameters (millions, log scale)")
    ax.set_ylabel("top-1 accuracy (%)")
    ax.set_title(title)
    ax.grid(alpha=0.3, which="both")
    ax.legend(title="extra training data", fontsize=8)
    fig.tight_layout()
    return fig


def augmentation_gallery(
    original: np.ndarray,
    variants: Mapping[str, np.ndarray],
    *,
    ncols: int = 4,
    title: str | None = None,
) -> Figure:
    """The original beside each named transform of it."""
    images = [original, *variants.values()]
    return image_grid(images, ["original", *variants.keys()], ncols=ncols, title=title, size=2.4)


def roc_and_threshold(
    y_true: Sequence[int],
    score: Sequence[float],
    *,
    threshold: float = 0.5,
    positive: str = "positive",
) -> Figure:
    """The ROC curve with its AUC and the chosen threshold marked, and precision/recall against the
    threshold: what moving 0.5 trades."""
    from sklearn.metrics import precision_recall_curve, roc_auc_score, roc_curve

    y_true, score = np.asarray(y_true), np.asarray(score)
    fpr, tpr, thr = roc_curve(y_true, score)
    at = int(np.argmin(np.abs(thr - threshold)))
    fig, (a, b) = plt.subplots(1, 2, figsize=(10, 3.8))
    a.plot(fpr, tpr, label=f"ROC, AUC = {roc_auc_score(y_true, score):.3f}")
    a.plot([0, 1], [0, 1], ":", color="grey", label="guessing (AUC 0.5)")
    a.plot(fpr[at], tpr[at], "o", color="tab:red", label=f"threshold {threshold:g}")
    a.set(
        xlabel="false-positive rate",
        ylabel=f"true-positive rate (recall of {positive})",
        title="ROC curve",
    )
    a.legend(fontsize=8, loc="lower right")
    precision, recall, pr_thr = precision_recall_curve(y_true, score)
    b.plot(pr_thr, precision[:-1], label="precision")
    b.plot(pr_thr, recall[:-1], label="recall")
    b.axvline(threshold, color="tab:red", ls=":", label=f"threshold {threshold:g}")
    b.set(xlabel=f"threshold on P({positive})", ylim=(0, 1.02), title="Moving the threshold")
    b.legend(fontsize=8, loc="lower left")
    for ax in (a, b):
        ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def reliability_diagram(
    y_true: Sequence[int], score: Sequence[float], *, bins: int = 10, positive: str = "positive"
) -> Figure:
    """How often the network is right at each stated confidence: points on the diagonal
    mean 'when it says 80 %, it is right 80 % of the time'; below it, overconfident."""
    y_true, score = np.asarray(y_true), np.asarray(score)
    pred = (score > 0.5).astype(int)
    confidence = np.where(pred == 1, score, 1 - score)
    correct = (pred == y_true).astype(float)
    edges = np.linspace(0.5, 1.0, bins // 2 + 1)
    idx = np.clip(np.digitize(confidence, edges) - 1, 0, len(edges) - 2)
    fig, (a, b) = plt.subplots(1, 2, figsize=(10, 3.6))
    centers, accs, counts = [], [], []
    for k in range(len(edges) - 1):
        m = idx == k
        if m.any():
            centers.append(confidence[m].mean())
            accs.append(correct[m].mean())
            counts.append(int(m.sum()))
    a.plot([0.5, 1], [0.5, 1], ":", color="grey", label="perfectly calibrated")
    a.plot(centers, accs, "o-", label="this network")
    a.set(
        xlabel="stated confidence (mean in each bin)",
        ylabel="fraction right",
        xlim=(0.5, 1.01),
        ylim=(0, 1.02),
        title="Reliability diagram",
    )
    a.legend(fontsize=8)
    b.hist(confidence, bins=edges, color="tab:blue")
    b.set(xlabel="stated confidence", ylabel="test photos", title="How confident the network is")
    for ax in (a, b):
        ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def feature_maps(
    image: np.ndarray,
    maps: Mapping[str, np.ndarray],
    *,
    n: int = 8,
    title: str = "What each layer sees",
) -> Figure:
    """The input, then the first ``n`` feature maps of each layer (one row per layer).

    ``maps`` holds one (height, width, channels) array per layer, in order.
    """
    rows = len(maps) + 1
    fig, axes = plt.subplots(rows, n, figsize=(1.3 * n, 1.45 * rows), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    img = _as_display(image)
    axes[0, 0].imshow(img, cmap="gray" if img.ndim == 2 else None)
    axes[0, 0].set_title("input", fontsize=8)
    for r, (name, fmap) in enumerate(maps.items(), start=1):
        for c in range(min(n, fmap.shape[-1])):
            axes[r, c].imshow(fmap[..., c], cmap="viridis")
        axes[r, 0].set_title(
            f"{name} {fmap.shape[0]}×{fmap.shape[1]}×{fmap.shape[2]}", fontsize=8, loc="left"
        )
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def filters(kernels: np.ndarray, *, title: str = "First-layer filters") -> Figure:
    """Conv kernels of shape (kh, kw, in_channels, filters) as small images (mean over input channels)."""
    k = kernels.mean(axis=2) if kernels.shape[2] > 1 and kernels.shape[2] != 3 else kernels
    n = kernels.shape[-1]
    ncols = min(16, n)
    nrows = -(-n // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(0.8 * ncols, 0.85 * nrows + 0.4), squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i < n:
            w = k[..., i]
            if w.ndim == 3:  # RGB filters: scale to 0..1 for display
                w = (w - w.min()) / (np.ptp(w) or 1)
                ax.imshow(w)
            else:
                ax.imshow(w, cmap="gray")
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def gradcam_overlay(
    images: np.ndarray,
    heatmaps: np.ndarray,
    titles: Sequence[str],
    *,
    ncols: int = 6,
    title: str = "Grad-CAM: where the evidence for the predicted class is",
    alpha: float = 0.45,
    title_colors: Sequence[str] | None = None,
) -> Figure:
    """Each image with its (h, w) heat map, scaled to 0..1 and resized to the image, laid over it."""
    from PIL import Image

    n = len(images)
    ncols = max(1, min(ncols, n))
    nrows = -(-n // ncols)
    lines = max(str(t).count("\n") + 1 for t in titles) if n else 1
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(2.1 * ncols, (2.1 + 0.18 * lines) * nrows + 0.5), squeeze=False
    )
    cmap = plt.get_cmap("jet")
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i >= n:
            continue
        img = _as_display(images[i])
        h, w = img.shape[:2]
        hm = np.asarray(heatmaps[i], dtype="float32")
        hm = (hm - hm.min()) / (hm.max() - hm.min() + 1e-8)
        hm = (
            np.asarray(Image.fromarray((hm * 255).astype("uint8")).resize((w, h), Image.BILINEAR))
            / 255.0
        )
        base = img.astype("float32") / (255.0 if img.max() > 1 else 1.0)
        if base.ndim == 2:
            base = np.stack([base] * 3, -1)
        ax.imshow(np.clip((1 - alpha) * base + alpha * cmap(hm)[..., :3], 0, 1))
        ax.set_title(
            str(titles[i]), fontsize=8, color=(title_colors[i] if title_colors else "black")
        )
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def convolution(
    image: np.ndarray, kernel: np.ndarray, output: np.ndarray, at: tuple[int, int]
) -> Figure:
    """One 3×3 filter on an image: the window at ``at`` (top-left row, column), the filter's
    weights, and the whole output map with that window's value marked."""
    from matplotlib.patches import Rectangle

    r, c = at
    kh, kw = kernel.shape
    fig, axes = plt.subplots(1, 3, figsize=(10, 3.4))
    axes[0].imshow(image, cmap="gray")
    axes[0].add_patch(Rectangle((c - 0.5, r - 0.5), kw, kh, fill=False, color="red", lw=2))
    axes[0].set_title(f"input {image.shape[0]}×{image.shape[1]}, window at ({r}, {c})")
    axes[1].imshow(kernel, cmap="coolwarm", vmin=-np.abs(kernel).max(), vmax=np.abs(kernel).max())
    for (i, j), w in np.ndenumerate(kernel):
        axes[1].text(j, i, f"{w:g}", ha="center", va="center", fontsize=12)
    axes[1].set_title(f"filter {kh}×{kw}: the same weights everywhere")
    lim = np.abs(output).max() or 1.0
    axes[2].imshow(output, cmap="coolwarm", vmin=-lim, vmax=lim)
    axes[2].add_patch(Rectangle((c - 0.5, r - 0.5), 1, 1, fill=False, color="black", lw=2))
    axes[2].set_title(
        f"output {output.shape[0]}×{output.shape[1]}: {output[r, c]:.2f} at ({r}, {c})"
    )
    for ax in axes:
        ax.set_xticks([])
        ax.set_yticks([])
    fig.tight_layout()
    return fig


_DRAWN = {"Conv2D": "#7aa6d6", "MaxPooling2D": "#f2b36f", "Dense": "#8cc68c", "Flatten": "#d9d9d9"}


def network(model, *, title: str | None = None) -> Figure:  # noqa: ANN001 - a keras.Model
    """A Keras model drawn from its own layers: one block per shape-changing layer, its height
    following the image side and its width the number of channels, labelled with the layer
    names and output shape; layers that keep the shape (BatchNorm, ReLU, Dropout) join the block
    before them, while a convolution, pooling or dense layer is always a block of its own (no graphviz needed)."""
    from matplotlib.patches import Rectangle

    blocks: list[dict] = [{"names": ["input"], "shape": tuple(model.input_shape[1:])}]
    for layer in model.layers:
        if type(layer).__name__ == "InputLayer":  # a functional model lists its input as a layer
            continue
        shape = tuple(layer.output.shape[1:])
        drawn = type(layer).__name__ in _DRAWN  # a convolution keeping 256 maps is still a block
        if shape == blocks[-1]["shape"] and len(blocks) > 1 and not drawn:
            blocks[-1]["names"].append(type(layer).__name__)
        else:
            blocks.append({"names": [type(layer).__name__], "shape": shape})
    side = max(b["shape"][0] for b in blocks if len(b["shape"]) == 3)
    colors = _DRAWN
    fig, ax = plt.subplots(figsize=(1.45 * len(blocks) + 0.5, 3.6))
    x = 0.0
    for i, b in enumerate(blocks):
        if len(b["shape"]) == 3:  # an image of feature maps: height ~ side, width ~ channels
            h = 2.6 * b["shape"][0] / side
            w = 0.15 + 0.12 * np.log2(b["shape"][-1])
            label = "×".join(str(s) for s in b["shape"])
        else:  # a vector of numbers
            h = 0.4 + 0.5 * np.log10(b["shape"][-1])
            w = 0.15
            label = f"{b['shape'][-1]:,}"
        ax.add_patch(
            Rectangle((x, -h / 2), w, h, color=colors.get(b["names"][0], "#bbbbbb"), ec="black")
        )
        ax.text(
            x + w / 2,
            -1.45,
            "\n".join(b["names"]) + f"\n{label}",
            ha="center",
            va="top",
            fontsize=8,
        )
        if i:  # an arrow from the block before
            ax.annotate("", (x - 0.05, 0), (x - 0.85, 0), arrowprops={"arrowstyle": "->"})
        x += w + 0.9
    ax.set_xlim(-0.3, x - 0.6)
    ax.set_ylim(-2.7, 1.5)
    ax.axis("off")
    ax.set_title(title or f"{model.name}: {model.count_params():,} parameters")
    fig.tight_layout()
    return fig


def step_losses(
    curves: Mapping[str, Sequence[float]],
    *,
    title: str = "Loss at each step",
    reference: tuple[str, float] | None = None,
) -> Figure:
    """The training loss after each step, one line per run, and an optional dashed reference level
    such as guessing's loss."""
    fig, ax = plt.subplots(figsize=(7, 3.6))
    for name, losses in curves.items():
        ax.plot(np.arange(1, len(losses) + 1), losses, label=name)
    if reference:
        ax.axhline(reference[1], color="gray", ls="--", lw=1, label=reference[0])
    ax.set_xlabel("step (one batch)")
    ax.set_ylabel("loss L")
    ax.legend()
    ax.grid(alpha=0.3)
    ax.set_title(title)
    fig.tight_layout()
    return fig


def _says_synthetic(draw):  # noqa: ANN001, ANN202 - wraps each figure function below
    """A figure drawn while a dataset is a smoke-mode stand-in says so above its title, in red."""
    import functools

    @functools.wraps(draw)
    def drawn(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        fig = draw(*args, **kwargs)
        if data.SYNTHETIC_IN_USE and isinstance(fig, Figure):
            names = ", ".join(sorted(data.SYNTHETIC_IN_USE))
            fig.text(0.01, 0.995, f"SYNTHETIC stand-in data ({names}), not the real dataset",
                     color="#cf222e", fontsize=9, fontweight="bold", va="top", ha="left")  # fmt: skip
            fig.subplots_adjust(top=min(fig.subplotpars.top, 0.88))
        return fig

    return drawn


for _name, _fn in list(globals().items()):  # every public function that returns a Figure
    if (
        callable(_fn)
        and not _name.startswith("_")
        and getattr(_fn, "__module__", "") == __name__
        and "Figure" in str(getattr(_fn, "__annotations__", {}).get("return", ""))
    ):
        globals()[_name] = _says_synthetic(_fn)
