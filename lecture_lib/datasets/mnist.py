"""MNIST (LeCun et al.): the four original IDX files, their sources, and the arrays they hold.

``keras.datasets.mnist.load_data()`` downloads mnist.npz and cannot work offline; :func:`load`
reads the IDX files of whatever :func:`lecture_lib.data.get` found (mirror, Kaggle, URL or
synthetic) into the same four arrays.
"""

from __future__ import annotations

import gzip
import re
import zipfile
from pathlib import Path

import numpy as np

from .common import DatasetSpec, LayoutError, RemoteFile, link_or_copy, walk_files

STEMS = (
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
)
_MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",  # torchvision's mirror
    "https://storage.googleapis.com/cvdf-datasets/mnist/",  # TFDS' mirror
)
# the canonical IDX files' published hashes (as torchvision and TFDS pin them)
_SHA256 = {
    "train-images-idx3-ubyte.gz": "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
    "train-labels-idx1-ubyte.gz": "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
    "t10k-images-idx3-ubyte.gz": "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
    "t10k-labels-idx1-ubyte.gz": "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
}


class IdxFormatError(ValueError):
    """The file is not a valid IDX file (wrong magic number or size)."""


def read_idx(path: str | Path) -> np.ndarray:
    """Read one IDX file (``.gz`` or not) into a uint8 array of the shape its header gives."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as f:
        raw = f.read()
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08:
        raise IdxFormatError(f"{path}: not an unsigned-byte IDX file (magic {raw[:4].hex()})")
    ndim = raw[3]
    shape = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    expected = 4 + 4 * ndim + int(np.prod(shape))
    if len(raw) != expected:
        raise IdxFormatError(f"{path}: {len(raw):,} bytes, but its header promises {expected:,}")
    return np.frombuffer(raw, np.uint8, offset=4 + 4 * ndim).reshape(shape)


def load(folder: str | Path) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """``(x_train, y_train), (x_test, y_test)`` like ``keras.datasets.mnist.load_data()``."""
    f = files(Path(folder))
    return (
        (read_idx(f["train-images-idx3-ubyte"]), read_idx(f["train-labels-idx1-ubyte"])),
        (read_idx(f["t10k-images-idx3-ubyte"]), read_idx(f["t10k-labels-idx1-ubyte"])),
    )


def write_idx(path: Path, array: np.ndarray) -> None:
    """Write a uint8 array as a gzipped IDX file (the format of the original MNIST files)."""
    a = np.ascontiguousarray(array, dtype=np.uint8)
    header = bytes([0, 0, 0x08, a.ndim]) + b"".join(int(n).to_bytes(4, "big") for n in a.shape)
    with gzip.open(path, "wb", compresslevel=6) as f:
        f.write(header + a.tobytes())


def _file(root: Path, stem: str) -> Path | None:
    for name in (stem + ".gz", stem):
        p = root / name
        if p.is_file() and p.stat().st_size > 0:
            return p
    return None


def check(root: Path) -> tuple[bool, str]:
    missing = [s for s in STEMS if not _file(root, s)]
    return (not missing, "complete" if not missing else f"missing {', '.join(missing)}")


def files(root: Path) -> dict[str, Path]:
    """The four IDX files of a checked MNIST folder, by stem."""
    found = {s: _file(root, s) for s in STEMS}
    if not all(found.values()):
        raise LayoutError(f"{root}: {check(root)[1]}")
    return found  # type: ignore[return-value]


def assemble(roots: list[Path], out: Path, work: Path) -> None:
    """Canonical: the 4 IDX files (``.gz`` or not). Accepts Kaggle's dotted names and Keras' npz."""
    pattern = re.compile(r"^(train|t10k)-(images|labels)[.-](idx[13])-ubyte(\.gz)?$")
    found: dict[str, Path] = {}
    npz: Path | None = None
    for f in walk_files(roots):
        m = pattern.match(f.name)
        if m:
            stem = f"{m.group(1)}-{m.group(2)}-{m.group(3)}-ubyte"
            found.setdefault(stem + (m.group(4) or ""), f)
        elif f.name == "mnist.npz":
            npz = npz or f
    out.mkdir(parents=True, exist_ok=True)
    for stem in STEMS:
        src = found.get(stem + ".gz") or found.get(stem)
        if src is not None:
            link_or_copy(src, out / (stem + (".gz" if src.name.endswith(".gz") else "")))
    if check(out)[0]:
        return
    if npz is None:
        raise LayoutError(f"no MNIST IDX files or mnist.npz found ({check(out)[1]})")
    try:
        with np.load(npz, allow_pickle=False) as d:
            arrays = {
                "train-images-idx3-ubyte": d["x_train"],
                "train-labels-idx1-ubyte": d["y_train"],
                "t10k-images-idx3-ubyte": d["x_test"],
                "t10k-labels-idx1-ubyte": d["y_test"],
            }
    except (
        OSError,
        ValueError,
        EOFError,
        KeyError,
        zipfile.BadZipFile,
    ) as e:  # empty, truncated, not an npz
        raise LayoutError(
            f"{npz.name} is not a readable mnist.npz ({type(e).__name__}: {e})"
        ) from None
    for stem, a in arrays.items():
        write_idx(out / (stem + ".gz"), a)


def synthesize(target: Path, seed: int = 0) -> None:
    """2,000 + 500 28x28 images: a bar whose position encodes the digit (smoke mode only)."""
    rng = np.random.default_rng(seed)
    target.mkdir(parents=True, exist_ok=True)
    for split, n in (("train", 2000), ("t10k", 500)):
        labels = rng.integers(0, 10, n).astype(np.uint8)
        images = np.zeros((n, 28, 28), np.uint8)
        for i, y in enumerate(labels):
            images[i, 4:24, 2 + 2 * y : 5 + 2 * y] = 255
        images = np.clip(images + rng.integers(0, 40, images.shape), 0, 255).astype(np.uint8)
        write_idx(target / f"{split}-images-idx3-ubyte.gz", images)
        write_idx(target / f"{split}-labels-idx1-ubyte.gz", labels)


SPEC = DatasetSpec(
    name="mnist",
    title="MNIST handwritten digits (60,000 train + 10,000 test, 28x28 grey)",
    kaggle_kind="dataset",
    kaggle_handle="hojjatk/mnist-dataset/versions/1",
    url_routes=tuple(
        tuple(RemoteFile(base + f, h, f) for f, h in _SHA256.items()) for base in _MIRRORS
    )
    + (
        (
            RemoteFile(
                "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz",
                "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1",
                "mnist.npz",
            ),
        ),
    ),  # Keras' pin
    check=check,
    assemble=assemble,
    synthesize=synthesize,
    layout="mnist/{train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]",
    citation="Y. LeCun, C. Cortes, C. J. C. Burges: The MNIST database of handwritten digits.",
    terms="CC BY-SA 3.0 (as TFDS and Hugging Face label it): attribute, share alike.",
    mirror_archives=("mnist.npz", "mnist.zip"),
)
