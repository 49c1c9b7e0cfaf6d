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


@pytest.fixture
def few_photos_suffice(monkeypatch):
    """Small Dogs vs. Cats deliveries count as complete (the real bar is 2,000 per class)."""
    monkeypatch.setattr(datasets.dogs_vs_cats, "NEEDED_PER_CLASS", 1)


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
    monkeypatch.setitem(
        datasets.DATASETS, name, dataclasses.replace(datasets.DATASETS[name], url_routes=routes)
    )


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
    (mirror / "datasets" / "mnist.npz").write_bytes(
        b""
    )  # an unusable candidate, tried first: skipped with a reason
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w") as z:
        for f in sorted(_synth("mnist", tmp_path / "src").iterdir()):
            z.write(f, f"some/dir/{f.name}")
    (mirror / "datasets" / "mnist.zip").write_bytes(zbuf.getvalue())
    monkeypatch.setenv("LECTURE_MIRROR", str(mirror))
    loc = data.get("mnist", progress=False)
    assert loc.path == env / "raw" / "mnist" and (loc.path / data.MARKER).is_file()
    assert loc.source == f"mirror archive {mirror / 'datasets' / 'mnist.zip'}"
    bad = [(src, why) for src, why in loc.attempts if str(mirror / "datasets" / "mnist.npz") in why]
    assert len(bad) == 1 and bad[0][0] == "mirror" and "not a readable mnist.npz" in bad[0][1], (
        loc.attempts
    )
    assert not list((env / "raw").glob(".*partial"))
    again = data.get("mnist", progress=False)
    assert again.source.startswith("data dir (from mirror archive")


def test_url_route_over_http_with_hash(env, tmp_path, http_server, monkeypatch):
    url, sha = http_server.add("/mnist.tgz", _mnist_tgz(tmp_path))
    _route(monkeypatch, "mnist", (RemoteFile(url, sha, "mnist.tgz"),))
    loc = data.get("mnist", progress=False)
    assert loc.source == f"URL {url}"
    assert {p.name for p in loc.path.iterdir()} >= {
        "train-images-idx3-ubyte.gz",
        "t10k-labels-idx1-ubyte.gz",
    }


def test_wrong_hash_falls_through_to_next_route(env, tmp_path, http_server, monkeypatch):
    url, sha = http_server.add("/mnist.tgz", _mnist_tgz(tmp_path))
    _route(
        monkeypatch,
        "mnist",
        (RemoteFile(url, "f" * 64, "bad.tgz"),),
        (RemoteFile(url, sha, "mnist.tgz"),),
    )
    loc = data.get("mnist", progress=False)
    assert "sha256" in loc.attempts[-1][1] and loc.source == f"URL {url}"


def test_petimages_zip_becomes_kaggle_layout(env, http_server, monkeypatch, few_photos_suffice):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for i in range(3):
            z.writestr(f"PetImages/Cat/{i}.jpg", _jpeg((200, 40, 40)))
            z.writestr(f"PetImages/Dog/{i}.jpg", _jpeg((40, 40, 200)))
        z.writestr(
            "PetImages/Cat/666.jpg", b""
        )  # Microsoft's zip really has empty and corrupt files
        z.writestr("PetImages/Dog/Thumbs.db", b"junk")
    url, _ = http_server.add("/pets.zip", buf.getvalue())
    _route(monkeypatch, "dogs-vs-cats", (RemoteFile(url, None, "pets.zip"),))
    loc = data.get("dogs-vs-cats", progress=False)
    names = sorted(p.name for p in (loc.path / "train").iterdir())
    assert names == [
        "cat.0.jpg",
        "cat.1.jpg",
        "cat.2.jpg",
        "cat.666.jpg",
        "dog.0.jpg",
        "dog.1.jpg",
        "dog.2.jpg",
    ]
    assert (env / "downloads" / "dogs-vs-cats" / "pets.zip.sha256").is_file()  # unpinned: recorded


def test_interrupted_run_is_redone_and_hand_placed_folder_is_kept(
    env, tmp_path, http_server, monkeypatch
):
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
    _route(
        monkeypatch,
        "dogs-vs-cats",
        (RemoteFile(closed_port_url("/a.zip"), None, "a.zip"),),
        (RemoteFile(closed_port_url("/b.zip"), "0" * 64, "b.zip"),),
    )
    t = time.monotonic()
    with pytest.raises(data.DataUnavailableError) as e:
        data.get("dogs-vs-cats", progress=False)
    assert time.monotonic() - t < 60
    msg = str(e.value)
    for needle in (
        "data dir",
        "LECTURE_MIRROR is not set",
        "no credentials",
        "could not connect",
        "kaggle.json",
        "https://www.kaggle.com/c/dogs-vs-cats/rules",
        "LECTURE_SMOKE=1",
    ):
        assert needle in msg, needle
    assert [a[0] for a in e.value.attempts] == ["data dir", "mirror", "Kaggle", "URL", "URL"]


def test_smoke_mode_falls_back_to_loud_synthetic_data(env, monkeypatch, capsys):
    monkeypatch.setenv("LECTURE_SMOKE", "1")
    _route(monkeypatch, "dogs-vs-cats", (RemoteFile(closed_port_url(), None, "a.zip"),))
    loc = data.get("dogs-vs-cats", progress=False)
    assert loc.synthetic and "SYNTHETIC" in str(loc)
    out = capsys.readouterr().out
    assert "SYNTHETIC STAND-IN DATA" in out and "NOT THE REAL DATASET" in out
    by_class = datasets.DATASETS["dogs-vs-cats"].files_by_class(loc.path)  # the real layout, small
    assert {k: len(v) for k, v in by_class.items()} == {"cats": 120, "dogs": 120}


# --- Kaggle, up to the kagglehub call boundary ------------------------------------------------


class _Response:
    def __init__(self, status: int) -> None:
        self.status_code = status


def _kaggle_creds(monkeypatch):
    monkeypatch.setenv("KAGGLE_USERNAME", "student")
    monkeypatch.setenv("KAGGLE_KEY", "s3cr3t-key-never-shown")
    _route(monkeypatch, "dogs-vs-cats", (RemoteFile(closed_port_url(), None, "a.zip"),))


def _kaggle_failures():
    import requests
    from kagglehub import exceptions as kx

    http = lambda code: kx.KaggleApiHTTPError("refused", response=_Response(code))  # noqa: E731
    return [
        (
            http(403),
            "Kaggle answered 403 Forbidden for dogs-vs-cats: you have not accepted the competition's rules",
        ),
        (http(401), "Kaggle answered 401 Unauthorized: your token is wrong or expired"),
        (http(404), "Kaggle has no competition 'dogs-vs-cats' (404)"),
        (http(500), "Kaggle answered HTTP 500"),
        (
            requests.ConnectionError("no route"),
            "could not reach kaggle.com (ConnectionError): offline?",
        ),
        (
            requests.exceptions.ChunkedEncodingError("Connection broken: IncompleteRead"),
            "the download from Kaggle broke off",
        ),
        (
            kx.DataCorruptionError("hash mismatch"),
            "Kaggle's download was corrupt and was discarded (hash mismatch)",
        ),
        (kx.BackendError("502 from the backend"), "Kaggle's server failed (502 from the backend)"),
        (kx.NotFoundError("gone"), "Kaggle has no competition 'dogs-vs-cats'."),
    ]


@pytest.mark.parametrize("case", range(9))
def test_each_kaggle_failure_says_what_to_do_and_falls_through_to_the_urls(
    case, env, monkeypatch, capsys, http_server, few_photos_suffice
):
    import kagglehub

    error, message = _kaggle_failures()[case]
    _kaggle_creds(monkeypatch)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("PetImages/Cat/1.jpg", _jpeg())
        z.writestr("PetImages/Dog/1.jpg", _jpeg())
    url, sha = http_server.add("/pets.zip", buf.getvalue())
    _route(monkeypatch, "dogs-vs-cats", (RemoteFile(url, sha, "pets.zip"),))

    def refuse(handle, **kw):
        assert handle == "dogs-vs-cats" and kw["output_dir"].startswith(str(env))
        raise error

    monkeypatch.setattr(kagglehub, "competition_download", refuse)
    loc = data.get("dogs-vs-cats", progress=False)
    assert loc.source == f"URL {url}"  # the next source delivered
    kaggle = [why for src, why in loc.attempts if src == "Kaggle"]
    assert len(kaggle) == 1 and kaggle[0].startswith(message), kaggle
    if case == 0:
        assert (
            "https://www.kaggle.com/c/dogs-vs-cats/rules" in kaggle[0]
            and "I Understand and Accept" in kaggle[0]
        )
    assert "s3cr3t" not in str(loc.attempts) + capsys.readouterr().out


def test_kaggle_competition_download_with_nested_train_zip(
    env, tmp_path, monkeypatch, capsys, few_photos_suffice
):
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
    assert sorted(p.name for p in (loc.path / "train").iterdir()) == [
        "cat.0.jpg",
        "cat.1.jpg",
        "dog.0.jpg",
        "dog.1.jpg",
    ]
    assert "s3cr3t" not in capsys.readouterr().out


def test_kaggle_dataset_handle_is_pinned():
    sp = datasets.DATASETS["mnist"]
    assert sp.kaggle_kind == "dataset" and "/versions/" in sp.kaggle_handle


def test_a_hand_placed_partial_copy_is_not_trusted(env, tmp_path, monkeypatch):
    mine = env / "raw" / "dogs-vs-cats" / "train"
    mine.mkdir(parents=True)
    (mine / "cat.1.jpg").write_bytes(_jpeg())
    (mine / "dog.1.jpg").write_bytes(_jpeg())
    ok, why = datasets.DATASETS["dogs-vs-cats"].check(mine.parent)
    assert not ok and "1 cat.N.jpg and 1 dog.N.jpg" in why and "need 2,000 of each" in why
    mirror = tmp_path / "mirror" / "datasets" / "dogs-vs-cats" / "train"
    mirror.mkdir(parents=True)
    for i in range(2000):
        for cls in ("cat", "dog"):
            (mirror / f"{cls}.{i}.jpg").write_bytes(b"x")
    monkeypatch.setenv("LECTURE_MIRROR", str(tmp_path / "mirror"))
    loc = data.get("dogs-vs-cats", progress=False)
    assert loc.source.startswith("mirror") and "need 2,000 of each" in loc.attempts[0][1]
    aside = list((env / "raw").glob("dogs-vs-cats.incomplete-*"))
    assert (
        len(aside) == 1 and (aside[0] / "train" / "cat.1.jpg").is_file()
    )  # set aside, never deleted


def test_require_real_refuses_the_synthetic_stand_in_and_random_weights(env, monkeypatch):
    from lecture_lib import weights

    monkeypatch.setenv("LECTURE_SMOKE", "1")
    monkeypatch.setenv("LECTURE_REQUIRE_REAL", "1")
    _route(monkeypatch, "dogs-vs-cats", (RemoteFile(closed_port_url(), None, "a.zip"),))
    with pytest.raises(data.DataUnavailableError, match="LECTURE_REQUIRE_REAL=1"):
        data.get("dogs-vs-cats", progress=False)
    assert not (env / "synthetic").exists()
    monkeypatch.setattr(weights, "candidates", lambda *a, **k: [])
    import keras

    monkeypatch.setattr(
        keras.utils, "get_file", lambda *a, **k: (_ for _ in ()).throw(OSError("offline (test)"))
    )
    with pytest.raises(weights.WeightsUnavailableError, match="No random weights either"):
        weights.weights_path("mobilenet")


def test_link_or_copy_falls_back_to_a_copy_without_hard_links(tmp_path, monkeypatch):
    """Windows shares, FAT drives and other volumes refuse hard links: the file is copied instead."""
    from lecture_lib.datasets import common

    src = tmp_path / "a.jpg"
    src.write_bytes(b"photo")

    def refuse(*_args):
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(common.os, "link", refuse)
    common.link_or_copy(src, tmp_path / "out" / "a.jpg")
    assert (tmp_path / "out" / "a.jpg").read_bytes() == b"photo" and src.stat().st_nlink == 1
