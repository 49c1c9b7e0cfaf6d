"""Gather one exercise from every student into a submissions folder, one notebook per student.

From a folder of homes (``homes/<student>/cnn-course/notebooks/exercises/<name>.ipynb``: a
classroom on this machine, or a z2jh volume mounted by the instructor) or from a running hub
through its REST API (each student's server's contents API, with the instructor's token). What
is collected is a student's file, so hostile: it is only read as JSON, size-capped, and written
under a name made from the student's name; ``exercises grade`` decides the score in its sandbox.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .hub import COURSE_FOLDER

MAX_BYTES = 50 * 2**20  # a notebook above this is not collected (the grader would refuse it too)
_SAFE = re.compile(r"[^A-Za-z0-9._-]")


@dataclass
class Collected:
    """What happened for one student: ``collected`` (the file written) or the reason it was not."""

    student: str
    path: Path | None
    reason: str = ""

    def __str__(self) -> str:
        return f"{self.student:<20} " + (
            str(self.path) if self.path else f"NOT collected: {self.reason}"
        )


def notebook_path(name: str) -> str:
    """Where exercise ``name`` lies in a home, as nbgitpuller puts the course there."""
    return f"{COURSE_FOLDER}/notebooks/exercises/{name}.ipynb"


def _write(student: str, raw: bytes, out: Path) -> Collected:
    if len(raw) > MAX_BYTES:
        return Collected(student, None, f"larger than {MAX_BYTES // 2**20} MB")
    try:
        notebook = json.loads(raw)
    except ValueError as e:
        return Collected(student, None, f"not a notebook (not JSON: {e.msg})")
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        return Collected(student, None, "not a notebook (no cells)")
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"{_SAFE.sub('_', student)}.ipynb"
    target.write_text(json.dumps(notebook))
    return Collected(student, target)


def from_homes(name: str, homes: Path, out: Path) -> list[Collected]:
    """Exercise ``name`` from each ``homes/<student>/``; a student without it is listed, not skipped."""
    rows = []
    for home in sorted(p for p in Path(homes).iterdir() if p.is_dir()):
        f = home / notebook_path(name)
        if f.is_symlink() or not f.is_file():  # a link could point at another student's answers
            reason = "a link, not a file" if f.is_symlink() else f"no {notebook_path(name)}"
            rows.append(Collected(home.name, None, reason))
            continue
        rows.append(_write(home.name, f.read_bytes()[: MAX_BYTES + 1], out))
    return rows


def from_hub(name: str, api: Callable[[str, str], object], out: Path) -> list[Collected]:
    """Exercise ``name`` from every student of a running hub; ``api(method, path)`` is
    :meth:`Classroom.api` (or the same call with another hub's URL and token)."""
    rows = []
    for user in sorted(api("GET", "/hub/api/users"), key=lambda u: u["name"]):
        student = user["name"]
        if not user.get("servers", {}).get("", {}).get("ready"):
            rows.append(Collected(student, None, "their server is not running (start it, or collect from homes)"))  # fmt: skip
            continue
        path = urllib.parse.quote(notebook_path(name))
        try:
            model = api(
                "GET", f"/user/{student}/api/contents/{path}?content=1&type=file&format=text"
            )
        except Exception as e:  # noqa: BLE001 - any failure of one student's server is their row
            rows.append(Collected(student, None, str(e).splitlines()[0][:160]))
            continue
        rows.append(_write(student, str(model.get("content", "")).encode()[: MAX_BYTES + 1], out))
    return rows
