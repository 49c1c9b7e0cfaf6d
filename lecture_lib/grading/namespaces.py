"""The Linux namespaces a submission runs in: its own user (not root), network (a loopback of its
own), PID (its processes end with it), mount (its own /proc and /dev/shm) and IPC.

All of it works for a normal user (unprivileged user namespaces); :func:`problem` says where it
does not. Used by :mod:`.confine`'s entry point before the Landlock rules and the exec.
"""

from __future__ import annotations

import contextlib
import functools
import os
import stat
import subprocess
import sys
from pathlib import Path

# unshare(2) flags; the same on every Linux architecture
CLONE_NEWNS, CLONE_NEWIPC, CLONE_NEWUSER = 0x00020000, 0x08000000, 0x10000000
CLONE_NEWPID, CLONE_NEWNET = 0x20000000, 0x40000000
SANDBOX_UID = SANDBOX_GID = (
    1000  # a submission's user inside its namespace: not root, no capabilities
)
SHM_MB = 64  # its own /dev/shm (POSIX shared memory), a tmpfs of this size that ends with it


def _libc():
    import ctypes

    return ctypes.CDLL(None, use_errno=True)


def enter() -> None:
    """Move this (single-threaded) process into new user, network, mount, IPC namespaces and make
    its next child PID 1 of a new PID namespace.

    Network: only a loopback of its own (the kernel's channel to its client), so no address outside
    is reachable and nobody outside reaches it. User: the caller's uid maps to SANDBOX_UID, so the
    submission runs without root, and a program it starts gets no capabilities.
    """
    import ctypes

    uid, gid = os.getuid(), os.getgid()
    flags = CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWPID
    if _libc().unshare(flags) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"unshare: {os.strerror(err)}")
    Path("/proc/self/setgroups").write_text("deny")
    Path("/proc/self/uid_map").write_text(f"{SANDBOX_UID} {uid} 1")
    Path("/proc/self/gid_map").write_text(f"{SANDBOX_GID} {gid} 1")
    _loopback_up()


def _loopback_up() -> None:
    import fcntl
    import socket
    import struct

    siocgifflags, siocsifflags, iff_up = 0x8913, 0x8914, 0x1
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        flags = struct.unpack("16sh", fcntl.ioctl(s, siocgifflags, struct.pack("16sh", b"lo", 0)))[
            1
        ]
        fcntl.ioctl(s, siocsifflags, struct.pack("16sh", b"lo", flags | iff_up))


def _mount(source: str, target: str, fstype: str | None, flags: int, data: str | None) -> None:
    import ctypes

    enc = [None if v is None else v.encode() for v in (source, target, fstype, data)]
    if _libc().mount(enc[0], enc[1], enc[2], ctypes.c_ulong(flags), enc[3]) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"mount {target}: {os.strerror(err)}")


def private_mounts() -> None:
    """As PID 1 of the sandbox: a /proc that shows only its processes (no other's environment or
    command line), and a /dev/shm of its own, SHM_MB big, gone when it ends."""
    ms_nosuid, ms_nodev, ms_noexec, ms_rec, ms_private = 2, 4, 8, 1 << 14, 1 << 18
    _mount("none", "/", None, ms_rec | ms_private, None)  # nothing mounted here shows outside
    _mount("proc", "/proc", "proc", ms_nosuid | ms_nodev | ms_noexec, None)
    if Path("/dev/shm").is_dir():
        opts = f"size={SHM_MB}m,mode=1777"
        _mount("tmpfs", "/dev/shm", "tmpfs", ms_nosuid | ms_nodev | ms_noexec, opts)


def read_only_view(paths: list[Path]) -> None:
    """This process (and what it starts) in a mount namespace of its own, where each of ``paths``
    is a read-only bind mount of itself: even root cannot write there (a classroom's shared
    mirror). Needs CAP_SYS_ADMIN (root, or inside a user namespace); raises OSError otherwise."""
    import ctypes

    ms_rdonly, ms_remount, ms_bind, ms_rec, ms_private = 1, 32, 4096, 1 << 14, 1 << 18
    if _libc().unshare(CLONE_NEWNS) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"unshare: {os.strerror(err)}")
    _mount("none", "/", None, ms_rec | ms_private, None)  # nothing mounted here shows outside
    for path in paths:
        _mount(str(path), str(path), None, ms_bind | ms_rec, None)
        _mount("none", str(path), None, ms_remount | ms_bind | ms_rdonly, None)


def private_scratch(scratch: Path, size_mb: int, leave_out: tuple[str, ...] = ()) -> int:
    """As PID 1: a tmpfs of ``size_mb`` over ``scratch`` (the kernel refuses writes past it), holding
    a copy of what the grader put there (but not ``leave_out``'s names). Returns a descriptor of the real
    folder underneath, for :func:`copy_out`."""
    ms_nosuid, ms_nodev = 2, 4
    real = os.open(scratch, os.O_RDONLY | os.O_DIRECTORY)
    _mount("tmpfs", str(scratch), "tmpfs", ms_nosuid | ms_nodev, f"size={size_mb}m,mode=0700")
    top = os.open(scratch, os.O_RDONLY | os.O_DIRECTORY)
    try:
        _copy_tree(real, top, skip=set(leave_out))
    finally:
        os.close(top)
    os.chdir(scratch)  # the tmpfs, not the folder under it
    return real


def copy_out(scratch: Path, real: int, names: tuple[str, ...]) -> None:
    """As PID 1, after the submission ended: copy ``names`` (regular files and folders only, no
    links) from the tmpfs back to the real scratch folder, where the grader reads them."""
    top = os.open(scratch, os.O_RDONLY | os.O_DIRECTORY)
    try:
        _copy_tree(top, real, only=set(names))
    finally:
        os.close(top)


def _copy_tree(
    src: int, dst: int, *, skip: set[str] = frozenset(), only: set[str] | None = None
) -> None:
    for name in os.listdir(src):
        if name in skip or (only is not None and name not in only):
            continue
        st = os.stat(name, dir_fd=src, follow_symlinks=False)
        if stat.S_ISDIR(st.st_mode):
            with contextlib.suppress(FileExistsError):
                os.mkdir(name, 0o700, dir_fd=dst)
            flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW
            a, b = os.open(name, flags, dir_fd=src), os.open(name, flags, dir_fd=dst)
            try:
                _copy_tree(a, b)
            finally:
                os.close(a)
                os.close(b)
        elif stat.S_ISREG(st.st_mode):
            a = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=src)
            try:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(name, dir_fd=dst)
                b = os.open(
                    name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600, dir_fd=dst
                )
                try:
                    while chunk := os.read(a, 1 << 20):
                        os.write(b, chunk)
                finally:
                    os.close(b)
            finally:
                os.close(a)


def exit_code(status: int) -> int:
    code = os.waitstatus_to_exitcode(status)
    return 128 - code if code < 0 else code  # killed by signal N: 128 + N, as a shell says


def reap_until(child: int) -> int:
    """PID 1's work: reap every orphan until ``child`` ends, then return its exit code. When PID 1
    returns, the kernel kills whatever is left in the namespace, however it detached."""
    while True:
        pid, status = os.wait()
        if pid == child:
            return exit_code(status)


def _probe() -> None:
    """Exit 0 when the namespaces and mounts a submission needs can be made here."""
    enter()
    pid = os.fork()
    if pid == 0:
        try:
            private_mounts()
        except OSError as e:
            print(e, file=sys.stderr)
            os._exit(1)
        os._exit(0)
    sys.exit(exit_code(os.waitpid(pid, 0)[1]))


@functools.cache
def problem() -> str:
    """'' when this user may make the namespaces a submission runs in (user, network, PID, mount,
    IPC; no root needed), else why not. Probed once, in a throwaway process."""
    probe = "from lecture_lib.grading import namespaces; namespaces._probe()"
    try:
        r = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        return f"could not probe Linux namespaces ({e})"
    if r.returncode == 0:
        return ""
    why = (r.stderr.strip().splitlines() or ["unknown"])[-1]
    return (
        "this Linux does not let a normal user create the namespaces a submission runs in "
        f"({why}); on Ubuntu 23.10+ unprivileged user namespaces are limited by AppArmor "
        "(sysctl kernel.apparmor_restrict_unprivileged_userns)"
    )
