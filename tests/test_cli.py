"""cli: fetch, doctor, clean and lab as a student or instructor types them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from lecture_lib import config

ROOT = Path(__file__).resolve().parent.parent


def test_cli_fetch_and_doctor(env, tmp_path):
    from lecture_lib import datasets

    mirror = tmp_path / "mirror"
    for name in ("mnist", "flowers17", "dogs-vs-cats"):
        datasets.DATASETS[name].synthesize(mirror / "datasets" / name, 0)
    train = mirror / "datasets" / "dogs-vs-cats" / "train"  # as many photos as a complete copy has
    for cls in ("cat", "dog"):
        for i in range(120, datasets.dogs_vs_cats.NEEDED_PER_CLASS):
            os.link(train / f"{cls}.0.jpg", train / f"{cls}.{i}.jpg")

    def run(*a: str, **kw: object) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "lecture_lib", *a],
            capture_output=True,
            text=True,
            timeout=120,
            **kw,
        )

    empty = run("doctor")
    assert empty.returncode == 1 and "lecture_lib fetch mnist" in empty.stdout
    e = {
        **os.environ,
        "LECTURE_MIRROR": str(mirror),
        "KAGGLE_USERNAME": "u",
        "KAGGLE_KEY": "k3y-value",
    }
    fetched = run("fetch", "all", env=e)
    assert fetched.returncode == 0 and fetched.stdout.count("mirror (read-only") == 3
    doc = run("doctor", env=e)
    assert "credentials present" in doc.stdout and "k3y-value" not in doc.stdout + doc.stderr
    assert (
        "cudart_stub" not in doc.stdout + doc.stderr and "oneDNN" not in doc.stdout + doc.stderr
    )  # TF's start-up noise
    assert run("fetch", "nope").returncode == 2


def test_doctor_with_the_course_mirror_warns_about_a_backbone_without_weights():
    """The course mirror has MobileNet weights only: with the default backbone (VGG16) doctor warns
    and names the fix, and exits 0, since the course runs offline with the other backbone."""
    mirror = os.environ.get("LECTURE_MIRROR")
    if not mirror:
        pytest.skip("needs LECTURE_MIRROR (the course mirror)")
    env = {**os.environ, "LECTURE_BACKBONE": "vgg16"}
    doc = subprocess.run(
        [sys.executable, "-m", "lecture_lib", "doctor"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert doc.returncode == 0, doc.stdout
    assert "Warning:" in doc.stdout and "set LECTURE_BACKBONE=mobilenet" in doc.stdout


def test_lab_starts_jupyterlab_with_the_course_settings(monkeypatch):
    """`python -m lecture_lib lab` puts jupyter/ first on JUPYTER_CONFIG_PATH; JupyterLab then reads
    the course's overrides there: no news or update pop-up."""
    from jupyterlab_server.settings_utils import _get_overrides

    from lecture_lib import cli

    env = cli.lab_env({"JUPYTER_CONFIG_PATH": "/elsewhere"})
    assert env["JUPYTER_CONFIG_PATH"].split(os.pathsep) == [str(cli.LABCONFIG), "/elsewhere"]
    monkeypatch.setenv("JUPYTER_CONFIG_PATH", env["JUPYTER_CONFIG_PATH"])
    overrides, error = _get_overrides("/nonexistent")
    news = overrides["@jupyterlab/apputils-extension:notification"]
    assert not error and news == {"fetchNews": "false", "checkForUpdates": False}


def test_clean_removes_one_modes_outputs_only(env, monkeypatch):
    from lecture_lib import cli

    for folder in ("models/full", "models/smoke", "results/smoke"):
        (env / folder).mkdir(parents=True)
        (env / folder / "m.keras").write_bytes(b"x")
    for folder in ("prepared/flowers17-small", "prepared/flowers17", "raw/mnist"):
        (env / folder).mkdir(parents=True)
    monkeypatch.setenv("LECTURE_SMOKE", "1")
    removed = cli.clean("smoke", config.settings())
    assert str(env / "models" / "smoke") in removed and str(env / "results" / "smoke") in removed
    assert not (env / "prepared" / "flowers17-small").exists()
    assert (env / "models" / "full" / "m.keras").is_file()
    assert (env / "prepared" / "flowers17").is_dir() and (env / "raw" / "mnist").is_dir()
    assert cli.main(["clean", "smoke"]) == 0
