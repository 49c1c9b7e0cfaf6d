"""config: the settings read from the environment, checked, with a sentence for each wrong value."""

from __future__ import annotations

from pathlib import Path

import pytest

from lecture_lib import config

ROOT = Path(__file__).resolve().parent.parent


def test_settings_defaults_and_errors(env, monkeypatch, tmp_path):
    monkeypatch.delenv("LECTURE_DATA_DIR")
    monkeypatch.chdir(tmp_path)
    s = config.settings()
    assert (
        s.data_dir == ROOT / "data" and not s.smoke and s.backbone == "vgg16" and s.mirror is None
    )
    monkeypatch.setenv("LECTURE_SMOKE", "1")
    monkeypatch.setenv("LECTURE_BACKBONE", "MobileNet")
    assert config.settings().smoke and config.settings().backbone == "mobilenet"
    monkeypatch.setenv("LECTURE_BACKBONE", "alexnet")
    with pytest.raises(config.SettingsError, match="vgg16"):
        config.settings()
    monkeypatch.setenv("LECTURE_BACKBONE", "vgg16")
    monkeypatch.setenv("LECTURE_MIRROR", str(tmp_path / "nope"))
    with pytest.raises(config.SettingsError, match="not a folder"):
        config.settings()


def test_seed_setting_and_read_json(env, monkeypatch, tmp_path):
    assert config.settings().seed == 42
    monkeypatch.setenv("LECTURE_SEED", "7")
    assert config.settings().seed == 7
    monkeypatch.setenv("LECTURE_SEED", "seven")
    with pytest.raises(config.SettingsError, match="LECTURE_SEED"):
        config.settings()
    (tmp_path / "ok.json").write_text('{"a": 1}')
    (tmp_path / "half.json").write_text('{"a": 1')
    (tmp_path / "list.json").write_text("[1, 2]")
    assert config.read_json(tmp_path / "ok.json") == {"a": 1}
    assert [config.read_json(tmp_path / n) for n in ("half.json", "list.json", "missing.json")] == [
        None
    ] * 3


def test_precision_setting_is_read_and_checked(monkeypatch):
    monkeypatch.setenv("LECTURE_PRECISION", "Float32")
    assert config.settings().precision == "float32"
    monkeypatch.setenv("LECTURE_PRECISION", "half")
    with pytest.raises(config.SettingsError, match="LECTURE_PRECISION"):
        config.settings()
