"""safe_extract(): hostile archives write nothing; good ones extract."""

from __future__ import annotations

import io
import tarfile
import zipfile
from pathlib import Path

import pytest

from lecture_lib.archives import ArchiveError, UnsafeArchiveError, list_members, safe_extract


def _tar(path: Path, members: list[tuple[tarfile.TarInfo, bytes | None]]) -> Path:
    with tarfile.open(path, "w:gz") as t:
        for info, data in members:
            if data is not None:
                info.size = len(data)
                t.addfile(info, io.BytesIO(data))
            else:
                t.addfile(info)
    return path


def _file(name: str) -> tarfile.TarInfo:
    return tarfile.TarInfo(name)


def _link(name: str, target: str, kind: bytes) -> tarfile.TarInfo:
    i = tarfile.TarInfo(name)
    i.type, i.linkname = kind, target
    return i


def _snapshot(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


@pytest.mark.parametrize(
    "members, why",
    [
        ([(_file("ok.txt"), b"fine"), (_file("../evil.txt"), b"pwned")], "'..'"),
        ([(_file("ok.txt"), b"fine"), (_file("/tmp/evil-abs.txt"), b"pwned")], "absolute"),
        (
            [(_file("ok.txt"), b"fine"), (_link("link", "/etc/passwd", tarfile.SYMTYPE), None)],
            "link",
        ),
        ([(_link("hard", "/etc/passwd", tarfile.LNKTYPE), None)], "link"),
        ([(_link("inside-link", "ok.txt", tarfile.SYMTYPE), None)], "link"),
    ],
)
def test_hostile_tar_writes_nothing(tmp_path, members, why):
    box = tmp_path / "box"
    target = box / "target"
    box.mkdir()
    before = _snapshot(tmp_path)
    archive = _tar(tmp_path / "evil.tgz", members)
    with pytest.raises(UnsafeArchiveError, match=why):
        safe_extract(archive, target, progress=False)
    after = _snapshot(tmp_path) - {"evil.tgz", "box/target"}
    assert after == before
    assert not target.exists() or not any(target.iterdir())
    assert not Path("/tmp/evil-abs.txt").exists()


def test_zip_slip_absolute_and_symlink_are_refused(tmp_path):
    for name, setup in [
        ("slip.zip", lambda z: z.writestr("../../evil.txt", "x")),
        ("abs.zip", lambda z: z.writestr("/abs-evil.txt", "x")),
        ("sym.zip", lambda z: _zip_symlink(z, "ln", "/etc/passwd")),
    ]:
        archive = tmp_path / name
        with zipfile.ZipFile(archive, "w") as z:
            z.writestr("good.txt", "ok")
            setup(z)
        target = tmp_path / f"out-{name}"
        with pytest.raises(UnsafeArchiveError):
            safe_extract(archive, target, progress=False)
        assert not any(target.iterdir())
    assert not (tmp_path.parent / "evil.txt").exists()


def _zip_symlink(z: zipfile.ZipFile, name: str, target: str) -> None:
    info = zipfile.ZipInfo(name)
    info.external_attr = 0o120777 << 16
    z.writestr(info, target)


def test_truncated_archive_is_a_clear_error(tmp_path):
    good = _tar(
        tmp_path / "good.tgz", [(_file(f"d/f{i}.bin"), bytes(5000) + bytes([i])) for i in range(20)]
    )
    data = good.read_bytes()
    bad = tmp_path / "cut.tgz"
    bad.write_bytes(data[: len(data) // 2])
    with pytest.raises(ArchiveError, match="truncated|corrupt|not a zip"):
        safe_extract(bad, tmp_path / "out", progress=False)


def test_good_archives_extract(tmp_path):
    tgz = _tar(tmp_path / "g.tgz", [(_file("jpg/a.txt"), b"A"), (_file("jpg/b.txt"), b"B")])
    out = safe_extract(tgz, tmp_path / "t", progress=False)
    assert (out / "jpg" / "b.txt").read_bytes() == b"B"
    assert sorted(list_members(tgz)) == ["jpg/a.txt", "jpg/b.txt"]
    zp = tmp_path / "g.zip"
    with zipfile.ZipFile(zp, "w") as z:
        z.writestr("PetImages/Cat/0.jpg", "c")
    assert (
        safe_extract(zp, tmp_path / "z", progress=False) / "PetImages" / "Cat" / "0.jpg"
    ).read_text() == "c"
