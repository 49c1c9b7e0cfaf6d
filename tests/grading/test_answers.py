"""Answers travel as plain data: what the kernel writes is read back without trusting it."""

from __future__ import annotations

import json
import os
import pickle
import zipfile
from pathlib import Path

import numpy as np
import pytest

from lecture_lib.grading import answers


def _write(tmp_path: Path, plan: list[dict], namespace: dict) -> Path:
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    answers.extract_all(str(tmp_path / "plan.json"), str(tmp_path / "out"), namespace)
    return tmp_path / "out"


def test_plain_values_and_arrays_come_back_as_they_were(tmp_path):
    value = {
        "n": 3,
        "x": 0.5,
        "nan": float("nan"),
        "s": "dog",
        "none": None,
        "t": (1, "sigmoid"),
        "a": np.arange(6, dtype=np.float32).reshape(2, 3),
        "keys": {1: "one", (2, 3): "pair"},
        "__array__": "a key that looks like ours",
        "np": np.int64(7),
    }
    out = _write(
        tmp_path,
        [{"key": "q/1", "args": ["v"], "source": "def extract(v):\n    return v"}],
        {"v": value},
    )
    got, why = answers.read(out, 1, "q/1")
    assert why == ""
    assert got["n"] == 3 and got["x"] == 0.5 and np.isnan(got["nan"]) and got["s"] == "dog"
    assert got["none"] is None and got["t"] == [1, "sigmoid"] and got["np"] == 7
    assert got["a"].dtype == np.float32 and np.array_equal(got["a"], value["a"])
    assert (
        got["keys"] == {1: "one", (2, 3): "pair"}
        and got["__array__"] == "a key that looks like ours"
    )


def test_objects_functions_and_unanswered_values_are_not_data(tmp_path):
    class EqualToEverything:
        def __eq__(self, other):  # noqa: ANN001, ANN204
            return True

    class SneakyInt(int):
        def __eq__(self, other):  # noqa: ANN001, ANN204
            return True

    plan = [
        {"key": f"q/{i}", "args": ["v"], "source": f"def extract(v):\n    return v[{i - 1}]"}
        for i in range(1, 6)
    ]
    values = [EqualToEverything(), lambda x: x, ..., np.array([object()]), SneakyInt(3)]
    out = _write(tmp_path, plan, {"v": values})
    reasons = [answers.read(out, i, f"q/{i}")[1] for i in range(1, 5)]
    assert all(reasons), reasons
    assert "EqualToEverything is not plain data" in reasons[0] and "not answered yet" in reasons[2]
    assert (
        type(answers.read(out, 5, "q/5")[0]) is not SneakyInt
    )  # an int subclass is not kept as such


def test_a_missing_variable_and_a_crash_are_this_answer_only(tmp_path):
    plan = [
        {"key": "q/1", "args": ["missing"], "source": "def extract(missing):\n    return 1"},
        {"key": "q/2", "args": ["f"], "source": "def extract(f):\n    return f()"},
        {"key": "q/3", "args": ["f"], "source": "def extract(f):\n    return 2"},
    ]
    out = _write(tmp_path, plan, {"f": lambda: 1 / 0})
    assert "`missing` is not defined" in answers.read(out, 1, "q/1")[1]
    assert answers.read(out, 2, "q/2")[1].startswith("ZeroDivisionError")
    assert answers.read(out, 3, "q/3") == (2, "")


def test_a_pickle_in_the_answers_is_never_loaded(tmp_path):
    """An answer file the submission forged with a pickled object: reading it runs nothing."""
    marker = tmp_path / "pwned"

    class Payload:
        def __reduce__(self):  # noqa: ANN204
            return (open, (str(marker), "w"))

    out = tmp_path / "out"
    out.mkdir()
    (out / "1.json").write_text(json.dumps({"key": "q/1", "value": {"__array__": 0}}))
    np.save(out / "arr_0.npy", np.array([Payload()], dtype=object), allow_pickle=True)
    with zipfile.ZipFile(out / "1.npz", "w") as z:
        z.write(out / "arr_0.npy", "arr_0.npy")
    got, why = answers.read(out, 1, "q/1")
    assert got is None and "could not be read" in why and not marker.exists()
    (out / "2.json").write_bytes(pickle.dumps(Payload()))
    assert "could not be read" in answers.read(out, 2, "q/2")[1] and not marker.exists()


def test_garbage_files_are_unreadable_answers_not_crashes(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    secret = tmp_path / "kaggle.json"
    secret.write_text(json.dumps({"username": "me", "key": "s3cr3t"}))
    files = {
        1: "not json",
        2: json.dumps(
            {"key": "q/2", "value": {"__array__": 99}}
        ),  # names an array that is not there
        3: '{"key": "q/3", "value": NaN}',
        4: json.dumps({"key": "another/1", "value": 1}),  # another test's answer
        5: "[" * 100_000 + "]" * 100_000,  # nested past any recursion limit
        6: json.dumps({"key": "q/6", "value": {"__float__": "1e308"}}),
    }
    for n, text in files.items():
        (out / f"{n}.json").write_text(text)
    os.symlink(secret, out / "7.json")  # the instructor's credentials, through a link
    os.mkfifo(out / "8.json")  # would block a reader forever
    for n in range(1, 9):
        got, why = answers.read(out, n, f"q/{n}")
        assert got is None and why, n
        assert "s3cr3t" not in why
    (out / "9.json").write_text("x" * (answers.MAX_JSON_BYTES + 1))
    assert "could not be read" in answers.read(out, 9, "q/9")[1]


def test_an_array_bomb_is_refused_before_it_is_loaded(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "1.json").write_text(json.dumps({"key": "q/1", "value": {"__array__": 0}}))
    big = np.zeros(answers.MAX_ARRAY_BYTES // 8 + 1024)  # compresses to almost nothing
    np.savez_compressed(out / "1.npz", big)
    got, why = answers.read(out, 1, "q/1")
    assert got is None and "exceed" in why


@pytest.mark.parametrize("lambda_layer", [False, True])
def test_a_model_travels_as_architecture_and_weights(lambda_layer):
    import keras

    layers = [keras.Input((4,)), keras.layers.Dense(3, activation="relu")]
    if lambda_layer:  # code inside the architecture: refused by Keras' safe mode
        layers.append(keras.layers.Lambda(lambda x: x * 0 + 1))
    model = keras.Sequential([*layers, keras.layers.Dense(2)])
    arrays: list = []
    data = answers.to_plain(answers.model_data(model), arrays)
    back = {"config": data["config"], "weights": arrays}
    if lambda_layer:
        with pytest.raises(ValueError):
            answers.model_from_data(back)
        return
    rebuilt = answers.model_from_data(back)
    x = np.random.default_rng(0).normal(size=(5, 4)).astype("float32")
    assert np.allclose(rebuilt.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-6)
