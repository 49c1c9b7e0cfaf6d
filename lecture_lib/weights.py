"""Finding ImageNet weight files and the ImageNet class index: plumbing for notebooks 05-07.

The notebooks build their backbone themselves (``keras.applications.VGG16(include_top=False,
weights=path)``); this module only answers *which file*: the Keras cache, then
``LECTURE_MIRROR/models/`` (Keras cache file names), then a download into the Keras cache. A file
path, unlike ``weights="imagenet"``, works at any input size and never lets Keras touch the mirror.
No TensorFlow import at module level, so ``doctor`` answers quickly.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from .config import Settings, settings

_KA = "https://storage.googleapis.com/tensorflow/keras-applications/"
_CLASS_INDEX_URL = (
    "https://storage.googleapis.com/download.tensorflow.org/data/imagenet_class_index.json"
)
_CLASS_INDEX_MD5 = (
    "c2c37ea517e94d9795004a39431a14cb"  # Keras' pin (keras/src/applications/imagenet_utils.py)
)
# Keras pins md5 hashes for these files only (keras/src/applications/vgg16.py)
_KERAS_MD5 = {
    "vgg16_weights_tf_dim_ordering_tf_kernels.h5": "64373286793e3c8b2b4e3219cbf3544b",
    "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5": "6d6bbae143d832006294945121d1f1fc",
}


class WeightsUnavailableError(RuntimeError):
    """No ImageNet weights file could be found or downloaded; the message says where we looked."""


@dataclass(frozen=True)
class BackboneWeights:
    """One ``LECTURE_BACKBONE`` choice: its Keras class, arguments, weight files and preprocessing."""

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
        BackboneWeights(
            "vgg16",
            "VGG16",
            (),
            "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5",
            "vgg16_weights_tf_dim_ordering_tf_kernels.h5",
            _KA + "vgg16/",
            "vgg16",
        ),
        BackboneWeights(
            "mobilenet",
            "MobileNet",
            (("alpha", 0.75),),
            "mobilenet_7_5_224_tf_no_top.h5",
            "mobilenet_7_5_224_tf.h5",
            _KA + "mobilenet/",
            "mobilenet",
        ),
        BackboneWeights(
            "mobilenet_v2",
            "MobileNetV2",
            (("alpha", 1.0),),
            "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224_no_top.h5",
            "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224.h5",
            _KA + "mobilenet_v2/",
            "mobilenet_v2",
        ),
        BackboneWeights(
            "mobilenet_v2_035",
            "MobileNetV2",
            (("alpha", 0.35),),
            "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_224_no_top.h5",
            "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_224.h5",
            _KA + "mobilenet_v2/",
            "mobilenet_v2",
        ),
        BackboneWeights(
            "resnet50",
            "ResNet50",
            (),
            "resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5",
            "resnet50_weights_tf_dim_ordering_tf_kernels.h5",
            _KA + "resnet/",
            "resnet50",
        ),
    )
}


def keras_cache_dir() -> Path:
    """``$KERAS_HOME/models`` or ``~/.keras/models`` (where Keras keeps downloaded weights)."""
    home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    return Path(home) / "models"


def candidates(name: str, include_top: bool, s: Settings | None = None) -> list[Path]:
    """The places a weights file is looked for, in order: the Keras cache, then the mirror."""
    s = s or settings()
    fname = BACKBONE_WEIGHTS[name].filename(include_top)
    places = [keras_cache_dir() / fname]
    if s.mirror is not None:
        places.append(s.mirror / "models" / fname)
    return places


def find(name: str, include_top: bool = False, s: Settings | None = None) -> Path | None:
    """The first existing, non-empty weights file for ``name``, or None (never downloads)."""
    return next(
        (p for p in candidates(name, include_top, s) if p.is_file() and p.stat().st_size > 0), None
    )


def _first_line(e: BaseException) -> str:
    return (str(e).splitlines() or [""])[0][:120]


def weights_path(
    name: str, include_top: bool = False, *, s: Settings | None = None, download: bool = True
) -> str | None:
    """The ImageNet weights file of backbone ``name``, for ``keras.applications.X(weights=...)``.

    Keras cache -> mirror -> download into the Keras cache. With none to be had, full mode raises
    :class:`WeightsUnavailableError` naming the file and every place looked; smoke mode prints that
    loudly and returns None, so the notebook builds the network with random weights and says so.
    """
    s = s or settings()
    spec = BACKBONE_WEIGHTS[name]
    found = find(name, include_top, s)
    if found:
        return str(found)
    looked = [str(p) for p in candidates(name, include_top, s)]
    fname = spec.filename(include_top)
    if download:
        import keras

        try:
            return keras.utils.get_file(
                fname, spec.url(include_top), cache_subdir="models", file_hash=_KERAS_MD5.get(fname)
            )
        except Exception as e:  # noqa: BLE001 - Keras raises several kinds; all mean "no file"
            looked.append(f"{spec.url(include_top)} ({type(e).__name__}: {_first_line(e)})")
    others = [n for n in BACKBONE_WEIGHTS if n != name and find(n, include_top, s)]
    error = WeightsUnavailableError(
        f"No ImageNet weights for {name} ({fname}). Looked in:\n  - "
        + "\n  - ".join(looked)
        + "\nPut the file in one of those places (an instructor's LECTURE_MIRROR/models/ works offline)"
        + (
            f", or choose a backbone whose weights are here: LECTURE_BACKBONE={others[0]} "
            f"(available: {', '.join(others)})."
            if others
            else "."
        )
    )
    if not s.smoke or s.require_real:
        if s.require_real:
            raise WeightsUnavailableError(
                f"{error}\nNo random weights either: LECTURE_REQUIRE_REAL=1 (CI with a mirror)."
            )
        raise error
    print(
        f"!!! {error}\n!!! SMOKE MODE: building {name} with RANDOM weights; its predictions mean nothing."
    )
    return None


def with_top_backbone(preferred: str, s: Settings | None = None) -> str:
    """``preferred`` if its with-top (1000-class) weights are here, else the first backbone whose are,
    saying so (the mirror has MobileNet v1's classifier but no VGG16 or MobileNetV2 one)."""
    s = s or settings()
    if find(preferred, True, s):
        return preferred
    other = next((n for n in BACKBONE_WEIGHTS if n != preferred and find(n, True, s)), None)
    if other is None:
        return preferred  # weights_path downloads, or raises / warns as usual
    print(f"No with-top ImageNet weights for {preferred} here; using {other}'s classifier instead.")
    return other


def class_index_path(s: Settings | None = None) -> Path:
    """ImageNet's class index (1,000 ids and names): the Keras cache, the mirror, else a download."""
    s = s or settings()
    places = [keras_cache_dir() / "imagenet_class_index.json"]
    if s.mirror:
        places.append(s.mirror / "models" / "extras" / "imagenet_class_index.json")
    path = next((p for p in places if p.is_file()), None)
    if path is not None:
        return path
    import keras

    try:
        return Path(
            keras.utils.get_file(
                "imagenet_class_index.json",
                _CLASS_INDEX_URL,
                cache_subdir="models",
                file_hash=_CLASS_INDEX_MD5,
            )
        )
    except Exception as e:  # noqa: BLE001
        raise WeightsUnavailableError(
            f"No ImageNet class index: looked in {', '.join(map(str, places))}; download failed "
            f"({type(e).__name__}: {_first_line(e)})"
        ) from None


def use_offline_class_index(s: Settings | None = None) -> Path:
    """Hand the class index to Keras, so ``keras.applications.*.decode_predictions`` works offline.

    ``decode_predictions`` downloads the index unless it was loaded already; the mirror's copy differs
    from Keras' pinned file in whitespace only, so it cannot go into the Keras cache. We load it and
    give it to ``keras.src.applications.imagenet_utils`` directly (notebook 05).
    """
    path = class_index_path(s)
    index = json.loads(path.read_text())
    if len(index) != 1000:
        raise WeightsUnavailableError(f"{path} has {len(index)} classes, not ImageNet's 1,000.")
    from keras.src.applications import imagenet_utils

    imagenet_utils.CLASS_INDEX = index
    return path
