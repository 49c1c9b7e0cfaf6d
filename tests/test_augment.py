"""The lecture's deterministic transforms and the fused RandomAffine layer (notebook 08, benchmark)."""

from __future__ import annotations

import math

import keras
import numpy as np
import pytest
import tensorflow as tf

from lecture_lib import augment


@pytest.fixture(scope="module")
def photo() -> np.ndarray:
    """A 48x64 test card: a bright block top-left on a gradient, so every transform shows."""
    y, x = np.mgrid[0:48, 0:64]
    img = np.stack([x * 3 + 20, y * 4 + 20, (x + y) * 2 + 20], axis=-1).astype(
        "uint8"
    )  # no black pixel
    img[4:16, 6:20] = 255
    return img


def _transform(img: np.ndarray, fill_mode: str, **params: float) -> np.ndarray:
    """``img`` (float32) moved by our fused matrix with ``params``, the rest at identity."""
    h, w = img.shape[:2]
    values = {
        "rotation": 0.0,
        "shear": 0.0,
        "zoom": 1.0,
        "flip": 1.0,
        "shift_x": 0.0,
        "shift_y": 0.0,
        **params,
    }
    t = augment.affine_transforms(
        **{k: keras.ops.convert_to_tensor([v], "float32") for k, v in values.items()},
        height=float(h),
        width=float(w),
    )
    out = keras.ops.image.affine_transform(img[None].astype("float32"), t, fill_mode=fill_mode)
    return keras.ops.convert_to_numpy(out)[0]


def _apply(img: np.ndarray, **params: float) -> np.ndarray:
    out = _transform(img, "constant", **params)
    return np.clip(out, 0, 255).astype("uint8")


def test_single_transforms_move_pixels_as_documented(photo: np.ndarray) -> None:
    assert np.array_equal(augment.flip_horizontal(photo), photo[:, ::-1])
    shifted = augment.translate(photo, 30, 10)
    assert np.array_equal(shifted[10:, 30:], photo[:-10, :-30])  # content moved right 30, down 10
    assert shifted[:10].max() == 0 and shifted[:, :30].max() == 0  # the lecture's black regions
    nearest = augment.translate(photo, 30, 10, "nearest")
    assert np.array_equal(
        nearest[10:, :31], np.repeat(photo[:-10, :1], 31, axis=1)
    )  # edge column repeated
    rotated = augment.rotate(photo, 30)
    assert rotated[0, 0].max() == 0 and augment.rotate(photo, 30, "reflect")[0, 0].max() > 0
    assert np.array_equal(augment.rotate(photo, 0), photo)
    assert augment.scale(photo, 0.5)[0, 0].max() == 0  # shrunk: border filled with black
    zoomed = augment.scale(photo, 2.0)
    assert zoomed.shape == photo.shape and zoomed[0, 0].max() > 0
    crop = augment.crop_and_resize(photo, (0, 0, 32, 24))
    assert crop.shape == photo.shape and crop[20, 20].tolist() == [
        255,
        255,
        255,
    ]  # the block, enlarged


def test_fused_matrix_equals_the_single_transforms(photo: np.ndarray) -> None:
    assert np.array_equal(_apply(photo), photo)
    assert np.array_equal(_apply(photo, flip=-1.0), photo[:, ::-1])
    assert (
        np.abs(
            _apply(photo, rotation=math.radians(30)).astype(int) - augment.rotate(photo, 30)
        ).max()
        <= 1
    )
    assert np.abs(_apply(photo, zoom=1 / 1.5).astype(int) - augment.scale(photo, 1.5)).max() <= 1
    assert np.array_equal(
        _apply(photo, shift_x=-30.0, shift_y=-10.0), augment.translate(photo, 30, 10)
    )


def test_random_affine_is_random_seeded_and_identity_at_inference(photo: np.ndarray) -> None:
    batch = np.repeat(photo[None], 6, axis=0).astype("float32")
    layer = augment.RandomAffine(rotation=30, shift=0.1, shear=5, zoom=0.2, channel_shift=9, seed=1)
    out = keras.ops.convert_to_numpy(layer(batch, training=True))
    assert out.shape == batch.shape and out.min() >= 0 and out.max() <= 255
    assert (
        len({round(float(np.abs(o - batch[0]).mean()), 3) for o in out}) == 6
    )  # six different versions
    again = augment.RandomAffine(rotation=30, shift=0.1, shear=5, zoom=0.2, channel_shift=9, seed=1)
    assert np.allclose(keras.ops.convert_to_numpy(again(batch, training=True)), out)
    assert np.array_equal(keras.ops.convert_to_numpy(layer(batch, training=False)), batch)
    flips = keras.ops.convert_to_numpy(
        augment.RandomAffine(seed=3)(np.repeat(photo[None], 16, 0), training=True)
    )
    kinds = [np.array_equal(f, photo) or 2 * np.array_equal(f, photo[:, ::-1]) for f in flips]
    assert set(kinds) == {True, 2}  # every image either unchanged or mirrored, both seen


def test_random_affine_in_tf_data_and_in_a_saved_model(photo: np.ndarray, tmp_path) -> None:  # noqa: ANN001
    ds = tf.data.Dataset.from_tensor_slices((np.repeat(photo[None], 8, 0), np.arange(8))).batch(4)
    out = augment.augment_dataset(ds, augment.lecture_affine(seed=0))
    batches = [(x.numpy(), y.numpy()) for x, y in out]
    assert [b[0].dtype for b in batches] == [np.uint8, np.uint8] and batches[1][1].tolist() == [
        4,
        5,
        6,
        7,
    ]
    assert not np.array_equal(batches[0][0][0], photo)

    inputs = keras.Input(photo.shape)
    model = keras.Model(
        inputs,
        keras.layers.GlobalAveragePooling2D()(augment.RandomAffine(rotation=10, seed=0)(inputs)),
    )
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    layer = loaded.layers[1]
    assert isinstance(layer, augment.RandomAffine) and layer.rotation == 10
    assert np.allclose(
        loaded.predict(photo[None].astype("float32"), verbose=0), photo.mean(axis=(0, 1)), atol=1e-3
    )


def test_lecture_settings_mean_what_imagedatagenerator_does_with_them() -> None:
    """Each parameter, applied by ImageDataGenerator itself and by our fused matrix, moves the same pixels."""
    from tensorflow.keras.preprocessing.image import ImageDataGenerator

    yy, xx = np.mgrid[0:64, 0:64].astype("float32")
    img = np.stack([xx * 4, yy * 4, (xx + yy) * 2], -1).clip(0, 255)  # smooth and asymmetric
    idg = ImageDataGenerator(fill_mode="nearest")

    def ours(**params):
        return _transform(img, "nearest", **params)

    def diff(a, b):
        return float(np.abs(a[8:-8, 8:-8] - b[8:-8, 8:-8]).mean())

    assert diff(idg.apply_transform(img, {"theta": 20}), ours(rotation=math.radians(20))) < 1e-3
    assert diff(idg.apply_transform(img, {"tx": 5, "ty": 3}), ours(shift_x=5, shift_y=3)) < 1e-3
    zoomed = idg.apply_transform(img, {"zx": 1.2, "zy": 0.8})  # two independent factors
    assert diff(zoomed, ours(zoom=1.2, zoom_y=0.8)) < 1e-3 and diff(zoomed, ours(zoom=1.2)) > 1
    # shear_range is an angle in DEGREES: IDG's shear=10 is our 10 degrees (tan vs sin: nearly equal)
    sheared = idg.apply_transform(img, {"shear": 10})
    assert diff(sheared, ours(shear=-math.radians(10))) < 0.5 < diff(sheared, img) / 4
    assert diff(sheared, ours(shear=-0.2 * 10)) > 5  # read as a fraction it would be far stronger
    shifted = idg.apply_transform(img, {"channel_shift_intensity": 9})
    np.testing.assert_allclose(
        shifted, np.clip(img + 9, img.min(), img.max())
    )  # one value, every channel
    layer = (
        augment.lecture_affine()
    )  # and the fused layer takes the lecture's numbers in those units
    cfg = augment.LECTURE_IDG
    assert (layer.rotation, layer.shift, layer.shear, layer.zoom, layer.channel_shift) == (
        cfg["rotation_range"],
        cfg["width_shift_range"],
        cfg["shear_range"],
        cfg["zoom_range"],
        cfg["channel_shift_range"],
    )
    shear = augment.lecture_stack().layers[3]
    assert math.isclose(shear.x_factor[1], math.tan(math.radians(0.2)), rel_tol=1e-6)
    assert max(abs(f) for f in shear.y_factor) == 0  # IDG shears along one axis only


def test_zoom_like_imagedatagenerator_changes_the_aspect_ratio_and_channel_shift_is_there() -> None:
    """IDG's zoom_range draws x and y factors independently; RandomZoom(f) alone would keep the aspect."""
    n = 64
    for independent in (False, True):
        layer = augment.RandomAffine(zoom=0.2, flip=False, independent_zoom=independent, seed=0)
        t = keras.ops.convert_to_numpy(layer.transforms(n, 32.0, 32.0))
        ratio = t[:, 0] / t[:, 4]  # x scale / y scale (no rotation or shear here)
        if independent:
            assert np.abs(ratio - 1).max() > 0.05 and t[:, 0].min() >= 0.8 and t[:, 4].max() <= 1.2
        else:
            np.testing.assert_allclose(ratio, 1.0, rtol=1e-6)
    assert augment.lecture_affine().independent_zoom
    kinds = {type(layer).__name__: layer for layer in augment.lecture_stack().layers}
    zoom, brightness = kinds["RandomZoom"], kinds["RandomBrightness"]
    assert zoom.width_factor is not None  # x and y zoomed separately, as ImageDataGenerator does
    assert np.allclose(np.abs(brightness.factor), 9 / 255)  # channel_shift_range=9 on 0..255 pixels
    photo = np.full((1, 8, 8, 3), 100.0, "float32")
    shifted = keras.ops.convert_to_numpy(kinds["RandomBrightness"](photo, training=True))
    assert (
        np.abs(shifted - 100).max() <= 9 + 1e-4 and len(np.unique(np.round(shifted, 4))) == 1
    )  # one shift, all channels
