"""Stream a URL to disk with a progress bar, a network timeout and a sha256 check (data.get).

Why not ``keras.utils.get_file``: it has no network timeout (a stalled server hangs a notebook),
and importing it costs a TensorFlow start-up in the command line. This module is stdlib + tqdm.
"""

from __future__ import annotations

import hashlib
import os
import socket
import urllib.error
import urllib.request
from pathlib import Path

from tqdm.auto import tqdm

DEFAULT_TIMEOUT_S = 30.0
_CHUNK = 1 << 20


class DownloadError(RuntimeError):
    """A download failed; the message says why in words a learner can act on."""


class HashMismatchError(DownloadError):
    """The bytes arrived but are not the file the registry pins (corrupt or tampered)."""


def sha256_file(path: str | os.PathLike[str]) -> str:
    """The sha256 hex digest of a file, read in 1 MiB chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(_CHUNK), b""):
            h.update(block)
    return h.hexdigest()


def download(
    url: str,
    dest: str | os.PathLike[str],
    sha256: str | None = None,
    *,
    timeout: float = DEFAULT_TIMEOUT_S,
    progress: bool = True,
) -> Path:
    """Download ``url`` to ``dest``: stream to ``dest.part``, check sha256, then rename.

    A file already at ``dest`` with the right hash is reused (a re-run downloads nothing). The
    ``timeout`` bounds every connect and every read, so a stalled connection fails within it
    instead of hanging. Nothing is left at ``dest`` unless the hash matched (or none is pinned).
    """
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.exists():
        if sha256 is None or sha256_file(dest) == sha256:
            return dest
        # a file of ours that does not match: keep it for inspection, never trust it
        dest.replace(dest.with_name(dest.name + ".bad"))

    part = dest.with_name(dest.name + ".part")
    request = urllib.request.Request(
        url, headers={"User-Agent": "lecture-lib/0.1 (course notebooks)"}
    )
    digest = hashlib.sha256()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response, open(part, "wb") as out:
            total = int(response.headers.get("Content-Length") or 0) or None
            with tqdm(
                total=total, unit="B", unit_scale=True, desc=dest.name, disable=not progress
            ) as bar:
                while True:
                    block = response.read(_CHUNK)
                    if not block:
                        break
                    out.write(block)
                    digest.update(block)
                    bar.update(len(block))
            if total is not None and out.tell() != total:
                raise DownloadError(
                    f"{url}: the connection closed after {out.tell():,} of {total:,} bytes "
                    "(a half-finished download). Run the cell again to retry."
                )
    except DownloadError:
        part.unlink(missing_ok=True)
        raise
    except urllib.error.HTTPError as e:
        part.unlink(missing_ok=True)
        raise DownloadError(f"{url}: the server answered HTTP {e.code} {e.reason}.") from e
    except TimeoutError as e:
        part.unlink(missing_ok=True)
        raise DownloadError(
            f"{url}: no data for {timeout:.0f} s, so the download was stopped (stalled connection "
            "or no network)."
        ) from e
    except urllib.error.URLError as e:
        part.unlink(missing_ok=True)
        reason = e.reason
        if isinstance(reason, (socket.timeout, TimeoutError)):
            raise DownloadError(f"{url}: no answer within {timeout:.0f} s (no network?).") from e
        raise DownloadError(f"{url}: could not connect ({reason}). Are you offline?") from e
    except OSError as e:
        part.unlink(missing_ok=True)
        raise DownloadError(f"{url}: the download broke off ({e}).") from e

    got = digest.hexdigest()
    if sha256 is not None and got != sha256:
        part.unlink(missing_ok=True)
        raise HashMismatchError(
            f"{url}: sha256 {got[:16]}… is not the pinned {sha256[:16]}…; the file was discarded "
            "(corrupt download or a changed file on the server)."
        )
    part.replace(dest)
    return dest
