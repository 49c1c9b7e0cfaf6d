"""Colab, simulated: badges and setup cells agree with the one setting; the setup cell does nothing
elsewhere; on a stand-in ``google.colab`` it fetches without the solutions, keeps a TensorFlow other
than the locked one, sets the data folder and Kaggle secrets without printing them; ``grader.check``
works from test files, as on Colab, where the notebook file does not exist."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import types
import urllib.request
from pathlib import Path

import nbformat
import pytest

from lecture_lib import colab
from lecture_lib.grading import build

ROOT = Path(__file__).resolve().parent.parent


def _all_notebooks() -> list[Path]:
    return colab.lecture_notebooks() + sorted(build.STUDENT_DIR.glob("*.ipynb"))


def test_badges_and_setup_cells_agree_with_the_settings():
    repository, revision = colab.course_repository()
    assert _all_notebooks()
    for path in _all_notebooks():
        nb = nbformat.read(path, as_version=4)
        first, second = nb.cells[0], nb.cells[1]
        rel = path.relative_to(ROOT).as_posix()
        fix = "run `python -m lecture_lib colab` and `python -m lecture_lib exercises build`"
        assert first.get("id") == colab.BADGE_ID and first.source == colab.badge(
            rel, repository, revision
        ), f"{rel}: {fix}"
        assert second.get("id") == colab.SETUP_ID, f"{rel}: {fix}"
        assert second.source == colab.setup_source(
            path.parent.relative_to(ROOT).as_posix(), repository, revision
        ), f"{rel}: {fix}"
        assert f"blob/{revision}/{rel})" in first.source


def test_readmes_binder_badge_comes_from_the_same_setting(tmp_path):
    repository, revision = colab.course_repository()
    readme = (ROOT / "README.md").read_text()
    assert colab.binder_badge(repository, revision) in readme.splitlines()[:4], (
        "run `python -m lecture_lib colab`"
    )
    assert f"({colab.site_url(repository)})" in "\n".join(readme.splitlines()[:10])
    copy = tmp_path / "README.md"
    copy.write_text(readme.replace(f"/gh/{repository}/{revision}?", "/gh/someone/else/v0?"))
    assert colab.write_readme(copy) and colab.binder_badge(repository, revision) in copy.read_text()
    assert not colab.write_readme(copy)  # written once, then nothing to do


def test_setup_cell_does_nothing_outside_colab(monkeypatch):
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)

    def refuse(*a, **kw):
        raise AssertionError("the setup cell ran a command outside Colab")

    monkeypatch.setattr(subprocess, "run", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    exec(colab.setup_source("notebooks", "ORG/REPO", "main"), {})


def test_setup_cell_is_four_lines_and_fetches_the_bootstrap_of_its_revision():
    source = colab.setup_source("notebooks", "ORG/REPO", "v1.2")
    assert len(source.splitlines()) <= 4 and "quiet.install()" in source
    assert colab.bootstrap_url("ORG/REPO", "v1.2") in source
    assert colab.bootstrap_url("ORG/REPO", "v1.2").endswith("/ORG/REPO/v1.2/" + colab.BOOTSTRAP)
    assert (ROOT / colab.BOOTSTRAP).is_file()
    import lecture_lib.colab_bootstrap  # noqa: F401 - importing it does nothing (no clone, no setup)


@pytest.fixture
def fake_colab(monkeypatch, tmp_path):
    """A stand-in google.colab (with secrets), a course folder that 'git' fills, commands recorded."""
    import google.protobuf  # noqa: F401 - the real `google` namespace package (TensorFlow needs it)

    google_colab = types.ModuleType("google.colab")
    secrets = {"KAGGLE_USERNAME": "ada", "KAGGLE_KEY": "s3cr3t-kaggle-key"}
    google_colab.userdata = types.SimpleNamespace(get=lambda k: secrets[k])
    monkeypatch.setattr(sys.modules["google"], "colab", google_colab, raising=False)
    monkeypatch.setitem(sys.modules, "google.colab", google_colab)
    course = tmp_path / "content" / "cnn-course"
    monkeypatch.setenv("LECTURE_COURSE_DIR", str(course))
    monkeypatch.delenv("LECTURE_DATA_DIR", raising=False)
    monkeypatch.delenv("KAGGLE_KEY", raising=False)
    monkeypatch.delenv("KAGGLE_USERNAME", raising=False)
    calls, moved, real_run = [], [], subprocess.run

    def run(cmd, *args, **kw):
        if not isinstance(cmd, list) or not (cmd[0] == "git" or cmd[1:3] == ["-m", "pip"]):
            return real_run(cmd, *args, **kw)  # anything else (platform's uname, ...) runs
        calls.append([str(c) for c in cmd])
        if "checkout" in cmd:  # what git leaves: the course without exercises/source
            (course / "notebooks" / "exercises").mkdir(parents=True)
            shutil.copy(ROOT / "pyproject.toml", course)
        return subprocess.CompletedProcess(cmd, 0)

    monkeypatch.setattr(subprocess, "run", run)
    monkeypatch.setattr(colab.os, "chdir", moved.append)
    fetched = []

    def urlopen(url, *a, **kw):  # raw.githubusercontent.com, served from this checkout
        fetched.append(url)
        return io.BytesIO((ROOT / colab.BOOTSTRAP).read_bytes())

    monkeypatch.setattr(urllib.request, "urlopen", urlopen)
    # Colab's own TensorFlow and Keras on its Python 3.13 runtime (since 2026-08, colabtools#6081):
    # the last pair Colab announced is TensorFlow 2.19.0 + Keras 3.10.0 (colabtools#5489), but 2.19
    # has no Python 3.13 wheels, so on 3.13 it can only be 2.20 or newer: we assume TensorFlow
    # 2.20.0 (the first with 3.13 wheels) beside Keras 3.10.0; both differ from the lock's pair and
    # lie inside pyproject's ranges, which is what the setup cell must cope with.
    versions = {"tensorflow": "2.20.0", "keras": "3.10.0", "otter-grader": None}
    real = colab.installed_version

    def installed(name):
        return versions[name] if name in versions else real(name)

    monkeypatch.setattr(colab, "installed_version", installed)
    monkeypatch.setattr(sys, "path", list(sys.path))  # the cell puts the course first
    return types.SimpleNamespace(
        course=course, calls=calls, moved=moved, versions=versions, fetched=fetched
    )


def test_setup_cell_on_simulated_colab(fake_colab, capsys, monkeypatch):
    import os

    exec(colab.setup_source("notebooks/exercises", "ORG/REPO", "v1.2"), {})
    assert fake_colab.fetched == [colab.bootstrap_url("ORG/REPO", "v1.2")]
    git = [c for c in fake_colab.calls if c[0] == "git"]
    assert git[0][:2] == ["git", "clone"] and "https://github.com/ORG/REPO" in git[0]
    assert "!/exercises/source/" in git[1], "the solutions must stay out of what students fetch"
    assert git[2][-1] == "v1.2"
    pip = [c for c in fake_colab.calls if c[1:4] == ["-m", "pip", "install"]]
    assert pip[0][-3:] == ["--no-deps", "-e", str(fake_colab.course)]
    installed = " ".join(pip[1]) if len(pip) > 1 else ""
    assert "otter-grader" in installed, "what Colab lacks is installed"
    assert "tensorflow" not in installed and "keras" not in installed, (
        "Colab's TensorFlow and Keras stay"
    )
    assert os.environ["LECTURE_DATA_DIR"] == "/content/data"
    assert os.environ["KAGGLE_KEY"] == "s3cr3t-kaggle-key"
    assert fake_colab.moved == [str(fake_colab.course / "notebooks" / "exercises")]
    out = capsys.readouterr().out
    assert (
        "s3cr3t" not in out
        and "kept Colab's tensorflow 2.20.0, keras 3.10.0" in out
        and "GPU" in out
    )


def test_too_old_tensorflow_is_replaced():
    reqs = ["tensorflow>=2.18,<2.22", "keras>=3.8,<4", "otter-grader>=7,<8"]
    have = {"tensorflow": "2.15.1", "keras": "3.10.0", "otter-grader": "7.0.0"}
    assert colab.plan_installs(reqs, have.get) == ["tensorflow>=2.18,<2.22"]
    assert (
        colab.plan_installs(
            reqs, {"tensorflow": "2.19.0", "keras": "3.8.0", "otter-grader": "7.1"}.get
        )
        == []
    )


def test_grader_check_works_on_simulated_colab(monkeypatch, tmp_path):
    """Colab has no notebook file to read tests from: the course's grader reads the public tests as
    files, from tests/<exercise>/ beside the notebook, where the setup cell moves (as here)."""
    from lecture_lib import feedback

    shutil.copytree(build.STUDENT_DIR, tmp_path / "exercises")  # what the setup cell fetched
    monkeypatch.chdir(tmp_path / "exercises")
    grader = feedback.Grader("01_datasets")
    assert grader.tests == tmp_path / "exercises" / "tests" / "01_datasets"
    good = grader.check(
        "q2_kind_of_task",
        {"kinds": {"a": "binary", "b": "multi-class", "c": "multi-label", "d": "multi-class"}},
    )
    assert good.status == "right"
    bad = grader.check("q2_kind_of_task", {"kinds": {"a": "yes"}})
    assert bad.status == "wrong" and "kinds needs the keys" in bad.message


def test_public_test_files_match_the_student_notebooks():
    files = {
        f"{p.parent.name}/{p.stem}": p.read_text()
        for p in (build.STUDENT_DIR / build.TESTS).glob("*/*.py")
    }
    in_notebooks = {}
    for path in build.STUDENT_DIR.glob("*.ipynb"):
        tests = nbformat.read(path, as_version=4).metadata["otter"]["tests"]
        in_notebooks.update({f"{path.stem}/{q}": body for q, body in tests.items()})
    assert files == in_notebooks
    assert not any("hidden=True" in body for body in files.values())
