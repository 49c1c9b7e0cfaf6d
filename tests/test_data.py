"""data.get(): the source order, atomic publication, clear errors, Kaggle up to kagglehub."""

from __future__ import annotations

import dataclasses
import io
import tarfile
import time
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from lecture_lib import data, datasets
from lecture_lib.datasets import RemoteFile
from tests.conftest import closed_port_url


def _synth(name: str, target: Path) -> Path:
    """The dataset's own synthetic stand-in, written to ``target`` (real layout, fake pictures)."""
    target.mkdir(parents=True, exist_ok=True)
    datasets.DATASETS[name].synthesize(target, 0)
    return target


def _jpeg(color=(200, 40, 40), size=(40, 30)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "JPEG")
    return buf.getvalue()


def _mnist_tgz(tmp_path: Path) -> bytes:
    src = _synth("mnist", tmp_path / "mnist-src")
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as t:
        for f in sorted(src.iterdir()):
            t.add(f, arcname=f"mnist/{f.name}")
    return buf.getvalue()


def _route(monkeypatch, name: str, *routes: tuple[RemoteFile, ...]) -> None:
    monkeypatch.setitem(datasets.DATASETS, name, dataclasses.replace(datasets.DATASETS[name], url_routes=routes))


def test_mirror_folder_is_used_in_place(env, tmp_path, monkeypatch, capsys):
    mirror = tmp_path / "mirror"
    _synth("mnist", mirror / "datasets" / "mnist")
    monkeypatch.setenv("LECTURE_MIRROR", str(mirror))
    loc = data.get("mnist", progress=False)
    assert loc.path == mirror / "datasets" / "mnist" and loc.source.startswith("mirror")
    assert not (env / "raw" / "mnist").exists()  # nothing copied
    assert "mirror" in capsys.readouterr().out


def test_mirror_archive_is_extracted_marked_and_then_cached(env, tmp_path, monkeypatch):
    mirror = tmp_path / "mirror"
    (mirror / "datasets").mkdir(parents=True)
    (mirror / "datasets" / "mnist.zip").write_bytes(b"")  # unusable candidate: skipped with a reason
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w") as z:
        for f in sorted(_synth("mnist", tmp_path / "src").iterdir()):
            z.write(f, f"some/dir/{f.name}")
    (mirror / "datasets" / "mnist.zip").write_bytes(zbuf.getvalue())
    monkeypatch.setenv("LECTURE_MIRROR", str(mirror))
    loc = data.get("mnist", progress=False)
    assert loc.path == env / "raw" / "mnist" and (loc.path / data.MARKER).is_file()
    assert not list((env / "raw").glob(".*partial"))
    again = data.get("mnist", progress=False)
    assert again.source.startswith("data dir (from mirror archive")


def test_url_route_over_http_with_hash(env, tmp_path, http_server, monkeypatch):
    url, sha = http_server.add("/mnist.tgz", _mnist_tgz(tmp_path))
    _route(monkeypatch, "mnist", (RemoteFile(url, sha, "mnist.tgz"),))
    loc = data.get("mnist", progress=False)
    assert loc.source == f"URL {url}"
    assert {p.name for p in loc.path.iterdir()} >= {"train-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"}


def test_wrong_hash_falls_through_to_next_route(env, tmp_path, http_server, monkeypatch):
    url, sha = http_server.add("/mnist.tgz", _mnist_tgz(tmp_path))
    _route(monkeypatch, "mnist", (RemoteFile(url, "f" * 64, "bad.tgz"),), (RemoteFile(url, sha, "mnist.tgz"),))
    loc = data.get("mnist", progress=False)
    assert "sha256" in loc.attempts[-1][1] and loc.source == f"URL {url}"


def test_petimages_zip_becomes_kaggle_layout(env, http_server, monkeypatch):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for i in range(3):
            z.writestr(f"PetImages/Cat/{i}.jpg", _jpeg((200, 40, 40)))
            z.writestr(f"PetImages/Dog/{i}.jpg", _jpeg((40, 40, 200)))
        z.writestr("PetImages/Cat/666.jpg", b"")  # Microsoft's zip really has empty and corrupt files
        z.writestr("PetImages/Dog/Thumbs.db", b"junk")
    url, _ = http_server.add("/pets.zip", buf.getvalue())
    _route(monkeypatch, "dogs-vs-cats", (RemoteFile(url, None, "pets.zip"),))
    loc = data.get("dogs-vs-cats", progress=False)
    names = sorted(p.name for p in (loc.path / "train").iterdir())
    assert names == ["cat.0.jpg", "cat.1.jpg", "cat.2.jpg", "cat.666.jpg", "dog.0.jpg", "dog.1.jpg", "dog.2.jpg"]
    assert (env / "downloads" / "dogs-vs-cats" / "pets.zip.sha256").is_file()  # unpinned: recorded


def test_interrupted_run_is_redone_and_hand_placed_folder_is_kept(env, tmp_path, http_server, monkeypatch):
    url, sha = http_server.add("/mnist.tgz", _mnist_tgz(tmp_path))
    _route(monkeypatch, "mnist", (RemoteFile(url, sha, "mnist.tgz"),))
    partial = env / "raw" / ".mnist.partial"
    (partial / "out").mkdir(parents=True)
    (partial / "out" / "train-images-idx3-ubyte.gz").write_bytes(b"half")
    mine = env / "raw" / "mnist"
    mine.mkdir()
    (mine / "my-notes.txt").write_text("do not delete")
    loc = data.get("mnist", progress=False)
    assert (loc.path / data.MARKER).is_file() and not partial.exists()
    aside = list((env / "raw").glob("mnist.incomplete-*"))
    assert len(aside) == 1 and (aside[0] / "my-notes.txt").read_text() == "do not delete"


def test_offline_error_lists_every_attempt_and_is_fast(env, monkeypatch):
    _route(monkeypatch, "dogs-vs-cats", (RemoteFile(closed_port_url("/a.zip"), None, "a.zip"),),
           (RemoteFile(closed_port_url("/b.zip"), "0" * 64, "b.zip"),))
    t = time.monotonic()
    with pytest.raises(data.DataUnavailableError) as e:
        data.get("dogs-vs-cats", progress=False)
    assert time.monotonic() - t < 60
    msg = str(e.value)
    for needle in ("data dir", "LECTURE_MIRROR is not set", "no credentials", "could not connect",
                   "kaggle.json", "https://www.kaggle.com/c/dogs-vs-cats/rules", "LECTURE_SMOKE=1"):
        assert needle in msg, needle
    assert [a[0] for a in e.value.attempts] == ["data dir", "mirror", "Kaggle", "URL", "URL"]


def test_smoke_mode_falls_back_to_loud_synthetic_data(env, monkeypatch, capsys):
    monkeypatch.setenv("LECTURE_SMOKE", "1")
    _route(monkeypatch, "dogs-vs-cats", (RemoteFile(closed_port_url(), None, "a.zip"),))
    loc = data.get("dogs-vs-cats", progress=False)
    assert loc.synthetic and "SYNTHETIC" in str(loc)
    out = capsys.readouterr().out
    assert "SYNTHETIC STAND-IN DATA" in out and "NOT THE REAL DATASET" in out
    assert datasets.DATASETS["dogs-vs-cats"].check(loc.path)[0]


# --- Kaggle, up to the kagglehub call boundary ------------------------------------------------

class _Response:
    def __init__(self, status: int) -> None:
        self.status_code = status


def _kaggle_creds(monkeypatch):
    monkeypatch.setenv("KAGGLE_USERNAME", "student")
    monkeypatch.setenv("KAGGLE_KEY", "s3cr3t-key-never-shown")
    _route(monkeypatch, "dogs-vs-cats", (RemoteFile(closed_port_url(), None, "a.zip"),))


@pytest.mark.parametrize("status, needle", [(403, "https://www.kaggle.com/c/dogs-vs-cats/rules"),
                                            (401, "token is wrong or expired")])
def test_kaggle_http_errors_say_what_to_do(env, monkeypatch, capsys, status, needle):
    import kagglehub
    from kagglehub.exceptions import KaggleApiHTTPError

    _kaggle_creds(monkeypatch)

    def refuse(handle, **kw):
        assert handle == "dogs-vs-cats" and kw["output_dir"].startswith(str(env))
        raise KaggleApiHTTPError("refused", response=_Response(status))

    monkeypatch.setattr(kagglehub, "competition_download", refuse)
    with pytest.raises(data.DataUnavailableError) as e:
        data.get("dogs-vs-cats", progress=False)
    assert needle in str(e.value)
    assert "s3cr3t" not in str(e.value) + capsys.readouterr().out


def test_kaggle_competition_download_with_nested_train_zip(env, tmp_path, monkeypatch, capsys):
    import kagglehub

    _kaggle_creds(monkeypatch)

    def deliver(handle, **kw):
        out = Path(kw["output_dir"])
        out.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(out / "train.zip", "w") as z:
            for i in range(2):
                z.writestr(f"train/cat.{i}.jpg", _jpeg())
                z.writestr(f"train/dog.{i}.jpg", _jpeg())
        (out / "sampleSubmission.csv").write_text("id,label\n")
        return str(out)

    monkeypatch.setattr(kagglehub, "competition_download", deliver)
    loc = data.get("dogs-vs-cats", progress=False)
    assert loc.source == "Kaggle dogs-vs-cats"
    assert sorted(p.name for p in (loc.path / "train").iterdir()) == ["cat.0.jpg", "cat.1.jpg", "dog.0.jpg", "dog.1.jpg"]
    assert "s3cr3t" not in capsys.readouterr().out


def test_kaggle_dataset_handle_is_pinned():
    sp = datasets.DATASETS["mnist"]
    assert sp.kaggle_kind == "dataset" and "/versions/" in sp.kaggle_handle
