"""Google Colab: the badge and first cell of every notebook, and what that cell does on Colab.

The repository and revision that students' Colab copies come from are set once, in pyproject.toml
(``[tool.lecture.colab]``); ``python -m lecture_lib colab`` writes them into every badge and setup
cell, and tests/test_colab.py fails when a notebook disagrees. The setup cell does nothing outside
Colab. On Colab it fetches the course at that revision without ``exercises/source/`` (the
solutions), then :func:`setup` installs ``lecture_lib`` beside Colab's own TensorFlow and Keras
(only what is missing or too old is installed), keeps data in ``/content/data``, takes Kaggle
credentials from Colab's secrets, moves to the notebook's folder (so ``grader.check`` finds its
test files) and reports the GPU.
"""

from __future__ import annotations

import importlib.metadata
import os
import re
import subprocess
import sys
import tomllib
from collections.abc import Callable, Iterable
from pathlib import Path

import nbformat

from .config import REPO_ROOT

BADGE_ID, SETUP_ID = "colab-badge", "colab-setup"
BADGE_SVG = "docs/images/open-in-colab.svg"  # ships with the course: the badge shows offline too
DATA_DIR = "/content/data"
COURSE_DIR = "/content/cnn-course"


def course_repository(pyproject: Path = REPO_ROOT / "pyproject.toml") -> tuple[str, str]:
    """(GitHub ``owner/name``, revision) from ``[tool.lecture.colab]``: the one place they are set."""
    cfg = tomllib.loads(pyproject.read_text())["tool"]["lecture"]["colab"]
    return cfg["repository"], cfg["revision"]


def badge(path: str, repository: str, revision: str) -> str:
    """The "Open in Colab" badge of the notebook at ``path`` (relative to the repository root); its
    image is the course's own file, referred to from the notebook's folder."""
    url = f"https://colab.research.google.com/github/{repository}/blob/{revision}/{path}"
    image = os.path.relpath(BADGE_SVG, Path(path).parent.as_posix()).replace(os.sep, "/")
    return f"[![Open In Colab]({image})]({url})"


BOOTSTRAP = "lecture_lib/colab_bootstrap.py"  # what the setup cell fetches and runs on Colab


def bootstrap_url(repository: str, revision: str) -> str:
    """Where Colab fetches :data:`BOOTSTRAP` from: the course's repository at its revision."""
    return f"https://raw.githubusercontent.com/{repository}/{revision}/{BOOTSTRAP}"


def setup_source(folder: str, repository: str, revision: str) -> str:
    """The first code cell, four lines: on Colab, run :data:`BOOTSTRAP` (fetch the course without
    its solutions, then :func:`setup`) from the course's revision; everywhere, keep TensorFlow's
    start-up log lines off the screen (:func:`lecture_lib.quiet.install`)."""
    settings = {
        "__name__": "__colab_cell__",
        "REPOSITORY": repository,
        "REVISION": revision,
        "FOLDER": folder,
    }
    return (
        "# Setup: on Colab fetch the course (no solutions) and install lecture_lib; hide TensorFlow's start-up log\n"
        'if "google.colab" in __import__("sys").modules:\n'
        '    exec(__import__("urllib.request").request.urlopen('
        f'"{bootstrap_url(repository, revision)}").read(), {settings!r})\n'
        '__import__("lecture_lib.quiet").quiet.install()'
    )


def requirements(course: Path) -> list[str]:
    """The runtime requirements of the course at ``course`` (its pyproject's dependencies)."""
    return tomllib.loads((Path(course) / "pyproject.toml").read_text())["project"]["dependencies"]


def plan_installs(reqs: Iterable[str], installed: Callable[[str], str | None]) -> list[str]:
    """The requirements pip must install: those not installed, or installed at a version outside
    the range. Colab's TensorFlow and Keras stay when they are within the course's range (from its
    oldest supported pair up), so pip never replaces them."""
    from packaging.requirements import Requirement

    todo = []
    for text in reqs:
        req = Requirement(text)
        if req.marker is not None and not req.marker.evaluate():
            continue
        have = installed(req.name)
        if have is None or not req.specifier.contains(have, prereleases=True):
            todo.append(text)
    return todo


def installed_version(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def _kaggle_from_secrets(env: dict) -> bool:
    """Copy KAGGLE_USERNAME / KAGGLE_KEY from Colab's secrets (the key icon) into ``env``, silently."""
    try:
        from google.colab import userdata  # type: ignore[import-not-found]
    except ImportError:
        return False
    found = 0
    for key in ("KAGGLE_USERNAME", "KAGGLE_KEY"):
        try:
            value = userdata.get(key)
        except Exception:  # noqa: BLE001 - a missing secret or no permission both mean "not there"
            value = None
        if value:
            env[key] = value
            found += 1
    return found == 2


def gpu_report() -> str:
    """One line naming the GPU TensorFlow sees, or saying that it runs on the CPU."""
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    if not gpus:
        return "no GPU: Runtime > Change runtime type > GPU makes notebooks 03, 07 and 08 faster"
    names = [tf.config.experimental.get_device_details(g).get("device_name", g.name) for g in gpus]
    return f"GPU: {', '.join(names)}"


def setup(
    course: str,
    folder: str,
    *,
    run: Callable | None = None,
    env: dict | None = None,
    chdir: Callable[[str], None] | None = None,
    installed: Callable[[str], str | None] | None = None,
) -> list[str]:
    """On Colab: install what is missing, set the data folder, take Kaggle secrets, move to ``folder``.

    Returns the requirements it installed. Prints what it kept and what it installed, never a secret.
    """
    env = os.environ if env is None else env
    run, chdir, installed = run or subprocess.run, chdir or os.chdir, installed or installed_version
    todo = plan_installs(requirements(Path(course)), installed)
    run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "-e", course], check=True)
    if todo:
        run([sys.executable, "-m", "pip", "install", "-q", *todo], check=True)
    env.setdefault("LECTURE_DATA_DIR", DATA_DIR)
    kaggle = _kaggle_from_secrets(env)
    chdir(str(Path(course) / folder))
    kept = ", ".join(
        f"{n} {installed(n)}"
        for n in ("tensorflow", "keras")
        if installed(n) and not any(t.startswith(n) for t in todo)
    )
    print(
        f"Colab: course at {course}; kept Colab's {kept or 'nothing'}; installed {', '.join(todo) or 'nothing else'}"
    )
    print(
        f"data in {env['LECTURE_DATA_DIR']} (Colab forgets it when the session ends); "
        + (
            "Kaggle credentials from Colab's secrets"
            if kaggle
            else "no Kaggle secrets (add KAGGLE_USERNAME and KAGGLE_KEY under the key icon, or run kagglehub.login())"
        )
    )
    print(gpu_report())
    return todo


def _cells_for(
    path: Path, repository: str, revision: str
) -> tuple[nbformat.NotebookNode, nbformat.NotebookNode]:
    rel = path.resolve().relative_to(REPO_ROOT).as_posix()
    folder = path.resolve().parent.relative_to(REPO_ROOT).as_posix()
    md = nbformat.v4.new_markdown_cell(badge(rel, repository, revision))
    md["id"] = BADGE_ID
    code = nbformat.v4.new_code_cell(setup_source(folder, repository, revision))
    code["id"] = SETUP_ID
    return md, code


def with_colab_cells(
    nb: nbformat.NotebookNode, path: Path, repository: str, revision: str
) -> nbformat.NotebookNode:
    """``nb`` with the badge and setup cell first (replacing older ones)."""
    md, code = _cells_for(path, repository, revision)
    nb.cells = [md, code, *[c for c in nb.cells if c.get("id") not in (BADGE_ID, SETUP_ID)]]
    return nb


def lecture_notebooks() -> list[Path]:
    return sorted((REPO_ROOT / "notebooks").glob("[0-9]*.ipynb"))


def binder_badge(repository: str, revision: str) -> str:
    """README's "launch binder" badge: JupyterLab on the notebooks of the course's revision."""
    url = f"https://mybinder.org/v2/gh/{repository}/{revision}?urlpath=lab/tree/notebooks"
    return f"[![Binder](https://mybinder.org/badge_logo.svg)]({url})"


README_BADGE = re.compile(r"^\[!\[Binder\]\([^)]*\)\]\([^)]*\)$", re.MULTILINE)


def site_url(repository: str) -> str:
    """Where the GitHub Pages workflow (.github/workflows/site.yml) publishes the course's site."""
    owner, name = repository.split("/", 1)
    return f"https://{owner.lower()}.github.io/{name}/"


README_SITE = re.compile(r"\(https://[^)/]+\.github\.io/[^)]*\)")


def write_readme(readme: Path = REPO_ROOT / "README.md") -> bool:
    """Put README's Binder badge and site link in line with ``[tool.lecture.colab]``; whether it
    changed."""
    before = readme.read_text()
    repository, revision = course_repository()
    after = README_BADGE.sub(binder_badge(repository, revision), before, count=1)
    after = README_SITE.sub(f"({site_url(repository)})", after, count=1)
    if after != before:
        readme.write_text(after)
    return after != before


def write(paths: Iterable[Path] | None = None) -> list[Path]:
    """Write badge and setup cell into the lecture notebooks, and README's Binder badge; return
    the files that changed. (The student exercise notebooks get theirs from
    ``grading.build.build``.)
    """
    repository, revision = course_repository()
    changed = [REPO_ROOT / "README.md"] if paths is None and write_readme() else []
    for p in paths or lecture_notebooks():
        before = p.read_text()
        nb = with_colab_cells(nbformat.reads(before, as_version=4), p, repository, revision)
        after = nbformat.writes(nb) + "\n"
        if after != before:
            p.write_text(after)
            changed.append(p)
    return changed
