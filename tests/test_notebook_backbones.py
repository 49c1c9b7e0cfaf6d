"""The VGG16 path of every notebook cell that builds a backbone, with weights files a test writes.

No VGG16 weights can be downloaded here, so CI runs the notebooks with MobileNet. These tests run
the cells tagged ``backbone`` (after the notebook's first cell) with ``LECTURE_BACKBONE=vgg16`` and a
temporary mirror holding ``VGG16(weights=None)`` files: the cells must take the lecture's
``keras.applications.VGG16(...)`` branch and load exactly those weights, with no download.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import keras
import numpy as np
import pytest

from lecture_lib.backbone_specs import SPECS

from .test_weights import write_legacy_h5

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
BUILDERS = ("05_pretrained_models", "06_transfer_learning_svm", "07_fine_tuning")


def code_cells(name: str) -> list[dict]:
    nb = json.loads((NOTEBOOKS / f"{name}.ipynb").read_text())
    return [c for c in nb["cells"] if c["cell_type"] == "code" and c.get("id") != "colab-setup"]


def test_every_cell_that_finds_weights_is_tagged_and_tested():
    for nb in sorted(NOTEBOOKS.glob("*.ipynb")):
        for cell in code_cells(nb.stem):
            if "weights.weights_path(" in "".join(cell["source"]):
                assert "backbone" in cell["metadata"].get("tags", []), (
                    f"{nb.name}: untagged backbone cell"
                )
                assert nb.stem in BUILDERS, f"{nb.name} builds a backbone: add it to BUILDERS"


@pytest.fixture(scope="module")
def vgg16_mirror(tmp_path_factory) -> dict:
    """A mirror with VGG16's no-top and with-top files, written from VGG16(weights=None)."""
    mirror = tmp_path_factory.mktemp("mirror")
    spec = SPECS["vgg16"]
    keras.utils.set_random_seed(3)
    with_top = keras.applications.VGG16(weights=None, include_top=True)
    write_legacy_h5(with_top, mirror / "models" / spec.top)
    no_top = keras.applications.VGG16(weights=None, include_top=False, input_shape=(32, 32, 3))
    write_legacy_h5(no_top, mirror / "models" / spec.no_top)
    return {
        "path": mirror,
        "top_kernel": with_top.get_layer("block5_conv3").get_weights()[0],
        "no_top_kernel": no_top.get_layer("block5_conv3").get_weights()[0],
        "fc1_kernel": with_top.get_layer("fc1").get_weights()[0],
    }


@pytest.mark.parametrize("name", BUILDERS)
def test_backbone_cells_take_the_vgg16_branch(name, vgg16_mirror, env, tmp_path, monkeypatch):
    monkeypatch.setenv("LECTURE_SMOKE", "1")
    monkeypatch.setenv("LECTURE_BACKBONE", "vgg16")
    monkeypatch.setenv("LECTURE_MIRROR", str(vgg16_mirror["path"]))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))  # an empty Keras cache

    def refuse(*args, **kwargs):
        raise AssertionError("a backbone cell tried to download")

    monkeypatch.setattr(keras.utils, "get_file", refuse)
    cells = code_cells(name)
    tagged = [c for c in cells if "backbone" in c["metadata"].get("tags", [])]
    assert tagged, f"{name}: no cell tagged 'backbone'"
    ns: dict = {
        "splits": SimpleNamespace(class_names=[f"species{i}" for i in range(17)])
    }  # 07's data cell
    for cell in [cells[0], *tagged]:
        exec(compile("".join(cell["source"]), f"{name}.ipynb", "exec"), ns)  # noqa: S102 - our own notebook
    assert ns["BACKBONE"] == "vgg16"
    built = [
        v
        for v in ns.values()
        if isinstance(v, keras.Model) and "block5_conv3" in [layer.name for layer in v.layers]
    ]
    assert built, f"{name}: the cells built no VGG16"
    for model in built:
        kernel = model.get_layer("block5_conv3").get_weights()[0]
        expected = vgg16_mirror[
            "top_kernel" if "fc1" in [layer.name for layer in model.layers] else "no_top_kernel"
        ]
        np.testing.assert_array_equal(kernel, expected)  # the file's weights, not random ones
    if name == "05_pretrained_models":
        np.testing.assert_array_equal(
            ns["classifier"].get_layer("fc1").get_weights()[0], vgg16_mirror["fc1_kernel"]
        )
        assert ns["preprocess_input"] is keras.applications.vgg16.preprocess_input
    if name == "07_fine_tuning":
        assert (
            ns["model"].get_layer("vgg16") is ns["conv_base"] and ns["conv_base"].trainable is False
        )
        assert ns["trainable_stage1"] == 512 * 256 + 256 + 256 * 17 + 17  # only the new head
