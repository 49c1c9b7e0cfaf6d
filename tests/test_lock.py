"""requirements.lock matches pyproject.toml; a stale lock is caught, offline (tools/lock.py)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("lock", ROOT / "tools" / "lock.py")
lock = importlib.util.module_from_spec(spec)
spec.loader.exec_module(lock)


def test_the_lock_is_fresh():
    r = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "lock.py"), "--check"], capture_output=True, text=True
    )
    assert r.returncode == 0, r.stderr


def test_a_stale_lock_is_caught():
    pyproject = (ROOT / "pyproject.toml").read_text()
    text = lock.LOCK.read_text()
    assert lock.problems(pyproject, text) == []
    # a range moved in pyproject without a new lock: the hash and the pin both say so
    raised = pyproject.replace('"keras>=3.8,<4"', '"keras>=3.99,<4"')
    assert raised != pyproject
    found = lock.problems(raised, text)
    assert any("dependencies changed" in p for p in found) and any(
        p.startswith("keras is locked at") for p in found
    )
    # a new dependency that the lock lacks
    added = pyproject.replace('"psutil>=5.9",', '"psutil>=5.9",\n    "zarr>=2",')
    assert "zarr is not in the lock" in lock.problems(added, text)
    # a lock without its hash line
    assert lock.problems(pyproject, text.split("\n", 1)[1]) == [
        "the lock has no dependency hash on its first line"
    ]


def test_every_direct_dependency_is_pinned_once_per_python():
    pins = lock.pins(lock.LOCK.read_text())
    for name in ("tensorflow", "keras", "otter-grader", "numpy", "jupyterlab"):
        assert pins.get(name), name
    assert pins["otter-grader"][0].startswith("7."), (
        "otter-grader: the tests pass with major version 7"
    )


def test_environment_yml_installs_the_lock():
    """Binder and conda install the locked versions (requirements.lock, checked by tests/test_lock.py)."""
    import yaml

    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    deps = env["dependencies"]
    pip = next(d["pip"] for d in deps if isinstance(d, dict))
    conda_python = next(d for d in deps if isinstance(d, str) and d.startswith("python"))
    assert conda_python.replace(" ", "") == "python=3.11"
    assert pip == ["-r requirements.lock", "-e ."]
