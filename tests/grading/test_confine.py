"""The sandbox a submission runs in: no secrets, no writes or reads outside, limits that hold.

Each test drives ``confine.run`` with a one-line program (seconds); ``test_grade.py`` grades a class
of hostile notebooks through it.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from lecture_lib.grading import confine as sandbox

from .conftest import SECRET, landlock_abi, needs_isolation


def _py(code: str, tmp_path: Path, **kw) -> sandbox.Outcome:
    return sandbox.run([sys.executable, "-c", code], tmp_path / "scratch", **kw)


def test_environment_holds_no_secret(tmp_path, monkeypatch):
    monkeypatch.setenv("KAGGLE_KEY", SECRET)
    monkeypatch.setenv("KAGGLE_USERNAME", "instructor")
    monkeypatch.setenv("GITHUB_TOKEN", SECRET)
    monkeypatch.setenv("LECTURE_SMOKE", "1")
    o = _py("import os, json; print(json.dumps(dict(os.environ)))", tmp_path, isolate=False)
    env = json.loads(o.stdout)
    assert SECRET not in o.stdout and "KAGGLE_USERNAME" not in env
    assert env["LECTURE_SMOKE"] == "1", "course settings pass through"
    assert env["HOME"].startswith(str(tmp_path)), "HOME is the submission's scratch folder"


@needs_isolation
def test_cannot_write_delete_or_read_outside(tmp_path, instructor):
    instructor, precious, secret = instructor
    code = f"""
import os, shutil
for attempt in (lambda: open({str(precious)!r}, "w").write("x"), lambda: os.remove({str(precious)!r}),
                lambda: shutil.rmtree({str(instructor)!r}), lambda: open({str(instructor / "new.txt")!r}, "w")):
    try:
        attempt(); print("DONE")
    except OSError as e:
        print("blocked", e.errno)
try:
    print(open({str(secret)!r}).read())
except OSError as e:
    print("read blocked", e.errno)
open("mine.txt", "w").write("fine")
print("own folder ok")
"""
    o = _py(code, tmp_path)
    assert precious.read_text() == "keep me" and not (instructor / "new.txt").exists()
    assert "DONE" not in o.stdout and SECRET not in o.stdout, o.stdout
    assert "own folder ok" in o.stdout, o.stderr


def test_endless_loop_is_stopped(tmp_path):
    o = _py("while True: pass", tmp_path, limits=sandbox.Limits(seconds=3), isolate=False)
    assert o.killed and "time limit" in o.problem and o.seconds < 15


def test_memory_hog_is_stopped(tmp_path):
    o = _py(
        "x = bytearray(6 * 2**30)\nimport time; time.sleep(30)",
        tmp_path,
        limits=sandbox.Limits(memory_mb=400),
        isolate=False,
    )
    assert o.killed and "memory" in o.problem, (o.problem, o.peak_mb)


def test_flood_of_output_is_cut_to_a_tail(tmp_path):
    o = _py(
        "import sys\nfor _ in range(200): sys.stdout.write('x' * 50_000 + '\\n')\nprint('END')",
        tmp_path,
        isolate=False,
    )
    assert o.returncode == 0 and len(o.stdout) <= 4000 and o.stdout.rstrip().endswith("END")


def test_result_pipe_cannot_be_forged_by_a_child(tmp_path):
    """The result comes from a private pipe: printing, or a child process writing to it, changes nothing."""
    code = """
import os, subprocess, sys
fd = int(os.environ.pop("LECTURE_RESULT_FD")); os.set_inheritable(fd, False)
print('{"scores": {"q1": 99}}')
r = subprocess.run([sys.executable, "-c", f"import os; os.write({fd}, b'{{\\"forged\\": 1}}\\\\n')"], capture_output=True)
os.write(fd, b'{"scores": {"q1": 1}}\\n')
"""
    o = _py(code, tmp_path, result_fd=True, isolate=False)
    assert o.extra["result"] == {"scores": {"q1": 1}}, (o.extra, o.stderr)


@needs_isolation
def test_a_submission_reads_the_mirror_in_place(tmp_path, monkeypatch):
    """Hands-on exercises read real data inside the sandbox: the data chain writes nothing when it finds it."""
    mirror = Path(
        os.environ.get("LECTURE_MIRROR")
        or Path(__file__).resolve().parents[2] / "shared" / "mirror"
    )
    if not (mirror / "datasets" / "mnist").is_dir():
        pytest.skip("no offline mirror here")
    monkeypatch.setenv("LECTURE_MIRROR", str(mirror))
    monkeypatch.setenv("LECTURE_DATA_DIR", str(tmp_path / "data-ro"))
    (tmp_path / "data-ro").mkdir()
    code = "from lecture_lib import data, mnist\n(x, y), _ = mnist.load(data.get('mnist', quiet=True))\nprint(x.shape)"
    o = _py(code, tmp_path)
    assert "(60000, 28, 28)" in o.stdout, o.stderr[-2000:]
    assert not any((tmp_path / "data-ro").iterdir())


@needs_isolation
@pytest.mark.skipif(landlock_abi() < 6, reason="Landlock's signal scope needs ABI 6 (Linux 6.12)")
def test_cannot_signal_the_grader_or_another_submission(tmp_path):
    """Landlock's signal scope: a confined process may signal its own tree only."""
    import subprocess

    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        code = f"""
import os, signal, subprocess, sys
for pid in ({os.getpid()}, {other.pid}):
    try:
        os.kill(pid, signal.SIGKILL); print("KILLED", pid)
    except PermissionError:
        print("blocked", pid)
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
child.kill(); print("own child", child.wait())
"""
        o = _py(code, tmp_path)
        assert "KILLED" not in o.stdout and o.stdout.count("blocked") == 2, (o.stdout, o.stderr)
        assert "own child -9" in o.stdout
        assert other.poll() is None
    finally:
        other.kill()
        other.wait()
