"""How much memory one submission holds, counted as the kernel counts it.

A memory cgroup where this user may make one (as root, or with a delegated cgroup v2 subtree): the
kernel charges every page the sandbox's processes allocate, anonymous or shared (memfd files,
tmpfs), and enforces a hard limit. Elsewhere (a normal user without delegation), resident memory of
the process tree plus the memfd files its processes hold: a memfd that is written but never mapped
is in no process's resident memory. Used by :mod:`.confine`, which polls :meth:`Meter.used_mb`.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import signal
import time
from pathlib import Path

CGROUP_ENV = "LECTURE_CGROUP"  # the sandbox's entry point joins this cgroup before anything else
HEADROOM_MB = (
    256  # the cgroup's hard limit is this much above the polled one: page cache lives there
)
CGROUP_FS = Path("/sys/fs/cgroup")
_names = itertools.count()


class Meter:
    """Resident memory plus memfd files, for each process of the tree (no cgroup needed)."""

    kind = "resident memory + memfd files of its processes"
    env: dict[str, str] = {}

    def used_mb(self, procs: list) -> float:
        import psutil

        total, seen = 0, set()
        for p in procs:
            with contextlib.suppress(psutil.Error):
                total += p.memory_info().rss
            total += _memfd_bytes(p.pid, seen)
        return total / 2**20

    def killed_by_kernel(self) -> bool:
        return False

    def close(self) -> None:
        pass


class CgroupMeter(Meter):
    """A memory cgroup of its own (v1 or v2): the kernel's count and a hard limit."""

    kind = "its memory cgroup (anonymous + shared memory)"

    def __init__(self, path: Path, v2: bool) -> None:
        self.path, self.v2 = path, v2
        self.env = {CGROUP_ENV: str(path)}

    def _stat(self) -> dict[str, int]:
        out = {}
        for line in (self.path / "memory.stat").read_text().splitlines():
            key, _, value = line.partition(" ")
            out[key] = int(value or 0)
        return out

    def used_mb(self, procs: list) -> float:
        try:
            stat = self._stat()
        except OSError:
            return super().used_mb(procs)
        anon = stat.get("anon", 0) if self.v2 else stat.get("rss", 0)
        return (anon + stat.get("shmem", 0)) / 2**20

    def killed_by_kernel(self) -> bool:
        name = "memory.events" if self.v2 else "memory.oom_control"
        with contextlib.suppress(OSError, ValueError):
            for line in (self.path / name).read_text().splitlines():
                if line.startswith("oom_kill "):
                    return int(line.split()[1]) > 0
        return False

    def close(self) -> None:
        _remove(
            self.path, time.monotonic() + 5
        )  # its processes go a moment after the sandbox's PID 1


def meter(limit_mb: int, prefix: str = "lecture-grading") -> Meter:
    """A cgroup meter with a hard limit where one can be made here, else the per-process one.
    ``prefix`` names the cgroup (with a number), so whoever looks can tell whose it is."""
    for make in (_cgroup_v2, _cgroup_v1):
        with contextlib.suppress(OSError):
            m = make(limit_mb, prefix)
            if m is not None:
                return m
    return Meter()


def remove_cgroups(prefix: str, wait_s: float = 10.0) -> int:
    """Remove the cgroups this user made whose names start with ``prefix`` (those of processes
    that exec'd into something else cannot remove their own); how many went. A process still
    charged there is ended first, and the removal retried for up to ``wait_s``: a killed process
    leaves its cgroup a moment after the signal, and until then the kernel refuses (EBUSY)."""
    bases = [CGROUP_FS / "memory" / _own("memory"), CGROUP_FS / "memory", CGROUP_FS / _own("")]
    paths = [
        path
        for base in dict.fromkeys(bases)
        if base.is_dir()
        for path in sorted(base.glob(f"{prefix}*"))
        if path.is_dir()
    ]
    deadline = time.monotonic() + wait_s
    return sum(_remove(path, deadline) for path in dict.fromkeys(paths))


def _remove(cgroup: Path, deadline: float) -> bool:
    """Remove ``cgroup``, first ending every process still charged to it (ours: its name carries
    our prefix), retrying until ``deadline``; whether it went."""
    while True:
        with contextlib.suppress(OSError):
            for pid in (cgroup / "cgroup.procs").read_text().split():
                with contextlib.suppress(OSError):
                    os.kill(int(pid), signal.SIGKILL)
        try:
            cgroup.rmdir()
            return True
        except FileNotFoundError:
            return False
        except OSError:  # still has processes, or not ours
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.05)


def join_from_environment() -> None:
    """In the sandbox's entry point, first of all: move this process into its cgroup (every child
    it starts is charged there too), and keep the path out of the submission's environment."""
    path = os.environ.pop(CGROUP_ENV, None)
    if path:
        Path(path, "cgroup.procs").write_text(str(os.getpid()))


def _own(controller: str) -> str:
    """This process's cgroup path in the hierarchy of ``controller`` ('' for v2's unified one)."""
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, names, path = line.split(":", 2)
        if controller in names.split(","):
            return path.lstrip("/")
    return ""


def _make(base: Path, limit_file: str, limit_mb: int, prefix: str) -> Path:
    path = base / f"{prefix}-{os.getpid()}-{next(_names)}"
    path.mkdir()
    try:
        (path / limit_file).write_text(str((limit_mb + HEADROOM_MB) * 2**20))
    except OSError:
        path.rmdir()
        raise
    return path


def _cgroup_v1(limit_mb: int, prefix: str) -> Meter | None:
    root = CGROUP_FS / "memory"
    if not (root / "memory.limit_in_bytes").exists():
        return None
    base = root / _own("memory")
    base = base if base.is_dir() else root  # in a cgroup namespace the mount is our own cgroup
    return CgroupMeter(_make(base, "memory.limit_in_bytes", limit_mb, prefix), v2=False)


def _cgroup_v2(limit_mb: int, prefix: str) -> Meter | None:
    controllers = CGROUP_FS / "cgroup.controllers"
    if not controllers.exists() or "memory" not in controllers.read_text().split():
        return None
    base = CGROUP_FS / _own("")
    if "memory" not in (base / "cgroup.subtree_control").read_text().split():
        return None
    return CgroupMeter(_make(base, "memory.max", limit_mb, prefix), v2=True)


def _memfd_bytes(pid: int, seen: set) -> int:
    """Bytes of the memfd files ``pid`` holds open, each file once."""
    total = 0
    with contextlib.suppress(OSError):
        for fd in os.listdir(f"/proc/{pid}/fd"):
            with contextlib.suppress(OSError):
                if not os.readlink(f"/proc/{pid}/fd/{fd}").startswith("/memfd:"):
                    continue
                st = os.stat(f"/proc/{pid}/fd/{fd}")
                if (st.st_dev, st.st_ino) not in seen:
                    seen.add((st.st_dev, st.st_ino))
                    total += st.st_blocks * 512
    return total
