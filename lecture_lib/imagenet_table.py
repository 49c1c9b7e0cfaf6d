"""ImageNet results as data: the lecture's table, and Keras' applications table.

LECTURE: the 29 rows of the lecture's slide "Top 1-accuracy, performance and size on the ImageNet
dataset", with its numbers as printed (the slide gives Pham et al. 2021, *Meta Pseudo Labels*, as
its source; the bracketed numbers are that paper's references). The slide text carries scanning
debris where a cell is blank: ``_``, ``=``, ``·-`` or nothing. Each is read as a blank (None).
KERAS_APPLICATIONS: keras.io/api/applications, the weights ``keras.applications`` loads, scored by
Keras on a single centre crop at each network's own input size (KERAS_INPUT_PX: 224 px for most,
299 for the Inceptions and Xception, 600 for EfficientNetB7; VGG16's and ResNet-50's are its own
re-evaluations).
"""

from __future__ import annotations

from typing import NamedTuple

LECTURE_SOURCE = (
    "H. Pham, Z. Dai, Q. Xie, M.-T. Luong, Q. V. Le: Meta Pseudo Labels. CVPR 2021 "
    "(arXiv Jan 2021), Table 2"
)
CANZIANI = (
    "A. Canziani, A. Paszke, E. Culurciello: An Analysis of Deep Neural Network Models for "
    "Practical Applications. arXiv:1605.07678 (May 2016)"
)


class Row(NamedTuple):
    method: str
    params_m: float  # millions
    extra_data: str | None  # training images beyond ImageNet; None: ImageNet only
    top1: float
    top5: float | None
    real: float | None  # ImageNet-ReaL precision@1 (Beyer et al. 2020)
    source: str


def _lecture(
    method: str,
    params: float,
    extra: str | None,
    top1: float,
    top5: float | None,
    real: float | None,
    ref: str = "",
) -> Row:
    return Row(
        method,
        params,
        extra,
        top1,
        top5,
        real,
        f"lecture (Pham et al. 2021){' ' + ref if ref else ''}",
    )


# The slide's rows in its order; None where the slide prints "_", "=", "·-" or nothing.
LECTURE: tuple[Row, ...] = (
    _lecture("ResNet-50", 26, None, 76.0, 93.0, 82.94, "[24]"),
    _lecture("ResNet-152", 60, None, 77.8, 93.8, 84.79, "[24]"),
    _lecture("DenseNet-264", 34, None, 77.9, 93.9, None, "[28]"),
    _lecture("Inception-v3", 24, None, 78.8, 94.4, 83.58, "[62]"),  # extra data printed as "="
    _lecture("Xception", 23, None, 79.0, 94.5, None, "[11]"),
    _lecture("Inception-v4", 48, None, 80.0, 95.0, None, "[61]"),
    _lecture("Inception-resnet-v2", 56, None, 80.1, 95.1, None, "[61]"),
    _lecture("ResNeXt-101", 84, None, 80.9, 95.6, 85.18, "[78]"),
    _lecture("PolyNet", 92, None, 81.3, 95.8, None, "[87]"),
    _lecture("SENet", 146, None, 82.7, 96.2, None, "[27]"),  # ReaL cell empty on the slide
    _lecture("NASNet-A", 89, None, 82.7, 96.2, 82.56, "[90]"),
    _lecture("AmoebaNet-A", 87, None, 82.8, 96.1, None, "[52]"),
    _lecture("PNASNet", 86, None, 82.9, 96.2, None, "[39]"),
    _lecture("AmoebaNet-C + AutoAugment", 155, None, 83.5, 96.5, None, "[12]"),
    _lecture("GPipe", 557, None, 84.3, 97.0, None, "[29]"),
    _lecture("EfficientNet-B7", 66, None, 85.0, 97.2, None, "[63]"),
    _lecture("EfficientNet-B7 + FixRes", 66, None, 85.3, 97.4, None, "[70]"),
    _lecture("EfficientNet-L2", 480, None, 85.5, 97.5, None, "[63]"),
    _lecture(
        "ResNet-50 Billion-scale SSL", 26, "3.5B labeled Instagram", 81.2, 96.0, None, "[79]"
    ),  # ReaL "·-"
    _lecture(
        "ResNeXt-101 Billion-scale SSL", 193, "3.5B labeled Instagram", 84.8, None, None, "[79]"
    ),
    _lecture("ResNeXt-101 WSL", 829, "3.5B labeled Instagram", 85.4, 97.6, 88.19, "[42]"),
    _lecture("FixRes ResNeXt-101 WSL", 829, "3.5B labeled Instagram", 86.4, 98.0, 89.73, "[69]"),
    _lecture("Big Transfer (BiT-L)", 928, "300M labeled JFT", 87.5, 98.5, 90.54, "[33]"),
    _lecture(
        "Noisy Student (EfficientNet-L2)", 480, "300M unlabeled JFT", 88.4, 98.7, 90.55, "[77]"
    ),
    _lecture("Noisy Student + FixRes", 480, "300M unlabeled JFT", 88.5, 98.7, None, "[70]"),
    _lecture("Vision Transformer (ViT-H)", 632, "300M labeled JFT", 88.55, None, 90.72, "[14]"),
    _lecture(
        "EfficientNet-L2-NoisyStudent + SAM", 480, "300M unlabeled JFT", 88.6, 98.6, None, "[16]"
    ),
    _lecture(
        "Meta Pseudo Labels (EfficientNet-B6-Wide)", 390, "300M unlabeled JFT", 90.0, 98.7, 91.12
    ),
    _lecture("Meta Pseudo Labels (EfficientNet-L2)", 480, "300M unlabeled JFT", 90.2, 98.8, 91.02),
)

KERAS_APPLICATIONS: tuple[Row, ...] = tuple(
    Row(name, params, None, top1, top5, None, "keras.io/api/applications")
    for name, params, top1, top5 in (
        ("VGG16", 138.4, 71.3, 90.1),
        ("VGG19", 143.7, 71.3, 90.0),
        ("ResNet50", 25.6, 74.9, 92.1),
        ("ResNet50V2", 25.6, 76.0, 93.0),
        ("ResNet152", 60.4, 76.6, 93.1),
        ("InceptionV3", 23.9, 77.9, 93.7),
        ("Xception", 22.9, 79.0, 94.5),
        ("InceptionResNetV2", 55.9, 80.3, 95.3),
        ("MobileNet", 4.3, 70.4, 89.5),
        ("MobileNetV2", 3.5, 71.3, 90.1),
        ("DenseNet121", 8.1, 75.0, 92.3),
        ("NASNetMobile", 5.3, 74.4, 91.9),
        ("EfficientNetB0", 5.3, 77.1, 93.3),
        ("EfficientNetB7", 66.7, 84.3, 97.0),
    )
)

# the input size each Keras top-1 above was measured at (keras-applications' README); 224 for the rest
KERAS_INPUT_PX: dict[str, int] = {
    "InceptionV3": 299,
    "Xception": 299,
    "InceptionResNetV2": 299,
    "EfficientNetB7": 600,
}

# The same network in both tables, with the two top-1 numbers (lecture, Keras)
SAME_NETWORK: tuple[tuple[str, str], ...] = (
    ("ResNet-50", "ResNet50"),
    ("ResNet-152", "ResNet152"),
    ("Inception-v3", "InceptionV3"),
    ("Xception", "Xception"),
    ("Inception-resnet-v2", "InceptionResNetV2"),
    ("EfficientNet-B7", "EfficientNetB7"),
)


def lookup(rows: tuple[Row, ...], method: str) -> Row:
    """The row named ``method`` (KeyError naming the known methods otherwise)."""
    for r in rows:
        if r.method == method:
            return r
    raise KeyError(f"{method!r} is not in the table; known: {', '.join(r.method for r in rows)}")


def as_text(rows: tuple[Row, ...], *, source: bool = True) -> str:
    """A fixed-width table for printing in a notebook; blanks print as '–'."""
    width = max(len(r.method) for r in rows) + 2
    head = (
        f"{'method':<{width}}{'params':>7}  {'extra data':<24}{'top-1':>7}{'top-5':>7}{'ReaL':>7}"
    )
    head += "  source" if source else ""
    lines = [head, "-" * len(head)]
    for r in rows:
        line = (
            f"{r.method:<{width}}{r.params_m:>6g}M  {r.extra_data or '–':<24}"
            f"{_num(r.top1):>7}{_num(r.top5):>7}{_num(r.real):>7}"
        )
        lines.append(line + (f"  {r.source}" if source else ""))
    return "\n".join(lines)


def _num(v: float | None) -> str:
    """As printed: 76.0, 88.55, 82.94; a blank as '–'."""
    if v is None:
        return "–"
    text = f"{v:.2f}"
    return text[:-1] if text.endswith("0") else text
