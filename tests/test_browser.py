"""The course as a learner meets it: every lecture notebook run in JupyterLab in real Chromium.

Starts JupyterLab on 127.0.0.1 with a token over copies of the notebooks, opens each with
``?reset`` (no restored tabs), runs Kernel > Restart Kernel and Run All Cells in smoke mode,
waits for the kernel to be idle, saves, and fails on any error output, unexecuted cell, or output of
a ``# NBVAL_CHECK_OUTPUT`` cell that differs from the committed one (so nbval need not run them again).
One screenshot per notebook goes to ``LECTURE_SCREENSHOTS`` (default ``data/screenshots``).
Skipped, with how to install it, where Debian's ``chromium`` is missing.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from lecture_lib import cli

from . import checked_outputs, student_runs

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
LECTURES = sorted(
    p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]*.ipynb")
)  # 01_ ... 04b_ ... 08_
RUN_TIMEOUT_S = 600
EXERCISE = "02_cnn"  # the exercise run in the browser (all nine run under nbclient)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="Chromium is not installed: `sudo apt-get install chromium` "
        "(Debian/Ubuntu; .ci/run does this), then run the tests again",
    ),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    root = tmp_path_factory.mktemp("lab")
    for nb in LECTURES:  # copies: saving in the browser must not touch the repository
        shutil.copy(ROOT / "notebooks" / nb, root / nb)
    exercise = root / "exercises"  # one exercise as a student answers it (tests/student_runs.py)
    (exercise / "tests").mkdir(parents=True)
    shutil.copytree(
        ROOT / "notebooks" / "exercises" / "tests" / EXERCISE, exercise / "tests" / EXERCISE
    )
    nb = nbformat.read(ROOT / "notebooks" / "exercises" / f"{EXERCISE}.ipynb", as_version=4)
    nb.cells = student_runs.student_answers(
        EXERCISE, ROOT / "notebooks" / "exercises" / f"{EXERCISE}.ipynb"
    )
    nbformat.write(nb, exercise / f"{EXERCISE}.ipynb")
    port, token = _free_port(), secrets.token_hex(16)
    # a student's JupyterLab: the course's settings (python -m lecture_lib lab), no
    # TF_CPP_MIN_LOG_LEVEL (.ci/run sets one), fresh user settings
    env = {
        **cli.lab_env(),
        "LECTURE_SMOKE": "1",
        "JUPYTERLAB_SETTINGS_DIR": str(root / ".settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(root / ".workspaces"),
    }
    env.pop("TF_CPP_MIN_LOG_LEVEL", None)
    log = open(root / "jupyterlab.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={port}",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={root}",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--allow-root",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=root,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while True:
        try:
            with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if time.time() > deadline or proc.poll() is not None:
            proc.kill()
            pytest.fail(
                f"JupyterLab did not start: {(root / 'jupyterlab.log').read_text()[-2000:]}"
            )
        time.sleep(0.5)
    yield {"base": base, "token": token, "root": root}
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield b
        b.close()


@pytest.fixture(scope="module")
def shots() -> Path:
    folder = Path(os.environ.get("LECTURE_SCREENSHOTS") or ROOT / "data" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


_STATE_JS = """() => {
    const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
    const ind = panel && panel.querySelector('.jp-Notebook-ExecutionIndicator');
    const prompts = panel ? [...panel.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')].map(p => p.textContent.trim()) : [];
    return {status: ind ? ind.dataset.status : 'none', prompts: prompts};
}"""


def _wait(page, notebook: str, shots: Path, what: str, done, timeout_s: float) -> dict:
    """Poll the notebook's state until ``done(state)``; on timeout, screenshot and say what was seen."""
    deadline = time.time() + timeout_s
    while True:
        state = page.evaluate(_STATE_JS)
        if done(state):
            return state
        if time.time() > deadline:
            page.screenshot(path=str(shots / f"{Path(notebook).stem}-TIMEOUT.png"))
            pytest.fail(
                f"{notebook}: {what} not reached within {timeout_s:.0f} s; kernel status "
                f"{state['status']!r}, prompts {state['prompts']}"
            )
        time.sleep(0.5)


def _shutdown_kernels(lab: dict) -> None:
    """Free each notebook's kernel (about 1 GB with TensorFlow loaded) before the next one."""
    req = urllib.request.Request(f"{lab['base']}/api/sessions?token={lab['token']}")
    with urllib.request.urlopen(req, timeout=10) as r:
        sessions = json.loads(r.read())
    for s in sessions:
        urllib.request.urlopen(
            urllib.request.Request(
                f"{lab['base']}/api/sessions/{s['id']}?token={lab['token']}", method="DELETE"
            ),
            timeout=30,
        ).close()


def _run_in_jupyterlab(notebook: str, lab, browser, shots, capsys) -> nbformat.NotebookNode:
    """Open ``notebook`` (relative to the server's root), restart and run all, save; the saved
    notebook. Fails if JupyterLab shows its news pop-up."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    saved = lab["root"] / notebook
    try:
        page.goto(f"{lab['base']}/lab/tree/{notebook}?reset&token={lab['token']}")
        page.wait_for_selector(".jp-NotebookPanel .jp-CodeCell", timeout=90_000)
        _wait(page, notebook, shots, "an idle kernel", lambda s: s["status"] == "idle", 120)
        started = lambda s: any(p.startswith("[*]") or p[1:-2].isdigit() for p in s["prompts"])  # noqa: E731
        for attempt in range(
            3
        ):  # a kernel that has only just started can swallow the first request
            time.sleep(3)
            page.click('li.lm-MenuBar-item:has-text("Kernel")')
            page.click('li.lm-Menu-item[data-command="runmenu:restart-and-run-all"]')
            page.click(".jp-Dialog .jp-mod-accept", timeout=30_000)
            try:
                _wait(page, notebook, shots, "the start of execution", started, 45)
                break
            except pytest.fail.Exception:
                if attempt == 2:
                    raise
        quiet = {"n": 0}

        def finished(s: dict) -> bool:  # idle and nothing queued, three polls (1.5 s) in a row
            quiet["n"] = (
                quiet["n"] + 1
                if s["status"] == "idle" and not any("*" in p for p in s["prompts"])
                else 0
            )
            return quiet["n"] >= 3

        _wait(page, notebook, shots, "the end of execution", finished, RUN_TIMEOUT_S)
        before = saved.stat().st_mtime_ns
        page.keyboard.press("Control+s")
        for _ in range(60):
            if saved.stat().st_mtime_ns != before:
                break
            time.sleep(0.5)
        page.screenshot(path=str(shots / f"{Path(notebook).stem}.png"))
        with capsys.disabled():
            print(f"\n  screenshot: {shots / (Path(notebook).stem + '.png')}")
        news = page.locator("text=official Jupyter news").count()
        assert not news, "JupyterLab asks about Jupyter news: the course's settings did not apply"
    finally:
        page.close()
        _shutdown_kernels(lab)
    if os.environ.get("LECTURE_SITE_CACHE") and "/" not in notebook:
        # the site is built from these runs (.ci/run), so CI executes no notebook twice
        from lecture_lib.site import execute

        execute.keep(saved, Path(os.environ["LECTURE_SITE_CACHE"]), "smoke")
    return nbformat.read(saved, as_version=4)  # normalizes JupyterLab's list-of-lines sources


@pytest.mark.parametrize("notebook", LECTURES)
def test_notebook_runs_in_jupyterlab(notebook, lab, browser, shots, capsys):
    nb = _run_in_jupyterlab(notebook, lab, browser, shots, capsys)
    code = [c for c in nb.cells if c.cell_type == "code"]
    errors = [
        (i, o.get("ename"), o.get("evalue", "")[:200])
        for i, c in enumerate(code)
        for o in c.get("outputs", [])
        if o.get("output_type") == "error"
    ]
    assert not errors, f"{notebook}: error outputs {errors}"
    unrun = [i for i, c in enumerate(code) if c.source.strip() and c.execution_count is None]
    assert not unrun, f"{notebook}: cells that did not run: {unrun}"
    # what nbval would check, on this run's outputs (nbval does not execute the notebooks again)
    committed = nbformat.read(ROOT / "notebooks" / notebook, as_version=4)
    wrong = checked_outputs.differences(committed, nb)
    assert not wrong, f"{notebook}: checked outputs differ from the committed ones:\n" + "\n".join(
        wrong
    )
    noise = student_runs.startup_lines(code)
    assert not noise, f"{notebook}: TensorFlow start-up lines on the screen: {noise[:3]}"


def test_exercise_feedback_in_jupyterlab(lab, browser, shots, capsys):
    """One exercise as a student answers it (one right, one wrong, the rest blank), run in the
    browser: its check cells and check-all say exactly that, in sentences, and nothing else shows."""
    nb = _run_in_jupyterlab(f"exercises/{EXERCISE}.ipynb", lab, browser, shots, capsys)
    problems = student_runs.verdict_problems(EXERCISE, nb.cells)
    assert not problems, "\n".join(problems)
