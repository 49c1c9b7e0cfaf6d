"""A class at once: N students run the same notebook in their own servers through one JupyterHub.

For each class size N: a fresh hub (``lecture_lib.classroom``), N servers started through its REST
API, the course pulled into every home by nbgitpuller, then every student runs one lecture
notebook (default 04, smoke mode) at the same moment, cell by cell, in a kernel of their own
server (the Jupyter server's sessions API and its kernel websocket, as JupyterLab does). Per
student: wall time of the notebook, peak resident and proportional memory of their server and
kernel; for the hub: its own memory (hub + proxy). Rows go to ``benchmarks/results/classroom.json``.
Run it alone on the machine:

    LECTURE_MIRROR=../shared/mirror .venv/bin/python benchmarks/bench_classroom.py --sizes 1 5 10 20
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
OUT = REPO / "benchmarks" / "results" / "classroom.json"


def _memory(pids: list[int]) -> tuple[float, float]:
    """Resident and proportional memory (MB) of these processes together (smaps_rollup)."""
    rss = pss = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except OSError:
            continue
    return rss / 1024, pss / 1024


def _tree(pid: int) -> list[int]:
    import psutil

    try:
        p = psutil.Process(pid)
        return [pid, *(c.pid for c in p.children(recursive=True))]
    except psutil.Error:
        return []


async def _run_cells(room, student: str, path: str, cells: list[str]) -> None:  # noqa: ANN001
    """Execute ``cells`` in a new kernel of ``student``'s server, one after the other, as JupyterLab
    does (sessions API, then the kernel's websocket); raise on the first error."""
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    session = room.api(
        "POST",
        f"/user/{student}/api/sessions",
        {"path": path, "type": "notebook", "name": "", "kernel": {"name": "python3"}},
    )
    kernel = session["kernel"]["id"]
    ws_url = room.url.replace("http", "ws") + f"/user/{student}/api/kernels/{kernel}/channels"
    conn = await websocket_connect(
        HTTPRequest(ws_url, headers={"Authorization": f"token {room.token}"}),
        max_message_size=2**28,
    )
    client = uuid.uuid4().hex
    try:
        for code in cells:
            msg_id = uuid.uuid4().hex
            header = {"msg_id": msg_id, "msg_type": "execute_request", "username": student,
                      "session": client, "version": "5.3", "date": ""}  # fmt: skip
            content = {"code": code, "silent": False, "store_history": False,
                       "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}  # fmt: skip
            await conn.write_message(json.dumps(
                {"header": header, "parent_header": {}, "metadata": {}, "content": content,
                 "channel": "shell", "buffers": []}))  # fmt: skip
            while True:
                raw = await conn.read_message()
                if raw is None:
                    raise RuntimeError(f"{student}: the kernel's websocket closed")
                if isinstance(raw, bytes):
                    continue
                msg = json.loads(raw)
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                if msg["msg_type"] == "execute_reply":
                    if msg["content"]["status"] != "ok":
                        c = msg["content"]
                        raise RuntimeError(f"{student}: {c.get('ename')}: {c.get('evalue')}")
                    break
    finally:
        conn.close()
        room.api("DELETE", f"/user/{student}/api/sessions/{session['id']}")


def one_size(n: int, notebook: str, folder: Path, mirror: Path | None) -> dict:
    """A fresh class of ``n``: start, pull, everyone runs ``notebook`` at once; the measurements."""
    import nbformat

    from lecture_lib.classroom import hub

    students = [f"student{i:02d}" for i in range(1, n + 1)]
    room = hub.Classroom(folder=folder, students=students, course_url=REPO.as_uri(),
                         mirror=mirror, smoke=True, mem_limit_mb=2048)  # fmt: skip
    path = f"{hub.COURSE_FOLDER}/notebooks/{notebook}.ipynb"
    cells = [c.source for c in nbformat.read(REPO / "notebooks" / f"{notebook}.ipynb", 4).cells
             if c.cell_type == "code"]  # fmt: skip
    with room:
        hub_pids = _tree(room.process.pid)
        start_seconds = room.start_servers(timeout=60 + 20 * n)
        t0 = time.monotonic()
        for s in students:
            room.pull_course(s)
        pull_seconds = time.monotonic() - t0
        servers = {
            s: hub._pids_with_env("JUPYTERHUB_USER", s, under=room.home(s)) for s in students
        }
        hub_only = [p for p in _tree(room.process.pid) if p not in sum(servers.values(), [])]
        idle_hub = _memory(hub_only or hub_pids)
        peaks = {s: (0.0, 0.0) for s in students}
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                for s in students:
                    pids = [q for p in servers[s] for q in _tree(p)]
                    rss, pss = _memory(sorted(set(pids)))
                    peaks[s] = (max(peaks[s][0], rss), max(peaks[s][1], pss))
                time.sleep(0.5)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        walls: dict[str, float] = {}

        async def everyone() -> None:
            async def one(s: str) -> None:
                t = time.monotonic()
                await _run_cells(room, s, path, cells)
                walls[s] = time.monotonic() - t

            await asyncio.gather(*(one(s) for s in students))

        t0 = time.monotonic()
        asyncio.run(everyone())
        class_seconds = time.monotonic() - t0
        done.set()
        sampler.join()
    rss = [peaks[s][0] for s in students]
    pss = [peaks[s][1] for s in students]
    return {
        "students": n,
        "notebook": notebook,
        "servers_ready_seconds": round(start_seconds, 1),
        "pull_seconds": round(pull_seconds, 1),
        "class_seconds": round(class_seconds, 1),
        "student_seconds_mean": round(statistics.mean(walls.values()), 1),
        "student_seconds_max": round(max(walls.values()), 1),
        "peak_rss_mb_mean": round(statistics.mean(rss)),
        "peak_rss_mb_max": round(max(rss)),
        "peak_pss_mb_mean": round(statistics.mean(pss)),
        "hub_rss_mb": round(idle_hub[0]),
        "hub_pss_mb": round(idle_hub[1]),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 5, 10, 20])
    parser.add_argument("--notebook", default="04_activations_and_losses")
    args = parser.parse_args(argv)
    from lecture_lib import config, results

    cfg = config.settings()
    for n in args.sizes:
        with tempfile.TemporaryDirectory(prefix="classroom-") as tmp:
            row = one_size(n, args.notebook, Path(tmp), cfg.mirror)
        row |= {"machine": results.machine_description(), "when": time.strftime("%Y-%m-%d %H:%M"),
                "mode": "smoke"}  # fmt: skip
        results.append_row(OUT, row)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
