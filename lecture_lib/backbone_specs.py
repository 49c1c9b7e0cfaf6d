"""The ``LECTURE_BACKBONE`` choices, one Keras-free spec each (as ``datasets`` holds one per dataset).

A :class:`BackboneSpec` is everything the course knows about one pretrained network: the Keras
class and its arguments, the ``keras.applications`` module whose ``preprocess_input`` fits, its
native input size, its ImageNet weight files (Keras cache names) and where Keras publishes them,
and the name prefixes of its deepest blocks (what fine-tuning's stage 2 may unfreeze). ``config``
checks ``LECTURE_BACKBONE`` against :data:`SPECS`, ``weights`` finds the files, ``backbones`` makes
the Keras calls. Importing it imports nothing heavy, so ``config`` and ``doctor`` stay quick.
"""

from __future__ import annotations

from dataclasses import dataclass

_KA = "https://storage.googleapis.com/tensorflow/keras-applications/"


@dataclass(frozen=True)
class BackboneSpec:
    """One pretrained network: Keras call, preprocessing, input size, weight files, deepest blocks."""

    name: str
    keras_class: str  # attribute of keras.applications
    kwargs: tuple[tuple[str, object], ...]  # e.g. (("alpha", 0.75),)
    preprocess: str  # keras.applications module whose preprocess_input fits
    no_top: str  # Keras cache file name of the weights without the classifier
    top: str  # with the 1000-class ImageNet classifier
    url_dir: str  # where Keras publishes both files
    top_blocks: tuple[str, ...]  # layer-name prefixes of the last convolutional block(s)
    native_size: int = 224  # the input size of its ImageNet classifier

    def filename(self, include_top: bool) -> str:
        return self.top if include_top else self.no_top

    def url(self, include_top: bool) -> str:
        return self.url_dir + self.filename(include_top)

    def keras_call(self, include_top: bool = False) -> str:
        """The Keras call that builds it, as text (the notebooks print it)."""
        args = "".join(f"{k}={v!r}, " for k, v in self.kwargs)
        return (
            f"keras.applications.{self.keras_class}({args}include_top={include_top}, weights=...)"
        )


SPECS: dict[str, BackboneSpec] = {
    b.name: b
    for b in (
        BackboneSpec(
            "vgg16", "VGG16", (), "vgg16",
            "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5",
            "vgg16_weights_tf_dim_ordering_tf_kernels.h5",
            _KA + "vgg16/", ("block5_",),
        ),
        BackboneSpec(
            "mobilenet", "MobileNet", (("alpha", 0.75),), "mobilenet",
            "mobilenet_7_5_224_tf_no_top.h5", "mobilenet_7_5_224_tf.h5",
            _KA + "mobilenet/", ("conv_dw_12", "conv_pw_12", "conv_dw_13", "conv_pw_13"),
        ),
        BackboneSpec(
            "mobilenet_v2", "MobileNetV2", (("alpha", 1.0),), "mobilenet_v2",
            "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224_no_top.h5",
            "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224.h5",
            _KA + "mobilenet_v2/", ("block_15_", "block_16_", "Conv_1"),
        ),
        BackboneSpec(
            "mobilenet_v2_035", "MobileNetV2", (("alpha", 0.35),), "mobilenet_v2",
            "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_224_no_top.h5",
            "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_224.h5",
            _KA + "mobilenet_v2/", ("block_15_", "block_16_", "Conv_1"),
        ),
        BackboneSpec(
            "resnet50", "ResNet50", (), "resnet50",
            "resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5",
            "resnet50_weights_tf_dim_ordering_tf_kernels.h5",
            _KA + "resnet/", ("conv5_block3_",),
        ),
    )
}  # fmt: skip


def spec(name: str) -> BackboneSpec:
    """The spec of backbone ``name``, or a KeyError that lists the known names."""
    try:
        return SPECS[name]
    except KeyError:
        raise KeyError(f"unknown backbone {name!r}; known: {', '.join(SPECS)}") from None
