"""Shared fixtures: an isolated settings environment and a real local HTTP server."""

from __future__ import annotations

import hashlib
import http.server
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh data dir, no mirror, no smoke, no Kaggle credentials, HOME in tmp."""
    for var in (
        "LECTURE_MIRROR",
        "LECTURE_SMOKE",
        "LECTURE_BACKBONE",
        "LECTURE_SEED",
        "LECTURE_REQUIRE_REAL",
        "KAGGLE_USERNAME",
        "KAGGLE_KEY",
        "KAGGLE_API_TOKEN",
        "KERAS_HOME",
    ):
        monkeypatch.delenv(var, raising=False)
    data_dir = tmp_path / "data"
    monkeypatch.setenv("LECTURE_DATA_DIR", str(data_dir))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("KAGGLE_CONFIG_DIR", str(tmp_path / "home" / ".kaggle"))
    return data_dir


@dataclass
class Server:
    base: str
    routes: dict[str, bytes] = field(default_factory=dict)
    hits: list[str] = field(default_factory=list)

    def add(self, path: str, body: bytes) -> tuple[str, str]:
        """Serve ``body`` at ``path``; return (url, sha256)."""
        self.routes[path] = body
        return self.base + path, hashlib.sha256(body).hexdigest()


@pytest.fixture
def http_server() -> Iterator[Server]:
    """A threaded HTTP server on 127.0.0.1. Special paths: /stall (headers, then silence),
    /truncated (promises more bytes than it sends), anything unknown is a 404."""
    state = Server("")
    stop = threading.Event()

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            state.hits.append(self.path)
            if self.path == "/stall":
                self.send_response(200)
                self.send_header("Content-Length", "1000")
                self.end_headers()
                self.wfile.write(b"x" * 10)
                self.wfile.flush()
                stop.wait(10)  # bounded: the server never waits more than 10 s
                return
            if self.path == "/truncated":
                self.send_response(200)
                self.send_header("Content-Length", "100000")
                self.end_headers()
                self.wfile.write(b"y" * 5000)
                return
            body = state.routes.get(self.path)
            if body is None:
                self.send_error(404, "Not Found")
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            for i in range(0, len(body), 65536):  # streamed in chunks
                self.wfile.write(body[i : i + 65536])

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    yield state
    stop.set()
    server.shutdown()
    server.server_close()
    time.sleep(0.05)


def closed_port_url(path: str = "/x") -> str:
    """A URL on 127.0.0.1 where nothing listens: connection refused at once (like offline)."""
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return f"http://127.0.0.1:{port}{path}"
