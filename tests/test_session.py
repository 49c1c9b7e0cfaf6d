"""session: a notebook's first and last cell; models handed over per mode, stale ones refused."""

from __future__ import annotations

import keras
import pytest

from lecture_lib import session


def tiny() -> keras.Model:
    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])


def start(monkeypatch, smoke: bool, seed: int = 42) -> session.Run:
    monkeypatch.setenv("LECTURE_SMOKE", "1" if smoke else "0")
    monkeypatch.setenv("LECTURE_SEED", str(seed))
    return session.start("nb")


def test_a_model_from_the_other_mode_or_seed_is_refused_with_the_fix(env, monkeypatch):
    full = start(monkeypatch, smoke=False)
    path = full.save_model(tiny(), "03_cnn", image_size=(96, 96), epochs=32)
    assert path.parent == env / "models" / "full"
    model, note = full.load_model("03_cnn", "03")
    assert note["epochs"] == 32 and note["image_size"] == [96, 96] and model.count_params() == 10
    with pytest.raises(
        session.StaleOutputError, match=r"No model of notebook 03 for smoke mode.*LECTURE_SMOKE=1"
    ):
        start(monkeypatch, smoke=True).load_model("03_cnn", "03")
    other_seed = start(monkeypatch, smoke=False, seed=1)
    with pytest.raises(
        session.StaleOutputError, match=r"seed=42, but this run has seed=1: run notebook 03 first"
    ):
        other_seed.load_model("03_cnn", "03")
    assert other_seed.load_model("03_cnn", "03", same_seed=False)[1]["seed"] == 42
    with pytest.raises(
        session.StaleOutputError,
        match=r"image_size=\[96, 96\], but this run has image_size=\(64, 64\)",
    ):
        full.load_model("03_cnn", "03", image_size=(64, 64))


def test_a_smoke_run_never_replaces_a_full_model(env, monkeypatch):
    start(monkeypatch, smoke=False).save_model(tiny(), "02_cnn", epochs=4)
    start(monkeypatch, smoke=True).save_model(tiny(), "02_cnn", epochs=1)
    _, note = start(monkeypatch, smoke=False).load_model("02_cnn", "02")
    assert note["epochs"] == 4 and note["mode"] == "full"
