"""The locked environment: ``requirements.lock`` pins every package that pyproject's ranges admit.

    python tools/lock.py            # refresh the lock from pyproject.toml (uv, all platforms, Python 3.11+)
    python tools/lock.py --check    # exit 1 with the reason when the lock is stale (tests/test_lock.py)

The lock is written by ``uv pip compile --universal`` (one file for Linux, macOS and Windows) with
a first line that records a hash of pyproject's dependency lists, so a change there without a new
lock is caught offline. ``.ci/run`` and Binder install from it; ``pip install -e .`` alone still
works with the ranges.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
HEADER = "# pyproject-dependencies-sha256: "
EXTRAS = ("dev", "classroom", "site")  # the lock holds what CI installs: hub and site tests too


def dependency_hash(pyproject_text: str) -> str:
    """A hash of what the lock is made from: the dependencies and the extras that are locked."""
    project = tomllib.loads(pyproject_text)["project"]
    wanted = {
        "dependencies": project.get("dependencies", []),
        "optional": project.get("optional-dependencies", {}),
        "python": project.get("requires-python"),
    }
    return hashlib.sha256(json.dumps(wanted, sort_keys=True).encode()).hexdigest()


def pins(lock_text: str) -> dict[str, list[str]]:
    """{normalized name: [pinned versions]} of a lock (a package may have one pin per Python range)."""
    out: dict[str, list[str]] = {}
    for line in lock_text.splitlines():
        m = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s;]+)", line)
        if m:
            out.setdefault(_norm(m.group(1)), []).append(m.group(2))
    return out


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def problems(pyproject_text: str, lock_text: str) -> list[str]:
    """Why the lock does not match pyproject (empty when it does)."""
    from packaging.requirements import Requirement

    found = []
    first = lock_text.splitlines()[0] if lock_text else ""
    if not first.startswith(HEADER):
        found.append("the lock has no dependency hash on its first line")
    elif first[len(HEADER) :].strip() != dependency_hash(pyproject_text):
        found.append("pyproject.toml's dependencies changed since the lock was made")
    locked = pins(lock_text)
    project = tomllib.loads(pyproject_text)["project"]
    direct = list(project.get("dependencies", [])) + [
        r for extra in EXTRAS for r in project.get("optional-dependencies", {}).get(extra, [])
    ]
    for spec in direct:
        req = Requirement(spec)
        if _norm(req.name) == "lecture-lib":
            continue
        versions = locked.get(_norm(req.name))
        if not versions:
            found.append(f"{req.name} is not in the lock")
        elif not any(req.specifier.contains(v, prereleases=True) for v in versions):
            found.append(
                f"{req.name} is locked at {', '.join(versions)}, outside pyproject's {req.specifier}"
            )
    return found


def refresh() -> int:
    """Write the lock with uv (``pip install uv`` first). The pins already in the lock are kept
    where pyproject still admits them (uv's preference for an existing output file), so adding a
    dependency does not upgrade everything else."""
    import shutil
    import tempfile

    uv = Path(sys.executable).parent / "uv"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "requirements.lock"
        if LOCK.is_file():
            shutil.copy(LOCK, out)
        cmd = [
            str(uv) if uv.exists() else "uv",
            "pip",
            "compile",
            "pyproject.toml",
            *[f"--extra={e}" for e in EXTRAS],
            "--universal",
            "--python-version",
            "3.11",
            "--no-header",
            "--quiet",
            "--output-file",
            str(out),
        ]
        subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True)
        body = out.read_text()
    head = (
        f"{HEADER}{dependency_hash((ROOT / 'pyproject.toml').read_text())}\n"
        "# Made by `python tools/lock.py` (uv pip compile --universal) from pyproject.toml; do not edit.\n"
    )
    LOCK.write_text(head + body)
    print(f"wrote {LOCK.name}: {len(pins(body))} packages")
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["--check"]:
        found = problems(
            (ROOT / "pyproject.toml").read_text(), LOCK.read_text() if LOCK.is_file() else ""
        )
        for p in found:
            print(
                f"requirements.lock is stale: {p}. Refresh it: python tools/lock.py",
                file=sys.stderr,
            )
        return 1 if found else 0
    return refresh()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
