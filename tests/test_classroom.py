"""classroom: a real JupyterHub with three students, the course by nbgitpuller, exercise 03 answered
(right, wrong, hostile), collected from the hub and from the homes, graded; a second pull keeps
the answers; nothing the hub started outlives it (issue 29)."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from lecture_lib.classroom import collect, hub
from lecture_lib.grading import build, confine

from .student_runs import source_answer, student_answers

ROOT = Path(__file__).resolve().parent.parent
EXERCISE = "03_binary"
pytestmark = [
    pytest.mark.skipif(shutil.which("git") is None, reason="nbgitpuller needs git"),
    pytest.mark.skipif(
        not (Path(sys.executable).parent / "jupyterhub").exists(),
        reason="JupyterHub is not installed (pip install -e '.[classroom]')",
    ),
]


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Instructor", "-c", "user.email=i@example.org", *args],
        cwd=repo, check=True, capture_output=True,
    )  # fmt: skip


@pytest.fixture
def course(tmp_path) -> Path:
    """The students' side of the course as a git repository: notebooks/exercises/ and its tests."""
    repo = tmp_path / "course"
    shutil.copytree(ROOT / "notebooks" / "exercises", repo / "notebooks" / "exercises")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "the course")
    return repo


def _all_right(path: Path) -> list:
    """Every question of the student notebook answered with the solution's code."""
    cells = nbformat.read(path, as_version=4).cells
    for i, c in enumerate(list(cells)):
        if c.cell_type == "code" and c.source.strip().startswith('grader.check("'):
            question = c.source.strip()[len('grader.check("') : -2]
            answer = next(j for j in range(i - 1, -1, -1) if cells[j].cell_type == "code")
            cells[answer] = nbformat.v4.new_code_cell(source_answer(EXERCISE, question))
    return cells


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.skipif(bool(confine.isolation_problem()), reason=confine.isolation_problem() or "")
def test_a_class_of_three_pulls_answers_is_collected_and_graded(course, tmp_path):
    mirror = os.environ.get("LECTURE_MIRROR")
    room = hub.Classroom(
        folder=tmp_path / "classroom",
        students=["alice", "bob", "mallory"],
        course_url=course.as_uri(),
        mirror=Path(mirror) if mirror else None,
        mem_limit_mb=1536,
    )
    subs = tmp_path / "submissions"
    with room:
        assert room.start_servers() < 120
        for student in room.students:
            room.pull_course(student)
            assert (room.home(student) / collect.notebook_path(EXERCISE)).is_file()
        # each student's server says what it enforced; where it could, it holds
        log = room.log_tail(400)
        assert log.count("[lecture classroom] memory:") == 3, log
        assert log.count("[lecture classroom] mirror:") == (3 if mirror else 0) or not mirror
        pid = hub._pids_with_env("JUPYTERHUB_USER", "alice", under=room.home("alice"))[0]
        env = dict(
            kv.split("=", 1)
            for kv in Path(f"/proc/{pid}/environ").read_text().split("\0")
            if "=" in kv
        )
        assert env["LECTURE_DATA_DIR"] == str(room.home("alice") / "data")
        assert env.get("LECTURE_SMOKE") == "1" and env.get("LECTURE_MIRROR", "") == (mirror or "")
        assert room.token not in "".join(env.values()), (
            "a student's server holds the instructor's token"
        )
        # a memory cgroup of the hub's limit holds each server, where one can be made here
        cgroups = [
            Path(c) for c in re.findall(r"memory: enforced, at most 1536 MB [^(]*\((.+?)\)", log)
        ]
        assert len(cgroups) in (0, 3), log
        for cgroup in cgroups:
            limit = cgroup / (
                "memory.limit_in_bytes" if "/memory/" in str(cgroup) else "memory.max"
            )
            assert int(limit.read_text()) == 1536 * 2**20
        if cgroups:
            assert any(str(pid) in (c / "cgroup.procs").read_text().split() for c in cgroups)
        if mirror and "read-only bind mount" in log:  # the mirror is read-only in its namespace
            mounts = Path(f"/proc/{pid}/mountinfo").read_text().splitlines()
            line = next(m for m in mounts if m.split()[4] == str(Path(mirror).resolve()))
            assert "ro" in line.split()[5].split(","), line

        student_nb = room.home("alice") / collect.notebook_path(EXERCISE)
        blank = nbformat.read(student_nb, as_version=4)
        answers = {
            "alice": _all_right(student_nb),
            "bob": student_answers(EXERCISE, student_nb),  # one right, one wrong, the rest blank
            "mallory": student_answers(EXERCISE, student_nb)
            + [
                nbformat.v4.new_code_cell(
                    # tries to read the instructor's token and to overwrite a classmate's submission
                    f"import pathlib\ntry:\n    leak = pathlib.Path({str(room.folder / 'instructor.token')!r}).read_text()\n"
                    f"except OSError:\n    leak = ''\nprint('token:', leak)\n"
                    f"try:\n    pathlib.Path({str(subs / 'alice.ipynb')!r}).write_text('{{}}')\nexcept OSError:\n    pass\n"
                    "print('All tests passed!')"
                )
            ],
        }
        for student, cells in answers.items():  # saved as JupyterLab saves: through their server
            nb = nbformat.from_dict(json.loads(json.dumps(blank)))
            nb.cells = cells
            room.save_notebook(student, collect.notebook_path(EXERCISE), nb)

        # the instructor corrects the notebook and adds a file; the second pull keeps every answer
        notebook = course / "notebooks" / "exercises" / f"{EXERCISE}.ipynb"
        fixed = nbformat.read(notebook, as_version=4)
        fixed.cells.insert(
            0, nbformat.v4.new_markdown_cell("**Correction**: read question 2 twice.")
        )
        nbformat.write(fixed, notebook)
        (course / "notebooks" / "exercises" / "ERRATA.md").write_text("question 2: see the top\n")
        _git(course, "commit", "-q", "-am", "a correction")
        _git(course, "add", "-A")
        _git(course, "commit", "-q", "-m", "errata")
        for student in room.students:
            room.pull_course(student)
            home = room.home(student)
            assert (home / collect.notebook_path(EXERCISE)).with_name("ERRATA.md").is_file()
            after = nbformat.read(home / collect.notebook_path(EXERCISE), as_version=4)
            sources = [c.source for c in after.cells]
            assert all(c.source in sources for c in answers[student]), f"{student}'s answers lost"
            assert "**Correction**" in sources[0], f"{student} did not get the correction"

        rows = collect.from_hub(EXERCISE, room.api, subs)
        assert [r.student for r in rows if r.path] == ["alice", "bob", "mallory"], rows
        by_homes = collect.from_homes(EXERCISE, room.folder / "homes", tmp_path / "from_homes")
        assert [r.student for r in by_homes if r.path] == ["alice", "bob", "mallory"]
        for r in by_homes:
            assert r.path.read_bytes() == (subs / r.path.name).read_bytes()
        ports = [room.port]
    assert not any(_listening(p) for p in ports), "the hub or a server still listens"
    assert room.process is None
    assert not any(
        hub._pids_with_env("JUPYTERHUB_USER", s, under=room.home(s)) for s in room.students
    )
    # this class's cgroups only: another run's leftovers on a shared machine are not this one's
    assert not [c for c in cgroups if c.exists()], "a cgroup was left"

    out = tmp_path / "scores.csv"
    r = subprocess.run(
        [sys.executable, "-m", "lecture_lib", "exercises", "grade", EXERCISE, str(subs),
         "-o", str(out), "--workers", "2", "--timeout", "120"],
        capture_output=True, text=True, timeout=600, cwd=tmp_path,
    )  # fmt: skip
    assert r.returncode == 0, (r.stdout[-2000:], r.stderr[-2000:])
    with open(out) as fh:
        scores = {Path(row["submission"]).stem: row for row in csv.DictReader(fh)}
    assert float(scores["alice"]["total"]) == float(scores["alice"]["possible"]) > 0, scores[
        "alice"
    ]
    assert 0 < float(scores["bob"]["total"]) < float(scores["bob"]["possible"])
    assert scores["mallory"]["total"] == scores["bob"]["total"], (
        "the hostile cell changed its score"
    )
    assert room.token not in out.read_text() + r.stdout + r.stderr
    assert json.loads((subs / "alice.ipynb").read_text())["cells"], "a classmate's file was changed"
    assert build.STAMP in json.loads((subs / "bob.ipynb").read_text())["metadata"]
