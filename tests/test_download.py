"""download(): streamed over real HTTP, hash-checked, atomic, bounded in time."""

from __future__ import annotations

import time

import pytest

from lecture_lib import download as dl
from tests.conftest import closed_port_url


def test_downloads_streams_and_checks_hash(http_server, tmp_path):
    body = bytes(range(256)) * 5000  # 1.28 MB: several chunks
    url, sha = http_server.add("/file.bin", body)
    out = dl.download(url, tmp_path / "file.bin", sha, progress=False)
    assert out.read_bytes() == body
    assert not (tmp_path / "file.bin.part").exists()


def test_rerun_reuses_the_file_without_network(http_server, tmp_path):
    url, sha = http_server.add("/a.bin", b"abc" * 100)
    dl.download(url, tmp_path / "a.bin", sha, progress=False)
    hits = len(http_server.hits)
    dl.download(url, tmp_path / "a.bin", sha, progress=False)
    assert len(http_server.hits) == hits


def test_wrong_hash_leaves_nothing(http_server, tmp_path):
    url, _ = http_server.add("/b.bin", b"tampered")
    with pytest.raises(dl.HashMismatchError, match="sha256"):
        dl.download(url, tmp_path / "b.bin", "0" * 64, progress=False)
    assert list(tmp_path.iterdir()) == []


def test_existing_file_with_wrong_hash_is_set_aside_not_trusted(http_server, tmp_path):
    url, sha = http_server.add("/c.bin", b"good bytes")
    (tmp_path / "c.bin").write_bytes(b"old bad bytes")
    dl.download(url, tmp_path / "c.bin", sha, progress=False)
    assert (tmp_path / "c.bin").read_bytes() == b"good bytes"
    assert (tmp_path / "c.bin.bad").read_bytes() == b"old bad bytes"


def test_half_finished_download_is_an_error_and_removed(http_server, tmp_path):
    with pytest.raises(dl.DownloadError, match="half-finished"):
        dl.download(http_server.base + "/truncated", tmp_path / "t.bin", progress=False)
    assert list(tmp_path.iterdir()) == []


def test_stalled_server_fails_within_the_timeout(http_server, tmp_path):
    t = time.monotonic()
    with pytest.raises(dl.DownloadError, match="no data for"):
        dl.download(http_server.base + "/stall", tmp_path / "s.bin", timeout=1.0, progress=False)
    assert time.monotonic() - t < 5
    assert list(tmp_path.iterdir()) == []


def test_http_error_and_offline_messages(http_server, tmp_path):
    with pytest.raises(dl.DownloadError, match="HTTP 404"):
        dl.download(http_server.base + "/missing", tmp_path / "m.bin", progress=False)
    with pytest.raises(dl.DownloadError, match="could not connect"):
        dl.download(closed_port_url(), tmp_path / "o.bin", progress=False)
