"""The ``LECTURE_BACKBONE`` choices as Keras calls, for the cells of notebooks 05-07.

The notebooks write the lecture's call themselves (``keras.applications.VGG16(include_top=False,
weights=...)`` and ``keras.applications.vgg16.preprocess_input``); where a setting picks another
backbone (MobileNet where VGG16's weights are absent), :func:`build` makes the same call for it.
Also here: the backbone's preprocessing as a layer, and the names of its deepest blocks (the
ones fine-tuning's stage 2 may unfreeze, notebook 07).
"""

from __future__ import annotations

from collections.abc import Callable

import keras

from .weights import BACKBONE_WEIGHTS

# The last convolutional blocks: what "the few deepest layers" of the lecture's stage 2 means here
TOP_BLOCKS: dict[str, tuple[str, ...]] = {
    "vgg16": ("block5_",),
    "mobilenet": ("conv_dw_12", "conv_pw_12", "conv_dw_13", "conv_pw_13"),
    "mobilenet_v2": ("block_15_", "block_16_", "Conv_1"),
    "mobilenet_v2_035": ("block_15_", "block_16_", "Conv_1"),
    "resnet50": ("conv5_block3_",),
}


def keras_call(name: str, include_top: bool = False) -> str:
    """The Keras call that builds backbone ``name``, as text (printed by the notebooks)."""
    spec = BACKBONE_WEIGHTS[name]
    args = "".join(f"{k}={v!r}, " for k, v in spec.kwargs)
    return f"keras.applications.{spec.keras_class}({args}include_top={include_top}, weights=...)"


def build(
    name: str,
    *,
    include_top: bool = False,
    weights: str | None = None,
    input_shape: tuple[int, int, int] | None = None,
    pooling: str | None = None,
) -> keras.Model:
    """``keras.applications.<Class>(include_top=..., weights=...)`` for backbone ``name``."""
    spec = BACKBONE_WEIGHTS[name]
    net = getattr(keras.applications, spec.keras_class)
    if include_top:
        input_shape = (spec.native_size, spec.native_size, 3)
    return net(
        include_top=include_top,
        weights=weights,
        input_shape=input_shape,
        pooling=pooling,
        **dict(spec.kwargs),
    )


def preprocess_input(name: str) -> Callable:
    """``keras.applications.<module>.preprocess_input`` of backbone ``name``."""
    return getattr(keras.applications, BACKBONE_WEIGHTS[name].preprocess).preprocess_input


def decode_predictions(name: str) -> Callable:
    """``keras.applications.<module>.decode_predictions`` of backbone ``name``."""
    return getattr(keras.applications, BACKBONE_WEIGHTS[name].preprocess).decode_predictions


def preprocessing_layer(name: str) -> keras.layers.Layer:
    """The backbone's ``preprocess_input`` as a layer, so a model takes uint8 images (notebook 07)."""
    if BACKBONE_WEIGHTS[name].preprocess in ("mobilenet", "mobilenet_v2"):
        return keras.layers.Rescaling(1 / 127.5, offset=-1.0, name="preprocess")  # x/127.5 - 1
    fn = preprocess_input(name)
    return keras.layers.Lambda(lambda t: fn(keras.ops.cast(t, "float32")), name="preprocess")


def top_block_layers(model: keras.Model, name: str) -> list[keras.layers.Layer]:
    """The layers with weights in the deepest blocks of backbone ``name`` (BatchNorm excepted)."""
    prefixes = TOP_BLOCKS[name]
    return [
        layer
        for layer in model.layers
        if layer.name.startswith(prefixes)
        and layer.weights
        and not isinstance(layer, keras.layers.BatchNormalization)
    ]
