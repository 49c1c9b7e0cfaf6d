"""Smoke and full runs never mix: results and handed-over models per mode, stale models refused."""

from __future__ import annotations

import keras
import pytest

from lecture_lib import cli, config, results, session


def tiny() -> keras.Model:
    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])


def start(monkeypatch, smoke: bool, seed: int = 42) -> session.Run:
    monkeypatch.setenv("LECTURE_SMOKE", "1" if smoke else "0")
    monkeypatch.setenv("LECTURE_SEED", str(seed))
    return session.start("nb")


def test_results_of_the_two_modes_are_kept_apart(env, monkeypatch):
    start(monkeypatch, smoke=False).finish({"acc": 0.9})
    smoke = start(monkeypatch, smoke=True)
    smoke.finish({"acc": 0.5})
    assert results.load("nb", config.settings())["metrics"]["acc"] == 0.5
    monkeypatch.setenv("LECTURE_SMOKE", "0")
    full = config.settings()
    assert results.load("nb", full)["metrics"]["acc"] == 0.9  # the smoke run did not overwrite it
    table = results.record("nb", {"acc": 0.91}, {}, 1, full)
    assert "0.9000" in table and "0.5000" not in table  # "previous" is the previous full run


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


def test_clean_removes_one_modes_outputs_only(env, monkeypatch):
    start(monkeypatch, smoke=False).save_model(tiny(), "m")
    smoke = start(monkeypatch, smoke=True)
    smoke.save_model(tiny(), "m")
    smoke.finish({"acc": 0.1})
    (env / "prepared" / "flowers17-small").mkdir(parents=True)
    (env / "prepared" / "flowers17").mkdir(parents=True)
    (env / "raw" / "mnist").mkdir(parents=True)
    removed = cli.clean("smoke", config.settings())
    assert str(env / "models" / "smoke") in removed and str(env / "results" / "smoke") in removed
    assert not (env / "prepared" / "flowers17-small").exists()
    assert (env / "models" / "full" / "m.keras").is_file()
    assert (env / "prepared" / "flowers17").is_dir() and (env / "raw" / "mnist").is_dir()
    assert cli.main(["clean", "smoke"]) == 0
