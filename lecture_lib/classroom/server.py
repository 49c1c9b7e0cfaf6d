"""One student's server: enforce what this machine can, then become ``jupyterhub-singleuser``.

JupyterHub's SimpleLocalProcessSpawner runs every server as the hub's own user and enforces
neither ``mem_limit`` nor a read-only mirror. So before the server starts, this entry point moves
itself into a memory cgroup of the limit the hub passes (``MEM_LIMIT``, bytes; every kernel the
student starts is charged there too) and, as root, into a mount namespace where the mirror is a
read-only bind mount. Each step says in the server's log whether it held; on Kubernetes (z2jh) the
pod's limits and a read-only volume do the same.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from ..grading import memory, namespaces


def enforce_memory_limit() -> str:
    """Join a memory cgroup of ``MEM_LIMIT`` bytes; what happened, in a sentence."""
    limit = int(os.environ.get("MEM_LIMIT") or 0)
    if not limit:
        return "memory: no limit asked for"
    limit_mb = limit // 2**20
    user = os.environ.get("JUPYTERHUB_USER", "student")
    # memory.meter adds its headroom for page cache; the hub's limit is the hard one here
    m = memory.meter(max(limit_mb - memory.HEADROOM_MB, 64), prefix=f"lecture-classroom-{user}")
    if not isinstance(m, memory.CgroupMeter):
        return f"memory: NOT enforced ({limit_mb} MB asked; no memory cgroup can be made here)"
    (m.path / "cgroup.procs").write_text(str(os.getpid()))
    return f"memory: enforced, at most {limit_mb} MB for this server and its kernels ({m.path})"


def enforce_read_only_mirror() -> str:
    """Make ``LECTURE_MIRROR`` read-only for this server and its kernels; what happened."""
    mirror = os.environ.get("LECTURE_MIRROR")
    if not mirror:
        return "mirror: none"
    if not os.access(mirror, os.W_OK):
        return f"mirror: read-only by its permissions ({mirror})"
    try:
        namespaces.read_only_view([Path(mirror)])
    except OSError as e:
        return f"mirror: NOT read-only for this server ({e.strerror}); its permissions decide"
    return f"mirror: read-only bind mount ({mirror}): even root cannot write there"


def main() -> None:
    for line in (enforce_memory_limit(), enforce_read_only_mirror()):
        print(f"[lecture classroom] {line}", file=sys.stderr, flush=True)
    exe = shutil.which("jupyterhub-singleuser", path=str(Path(sys.executable).parent))
    # as root (a container, a test machine) Jupyter refuses to start unless told; servers of a
    # classroom on one machine all run as the hub's user, root or not (SimpleLocalProcessSpawner)
    root = ["--allow-root"] if os.geteuid() == 0 else []
    os.execv(exe, [exe, *sys.argv[1:], *root])


if __name__ == "__main__":
    main()
