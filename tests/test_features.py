"""The feature cache: first call computes, second hits; what changes the features recomputes them."""

from __future__ import annotations

import keras
import numpy as np
import pytest
from PIL import Image

from lecture_lib import features


@pytest.fixture
def folder(tmp_path):
    rng = np.random.default_rng(0)
    for cls in ("a", "b"):
        (tmp_path / "split" / cls).mkdir(parents=True)
        for i in range(3):
            Image.fromarray(rng.integers(0, 255, (20, 20, 3), dtype=np.uint8)).save(
                tmp_path / "split" / cls / f"{i}.jpg"
            )
    return tmp_path / "split"


def small_model(pooling: str = "avg", seed: int = 0) -> keras.Model:
    keras.utils.set_random_seed(seed)
    inputs = keras.Input((16, 16, 3))
    x = keras.layers.Conv2D(4, 3)(inputs)
    x = (
        keras.layers.GlobalAveragePooling2D()
        if pooling == "avg"
        else keras.layers.GlobalMaxPooling2D()
    )(x)
    return keras.Model(inputs, x, name="small")


def test_cache_hits_and_every_change_recomputes(folder, tmp_path):
    calls = []

    def compute_with(model):
        def compute():
            calls.append(model)
            x = np.arange(6 * 4, dtype="float32").reshape(6, 4) + len(calls)
            return {
                "x": x,
                "y": np.array([0, 0, 0, 1, 1, 1]),
                "class_names": ["a", "b"],
                "files": ["f"] * 6,
            }

        return compute

    cache = tmp_path / "cache"

    def get(model, preprocessing="vgg16", size=(16, 16)):
        return features.cached(
            cache,
            compute_with(model),
            model=model,
            preprocessing=preprocessing,
            image_size=size,
            folder=folder,
        )

    m = small_model()
    first = get(m)
    second = get(m)
    assert not first.cached and second.cached and len(calls) == 1
    np.testing.assert_array_equal(first.x, second.x)
    assert second.class_names == ["a", "b"]
    assert not get(
        small_model(seed=1)
    ).cached  # another random model: other weights, same architecture
    assert not get(small_model(pooling="max")).cached  # another pooling
    assert not get(m, preprocessing="mobilenet").cached
    assert not get(m, size=(32, 32)).cached
    before = len(calls)
    Image.fromarray(np.zeros((20, 20, 3), np.uint8)).save(
        folder / "a" / "0.jpg"
    )  # same name, new content
    assert not get(m).cached and len(calls) == before + 1
    assert get(m).cached  # and that is cached in turn
    assert not list(cache.glob("*.part*"))  # no half-written entries


def test_weights_digest_tells_models_apart_and_is_stable():
    a, b = small_model(seed=0), small_model(seed=0)
    assert features.weights_digest(a) == features.weights_digest(b)
    b.layers[1].kernel.assign(b.layers[1].kernel + 1e-6)
    assert features.weights_digest(a) != features.weights_digest(b)
