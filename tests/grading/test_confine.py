"""The sandbox a submission runs in: no secrets, no writes or reads outside, limits that hold.

Each test drives ``confine.run`` with a one-line program (seconds); ``test_grade.py`` grades a class
of hostile notebooks through it.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import pytest

from lecture_lib.grading import confine as sandbox
from lecture_lib.grading import namespaces

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
    code = "from lecture_lib import data\nfrom lecture_lib.datasets import mnist\n(x, y), _ = mnist.load(data.get('mnist', quiet=True))\nprint(x.shape)"
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
    except (PermissionError, ProcessLookupError):  # Landlock's scope; not in its PID namespace
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


# Issue 25: each attack a curious student tried, built again; each must fail.


@needs_isolation
def test_reaches_no_address_and_opens_no_raw_socket(tmp_path):
    """Item 1: a TCP server and a UDP socket of the grader's machine on 127.0.0.1 stay out of reach,
    no raw socket opens, and the submission's own loopback (the kernel's channel) still works."""
    import socket

    tcp = socket.create_server(("127.0.0.1", 0))
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", 0))
    udp.settimeout(1)
    code = f"""
import socket
try:
    socket.create_connection(("127.0.0.1", {tcp.getsockname()[1]}), timeout=3); print("TCP REACHED")
except OSError as e:
    print("tcp blocked", e.errno)
try:
    socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"stolen", ("127.0.0.1", {udp.getsockname()[1]}))
except OSError as e:
    print("udp blocked", e.errno)
for kind in (socket.SOCK_RAW,):
    try:
        socket.socket(socket.AF_INET, kind, socket.IPPROTO_TCP); print("RAW OPENED")
    except OSError as e:
        print("raw blocked", e.errno)
try:
    socket.create_connection(("192.0.2.1", 80), timeout=3); print("OUTSIDE REACHED")
except OSError as e:
    print("outside blocked", e.errno)
own = socket.create_server(("127.0.0.1", 0))
socket.create_connection(own.getsockname()).sendall(b"hi"); print("own", own.accept()[0].recv(2))
"""
    try:
        o = _py(code, tmp_path)
        with pytest.raises(TimeoutError):
            udp.recvfrom(100)
    finally:
        tcp.close()
        udp.close()
    assert "REACHED" not in o.stdout and "OPENED" not in o.stdout, o.stdout + o.stderr
    assert o.stdout.count("blocked") == 3 and "own b'hi'" in o.stdout, o.stdout + o.stderr


@needs_isolation
def test_sees_no_other_process_and_traces_none(tmp_path, monkeypatch):
    """Item 2: the grader's environment (KAGGLE_KEY) and command line, and every other process, are
    out of sight; ptrace of the grader fails."""
    monkeypatch.setenv("KAGGLE_KEY", SECRET)
    grader = os.getpid()
    code = f"""
import ctypes, os
pids = sorted(int(p) for p in os.listdir("/proc") if p.isdigit())
print("pids", pids)
for what in ("environ", "cmdline"):
    try:
        print(what, open(f"/proc/{grader}/{{what}}", "rb").read()[:2000])
    except OSError as e:
        print(what, "blocked", e.errno)
libc = ctypes.CDLL(None, use_errno=True)
print("ptrace", libc.ptrace(16, {grader}, None, None), ctypes.get_errno())  # PTRACE_ATTACH
"""
    o = _py(code, tmp_path)
    assert SECRET not in o.stdout and "environ blocked" in o.stdout, o.stdout + o.stderr
    assert "cmdline blocked" in o.stdout
    pids = json.loads(o.stdout.split("pids ")[1].splitlines()[0])
    assert max(pids) < 20, f"it sees processes outside its own: {pids}"
    assert "ptrace -1" in o.stdout


@needs_isolation
def test_gets_its_own_small_dev_shm(tmp_path):
    """Item 2 and 4: /dev/shm is the submission's own (one cannot leave a file there for another, nor
    outlive grading) and small (memory held in tmpfs cannot grow past SHM_MB)."""
    marker = f"left-by-a-submission-{os.getpid()}"
    code = f"""
import os
open("/dev/shm/{marker}", "w").write("x")
print("others", sorted(os.listdir("/dev/shm")))
try:
    with open("/dev/shm/big", "wb") as fh:
        for _ in range({namespaces.SHM_MB} + 16):
            fh.write(b"0" * 2**20)
    print("WROTE BEYOND")
except OSError as e:
    print("full", e.errno)
"""
    o = _py(code, tmp_path, limits=sandbox.Limits(file_mb=1024))
    assert "others ['" + marker + "']" in o.stdout, o.stdout + o.stderr
    assert "full 28" in o.stdout  # ENOSPC
    assert not Path("/dev/shm", marker).exists(), "the submission's /dev/shm outlived it"
    second = _py("import os; print(os.listdir('/dev/shm'))", tmp_path / "second")
    assert marker not in second.stdout


@needs_isolation
def test_runs_without_root_or_capabilities(tmp_path):
    """Item 3: not uid 0, no effective capabilities, even where the grader is root."""
    code = """
import os
caps = [l.split()[1] for l in open("/proc/self/status") if l.startswith(("CapEff", "CapPrm"))]
print("uid", os.getuid(), os.geteuid(), "caps", caps)
try:
    os.setuid(0); print("BECAME ROOT")
except OSError:  # EINVAL: no uid 0 exists in its namespace
    print("setuid blocked")
"""
    o = _py(code, tmp_path)
    assert "uid 0" not in o.stdout and " 0 caps" not in o.stdout, o.stdout + o.stderr
    assert "caps ['0000000000000000', '0000000000000000']" in o.stdout
    assert "setuid blocked" in o.stdout


@needs_isolation
def test_a_detached_process_ends_with_grading(tmp_path):
    """Item 4: a double-forked, setsid process started just before the submission exits (faster than
    any polling sees) does not outlive its grading."""
    import psutil

    marker = f"{os.getpid()}.0{id(tmp_path) % 1000}"
    code = f"""
import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execvp("sleep", ["sleep", "{marker}"])
    os._exit(0)
"""
    o = _py(code, tmp_path)
    assert o.returncode == 0, o.stderr
    time.sleep(0.5)
    left = [p for p in psutil.process_iter(["cmdline"]) if marker in (p.info["cmdline"] or [])]
    for p in left:
        p.kill()
    assert not left, "a detached process outlived grading"


@needs_isolation
def test_the_grader_s_starting_folder_is_not_readable(tmp_path, instructor, monkeypatch):
    """Item 5: grading started from the instructor's folder (``python -m`` puts it first on
    sys.path) gives a submission nothing of it."""
    folder, _, secret = instructor
    monkeypatch.chdir(folder)
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.setattr(sys, "path", ["", *sys.path])
    code = f"""
import os
for path in ({str(secret)!r}, {str(folder)!r}):
    try:
        print(open(path).read() if os.path.isfile(path) else os.listdir(path))
    except OSError as e:
        print("blocked", e.errno)
"""
    o = _py(code, tmp_path)
    assert SECRET not in o.stdout and "kaggle.json" not in o.stdout, o.stdout
    assert o.stdout.count("blocked") == 2, o.stdout + o.stderr


MEMFD_HOG = """
import os, time
fd = os.memfd_create("hoard")
for _ in range(1200):
    os.write(fd, b"1" * 2**20)  # written, never mapped: in no process's resident memory
print("held", os.fstat(fd).st_size // 2**20, flush=True)
time.sleep(30)
"""


@needs_isolation
@pytest.mark.parametrize("how", ["as this machine allows", "without a cgroup"])
def test_memory_held_in_a_memfd_counts(tmp_path, monkeypatch, how):
    """Item 4: 1.2 GB held in a memfd under a 400 MB limit is stopped, with a cgroup (the kernel's
    count, root here) and without one (resident memory plus memfd files, as for a normal user)."""
    if how == "without a cgroup":
        monkeypatch.setattr(sandbox.memory, "meter", lambda limit_mb: sandbox.memory.Meter())
    o = _py(MEMFD_HOG, tmp_path, limits=sandbox.Limits(memory_mb=400, file_mb=2048))
    assert o.killed and "memory" in o.problem, (o.problem, o.peak_mb, o.stdout, o.stderr)
    assert o.seconds < 25


def test_the_meter_a_machine_gives_names_what_it_counts():
    m = sandbox.memory.meter(512)
    try:
        assert m.kind and m.used_mb([]) >= 0
    finally:
        m.close()


@needs_isolation
def test_the_scratch_folder_as_a_whole_is_size_limited(tmp_path):
    """Item 4: many files, each under the per-file limit, stop at the scratch folder's size, and
    nothing of them is left on the grader's disk; what the grader reads (answers/) comes back."""
    code = """
import os
os.makedirs("answers", exist_ok=True)
open("answers/q1.json", "w").write("[1]")
written = 0
try:
    for i in range(40):
        with open(f"fill{i}", "wb") as fh:
            for _ in range(8):
                fh.write(b"0" * 2**20)
        written += 8
    print("WROTE", written)
except OSError as e:
    print("full", e.errno, "after", written, "MB")
"""
    o = _py(code, tmp_path, limits=sandbox.Limits(file_mb=16, scratch_mb=100))
    assert "full 28" in o.stdout and "WROTE" not in o.stdout, o.stdout + o.stderr
    scratch = tmp_path / "scratch"
    assert not list(scratch.glob("fill*")), "the fill stayed on the grader's disk"
    assert (scratch / "answers" / "q1.json").read_text() == "[1]"
