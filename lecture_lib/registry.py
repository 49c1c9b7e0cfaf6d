"""The course's datasets: one table of where each comes from and how to check it (data.get).

Hashes are the published ones: MNIST's canonical IDX files (as torchvision/TFDS pin them), Keras'
own pin of mnist.npz, Oxford's 17flowers.tgz (as intel/dffml pins it), Microsoft's older PetImages
zip (as TFDS pins it). Microsoft's current PetImages zip has no published sha256: its hash is
recorded on first download and printed so an instructor can pin it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import layouts


@dataclass(frozen=True)
class RemoteFile:
    """One file at a public URL; ``sha256=None`` only where no hash is published anywhere."""

    url: str
    sha256: str | None
    filename: str


@dataclass(frozen=True)
class DatasetSpec:
    name: str
    title: str
    kaggle_kind: str  # "competition" or "dataset"
    kaggle_handle: str  # datasets carry a pinned version: owner/slug/versions/N
    url_routes: tuple[tuple[RemoteFile, ...], ...]  # each route: files that together are the dataset
    check: Callable[[Path], tuple[bool, str]]
    assemble: Callable[[list[Path], Path, Path], None]
    layout: str
    citation: str
    terms: str
    mirror_archives: tuple[str, ...] = field(default=())

    @property
    def kaggle_url(self) -> str:
        if self.kaggle_kind == "competition":
            return f"https://www.kaggle.com/c/{self.kaggle_handle}"
        return "https://www.kaggle.com/datasets/" + "/".join(self.kaggle_handle.split("/")[:2])

    @property
    def kaggle_rules_url(self) -> str:
        return f"{self.kaggle_url}/rules" if self.kaggle_kind == "competition" else self.kaggle_url


_MNIST_MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",  # torchvision's mirror
    "https://storage.googleapis.com/cvdf-datasets/mnist/",  # TFDS' mirror
)
_MNIST_SHA256 = {
    "train-images-idx3-ubyte.gz": "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
    "train-labels-idx1-ubyte.gz": "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
    "t10k-images-idx3-ubyte.gz": "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
    "t10k-labels-idx1-ubyte.gz": "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
}

DATASETS: dict[str, DatasetSpec] = {
    spec.name: spec
    for spec in (
        DatasetSpec(
            name="mnist",
            title="MNIST handwritten digits (60,000 train + 10,000 test, 28x28 grey)",
            kaggle_kind="dataset",
            kaggle_handle="hojjatk/mnist-dataset/versions/1",
            url_routes=tuple(
                tuple(RemoteFile(base + f, h, f) for f, h in _MNIST_SHA256.items()) for base in _MNIST_MIRRORS
            )
            + (
                (
                    RemoteFile(
                        "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz",
                        "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1",
                        "mnist.npz",
                    ),
                ),
            ),
            check=layouts.check_mnist,
            assemble=layouts.assemble_mnist,
            layout="mnist/{train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]",
            citation="Y. LeCun, C. Cortes, C. J. C. Burges: The MNIST database of handwritten digits.",
            terms="CC BY-SA 3.0 (as TFDS and Hugging Face label it): attribute, share alike.",
            mirror_archives=("mnist.npz", "mnist.zip"),
        ),
        DatasetSpec(
            name="flowers17",
            title="Oxford 17 Category Flower Dataset (17 classes x 80 images)",
            kaggle_kind="dataset",
            kaggle_handle="",  # no Kaggle copy is used: Oxford's own archive is public
            url_routes=(
                (
                    RemoteFile(
                        "https://www.robots.ox.ac.uk/~vgg/data/flowers/17/17flowers.tgz",
                        "fe38a60f8b4a95e657551247d3e7d799a3fafcdbc595be504b12839967823d70",
                        "17flowers.tgz",
                    ),
                ),
            ),
            check=layouts.check_flowers17,
            assemble=layouts.assemble_flowers17,
            layout="flowers17/jpg/image_0001.jpg ... image_1360.jpg",
            citation="M.-E. Nilsback, A. Zisserman: A Visual Vocabulary for Flower Classification. CVPR 2006.",
            terms="Research and teaching use with citation (Oxford VGG states no other licence).",
            mirror_archives=("17flowers.tgz", "flowers17.tgz", "flowers17.zip"),
        ),
        DatasetSpec(
            name="dogs-vs-cats",
            title="Kaggle Dogs vs. Cats (Asirra): 25,000 labelled photos",
            kaggle_kind="competition",
            kaggle_handle="dogs-vs-cats",  # competitions have no versions on Kaggle
            url_routes=(
                (
                    RemoteFile(
                        "https://download.microsoft.com/download/3/E/1/3E1C3F21-ECDB-4869-8368-6DEBA77B919F/kagglecatsanddogs_5340.zip",
                        None,  # Microsoft publishes no hash; recorded on first download
                        "kagglecatsanddogs_5340.zip",
                    ),
                ),
                (
                    RemoteFile(
                        "https://download.microsoft.com/download/3/E/1/3E1C3F21-ECDB-4869-8368-6DEBA77B919F/kagglecatsanddogs_3367a.zip",
                        "f9553e426bd725354ed3a27e3c6920caadb55c835d1ebd880d2e56d3f1fbb22b",
                        "kagglecatsanddogs_3367a.zip",
                    ),
                ),
            ),
            check=layouts.check_dogs_vs_cats,
            assemble=layouts.assemble_dogs_vs_cats,
            layout="dogs-vs-cats/train/cat.N.jpg, dog.N.jpg",
            citation=(
                "J. Elson, J. Douceur, J. Howell, J. Saul: Asirra: A CAPTCHA that Exploits "
                "Interest-Aligned Manual Image Categorization. ACM CCS 2007."
            ),
            terms=(
                "Microsoft Research / Kaggle rules: non-commercial research and teaching only; "
                "the images may not be re-published (never commit them)."
            ),
            mirror_archives=("dogs-vs-cats.zip", "train.zip", "kagglecatsanddogs_5340.zip", "kagglecatsanddogs_3367a.zip"),
        ),
    )
}


def spec(name: str) -> DatasetSpec:
    """The registry entry for ``name``, or a KeyError that lists the known names."""
    try:
        return DATASETS[name]
    except KeyError:
        raise KeyError(f"unknown dataset {name!r}; known: {', '.join(DATASETS)}") from None
