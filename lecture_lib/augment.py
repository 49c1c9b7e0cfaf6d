"""Data augmentation: the lecture's transforms, deterministic, and the modern stack.

The single transforms use ``keras.ops.image.affine_transform`` so the same fill modes as the
random layers can be shown side by side (``constant`` = the lecture's black regions, ``nearest``,
``reflect``). ``lecture_stack`` is the Keras 3 replacement of the lecture's ImageDataGenerator, one
layer per setting; ``RandomAffine`` fuses them into one resampling.
"""

from __future__ import annotations

import math

import keras
import numpy as np

from .pipelines import untuned


def _affine(img: np.ndarray, matrix: np.ndarray, fill_mode: str) -> np.ndarray:
    """Apply a 3x3 matrix that maps *output* pixel (x, y, 1) to the input pixel it is read from."""
    t = np.array(
        [matrix[0, 0], matrix[0, 1], matrix[0, 2], matrix[1, 0], matrix[1, 1], matrix[1, 2], 0, 0],
        "float32",
    )
    out = keras.ops.image.affine_transform(
        img[None].astype("float32"), t[None], fill_mode=fill_mode
    )
    return np.clip(keras.ops.convert_to_numpy(out)[0], 0, 255).astype("uint8")


def _about_centre(img: np.ndarray, m: np.ndarray) -> np.ndarray:
    h, w = img.shape[:2]
    cx, cy = (w - 1) / 2, (h - 1) / 2
    to_c = np.array([[1, 0, cx], [0, 1, cy], [0, 0, 1]])
    from_c = np.array([[1, 0, -cx], [0, 1, -cy], [0, 0, 1]])
    return to_c @ m @ from_c


def flip_horizontal(img: np.ndarray) -> np.ndarray:
    return img[:, ::-1].copy()


def rotate(img: np.ndarray, degrees: float, fill_mode: str = "constant") -> np.ndarray:
    """Rotate counter-clockwise by ``degrees`` about the centre; corners filled per ``fill_mode``."""
    a = math.radians(degrees)
    inverse = np.array([[math.cos(a), -math.sin(a), 0], [math.sin(a), math.cos(a), 0], [0, 0, 1]])
    return _affine(img, _about_centre(img, inverse), fill_mode)


def translate(img: np.ndarray, dx: float, dy: float, fill_mode: str = "constant") -> np.ndarray:
    """Shift right by ``dx`` and down by ``dy`` pixels."""
    return _affine(img, np.array([[1, 0, -dx], [0, 1, -dy], [0, 0, 1]]), fill_mode)


def scale(img: np.ndarray, factor: float, fill_mode: str = "constant") -> np.ndarray:
    """Zoom about the centre: ``factor`` > 1 enlarges (crops the border), < 1 shrinks (fills it)."""
    return _affine(img, _about_centre(img, np.diag([1 / factor, 1 / factor, 1])), fill_mode)


def crop_and_resize(img: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
    """Cut the region (left, top, right, bottom) and resize it back to the image's size."""
    from PIL import Image

    h, w = img.shape[:2]
    return np.asarray(Image.fromarray(img).crop(box).resize((w, h), Image.BILINEAR))


# The lecture's ImageDataGenerator configuration, kept in one place
LECTURE_IDG = dict(
    rescale=1 / 255,
    rotation_range=40,
    width_shift_range=0.2,
    height_shift_range=0.2,
    shear_range=0.2,
    zoom_range=0.2,
    horizontal_flip=True,
    channel_shift_range=9,
    fill_mode="nearest",
)


def lecture_stack(seed: int = 42, fill_mode: str = "nearest") -> keras.Sequential:
    """Keras 3 preprocessing layers doing what the lecture's ImageDataGenerator did (except rescale,
    which stays in the model), ``channel_shift_range`` included. Random only with ``training=True``."""
    return keras.Sequential(
        [
            keras.layers.RandomFlip("horizontal", seed=seed),
            keras.layers.RandomRotation(40 / 360, fill_mode=fill_mode, seed=seed),
            keras.layers.RandomTranslation(0.2, 0.2, fill_mode=fill_mode, seed=seed),
            # shear_range=0.2 is an angle in DEGREES in ImageDataGenerator, along x only (rows slide
            # sideways); RandomShear takes tan(angle), and y_factor stays 0 as in IDG
            keras.layers.RandomShear(
                x_factor=math.tan(math.radians(0.2)), y_factor=0.0, fill_mode=fill_mode, seed=seed
            ),
            # zoom_range=0.2 draws x and y factors independently; RandomZoom(0.2) alone would keep the aspect
            keras.layers.RandomZoom(0.2, 0.2, fill_mode=fill_mode, seed=seed),
            # channel_shift_range=9 adds one random value in [-9, 9] to every channel (pixel units)
            keras.layers.RandomBrightness(9 / 255, value_range=(0, 255), seed=seed),
        ],
        name="augmentation",
    )


def augment_dataset(ds, layer: keras.layers.Layer):  # noqa: ANN001, ANN201 - tf.data.Dataset in and out
    """Apply ``layer`` to the images of a batched (uint8 image, label) dataset, in parallel, on the fly."""
    import tensorflow as tf

    def aug(x, y):  # noqa: ANN001, ANN202
        out = layer(tf.cast(x, "float32"), training=True)
        return tf.cast(tf.clip_by_value(tf.round(out), 0, 255), tf.uint8), y

    return untuned(ds.map(aug, num_parallel_calls=tf.data.AUTOTUNE).prefetch(tf.data.AUTOTUNE))


def affine_transforms(rotation, shear, zoom, flip, shift_x, shift_y, height, width, zoom_y=None):  # noqa: ANN001, ANN201
    """(n, 8) transforms for ``keras.ops.image.affine_transform``, one per image, about the centre.

    Each maps an *output* pixel to the input pixel it is read from: rotation and shear in radians
    (counter-clockwise, as ``rotate``), ``zoom`` = input/output scale (< 1 enlarges) along x, and
    along y too unless ``zoom_y`` is given, ``flip`` = -1 mirrors left-right, shifts in pixels
    (positive moves the content left/up).
    """
    ops = keras.ops
    zoom_y = zoom if zoom_y is None else zoom_y
    c, s, t = ops.cos(rotation), ops.sin(rotation), ops.tan(shear)
    # A = rotation @ shear @ diag(zoom * flip, zoom_y)
    a00, a01 = c * zoom * flip, (c * t - s) * zoom_y
    a10, a11 = s * zoom * flip, (s * t + c) * zoom_y
    cx, cy = (width - 1) / 2, (height - 1) / 2
    zero = ops.zeros_like(a00)
    return ops.stack(
        [
            a00,
            a01,
            cx - a00 * cx - a01 * cy + shift_x,
            a10,
            a11,
            cy - a10 * cx - a11 * cy + shift_y,
            zero,
            zero,
        ],
        axis=1,
    )


@keras.saving.register_keras_serializable(package="lecture_lib")
class RandomAffine(keras.layers.Layer):
    """Flip, rotate, shift, shear, zoom and channel shift as ONE random affine map per image.

    Keras' layers (``lecture_stack``) resample the batch once per layer; composing the matrices first
    resamples once, which is what makes augmentation cheap on a CPU.
    Angles are in degrees, ``shift`` and ``zoom`` fractions of the image size, ``channel_shift`` in
    pixel units (0..255), as in ImageDataGenerator. ``independent_zoom=True`` zooms x and y by two
    independent factors, as ImageDataGenerator's ``zoom_range`` does (so the aspect ratio changes);
    the default keeps the aspect ratio, like ``keras.layers.RandomZoom(f)``. Random only with
    ``training=True``.
    """

    def __init__(
        self,
        rotation: float = 0.0,
        shift: float = 0.0,
        shear: float = 0.0,
        zoom: float = 0.0,
        flip: bool = True,
        channel_shift: float = 0.0,
        fill_mode: str = "reflect",
        interpolation: str = "bilinear",
        seed: int | None = None,
        independent_zoom: bool = False,
        **kwargs,
    ) -> None:  # noqa: ANN003
        super().__init__(**kwargs)
        self.independent_zoom = independent_zoom
        self.rotation, self.shift, self.shear, self.zoom = rotation, shift, shear, zoom
        self.flip, self.channel_shift, self.fill_mode, self.interpolation = (
            flip,
            channel_shift,
            fill_mode,
            interpolation,
        )
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def _uniform(self, n, limit: float):  # noqa: ANN001, ANN202
        return keras.random.uniform((n,), -limit, limit, seed=self.seed_generator)

    def transforms(self, n, height, width):  # noqa: ANN001, ANN201 - tensors
        """One random (n, 8) transform per image, drawn from this layer's ranges."""
        ops = keras.ops
        flip = ops.ones((n,))
        if self.flip:
            flip = ops.where(keras.random.uniform((n,), seed=self.seed_generator) < 0.5, -1.0, 1.0)
        return affine_transforms(
            rotation=self._uniform(n, math.radians(self.rotation)),
            shear=self._uniform(n, math.radians(self.shear)),
            zoom=1.0 + self._uniform(n, self.zoom),
            flip=flip,
            shift_x=self._uniform(n, self.shift) * width,
            shift_y=self._uniform(n, self.shift) * height,
            height=height,
            width=width,
            zoom_y=1.0 + self._uniform(n, self.zoom) if self.independent_zoom else None,
        )

    def call(self, images, training: bool = True):  # noqa: ANN001, ANN201
        if not training:
            return images
        ops = keras.ops
        images = ops.cast(images, "float32")
        shape = ops.shape(images)
        n = shape[0]
        t = self.transforms(n, ops.cast(shape[1], "float32"), ops.cast(shape[2], "float32"))
        out = ops.image.affine_transform(
            images, t, interpolation=self.interpolation, fill_mode=self.fill_mode
        )
        if self.channel_shift:
            out = ops.clip(
                out + ops.reshape(self._uniform(n, self.channel_shift), (-1, 1, 1, 1)), 0.0, 255.0
            )
        return out

    def compute_output_shape(self, input_shape):  # noqa: ANN001, ANN201
        return input_shape

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "rotation": self.rotation,
            "shift": self.shift,
            "shear": self.shear,
            "zoom": self.zoom,
            "flip": self.flip,
            "channel_shift": self.channel_shift,
            "fill_mode": self.fill_mode,
            "interpolation": self.interpolation,
            "seed": self.seed,
            "independent_zoom": self.independent_zoom,
        }


def lecture_affine(seed: int = 42) -> RandomAffine:
    """The lecture's ImageDataGenerator settings (``LECTURE_IDG``) as one fused layer."""
    idg = LECTURE_IDG
    return RandomAffine(
        rotation=idg["rotation_range"],
        shift=idg["width_shift_range"],
        shear=idg["shear_range"],
        zoom=idg["zoom_range"],
        flip=idg["horizontal_flip"],
        channel_shift=idg["channel_shift_range"],
        fill_mode=idg["fill_mode"],
        independent_zoom=True,
        seed=seed,
        name="lecture_affine",
    )
