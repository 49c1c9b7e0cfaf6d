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
