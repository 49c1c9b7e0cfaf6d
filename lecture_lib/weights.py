"""Where each backbone's ImageNet weights live: Keras cache file names and download URLs.

No TensorFlow import here, so ``doctor`` can answer quickly. ``models.backbone`` uses
:func:`find` to locate a file: the Keras cache, then ``LECTURE_MIRROR/models/``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .config import Settings, settings

_KA = "https://storage.googleapis.com/tensorflow/keras-applications/"


@dataclass(frozen=True)
class BackboneWeights:
    name: str
    keras_class: str  # attribute of keras.applications
    kwargs: tuple[tuple[str, object], ...]  # e.g. (("alpha", 0.75),)
    no_top: str  # Keras cache file name without the classifier
    top: str  # with the 1000-class ImageNet classifier
    url_dir: str
    preprocess: str  # keras.applications module whose preprocess_input fits
    native_size: int = 224

    def filename(self, include_top: bool) -> str:
        return self.top if include_top else self.no_top

    def url(self, include_top: bool) -> str:
        return self.url_dir + self.filename(include_top)


BACKBONE_WEIGHTS: dict[str, BackboneWeights] = {
    w.name: w
    for w in (
        BackboneWeights("vgg16", "VGG16", (), "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5",
                        "vgg16_weights_tf_dim_ordering_tf_kernels.h5", _KA + "vgg16/", "vgg16"),
        BackboneWeights("mobilenet", "MobileNet", (("alpha", 0.75),), "mobilenet_7_5_224_tf_no_top.h5",
                        "mobilenet_7_5_224_tf.h5", _KA + "mobilenet/", "mobilenet"),
        BackboneWeights("mobilenet_v2", "MobileNetV2", (("alpha", 1.0),),
                        "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224_no_top.h5",
                        "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224.h5", _KA + "mobilenet_v2/", "mobilenet_v2"),
        BackboneWeights("mobilenet_v2_035", "MobileNetV2", (("alpha", 0.35),),
                        "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_224_no_top.h5",
                        "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_224.h5", _KA + "mobilenet_v2/", "mobilenet_v2"),
        BackboneWeights("resnet50", "ResNet50", (), "resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5",
                        "resnet50_weights_tf_dim_ordering_tf_kernels.h5", _KA + "resnet/", "resnet50"),
    )
}


def keras_cache_dir() -> Path:
    """``$KERAS_HOME/models`` or ``~/.keras/models`` (where Keras keeps downloaded weights)."""
    home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    return Path(home) / "models"


def candidates(name: str, include_top: bool, s: Settings | None = None) -> list[Path]:
    """The places a weights file is looked for, in order."""
    s = s or settings()
    fname = BACKBONE_WEIGHTS[name].filename(include_top)
    places = [keras_cache_dir() / fname]
    if s.mirror is not None:
        places.append(s.mirror / "models" / fname)
    return places


def find(name: str, include_top: bool = False, s: Settings | None = None) -> Path | None:
    """The first existing weights file for ``name``, or None."""
    return next((p for p in candidates(name, include_top, s) if p.is_file() and p.stat().st_size > 0), None)
