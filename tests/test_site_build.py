"""site.execute and site.build: the cache is keyed by code and settings (prose edits retrain
nothing), every page says where its outputs came from, and the built HTML loads nothing from outside."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
from pathlib import Path

import pytest

from lecture_lib import config
from lecture_lib.site import build, execute

ROOT = Path(__file__).resolve().parent.parent


def _executed_copy(tmp_path: Path, name: str) -> Path:
    """The committed notebook with fake outputs on every code cell, stamped, as the cache holds it."""
    nb = json.loads((execute.NOTEBOOKS / name).read_text())
    for i, cell in enumerate(c for c in nb["cells"] if c["cell_type"] == "code"):
        cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": f"output {i}\n"}]
        cell["execution_count"] = i + 1
    nb["metadata"][execute.STAMP] = {"mode": "smoke", "backbone": "mobilenet", "seed": 42,
                                     "precision": "float32", "image_size": [96, 96],
                                     "machine": "AMD EPYC, 2 cores, AVX2", "date": "2026-12-06",
                                     "seconds": 12.0}  # fmt: skip
    path = tmp_path / f"{Path(name).stem}-{'0' * 16}.ipynb"
    path.write_text(json.dumps(nb))
    return path


def test_the_key_follows_code_and_settings_not_prose(env, tmp_path, monkeypatch):
    nb = tmp_path / "nb.ipynb"
    shutil.copy(execute.NOTEBOOKS / "04_activations_and_losses.ipynb", nb)
    cfg = config.settings()
    key = execute.cache_key(nb, "smoke", cfg)
    doc = json.loads(nb.read_text())
    md = next(c for c in doc["cells"] if c["cell_type"] == "markdown")
    md["source"] = ["A prose edit."]
    nb.write_text(json.dumps(doc))
    assert execute.cache_key(nb, "smoke", cfg) == key  # no retraining for a prose edit
    assert execute.cache_key(nb, "full", cfg) != key
    monkeypatch.setenv("LECTURE_SEED", "1")
    assert execute.cache_key(nb, "smoke", config.settings()) != key
    code = next(c for c in doc["cells"] if c["cell_type"] == "code")
    code["source"] = ["print('changed')"]
    nb.write_text(json.dumps(doc))
    assert execute.cache_key(nb, "smoke", cfg) != key


def test_a_page_shows_todays_prose_over_the_kept_outputs(tmp_path):
    name = "04_activations_and_losses.ipynb"
    executed = _executed_copy(tmp_path, name)
    merged = execute.with_current_prose(executed, execute.NOTEBOOKS / name)
    committed = json.loads((execute.NOTEBOOKS / name).read_text())
    assert [c["source"] for c in merged["cells"]] == [c["source"] for c in committed["cells"]]
    code = [c for c in merged["cells"] if c["cell_type"] == "code"]
    assert code[0]["outputs"][0]["text"] == "output 0\n" and code[-1]["execution_count"] == len(
        code
    )
    assert merged["metadata"][execute.STAMP]["machine"].endswith("AVX2")


def test_the_provenance_line_names_settings_machine_and_date():
    line = build.provenance({"mode": "full", "backbone": "mobilenet", "seed": 1, "precision": "float32",
                             "image_size": [96, 96], "machine": "AMD EPYC, 2 cores, AVX2",
                             "date": "2026-12-06", "seconds": 318.4}, "03_cnn_dogs_vs_cats.ipynb")  # fmt: skip
    assert (
        "**full mode**, backbone mobilenet, image size (96, 96), seed 1, precision float32" in line
    )
    assert "AMD EPYC, 2 cores, AVX2, 2026-12-06; the whole notebook took 318 s" in line
    assert "<../clean/03_cnn_dogs_vs_cats.ipynb>" in line


SITE_PACKAGES = ("myst_nb", "sphinx_book_theme", "jupyter_server_mathjax")


@pytest.mark.skipif(
    not all(importlib.util.find_spec(m) for m in SITE_PACKAGES),
    reason="the site's packages are not installed (pip install -e '.[site]'; CI has them)",
)
@pytest.mark.timeout(300)
def test_a_built_site_has_every_page_and_loads_nothing_from_outside(tmp_path):
    names = ["01_image_classification_and_datasets.ipynb", "04_activations_and_losses.ipynb"]
    index = build.build(
        [_executed_copy(tmp_path, n) for n in names], tmp_path / "html", tmp_path / "work"
    )
    html = index.parent
    for page in ("index.html", "setup.html", "exercises.html", "lecture-map.html", "search.html",
                 "notebooks/04_activations_and_losses.html"):  # fmt: skip
        assert (html / page).is_file(), page
    page = (html / "notebooks" / "04_activations_and_losses.html").read_text()
    assert "These outputs come from a run of this notebook" in page and "output 1" in page
    assert "output 0" not in page  # the Colab setup cell (plumbing) is not on the page
    assert (html / "_static" / "mathjax" / "MathJax.js").is_file()
    assert list((html / "_downloads").rglob("04_activations_and_losses.ipynb"))  # the clean copy
    assert "02_cnn.ipynb" in (html / "exercises.html").read_text()
    outside = set()
    for f in html.rglob("*.html"):
        for m in re.finditer(
            r'<(?:script|link|img)[^>]+(?:src|href)="(https?://[^"]+)"', f.read_text()
        ):
            outside.add(m.group(1))
    assert not outside, sorted(outside)[:5]
