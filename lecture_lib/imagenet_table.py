"""ImageNet results as data (notebook 05): landmark models, and Keras' applications table.

LANDMARKS: method, parameters (millions), extra training data, top-1, top-5, ReaL (Beyer et al.
2020's relabelled validation set), and the paper each number is from. Blank (None) where that
paper does not report the number. KERAS_APPLICATIONS: keras.io/api/applications (single crop).
"""

from __future__ import annotations

from typing import NamedTuple


class Row(NamedTuple):
    method: str
    params_m: float
    extra_data: str | None
    top1: float
    top5: float | None
    real: float | None
    source: str


LANDMARKS: tuple[Row, ...] = (
    Row("AlexNet", 61, None, 59.3, 81.8, None, "Krizhevsky et al. 2012, 1 CNN"),
    Row("ResNet-50", 25.6, None, 77.15, 93.29, None, "He et al. 2016, 10-crop"),
    Row("MobileNetV2", 3.4, None, 72.0, None, None, "Sandler et al. 2018"),
    Row("EfficientNet-B7", 66, None, 84.3, 97.0, None, "Tan & Le 2019"),
    Row("BiT-L (ResNet152x4)", 928, "JFT-300M", 87.54, None, 90.54, "Dosovitskiy et al. 2021, Table 2"),
    Row("Noisy Student (EfficientNet-L2)", 480, "JFT-300M", 88.4, 98.7, 90.55, "Xie et al. 2020; ReaL: Dosovitskiy et al. 2021"),
    Row("ViT-L/16", 307, "ImageNet-21k", 85.30, None, 88.62, "Dosovitskiy et al. 2021, Table 2"),
    Row("ViT-L/16", 307, "JFT-300M", 87.76, None, 90.54, "Dosovitskiy et al. 2021, Table 2"),
    Row("ViT-H/14", 632, "JFT-300M", 88.55, None, 90.72, "Dosovitskiy et al. 2021, Table 2"),
    Row("Meta Pseudo Labels (EfficientNet-L2)", 480, "JFT-300M", 90.2, 98.8, 91.02, "Pham et al. 2021"),
    Row("ViT-G/14", 1843, "JFT-3B", 90.45, None, 90.81, "Zhai et al. 2022"),
    Row("CoAtNet-7", 2440, "JFT-3B", 90.88, None, None, "Dai et al. 2021"),
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


def as_text(rows: tuple[Row, ...]) -> str:
    """A fixed-width table for printing in a notebook."""
    head = f"{'method':<38}{'params':>9}  {'extra data':<13}{'top-1':>7}{'top-5':>7}{'ReaL':>7}  source"
    lines = [head, "-" * len(head)]
    for r in rows:
        f = lambda v: f"{v:.1f}" if v is not None else "–"  # noqa: E731
        lines.append(f"{r.method:<38}{r.params_m:>8g}M  {r.extra_data or '–':<13}{f(r.top1):>7}{f(r.top5):>7}{f(r.real):>7}  {r.source}")
    return "\n".join(lines)
