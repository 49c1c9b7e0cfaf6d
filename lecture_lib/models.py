"""ImageNet backbones for notebooks 05-07, with weights found offline first.

Weights are looked for in the Keras cache, then ``LECTURE_MIRROR/models/`` (Keras cache file
names), then downloaded into the Keras cache. They are loaded *by file path*, so any input size
works (Keras' own lookup only knows 224 px for MobileNets) and Keras never touches the mirror
(it deletes a cached file whose md5 it dislikes). No weights: a clear error naming the file and
the places looked; in smoke mode, random weights, said out loud.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import keras
import numpy as np

from . import weights as W
from .config import Settings, settings

# Keras pins md5 hashes for these files only (keras/src/applications/vgg16.py, resnet.py)
_KERAS_MD5 = {
    "vgg16_weights_tf_dim_ordering_tf_kernels.h5": "64373286793e3c8b2b4e3219cbf3544b",
    "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5": "6d6bbae143d832006294945121d1f1fc",
}
_CLASS_INDEX_URL = "https://storage.googleapis.com/download.tensorflow.org/data/imagenet_class_index.json"


class WeightsUnavailableError(RuntimeError):
    """No ImageNet weights file could be found or downloaded; the message says where we looked."""


@dataclass
class Backbone:
    """A Keras application model, where its weights came from, and its input preprocessing."""

    name: str
    model: keras.Model
    weights: str  # a file path, or "random (…)"
    preprocess_module: str

    @property
    def pretrained(self) -> bool:
        return not self.weights.startswith("random")

    def preprocess(self, images: np.ndarray) -> np.ndarray:
        """The backbone's own input scaling (e.g. x/127.5 - 1 for MobileNets, BGR mean for VGG16)."""
        mod = getattr(keras.applications, self.preprocess_module)
        return mod.preprocess_input(np.array(images, dtype="float32", copy=True))

    def __str__(self) -> str:
        return (f"{self.name}: {self.model.count_params():,} parameters, input {self.model.input_shape[1:]}, "
                f"weights: {self.weights}")


def weights_file(name: str, include_top: bool = False, *, s: Settings | None = None, download: bool = True) -> Path:
    """The path of ``name``'s ImageNet weights: Keras cache -> mirror -> download into the cache."""
    s = s or settings()
    spec = W.BACKBONE_WEIGHTS[name]
    found = W.find(name, include_top, s)
    if found:
        return found
    looked = [str(p) for p in W.candidates(name, include_top, s)]
    fname = spec.filename(include_top)
    if download:
        try:
            return Path(keras.utils.get_file(fname, spec.url(include_top), cache_subdir="models",
                                             file_hash=_KERAS_MD5.get(fname)))
        except Exception as e:  # noqa: BLE001 - Keras raises several kinds; all mean "no file"
            looked.append(f"{spec.url(include_top)} ({type(e).__name__}: {str(e).splitlines()[0][:120]})")
    others = [n for n in W.BACKBONE_WEIGHTS if n != name and W.find(n, include_top, s)]
    raise WeightsUnavailableError(
        f"No ImageNet weights for {name} ({fname}). Looked in:\n  - " + "\n  - ".join(looked)
        + "\nPut the file in one of those places (an instructor's LECTURE_MIRROR/models/ works offline)"
        + (f", or choose a backbone whose weights are here: LECTURE_BACKBONE={others[0]} "
           f"(available: {', '.join(others)})." if others else ".")
    )


def backbone(name: str | None = None, input_shape: tuple[int, int, int] = (224, 224, 3), *,
             include_top: bool = False, pooling: str | None = None, pretrained: bool = True,
             s: Settings | None = None) -> Backbone:
    """Build ``name`` (default: LECTURE_BACKBONE) with ImageNet weights loaded by file path.

    ``pretrained=False`` gives random weights on purpose (notebook 06's contrast). With no weights
    to be had, full mode raises :class:`WeightsUnavailableError`; smoke mode warns and goes on.
    """
    s = s or settings()
    name = name or s.backbone
    spec = W.BACKBONE_WEIGHTS[name]
    kwargs = dict(spec.kwargs)
    if include_top:
        input_shape = (spec.native_size, spec.native_size, 3)
    build = getattr(keras.applications, spec.keras_class)
    weights_path: Path | None = None
    label = "random (on purpose: no pretraining)"
    if pretrained:
        try:
            weights_path = weights_file(name, include_top, s=s)
            label = str(weights_path)
        except WeightsUnavailableError as e:
            if not s.smoke:
                raise
            label = "random (SMOKE MODE: no ImageNet weights found)"
            print(f"!!! {e}\n!!! SMOKE MODE: using RANDOM weights for {name}; its predictions mean nothing.")
    model = build(include_top=include_top, weights=str(weights_path) if weights_path else None,
                  input_shape=input_shape, pooling=pooling, **kwargs)
    return Backbone(name, model, label, spec.preprocess)


def imagenet_class_names(s: Settings | None = None) -> list[str]:
    """The 1,000 ImageNet class names: Keras' cached copy, else the mirror's, else a download."""
    s = s or settings()
    places = [W.keras_cache_dir() / "imagenet_class_index.json"]
    if s.mirror:
        places.append(s.mirror / "models" / "extras" / "imagenet_class_index.json")
    path = next((p for p in places if p.is_file()), None)
    if path is None:
        try:
            path = Path(keras.utils.get_file("imagenet_class_index.json", _CLASS_INDEX_URL, cache_subdir="models",
                                             file_hash="c2c37ea517e94d9795004a39431a14cb"))
        except Exception as e:  # noqa: BLE001
            raise WeightsUnavailableError(
                f"No ImageNet class index: looked in {', '.join(map(str, places))}; download failed ({e})") from None
    index = json.loads(path.read_text())
    return [index[str(i)][1] for i in range(len(index))]


def top_k(probs: np.ndarray, class_names: list[str], k: int = 5) -> list[list[tuple[str, float]]]:
    """For each row of probabilities, the k most likely (class name, probability)."""
    order = np.argsort(-probs, axis=1)[:, :k]
    return [[(class_names[j], float(p[j])) for j in row] for p, row in zip(probs, order, strict=True)]


def imagenet_classifier(preferred: str | None = None, s: Settings | None = None) -> Backbone:
    """The with-top (1000-class) model of ``preferred``, or of the first backbone whose with-top
    weights are present, saying so (the mirror has no with-top MobileNetV2 file, for example)."""
    s = s or settings()
    preferred = preferred or s.backbone
    order = [preferred] + [n for n in W.BACKBONE_WEIGHTS if n != preferred]
    for name in order:
        if W.find(name, True, s):
            if name != preferred:
                print(f"No with-top ImageNet weights for {preferred} here; using {name}'s instead.")
            return backbone(name, include_top=True, s=s)
    return backbone(preferred, include_top=True, s=s)  # downloads, or raises / warns as usual


# The last convolutional blocks, unfrozen in fine-tuning's stage 2 (notebook 07)
TOP_BLOCKS = {
    "vgg16": ("block5_",),
    "mobilenet": ("conv_dw_12", "conv_pw_12", "conv_dw_13", "conv_pw_13"),
    "mobilenet_v2": ("block_15_", "block_16_", "Conv_1"),
    "mobilenet_v2_035": ("block_15_", "block_16_", "Conv_1"),
    "resnet50": ("conv5_block3_",),
}


def preprocessing_layer(bb: Backbone) -> keras.layers.Layer:
    """The backbone's ``preprocess_input`` as a layer, so a model can take uint8 images directly."""
    if bb.preprocess_module in ("mobilenet", "mobilenet_v2"):
        return keras.layers.Rescaling(1 / 127.5, offset=-1.0, name="preprocess")  # x/127.5 - 1
    fn = getattr(keras.applications, bb.preprocess_module).preprocess_input
    return keras.layers.Lambda(lambda t: fn(keras.ops.cast(t, "float32")), name="preprocess")


def unfreeze_top(bb: Backbone) -> list[str]:
    """Make only the top blocks of ``bb`` trainable, BatchNorm layers excepted; return their names."""
    prefixes = TOP_BLOCKS[bb.name]
    bb.model.trainable = True
    opened = []
    for layer in bb.model.layers:
        layer.trainable = layer.name.startswith(prefixes) and not isinstance(layer, keras.layers.BatchNormalization)
        if layer.trainable and layer.weights:
            opened.append(layer.name)
    return opened


def strategy():  # noqa: ANN201 - tf.distribute.Strategy
    """MirroredStrategy when more than one GPU is visible, else the default strategy."""
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    return tf.distribute.MirroredStrategy() if len(gpus) > 1 else tf.distribute.get_strategy()
