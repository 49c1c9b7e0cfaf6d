"""Imported in a graded submission's kernel before its code (an IPython startup file, :mod:`.confine`).

Refuses Python-level writes and deletions outside the submission's scratch folder with a clear
``PermissionError`` and notes each attempt in ``<scratch>/sandbox-audit.log``, so the grade table
can say what the submission tried. Landlock enforces the same rule below Python; this hook makes
the attempt visible. Audit hooks cannot be removed once added (PEP 578).
"""

from __future__ import annotations

import os
import sys

_ROOT = os.path.realpath(os.environ.get("LECTURE_SANDBOX_ROOT", os.getcwd()))
_LOG = os.open(
    os.path.join(_ROOT, "sandbox-audit.log"), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600
)
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_ALLOWED = ("/dev/null", "/dev/shm", "/dev/pts", "/dev/tty")
_ONE_PATH = {
    "os.remove",
    "os.rmdir",
    "os.truncate",
    "os.chmod",
    "os.mkdir",
    "shutil.rmtree",
    "os.chown",
    "os.utime",
}
_MOVES = {
    "os.rename",
    "os.replace",
    "shutil.move",
}  # (source, destination): the source disappears too
_COPIES = {
    "os.link",
    "os.symlink",
    "shutil.copyfile",
    "shutil.copytree",
}  # (source, destination): only the destination is written


def _outside(path: object) -> str | None:
    if isinstance(path, int):
        return None
    try:
        p = os.path.realpath(os.fsdecode(path))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if p == _ROOT or p.startswith(_ROOT + os.sep) or p.startswith(_ALLOWED):
        return None
    return p


def _audit(event: str, args: tuple) -> None:
    paths: tuple = ()
    if event == "open" and len(args) >= 3:
        mode, flags = args[1], args[2]
        if (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and flags & _WRITE_FLAGS
        ):
            paths = (args[0],)
    elif event in _ONE_PATH:
        paths = args[:1]
    elif event in _MOVES:
        paths = tuple(args[:2])
    elif event in _COPIES:
        paths = tuple(args[1:2])
    for path in paths:
        p = _outside(path)
        if p:
            os.write(_LOG, f"{event} {p}\n".encode(errors="replace"))
            raise PermissionError(
                f"grading sandbox: {event} outside the submission's folder is not allowed: {p}"
            )


sys.addaudithook(_audit)
