"""weights: files from cache/mirror, clear errors, smoke fallback, offline class index."""

from __future__ import annotations

import json

import h5py
import keras
import numpy as np
import pytest

from lecture_lib import weights
from lecture_lib.backbone_specs import SPECS


def write_legacy_h5(model: keras.Model, path) -> None:
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


def test_vgg16_weights_from_a_mirror_load_at_another_input_size(
    env, tmp_path, monkeypatch, no_download
):
    mirror = tmp_path / "mirror"
    keras.utils.set_random_seed(1)
    src = keras.applications.VGG16(weights=None, include_top=False, input_shape=(32, 32, 3))
    path = mirror / "models" / SPECS["vgg16"].no_top
    write_legacy_h5(src, path)
    monkeypatch.setenv("LECTURE_MIRROR", str(mirror))
    found = weights.weights_path("vgg16")
    assert found == str(path) and not no_download
    model = keras.applications.VGG16(include_top=False, weights=found, input_shape=(64, 64, 3))
    for a, b in zip(src.get_weights(), model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    assert path.stat().st_size > 0  # the mirror file is read, never replaced


def test_keras_cache_comes_before_the_mirror_and_empty_files_are_skipped(
    env, tmp_path, monkeypatch, no_download
):
    fname = SPECS["mobilenet"].no_top
    cache = tmp_path / "keras_home" / "models"
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))
    mirror = tmp_path / "mirror"
    (mirror / "models").mkdir(parents=True)
    (mirror / "models" / fname).write_bytes(b"mirror")
    monkeypatch.setenv("LECTURE_MIRROR", str(mirror))
    cache.mkdir(parents=True)
    (cache / fname).write_bytes(b"")  # a 0-byte leftover of a failed download
    assert weights.weights_path("mobilenet") == str(mirror / "models" / fname)
    (cache / fname).write_bytes(b"cache")
    assert weights.weights_path("mobilenet") == str(cache / fname)
    assert not no_download


def test_missing_weights_name_the_file_and_the_places(env, no_download):
    with pytest.raises(weights.WeightsUnavailableError) as e:
        weights.weights_path("mobilenet")
    msg = str(e.value)
    assert (
        "mobilenet_7_5_224_tf_no_top.h5" in msg
        and ".keras/models" in msg
        and "offline (test)" in msg
    )
    assert no_download == [SPECS["mobilenet"].url(False)]


def test_smoke_mode_says_random_weights_out_loud(env, monkeypatch, capsys, no_download):
    monkeypatch.setenv("LECTURE_SMOKE", "1")
    assert weights.weights_path("mobilenet_v2_035") is None
    assert "RANDOM weights" in capsys.readouterr().out


def test_with_top_backbone_falls_back_to_one_whose_classifier_is_here(
    env, tmp_path, monkeypatch, capsys
):
    mirror = tmp_path / "mirror"
    (mirror / "models").mkdir(parents=True)
    (mirror / "models" / SPECS["mobilenet"].top).write_bytes(b"x")
    monkeypatch.setenv("LECTURE_MIRROR", str(mirror))
    assert weights.with_top_backbone("vgg16") == "mobilenet"
    assert "using mobilenet's classifier" in capsys.readouterr().out
    assert weights.with_top_backbone("mobilenet") == "mobilenet"


def test_decode_predictions_works_offline_from_the_mirrors_class_index(
    env, tmp_path, monkeypatch, no_download
):
    extras = tmp_path / "m" / "models" / "extras"
    extras.mkdir(parents=True)
    (extras / "imagenet_class_index.json").write_text(
        json.dumps({str(i): [f"n{i}", f"class{i}"] for i in range(1000)})
    )
    monkeypatch.setenv("LECTURE_MIRROR", str(tmp_path / "m"))
    from keras.src.applications import imagenet_utils

    monkeypatch.setattr(imagenet_utils, "CLASS_INDEX", None)
    assert weights.use_offline_class_index() == extras / "imagenet_class_index.json"
    probs = np.zeros((1, 1000))
    probs[0, [7, 3]] = [0.6, 0.3]
    top = keras.applications.vgg16.decode_predictions(probs, top=2)
    assert [(n, float(p)) for _, n, p in top[0]] == [
        ("class7", 0.6),
        ("class3", 0.3),
    ] and not no_download


def test_a_class_index_of_the_wrong_size_is_refused(env, tmp_path, monkeypatch):
    extras = tmp_path / "m" / "models" / "extras"
    extras.mkdir(parents=True)
    (extras / "imagenet_class_index.json").write_text(json.dumps({"0": ["n0", "a"]}))
    monkeypatch.setenv("LECTURE_MIRROR", str(tmp_path / "m"))
    with pytest.raises(weights.WeightsUnavailableError, match="1,000"):
        weights.use_offline_class_index()
