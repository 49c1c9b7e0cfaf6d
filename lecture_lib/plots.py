"""The figures a learner would rather see than read (every notebook).

Each function draws on a new figure and returns it, so a notebook cell shows it and a test can
inspect it. No function calls ``plt.show()``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure


def _as_display(img: np.ndarray) -> np.ndarray:
    img = np.asarray(img)
    if img.ndim == 3 and img.shape[-1] == 1:
        img = img[..., 0]
    if img.dtype != np.uint8:
        lo, hi = float(img.min()), float(img.max())
        img = (img - lo) / (hi - lo) if hi > lo else np.zeros_like(img, dtype=float)
    return img


def image_grid(images: Sequence[np.ndarray], titles: Sequence[str] | None = None, *, ncols: int = 8,
               title: str | None = None, size: float = 1.6, title_colors: Sequence[str] | None = None) -> Figure:
    """Images in a grid with one label each (sample grids, misclassified examples, galleries)."""
    n = len(images)
    ncols = max(1, min(ncols, n))
    nrows = max(1, -(-n // ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows + (0.5 if title else 0)), squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i < n:
            img = _as_display(images[i])
            ax.imshow(img, cmap="gray" if img.ndim == 2 else None)
            if titles is not None:
                ax.set_title(str(titles[i]), fontsize=9, color=(title_colors[i] if title_colors else "black"))
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def class_counts(counts: Mapping[str, Mapping[str, int]] | Mapping[str, int], *, title: str = "Images per class") -> Figure:
    """Bars of images per class; with {split: {class: n}} the splits stand side by side."""
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
    ax.set_xticks(x, classes, rotation=45 if len(classes) > 6 else 0, ha="right" if len(classes) > 6 else "center")
    ax.set_ylabel("images")
    ax.set_title(title)
    if len(splits) > 1:
        ax.legend()
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


def training_curves(histories: Mapping[str, Mapping[str, Sequence[float]]], *,
                    metrics: Sequence[str] = ("loss", "accuracy"), marks: Mapping[str, float] | None = None) -> Figure:
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
            ax.axvline(x, color="grey", ls=":")
            ax.text(x, ax.get_ylim()[1], f" {label}", va="top", fontsize=8, color="grey")
        ax.set_xlabel("epoch")
        ax.set_title(metric)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def confusion_matrix(y_true: Sequence[int], y_pred: Sequence[int], class_names: Sequence[str], *,
                     title: str = "Confusion matrix", normalize: bool = False) -> Figure:
    """Counts (or row fractions) of true class vs predicted class, annotated."""
    from sklearn.metrics import confusion_matrix as cm

    m = cm(y_true, y_pred, labels=list(range(len(class_names))))
    shown = m / np.maximum(m.sum(1, keepdims=True), 1) if normalize else m
    k = len(class_names)
    fig, ax = plt.subplots(figsize=(max(3.5, 0.45 * k + 2), max(3, 0.45 * k + 1.5)))
    ax.imshow(shown, cmap="Blues")
    ax.set_xticks(range(k), class_names, rotation=45 if k > 4 else 0, ha="right" if k > 4 else "center")
    ax.set_yticks(range(k), class_names)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    thresh = shown.max() / 2 if shown.size else 0
    for i in range(k):
        for j in range(k):
            if m[i, j]:
                txt = f"{shown[i, j]:.2f}" if normalize else str(m[i, j])
                ax.text(j, i, txt, ha="center", va="center", fontsize=7 if k > 10 else 9,
                        color="white" if shown[i, j] > thresh else "black")
    ax.set_title(title)
    fig.tight_layout()
    return fig


def misclassified(images: np.ndarray, y_true: Sequence[int], y_pred: Sequence[int], confidence: Sequence[float],
                  class_names: Sequence[str], *, n: int = 16, ncols: int = 8) -> Figure:
    """The most confident mistakes, titled 'true -> predicted (confidence)'."""
    y_true, y_pred, confidence = np.asarray(y_true), np.asarray(y_pred), np.asarray(confidence)
    wrong = np.flatnonzero(y_true != y_pred)
    wrong = wrong[np.argsort(-confidence[wrong])][:n]
    titles = [f"{class_names[y_true[i]]}→{class_names[y_pred[i]]}\n{confidence[i]:.0%}" for i in wrong]
    if len(wrong) == 0:
        fig, ax = plt.subplots(figsize=(4, 1))
        ax.axis("off")
        ax.text(0.5, 0.5, "no misclassified images", ha="center")
        return fig
    return image_grid([images[i] for i in wrong], titles, ncols=ncols,
                      title=f"{len(np.flatnonzero(y_true != y_pred))} mistakes; the {len(wrong)} most confident")


def imagenet_scatter(rows: Sequence, *, title: str = "ImageNet: size vs accuracy") -> Figure:
    """Parameters (log scale) against top-1, coloured by extra training data, each point labelled."""
    groups: dict[str, list] = {}
    for r in rows:
        groups.setdefault(r.extra_data or "ImageNet only", []).append(r)
    fig, ax = plt.subplots(figsize=(10, 6))
    for label, rs in groups.items():
        ax.scatter([r.params_m for r in rs], [r.top1 for r in rs], s=40, label=label)
        for r in rs:
            ax.annotate(r.method, (r.params_m, r.top1), textcoords="offset points", xytext=(4, 3), fontsize=7)
    ax.set_xscale("log")
    ax.set_xlabel("parameters (millions, log scale)")
    ax.set_ylabel("top-1 accuracy (%)")
    ax.set_title(title)
    ax.grid(alpha=0.3, which="both")
    ax.legend(title="extra training data", fontsize=8)
    fig.tight_layout()
    return fig


def augmentation_gallery(original: np.ndarray, variants: Mapping[str, np.ndarray], *, ncols: int = 4,
                         title: str | None = None) -> Figure:
    """The original beside each named transform of it (notebook 08)."""
    images = [original, *variants.values()]
    return image_grid(images, ["original", *variants.keys()], ncols=ncols, title=title, size=2.4)
