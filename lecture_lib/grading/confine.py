"""Run untrusted code (a student's submission) confined, so one submission cannot harm the rest.

Used by :mod:`.grade`. Each run gets its own process tree with a wall-time limit and a memory
limit (:mod:`.memory`), an environment built from an allowlist (no ``KAGGLE_*``, no tokens,
``HOME`` in its scratch folder), and, on Linux, its own namespaces (:mod:`.namespaces`: no network,
no root, its own /proc and /dev/shm, a scratch folder of limited size, nothing outlives it) and a
Landlock ruleset applied before the untrusted code starts: it can write only in its scratch folder
and read only the Python installation, the course library, the data folders and system libraries,
not the instructor's home. Landlock needs no privileges (Linux >= 5.13); the ``landlock`` package
speaks to it. Where either is missing, :func:`isolation_problem` says why and grading refuses unless asked not to.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import memory, namespaces

# Environment variables a submission may see; everything else (KAGGLE_*, *_TOKEN, AWS_*, ...) is dropped.
SAFE_ENV = (
    "PATH",
    "LANG",
    "LC_ALL",
    "LC_CTYPE",
    "TZ",
    "LECTURE_SMOKE",
    "LECTURE_MIRROR",
    "LECTURE_DATA_DIR",
    "LECTURE_BACKBONE",
    "LECTURE_SEED",
    "LECTURE_PRECISION",
    "LECTURE_REQUIRE_REAL",
    "TF_CPP_MIN_LOG_LEVEL",
    "OMP_NUM_THREADS",
    "CUDA_VISIBLE_DEVICES",
)
# in the scratch folder: what a submission tried to write or delete outside it
AUDIT_LOG = "sandbox-audit.log"
# the grader's own files in the scratch folder, open already: not copied into the sandbox's tmpfs
OUTSIDE_FILES = ("stdout.txt", "stderr.txt")
# what the grader reads after the run: copied back out of the tmpfs by the sandbox's PID 1
RESULTS = ("answers", AUDIT_LOG)
# IPython startup file of a confined kernel: the audit hook, and jsonschema without its IRI checker
# (rfc3987_syntax builds a grammar at import: 0.75 s in every process that imports nbformat, otter's
# included, and nothing in grading validates IRIs).
KERNEL_STARTUP = """import sys
sys.modules.setdefault("rfc3987_syntax", None)
import lecture_lib.grading.audit  # noqa: F401
"""
SCOPE_ABSTRACT_UNIX_SOCKET, SCOPE_SIGNAL = 1, 2  # LANDLOCK_SCOPE_*
SYSTEM_READ = ("/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/etc", "/proc", "/sys", "/dev")


@dataclass(frozen=True)
class Limits:
    """What one submission may use: wall seconds, resident memory of its process tree, bytes per file."""

    seconds: float = 300.0
    memory_mb: int = 3072
    file_mb: int = 64
    # the whole scratch folder: a tmpfs of this size (its pages count as memory too)
    scratch_mb: int = 2048


@dataclass
class Outcome:
    """How a confined run ended; ``problem`` is one sentence for the grade table, or ''."""

    returncode: int | None
    seconds: float
    peak_mb: float
    stdout: str = ""
    stderr: str = ""
    problem: str = ""
    killed: bool = False
    violations: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)


def isolation_problem() -> str:
    """'' when confinement works here, else why not (then grading refuses untrusted code by default)."""
    if not sys.platform.startswith("linux"):
        return f"no Landlock on {sys.platform}: only Linux (>= 5.13) can confine a submission's file access"
    try:
        import landlock
    except ImportError:
        return "the 'landlock' package is not installed (pip install landlock)"
    try:
        abi = landlock.landlock_abi_version()
    except OSError as e:
        return f"this Linux kernel does not offer Landlock ({e.strerror or e})"
    if abi < 1:
        return "this Linux kernel does not offer Landlock"
    return namespaces.problem()


def safe_env(scratch: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The allowlisted environment, with HOME, TMPDIR and Jupyter/Matplotlib state in ``scratch``."""
    env = {k: v for k, v in os.environ.items() if k in SAFE_ENV}
    env.setdefault("PATH", "/usr/bin:/bin")
    env["PATH"] = f"{Path(sys.executable).parent}:{env['PATH']}"
    home = scratch / "home"
    for sub in ("home", "tmp"):
        (scratch / sub).mkdir(parents=True, exist_ok=True)
    startup = home / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True, exist_ok=True)
    (startup / "00-sandbox-audit.py").write_text(KERNEL_STARTUP)
    env.update(
        LECTURE_SANDBOX_ROOT=str(scratch.resolve()),
        HOME=str(home),
        TMPDIR=str(scratch / "tmp"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        JUPYTER_CONFIG_DIR=str(home / "jupyter"),
        JUPYTER_DATA_DIR=str(home / "jupyter-data"),
        IPYTHONDIR=str(home / "ipython"),
        MPLCONFIGDIR=str(home / "mpl"),
        MPLBACKEND="Agg",
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONUNBUFFERED="1",
        KERAS_HOME=str(home / "keras"),
    )
    env.update(extra or {})
    return env


def readable_paths(extra: list[Path] | None = None) -> list[Path]:
    """Folders a submission may read: system libraries, this Python, the course library, data folders."""
    from ..config import REPO_ROOT

    paths = [Path(p) for p in SYSTEM_READ]
    # sys.path, without the folder grading started from (``python -m`` puts it first: an
    # instructor's home, with ~/.kaggle) and without the repository (its solutions)
    here = Path.cwd().resolve()
    paths += [
        Path(p)
        for p in sys.path
        if p and Path(p).is_dir() and Path(p).resolve() not in (REPO_ROOT.resolve(), here)
    ]
    paths += [
        Path(sys.prefix),
        Path(sys.base_prefix),
        Path(sys.executable).resolve().parent,
        REPO_ROOT / "lecture_lib",
    ]
    for var in ("LECTURE_MIRROR", "LECTURE_DATA_DIR"):
        if os.environ.get(var):
            paths.append(Path(os.environ[var]))
    paths += extra or []
    out: list[Path] = []
    for p in paths:
        p = p.resolve()
        if p.exists() and p not in out:
            out.append(p)
    return out


def confine(scratch: Path, read: list[Path], file_mb: int) -> None:
    """In this process, for good: files only under ``scratch`` may be written; ``read`` may be read.

    Called by ``python -m lecture_lib.grading.confine`` before it execs the untrusted command; inherited by
    every child (the Jupyter kernel included).
    """
    import resource

    import landlock
    from landlock import FSAccess

    limit = file_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    rs = landlock.Ruleset()
    everything = FSAccess.all()
    read_rights = FSAccess.READ_FILE | FSAccess.READ_DIR | FSAccess.EXECUTE
    file_rights = FSAccess.all_file()
    from ..config import REPO_ROOT

    for p in read:
        rs.allow(p, rules=read_rights if p.is_dir() else read_rights & file_rights)
    rs.allow(
        REPO_ROOT.resolve(), rules=FSAccess.READ_DIR
    )  # names only: lets Python find lecture_lib
    rs.allow(scratch.resolve(), rules=everything)
    for dev in ("/dev/null", "/dev/shm", "/dev/pts", "/dev/tty"):
        if Path(dev).exists():
            rs.allow(
                Path(dev), rules=everything if Path(dev).is_dir() else everything & file_rights
            )
    rs.apply()
    scope_signals()


def scope_signals() -> bool:
    """From here on this process and its children may signal only processes of their own sandbox
    (and reach only its abstract Unix sockets): not the grader, not another submission.

    Landlock's scopes (ABI >= 6, Linux 6.12), which the ``landlock`` package does not speak yet, so
    through the kernel's interface itself. False where the kernel is older (then nothing changes).
    """
    import ctypes

    class Attr(ctypes.Structure):  # struct landlock_ruleset_attr
        _fields_ = [("fs", ctypes.c_uint64), ("net", ctypes.c_uint64), ("scoped", ctypes.c_uint64)]

    libc = ctypes.CDLL(None, use_errno=True)
    create, restrict, version, no_new_privs = (
        444,
        446,
        1,
        38,
    )  # the same numbers on every architecture
    if libc.syscall(create, None, 0, version) < 6:
        return False
    attr = Attr(0, 0, SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL)
    fd = libc.syscall(create, ctypes.byref(attr), ctypes.sizeof(attr), 0)
    if fd < 0:
        raise OSError(ctypes.get_errno(), "landlock_create_ruleset (scopes)")
    try:
        if libc.prctl(no_new_privs, 1, 0, 0, 0) != 0 or libc.syscall(restrict, fd, 0) != 0:
            raise OSError(ctypes.get_errno(), "landlock_restrict_self (scopes)")
    finally:
        os.close(fd)
    return True


def _tree(proc: subprocess.Popen) -> list:
    import psutil

    try:
        root = psutil.Process(proc.pid)
        return [root, *root.children(recursive=True)]
    except psutil.Error:
        return []


def _kill(procs: list) -> None:
    import psutil

    for p in procs:
        with contextlib.suppress(psutil.Error):
            p.kill()


def run(
    cmd: list[str],
    scratch: Path,
    limits: Limits = Limits(),
    *,
    isolate: bool = True,  # noqa: B008
    env_extra: dict[str, str] | None = None,
    read_extra: list[Path] | None = None,
    result_fd: bool = False,
) -> Outcome:
    """Run ``cmd`` confined in ``scratch``; kill its whole tree on the time or memory limit.

    With ``result_fd`` the command gets a private pipe (``LECTURE_RESULT_FD``) for its one-line
    result, which code it starts (the kernel) does not inherit: a submission cannot forge it by
    printing. The result is in ``Outcome.extra['result']``.
    """
    import json

    scratch = Path(scratch)
    scratch.mkdir(parents=True, exist_ok=True)
    env = safe_env(scratch, env_extra)
    full = list(cmd)
    if isolate:
        full = [
            sys.executable,
            "-m",
            "lecture_lib.grading.confine",
            str(scratch),
            str(limits.file_mb),
            str(limits.scratch_mb),
            *[str(p) for p in readable_paths(read_extra)],
            "--",
            *cmd,
        ]
    meter = memory.meter(limits.memory_mb) if isolate else memory.Meter()
    env.update(meter.env)
    rfd = wfd = None
    if result_fd:
        rfd, wfd = os.pipe()
        env["LECTURE_RESULT_FD"] = str(wfd)
    out_path, err_path = scratch / "stdout.txt", scratch / "stderr.txt"
    t0 = time.time()
    peak, seen, problem, killed = 0.0, {}, "", False
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        proc = subprocess.Popen(
            full,
            cwd=scratch,
            env=env,
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            pass_fds=(wfd,) if wfd is not None else (),
        )
        chunks: list[bytes] = []
        reader = None
        if wfd is not None:
            os.close(wfd)
            reader = threading.Thread(target=lambda: chunks.append(_read_all(rfd)), daemon=True)
            reader.start()
        while proc.poll() is None:
            procs = _tree(proc)
            for p in procs:
                seen[p.pid] = p
            used = meter.used_mb(procs)
            peak = max(peak, used)
            elapsed = time.time() - t0
            if elapsed > limits.seconds:
                problem = f"stopped after {limits.seconds:.0f} s (time limit): an endless loop, or too slow"
            elif used > limits.memory_mb:
                problem = f"stopped at {used:.0f} MB of memory (limit {limits.memory_mb} MB)"
            if problem:
                _kill(procs)
                killed = True
                break
            time.sleep(0.2)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            _kill(_tree(proc))
            proc.wait()
        _kill([p for p in seen.values() if _alive(p)])  # whatever the submission left running
        if reader is not None:
            reader.join(timeout=5)
    if not problem and meter.killed_by_kernel():
        problem = f"stopped at the memory limit ({limits.memory_mb} MB): the kernel ended it"
        killed = True
    meter.close()
    outcome = Outcome(
        proc.returncode,
        round(time.time() - t0, 1),
        round(peak, 1),
        _tail(out_path),
        _tail(err_path),
        problem,
        killed,
        _tail(scratch / AUDIT_LOG, 2000).splitlines()[:20],
    )
    if result_fd:
        text = b"".join(chunks).decode(errors="replace").strip()
        try:
            outcome.extra["result"] = json.loads(text.splitlines()[-1]) if text else None
        except (json.JSONDecodeError, IndexError):
            outcome.extra["result"] = None
    return outcome


def _alive(p) -> bool:  # noqa: ANN001 - psutil.Process
    try:
        return p.is_running()
    except Exception:  # noqa: BLE001
        return False


def _read_all(fd: int) -> bytes:
    with os.fdopen(fd, "rb") as fh:
        return fh.read(1 << 20)


def _tail(path: Path, n: int = 4000) -> str:
    """The last ``n`` bytes of a log: a submission that prints megabytes cannot flood the grader."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            fh.seek(max(0, size - n))
            return fh.read().decode(errors="replace")
    except OSError:
        return ""


def _main(argv: list[str]) -> None:
    """``python -m lecture_lib.grading.confine SCRATCH FILE_MB SCRATCH_MB READ... -- CMD...``: confine,
    then exec CMD."""
    sep = argv.index("--")
    scratch, file_mb, scratch_mb = Path(argv[0]), int(argv[1]), int(argv[2])
    read, cmd = [Path(p) for p in argv[3:sep]], argv[sep + 1 :]
    fd = os.environ.get("LECTURE_RESULT_FD")
    memory.join_from_environment()  # before any child: every process of the sandbox is counted
    namespaces.enter()
    init = os.fork()
    if init:  # outside the PID namespace: wait for it, end as it ends
        if fd:
            os.close(int(fd))
        os._exit(namespaces.exit_code(os.waitpid(init, 0)[1]))
    namespaces.private_mounts()  # PID 1 of the sandbox from here on
    real = namespaces.private_scratch(scratch, scratch_mb, leave_out=OUTSIDE_FILES)
    child = os.fork()
    if child:
        if fd:
            os.close(int(fd))  # only CMD holds the result pipe
        code = namespaces.reap_until(child)
        namespaces.copy_out(scratch, real, RESULTS)
        os._exit(code)
    confine(scratch, read, file_mb)
    if fd:
        os.set_inheritable(int(fd), True)  # for CMD itself; CMD marks it private again
    os.execvpe(cmd[0], cmd, os.environ)


if __name__ == "__main__":
    _main(sys.argv[1:])
