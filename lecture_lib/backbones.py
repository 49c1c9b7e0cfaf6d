"""The ``LECTURE_BACKBONE`` choices as Keras calls, for the notebooks' backbone cells.

The notebooks write the lecture's call themselves (``keras.applications.VGG16(include_top=False,
weights=...)`` and ``keras.applications.vgg16.preprocess_input``); where a setting picks another
backbone (MobileNet where VGG16's weights are absent), :func:`build` makes the same call for it.
Also here: the backbone's preprocessing as a layer. What each backbone is (class, arguments,
files, deepest blocks) is its spec in ``backbone_specs``; :func:`spec` hands it on.
"""

from __future__ import annotations

from collections.abc import Callable

import keras

from .backbone_specs import spec

__all__ = [
    "build",
    "decode_predictions",
    "keras_call",
    "preprocess_input",
    "preprocessing_layer",
    "spec",
]


def keras_call(name: str, include_top: bool = False) -> str:
    """The Keras call that builds backbone ``name``, as text (printed by the notebooks)."""
    return spec(name).keras_call(include_top)


def build(
    name: str,
    *,
    include_top: bool = False,
    weights: str | None = None,
    input_shape: tuple[int, int, int] | None = None,
    pooling: str | None = None,
) -> keras.Model:
    """``keras.applications.<Class>(include_top=..., weights=...)`` for backbone ``name``."""
    b = spec(name)
    net = getattr(keras.applications, b.keras_class)
    if include_top:
        input_shape = (b.native_size, b.native_size, 3)
    return net(
        include_top=include_top,
        weights=weights,
        input_shape=input_shape,
        pooling=pooling,
        **dict(b.kwargs),
    )


def preprocess_input(name: str) -> Callable:
    """``keras.applications.<module>.preprocess_input`` of backbone ``name``."""
    return getattr(keras.applications, spec(name).preprocess).preprocess_input


def decode_predictions(name: str) -> Callable:
    """``keras.applications.<module>.decode_predictions`` of backbone ``name``."""
    return getattr(keras.applications, spec(name).preprocess).decode_predictions


def preprocessing_layer(name: str) -> keras.layers.Layer:
    """The backbone's ``preprocess_input`` as a layer, so a model takes uint8 images."""
    if spec(name).preprocess in ("mobilenet", "mobilenet_v2"):
        return keras.layers.Rescaling(1 / 127.5, offset=-1.0, name="preprocess")  # x/127.5 - 1
    fn = preprocess_input(name)
    return keras.layers.Lambda(lambda t: fn(keras.ops.cast(t, "float32")), name="preprocess")
