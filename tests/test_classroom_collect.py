"""classroom.collect: one notebook per student from a folder of homes or a hub; what is not a
notebook, too big, or a link is a sentence in its row, never a crash or a copy."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from lecture_lib.classroom import collect

NB = {"cells": [{"cell_type": "code", "source": "x = 1", "metadata": {}, "outputs": []}],
      "metadata": {}, "nbformat": 4, "nbformat_minor": 5}  # fmt: skip


def _home(homes: Path, student: str, content: bytes | None) -> Path:
    f = homes / student / collect.notebook_path("03_binary")
    f.parent.mkdir(parents=True)
    if content is not None:
        f.write_bytes(content)
    return f


def test_from_homes_collects_each_student_and_says_why_not(tmp_path):
    homes = tmp_path / "homes"
    _home(homes, "alice", json.dumps(NB).encode())
    _home(homes, "bob", b"<html>not json")
    _home(homes, "carol", None)  # never pulled the exercise
    (homes / "dave" / "cnn-course" / "notebooks" / "exercises").mkdir(parents=True)
    (homes / "dave" / collect.notebook_path("03_binary")).symlink_to(
        homes / "alice" / collect.notebook_path("03_binary")
    )  # a link to a classmate's answers
    rows = {r.student: r for r in collect.from_homes("03_binary", homes, tmp_path / "subs")}
    assert rows["alice"].path == tmp_path / "subs" / "alice.ipynb"
    assert json.loads(rows["alice"].path.read_text()) == NB
    assert rows["bob"].path is None and "not a notebook (not JSON" in rows["bob"].reason
    assert rows[
        "carol"
    ].path is None and "no cnn-course/notebooks/exercises/03_binary.ipynb" in str(rows["carol"])
    assert rows["dave"].path is None and "a link" in rows["dave"].reason
    assert sorted(p.name for p in (tmp_path / "subs").iterdir()) == ["alice.ipynb"]


def test_from_hub_names_files_safely_and_skips_stopped_servers(tmp_path):
    users = [
        {"name": "alice", "servers": {"": {"ready": True}}},
        {"name": "x/../../escape", "servers": {"": {"ready": True}}},
        {"name": "bob", "servers": {}},
    ]

    def api(method, path):
        assert method == "GET"
        if path == "/hub/api/users":
            return users
        assert path.endswith("?content=1&type=file&format=text")
        return {"content": json.dumps(NB)}

    rows = {r.student: r for r in collect.from_hub("03_binary", api, tmp_path / "subs")}
    assert rows["alice"].path.name == "alice.ipynb"
    assert rows["x/../../escape"].path.parent == tmp_path / "subs"  # no way out of the folder
    assert rows["bob"].path is None and "not running" in rows["bob"].reason


def test_the_collect_command_needs_one_source_and_reports_the_class(tmp_path):
    homes = tmp_path / "homes"
    _home(homes, "alice", json.dumps(NB).encode())
    cmd = [sys.executable, "-m", "lecture_lib", "exercises", "collect", "03_binary"]
    r = subprocess.run([*cmd, "--from-homes", str(homes), "-o", str(tmp_path / "s")],
                       capture_output=True, text=True, check=False)  # fmt: skip
    assert r.returncode == 0 and "collected 1 of 1 students' 03_binary" in r.stdout, r.stderr
    r = subprocess.run(
        [*cmd, "-o", str(tmp_path / "s")], capture_output=True, text=True, check=False
    )
    assert r.returncode == 2 and "one of --from-homes / --from-hub" in r.stderr
    r = subprocess.run([*cmd, "--from-hub", "http://127.0.0.1:9", "-o", str(tmp_path / "s")],
                       capture_output=True, text=True, check=False, env={"PATH": "/usr/bin"})  # fmt: skip
    assert r.returncode == 2 and "LECTURE_HUB_TOKEN" in r.stderr
