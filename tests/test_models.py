"""models.backbone: weights by file path from cache/mirror, clear errors, smoke fallback."""

from __future__ import annotations

import json

import h5py
import keras
import numpy as np
import pytest

from lecture_lib import models, weights


def _write_legacy_h5(model: keras.Model, path) -> None:
    """The format of Keras' published application weights (what Keras' own cache holds)."""
    from keras.src.legacy.saving import legacy_h5_format

    path.parent.mkdir(parents=True, exist_ok=True)
    with h5py.File(path, "w") as f:
        legacy_h5_format.save_weights_to_hdf5_group(f, model)


@pytest.fixture
def no_download(monkeypatch):
    calls = []

    def refuse(fname, origin, **kw):
        calls.append(origin)
        raise OSError("offline (test)")

    monkeypatch.setattr(keras.utils, "get_file", refuse)
    return calls


def test_vgg16_weights_from_a_mirror_load_at_another_input_size(env, tmp_path, monkeypatch, no_download):
    mirror = tmp_path / "mirror"
    keras.utils.set_random_seed(1)
    src = keras.applications.VGG16(weights=None, include_top=False, input_shape=(32, 32, 3))
    path = mirror / "models" / weights.BACKBONE_WEIGHTS["vgg16"].no_top
    _write_legacy_h5(src, path)
    monkeypatch.setenv("LECTURE_MIRROR", str(mirror))
    bb = models.backbone("vgg16", (64, 64, 3))
    assert bb.weights == str(path) and bb.pretrained and not no_download
    assert bb.model.input_shape == (None, 64, 64, 3)
    for a, b in zip(src.get_weights(), bb.model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    assert path.stat().st_size > 0  # the mirror file is read, never replaced


def test_missing_weights_name_the_file_and_the_places(env, monkeypatch, no_download):
    with pytest.raises(models.WeightsUnavailableError) as e:
        models.backbone("mobilenet", (96, 96, 3))
    msg = str(e.value)
    assert "mobilenet_7_5_224_tf_no_top.h5" in msg and ".keras/models" in msg and "offline (test)" in msg
    assert no_download == [weights.BACKBONE_WEIGHTS["mobilenet"].url(False)]


def test_smoke_mode_uses_random_weights_out_loud(env, monkeypatch, capsys, no_download):
    monkeypatch.setenv("LECTURE_SMOKE", "1")
    bb = models.backbone("mobilenet_v2_035", (64, 64, 3), pooling="avg")
    assert not bb.pretrained and "SMOKE" in bb.weights
    assert "RANDOM weights" in capsys.readouterr().out
    assert bb.model.output_shape == (None, 1280)


def test_pretrained_false_never_looks_for_weights(env, no_download):
    bb = models.backbone("mobilenet", (64, 64, 3), pretrained=False)
    assert bb.weights.startswith("random") and not no_download


def test_class_names_from_the_mirror_and_top_k(env, tmp_path, monkeypatch, no_download):
    extras = tmp_path / "m" / "models" / "extras"
    extras.mkdir(parents=True)
    (extras / "imagenet_class_index.json").write_text(json.dumps({str(i): [f"n{i}", f"class{i}"] for i in range(5)}))
    monkeypatch.setenv("LECTURE_MIRROR", str(tmp_path / "m"))
    names = models.imagenet_class_names()
    assert names == [f"class{i}" for i in range(5)]
    top = models.top_k(np.array([[0.1, 0.5, 0.05, 0.3, 0.05]]), names, k=2)
    assert top == [[("class1", 0.5), ("class3", 0.3)]]


def test_strategy_is_the_default_one_on_cpu():
    import tensorflow as tf

    assert models.strategy() is tf.distribute.get_strategy()
