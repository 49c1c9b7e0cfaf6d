"""Safe extraction of .zip / .tar(.gz) archives (data.get).

Every member is checked before anything is written: an archive with one member that would land
outside the target (``..``, an absolute path, a drive letter) or that is a link or a device is
refused whole, so a hostile archive writes nothing. Tar members are then extracted with
``filter="data"`` as a second guard. A truncated archive raises :class:`ArchiveError`.
"""

from __future__ import annotations

import os
import stat
import tarfile
import zipfile
from pathlib import Path, PurePosixPath

from tqdm.auto import tqdm


class ArchiveError(RuntimeError):
    """The archive is unreadable (truncated, corrupt, or not an archive)."""


class UnsafeArchiveError(ArchiveError):
    """A member would escape the target folder or is a link: nothing was extracted."""


def _check_name(name: str) -> None:
    p = PurePosixPath(name.replace("\\", "/"))
    if p.is_absolute() or name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        raise UnsafeArchiveError(f"refused: member {name!r} has an absolute path")
    if ".." in p.parts:
        raise UnsafeArchiveError(f"refused: member {name!r} climbs out of the target with '..'")


def archive_kind(path: str | os.PathLike[str]) -> str | None:
    """'zip', 'tar' or None, judged by content (not by the file name)."""
    path = str(path)
    if zipfile.is_zipfile(path):
        return "zip"
    try:
        if tarfile.is_tarfile(path):
            return "tar"
    except (OSError, EOFError):
        return None
    return None


def list_members(path: str | os.PathLike[str]) -> list[str]:
    """Names of the regular files in the archive, after the safety check."""
    kind = archive_kind(path)
    if kind == "zip":
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            for i in infos:
                _check_zip_member(i)
            return [i.filename for i in infos if not i.is_dir()]
    if kind == "tar":
        with _open_tar(path) as t:
            members = _tar_members(t)
            return [m.name for m in members if m.isfile()]
    raise ArchiveError(f"{path}: not a zip or tar archive (or truncated)")


def _check_zip_member(info: zipfile.ZipInfo) -> None:
    _check_name(info.filename)
    mode = info.external_attr >> 16
    if mode and stat.S_ISLNK(mode):
        raise UnsafeArchiveError(f"refused: member {info.filename!r} is a symbolic link")


def _open_tar(path: str | os.PathLike[str]) -> tarfile.TarFile:
    try:
        return tarfile.open(path, "r:*")
    except (tarfile.TarError, EOFError, OSError) as e:
        raise ArchiveError(
            f"{path}: cannot read the archive ({e}); delete it to download again"
        ) from e


def _tar_members(t: tarfile.TarFile) -> list[tarfile.TarInfo]:
    try:
        members = t.getmembers()
    except (tarfile.TarError, EOFError, OSError) as e:
        raise ArchiveError(f"the archive is truncated or corrupt ({e})") from e
    for m in members:
        _check_name(m.name)
        if m.issym() or m.islnk():
            raise UnsafeArchiveError(f"refused: member {m.name!r} is a link")
        if not (m.isfile() or m.isdir()):
            raise UnsafeArchiveError(
                f"refused: member {m.name!r} is a device, fifo or special file"
            )
    return members


def safe_extract(
    archive: str | os.PathLike[str], target: str | os.PathLike[str], *, progress: bool = True
) -> Path:
    """Extract ``archive`` into ``target`` (created), refusing unsafe archives before writing."""
    archive, target = Path(archive), Path(target)
    kind = archive_kind(archive)
    if kind is None:
        raise ArchiveError(
            f"{archive}: not a zip or tar archive, or truncated; delete it to download again"
        )
    target.mkdir(parents=True, exist_ok=True)
    root = target.resolve()
    try:
        if kind == "zip":
            with zipfile.ZipFile(archive) as z:
                infos = z.infolist()
                for i in infos:
                    _check_zip_member(i)
                    if not (root / i.filename).resolve().is_relative_to(root):
                        raise UnsafeArchiveError(f"refused: member {i.filename!r} escapes {target}")
                for i in tqdm(
                    infos, desc=f"extract {archive.name}", unit="file", disable=not progress
                ):
                    z.extract(i, root)
        else:
            with _open_tar(archive) as t:
                members = _tar_members(t)
                for m in tqdm(
                    members, desc=f"extract {archive.name}", unit="file", disable=not progress
                ):
                    t.extract(m, root, filter="data")
    except UnsafeArchiveError:
        raise
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, OSError) as e:
        raise ArchiveError(
            f"{archive}: the archive is truncated or corrupt ({e}); delete it to download again"
        ) from e
    return target
