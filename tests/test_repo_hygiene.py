"""Lint and format (ruff), the pre-commit hooks, committed notebooks free of outputs but checked cells."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_is_clean():
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    if not Path(ruff).exists():
        pytest.skip("ruff is not installed (pip install -e '.[dev]')")
    r = subprocess.run([ruff, "check", str(ROOT)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    r = subprocess.run(
        [ruff, "format", "--check", str(ROOT)], capture_output=True, text=True, timeout=120
    )
    assert r.returncode == 0, (
        "run `ruff format` (or install the pre-commit hooks):\n" + r.stdout + r.stderr
    )


def test_pre_commit_runs_the_checks_the_tests_make():
    """The hooks are local (the project's own environment, nothing fetched) and run exactly what the
    tests check: ruff check and format, the notebook-output check, the exercises' sync check."""
    import yaml

    cfg = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    hooks = [h for r in cfg["repos"] for h in r["hooks"]]
    assert {r["repo"] for r in cfg["repos"]} == {"local"} and {h["language"] for h in hooks} == {
        "system"
    }
    assert {h["entry"] for h in hooks} == {
        "python -m ruff check --force-exclude",
        "python -m ruff format --check --force-exclude",
        "python tools/nbclean.py --check",
        "python -m lecture_lib exercises check",
    }


def test_notebooks_are_committed_clean():
    notebooks = sorted((ROOT / "notebooks").rglob("*.ipynb"))
    notebooks = [n for n in notebooks if ".ipynb_checkpoints" not in n.parts]
    assert notebooks
    r = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "nbclean.py"), "--check", *map(str, notebooks)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stdout


def test_every_checked_cell_has_a_stored_output():
    """nbval compares a '# NBVAL_CHECK_OUTPUT' cell with its stored output: it must have one."""
    import nbformat

    missing = []
    for nb_path in sorted((ROOT / "notebooks").rglob("*.ipynb")):
        nb = nbformat.read(nb_path, as_version=4)
        for i, cell in enumerate(nb.cells):
            checked = cell.cell_type == "code" and "NBVAL_CHECK_OUTPUT" in cell.source
            if checked and (not cell.outputs or cell.execution_count is None):
                missing.append(f"{nb_path.name} cell {i}")
    assert not missing, (
        f"checked cells without stored output (run tools/nbclean.py --from): {missing}"
    )


def _notebooks_importing(module: str) -> set[str]:
    """The lecture notebooks (by number: 01, 04b, ...) whose code imports ``lecture_lib.<module>``."""
    import json
    import re

    pattern = re.compile(
        rf"^\s*(from lecture_lib import [^\n]*\b{module}\b|from lecture_lib\.{module}[ .]|"
        rf"import lecture_lib\.{module}\b)",
        re.MULTILINE,
    )
    found = set()
    for nb in sorted((ROOT / "notebooks").glob("[0-9][0-9]*_*.ipynb")):
        cells = json.loads(nb.read_text())["cells"]
        code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        if pattern.search(code):
            found.add(nb.name.split("_", 1)[0])
    return found


def test_the_architectures_used_by_column_is_what_the_notebooks_import():
    """docs/architecture.md says which notebooks use each module; this computes it from their
    imports (d2l stamps its helpers the same way), so the column cannot go stale silently."""
    import re

    rows = re.findall(
        r"^\| `([a-z_]+)/?` \| .* \| ([0-9][0-9a-z, ]*?)(?:;[^|]*)? \|$",
        (ROOT / "docs" / "architecture.md").read_text(),
        re.MULTILINE,
    )
    assert len(rows) >= 8, rows  # the rows that list notebooks by number
    for module, listed in rows:
        said = {n for n in re.findall(r"\b\d\d[a-z]?\b", listed.split("exercise")[0])}
        assert said == _notebooks_importing(module), f"{module}: the column says {sorted(said)}"


def test_the_packages_public_api_names_every_module_and_only_modules():
    import lecture_lib

    pkg = ROOT / "lecture_lib"
    modules = {p.stem for p in pkg.glob("*.py") if not p.stem.startswith("_")}
    modules |= {p.parent.name for p in pkg.glob("*/__init__.py")}
    internal = {
        "colab_bootstrap",
        "download",
        "archives",
        "kaggle_source",
    }  # reached through data/colab
    assert set(lecture_lib.__all__) == modules - internal


def _summary_calls(func: str) -> list[tuple[str, str, list[str]]]:
    """(notebook, table name, keys) of every ``results.<func>("name", [keys])`` in the notebooks'
    code cells, read with ast (literal arguments only)."""
    import ast

    import nbformat

    calls = []
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "code" or func not in cell.source:
                continue
            lines = [
                ln for ln in cell.source.splitlines() if not ln.lstrip().startswith(("%", "!"))
            ]
            for node in ast.walk(ast.parse("\n".join(lines))):
                if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == func:
                    args = [ast.literal_eval(a) for a in node.args]
                    calls.append((path.stem, args[0], list(args[1]) if len(args) > 1 else []))
    return calls


def test_every_seeds_table_a_notebook_prints_is_committed_with_its_keys():
    """A notebook that prints a seeds table names a committed benchmark file, and every number it
    asks for is in every run of it: otherwise the student reads "No seeds benchmark ... yet" or a
    row of dashes where the prose quotes numbers (issue 27 added 03's pooling-order table)."""
    from lecture_lib import results
    from lecture_lib.config import read_json

    calls = _summary_calls("seeds_summary")
    assert {name for _, name, _ in calls} >= {"03_cnn_dogs_vs_cats", "03_pool_first"}
    for notebook, name, keys in calls:
        doc = read_json(results.seeds_file(name))
        assert doc and doc.get("runs"), f"{notebook} prints {name}.seeds.json, which is missing"
        for run in doc["runs"]:
            have = {*run["metrics"], "seconds"} if "seconds" in run else set(run["metrics"])
            missing = [k for k in keys if k not in have]
            assert not missing, f"{notebook}: {name}.seeds.json seed {run['seed']} lacks {missing}"
