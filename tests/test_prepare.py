"""prepare: bad images are left out and listed, odd ones converted, splits idempotent and safe."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from PIL import Image

from lecture_lib import datasets, images, prepare


def _save(path: Path, mode="RGB", size=(48, 40), fmt="JPEG", color=None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new(
        mode,
        size,
        color
        if color is not None
        else (120 if mode in ("L", "P") else (120, 60, 30) if mode == "RGB" else (10, 20, 30, 40)),
    ).save(path, fmt)
    return path


@pytest.fixture
def zoo(tmp_path: Path) -> dict[str, list[Path]]:
    """Two classes of real JPEGs plus every kind of bad or odd file in the 'cats' class."""
    raw = tmp_path / "raw" / "train"
    for i in range(12):
        _save(raw / f"cat.{i}.jpg", color=(i * 9 % 255, 80, 80))
        _save(raw / f"dog.{i}.jpg", color=(80, 80, i * 9 % 255))
    (raw / "cat.100.jpg").write_bytes(b"")  # 0 bytes
    good = (raw / "cat.0.jpg").read_bytes()
    big = _save(tmp_path / "big.jpg", size=(400, 300))
    (raw / "cat.101.jpg").write_bytes(big.read_bytes()[: len(big.read_bytes()) // 2])  # truncated
    (raw / "cat.102.jpg").write_text("<html>not an image</html>")  # not an image
    _save(raw / "cat.103.jpg", fmt="PNG")  # PNG named .jpg
    _save(raw / "cat.104.jpg", mode="L")  # greyscale
    _save(raw / "cat.105.jpg", mode="CMYK")  # CMYK
    _save(raw / "cat.106.jpg", size=(5000, 16))  # huge
    assert good
    files = datasets.DATASETS["dogs-vs-cats"].files_by_class(raw.parent)
    assert len(files["cats"]) == 19 and len(files["dogs"]) == 12
    return files


def _hashes(files: dict[str, list[Path]]) -> dict[str, str]:
    return {str(f): hashlib.sha256(f.read_bytes()).hexdigest() for fs in files.values() for f in fs}


def test_split_leaves_out_bad_converts_odd_and_keeps_originals(zoo, tmp_path):
    before = _hashes(zoo)
    out = tmp_path / "prepared"
    rep = prepare.split_directories(zoo, out, {"train": 8, "validation": 4, "test": 4}, seed=1)
    assert sorted(n for n, _ in rep.excluded) == [
        "cats/cat.100.jpg",
        "cats/cat.101.jpg",
        "cats/cat.102.jpg",
    ]
    assert rep.counts == {
        sp: {"cats": n, "dogs": int(n * 12 / 16)}
        for sp, n in (("train", 8), ("validation", 4), ("test", 4))
    }  # dogs: too few, shrunk in proportion
    for f in out.rglob("*.jpg"):
        with Image.open(f) as img:
            assert (
                img.format == "JPEG"
                and img.mode == "RGB"
                and max(img.size) <= images.STANDARD_MAX_SIDE == 1024
            )
    placed = {f.name for f in out.rglob("*.jpg")}
    assert not placed & {"cat.100.jpg", "cat.101.jpg", "cat.102.jpg"}
    assert _hashes(zoo) == before and all(Path(p).exists() for p in before)
    assert "left out 3 unusable file(s)" in str(rep)


def test_split_is_idempotent_and_seeded(zoo, tmp_path):
    out = tmp_path / "p"
    per = {"train": 6, "validation": 2, "test": 2}
    first = prepare.split_directories(zoo, out, per, seed=7)
    tree = sorted(str(p.relative_to(out)) for p in out.rglob("*"))
    mtimes = {p: p.stat().st_mtime_ns for p in out.rglob("*.jpg")}
    second = prepare.split_directories(zoo, out, per, seed=7)
    assert first.changed and not second.changed and "nothing to do" in str(second)
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*")) == tree
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.jpg")} == mtimes
    other = prepare.split_directories(zoo, tmp_path / "q", per, seed=8)
    assert sorted(p.name for p in (tmp_path / "q" / "train" / "dogs").iterdir()) != sorted(
        p.name for p in (out / "train" / "dogs").iterdir()
    )
    assert other.changed
    # no file appears in two splits
    names = [p.name for p in out.rglob("*.jpg")]
    assert len(names) == len(set(names))


def test_a_changed_plan_rebuilds_without_touching_originals(zoo, tmp_path):
    out = tmp_path / "p"
    prepare.split_directories(zoo, out, {"train": 6, "validation": 2, "test": 2})
    rep = prepare.split_directories(zoo, out, {"train": 3, "validation": 1, "test": 1})
    assert rep.changed and len(list(out.rglob("*.jpg"))) == 10
    assert all(f.exists() for fs in zoo.values() for f in fs)


def test_flowers17_classes_come_in_blocks_of_80(tmp_path):
    jpg = tmp_path / "jpg"
    jpg.mkdir()
    for i in (1, 80, 81, 1360):
        (jpg / f"image_{i:04d}.jpg").write_bytes(b"x")
    files = datasets.DATASETS["flowers17"].files_by_class(tmp_path)
    assert [f.name for f in files["daffodil"]] == ["image_0001.jpg", "image_0080.jpg"]
    assert [f.name for f in files["snowdrop"]] == ["image_0081.jpg"]
    assert [f.name for f in files["pansy"]] == ["image_1360.jpg"]


def _tree(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_a_rebuild_after_an_interrupted_run_equals_a_clean_run(zoo, tmp_path):
    per = {"train": 6, "validation": 2, "test": 2}
    clean = tmp_path / "clean"
    prepare.split_directories(zoo, clean, per, seed=3)
    # what an interrupted run of another plan leaves: files of that plan, one half-written, no manifest
    out = tmp_path / "p"
    prepare.split_directories(zoo, out, {"train": 4, "validation": 3, "test": 3}, seed=9)
    (out / prepare.MANIFEST).unlink()
    planned = next(rel for rel in _tree(clean) if rel.startswith("test/") and rel.endswith(".jpg"))
    (out / planned).parent.mkdir(parents=True, exist_ok=True)
    (out / planned).unlink(missing_ok=True)
    (out / planned).write_bytes(b"\xff\xd8half a jpeg")  # the file the new plan wants, half-written
    (tmp_path / ".p.partial" / "train").mkdir(parents=True)  # and a build that was killed midway
    rep = prepare.split_directories(zoo, out, per, seed=3)
    assert rep.changed and _tree(out) == _tree(clean)
    names = [p.name for p in out.rglob("*.jpg")]
    assert len(names) == len(set(names))  # no photo in two splits
    assert not (tmp_path / ".p.partial").exists() and not (tmp_path / ".p.old").exists()
    assert all(f.exists() for fs in zoo.values() for f in fs)  # originals untouched


def test_course_split_uses_the_specs_plan_and_folder_for_the_mode(env, zoo, monkeypatch):
    """The notebooks after 01 call ``course_split``: one plan per dataset, in one place."""
    from lecture_lib import config, data

    location = data.DatasetLocation("dogs-vs-cats", next(iter(zoo["dogs"])).parent.parent, "test")
    spec = datasets.spec("dogs-vs-cats")
    monkeypatch.setenv("LECTURE_SMOKE", "1")
    s = config.settings()
    report = prepare.course_split(location, s)
    assert report.root == s.data_dir / "prepared" / "dogs-vs-cats-small"
    assert (
        report.requested == spec.split_plan["smoke"] == {"train": 40, "validation": 20, "test": 20}
    )
    assert prepare.course_split(location, s).changed is False  # the same plan again: a no-op
    monkeypatch.delenv("LECTURE_SMOKE")
    full = prepare.course_split(location, config.settings())
    assert full.root.name == "dogs-vs-cats" and full.requested["train"] == 1000


def test_notebook_01_writes_out_the_plan_the_later_notebooks_use():
    """Notebook 01 teaches the split in its own cells; the spec must hold the same plan, or 03 and
    08 would rebuild 01's folder with another one."""
    import ast
    import json
    import re

    nb = (
        Path(__file__).resolve().parents[1]
        / "notebooks"
        / "01_image_classification_and_datasets.ipynb"
    )
    code = "\n".join("".join(c["source"]) for c in json.loads(nb.read_text())["cells"])
    full, smoke = re.search(r"per_class = run\.pick\((\{.*?\}), (\{.*?\})\)", code).groups()
    plan = datasets.spec("dogs-vs-cats").split_plan
    assert (ast.literal_eval(full), ast.literal_eval(smoke)) == (plan["full"], plan["smoke"])
    assert '"dogs-vs-cats-small" if run.smoke else "dogs-vs-cats"' in code
    assert datasets.spec("dogs-vs-cats").prepared_name == "dogs-vs-cats"
