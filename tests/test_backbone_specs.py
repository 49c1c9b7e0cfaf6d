"""backbone_specs: one registry that config, weights and backbones all read, tied to Keras."""

from __future__ import annotations

import importlib

import pytest

from lecture_lib import backbone_specs, config
from lecture_lib.backbone_specs import SPECS


def test_the_backbone_setting_accepts_exactly_the_registered_backbones(monkeypatch):
    for name in SPECS:
        monkeypatch.setenv("LECTURE_BACKBONE", name)
        assert config.settings().backbone == name
    monkeypatch.setenv("LECTURE_BACKBONE", "alexnet")
    with pytest.raises(config.SettingsError, match="vgg16, mobilenet"):
        config.settings()


def test_an_unknown_name_lists_the_known_ones():
    with pytest.raises(KeyError, match="known: vgg16"):
        backbone_specs.spec("alexnet")


@pytest.mark.parametrize("name", sorted(SPECS))
def test_each_spec_names_a_keras_class_a_preprocessing_module_and_its_files(name):
    import keras

    b = SPECS[name]
    assert b.name == name
    assert callable(getattr(keras.applications, b.keras_class))
    module = importlib.import_module(f"keras.applications.{b.preprocess}")
    assert callable(module.preprocess_input) and callable(module.decode_predictions)
    assert b.no_top != b.top and all(f.endswith(".h5") for f in (b.no_top, b.top))
    assert b.url(False) == b.url_dir + b.no_top and b.url_dir.startswith("https://")
    assert b.top_blocks and b.keras_call(True).endswith("include_top=True, weights=...)")


def test_importing_the_registry_and_the_settings_imports_no_tensorflow():
    import subprocess
    import sys

    code = "import sys, lecture_lib.config, lecture_lib.backbone_specs, lecture_lib.weights; "
    code += "print('tensorflow' in sys.modules or 'keras' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
