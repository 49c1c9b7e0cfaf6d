"""Finding ImageNet weight files and the ImageNet class index: which file, nothing else.

The notebooks build their backbone themselves (``keras.applications.VGG16(include_top=False,
weights=path)``); this module only answers *which file*, for weights and class index alike
(:func:`locate`): the Keras cache, then ``LECTURE_MIRROR/models/`` (Keras cache file names), then
a download into the Keras cache. A file path, unlike ``weights="imagenet"``, works at any input
size and never lets Keras touch the mirror. What each backbone's files are called lives in
``backbone_specs``. No TensorFlow import at module level, so ``doctor`` answers quickly.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from .backbone_specs import SPECS, spec
from .config import Settings, settings

_CLASS_INDEX_URL = (
    "https://storage.googleapis.com/download.tensorflow.org/data/imagenet_class_index.json"
)
_CLASS_INDEX_MD5 = (
    "c2c37ea517e94d9795004a39431a14cb"  # Keras' pin (keras/src/applications/imagenet_utils.py)
)
# Keras pins md5 hashes for these files only (keras/src/applications/vgg16.py)
_KERAS_MD5 = {
    "vgg16_weights_tf_dim_ordering_tf_kernels.h5": "64373286793e3c8b2b4e3219cbf3544b",
    "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5": "6d6bbae143d832006294945121d1f1fc",
}


class WeightsUnavailableError(RuntimeError):
    """No ImageNet weights file could be found or downloaded; the message says where we looked."""


def keras_cache_dir() -> Path:
    """``$KERAS_HOME/models`` or ``~/.keras/models`` (where Keras keeps downloaded weights)."""
    home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    return Path(home) / "models"


def _places(filename: str, mirror_folder: str, cfg: Settings) -> list[Path]:
    places = [keras_cache_dir() / filename]
    if cfg.mirror is not None:
        places.append(cfg.mirror / mirror_folder / filename)
    return places


def _present(places: list[Path]) -> Path | None:
    return next((p for p in places if p.is_file() and p.stat().st_size > 0), None)


def locate(
    filename: str,
    url: str,
    *,
    mirror_folder: str = "models",
    file_hash: str | None = None,
    cfg: Settings | None = None,
    download: bool = True,
) -> tuple[Path | None, list[str]]:
    """``filename`` from the Keras cache, else ``LECTURE_MIRROR/<mirror_folder>/``, else downloaded
    from ``url`` into the Keras cache (checked against ``file_hash``); with the places looked (and
    the download's failure) when none had it, so the caller can say so."""
    cfg = cfg or settings()
    places = _places(filename, mirror_folder, cfg)
    found = _present(places)
    if found or not download:
        return found, [str(p) for p in places]
    import keras

    try:
        got = keras.utils.get_file(filename, url, cache_subdir="models", file_hash=file_hash)
        return Path(got), []
    except Exception as e:  # noqa: BLE001 - Keras raises several kinds; all mean "no file"
        return None, [*map(str, places), f"{url} ({type(e).__name__}: {_first_line(e)})"]


def candidates(name: str, include_top: bool, cfg: Settings | None = None) -> list[Path]:
    """The places a weights file is looked for, in order: the Keras cache, then the mirror."""
    return _places(spec(name).filename(include_top), "models", cfg or settings())


def find(name: str, include_top: bool = False, cfg: Settings | None = None) -> Path | None:
    """The first existing, non-empty weights file for ``name``, or None (never downloads)."""
    return _present(candidates(name, include_top, cfg))


def _first_line(e: BaseException) -> str:
    return (str(e).splitlines() or [""])[0][:120]


def weights_path(
    name: str, include_top: bool = False, *, cfg: Settings | None = None, download: bool = True
) -> str | None:
    """The ImageNet weights file of backbone ``name``, for ``keras.applications.X(weights=...)``.

    Keras cache -> mirror -> download into the Keras cache. With none to be had, full mode raises
    :class:`WeightsUnavailableError` naming the file and every place looked; smoke mode prints that
    loudly and returns None, so the notebook builds the network with random weights and says so.
    """
    cfg = cfg or settings()
    fname = spec(name).filename(include_top)
    found, looked = locate(
        fname,
        spec(name).url(include_top),
        file_hash=_KERAS_MD5.get(fname),
        cfg=cfg,
        download=download,
    )
    if found:
        return str(found)
    others = [n for n in SPECS if n != name and find(n, include_top, cfg)]
    error = WeightsUnavailableError(
        f"No ImageNet weights for {name} ({fname}). Looked in:\n  - "
        + "\n  - ".join(looked)
        + "\nPut the file in one of those places (an instructor's LECTURE_MIRROR/models/ works offline)"
        + (
            f", or choose a backbone whose weights are here: LECTURE_BACKBONE={others[0]} "
            f"(available: {', '.join(others)})."
            if others
            else "."
        )
    )
    if not cfg.smoke or cfg.require_real:
        if cfg.require_real:
            raise WeightsUnavailableError(
                f"{error}\nNo random weights either: LECTURE_REQUIRE_REAL=1 (CI with a mirror)."
            )
        raise error
    print(
        f"!!! {error}\n!!! SMOKE MODE: building {name} with RANDOM weights; its predictions mean nothing."
    )
    return None


def with_top_backbone(preferred: str, cfg: Settings | None = None) -> str:
    """``preferred`` if its with-top (1000-class) weights are here, else the first backbone whose are,
    saying so (the mirror has MobileNet v1's classifier but no VGG16 or MobileNetV2 one)."""
    cfg = cfg or settings()
    if find(preferred, True, cfg):
        return preferred
    other = next((n for n in SPECS if n != preferred and find(n, True, cfg)), None)
    if other is None:
        return preferred  # weights_path downloads, or raises / warns as usual
    print(f"No with-top ImageNet weights for {preferred} here; using {other}'s classifier instead.")
    return other


def class_index_path(cfg: Settings | None = None) -> Path:
    """ImageNet's class index (1,000 ids and names): the Keras cache, the mirror, else a download."""
    found, looked = locate(
        "imagenet_class_index.json",
        _CLASS_INDEX_URL,
        mirror_folder="models/extras",
        file_hash=_CLASS_INDEX_MD5,
        cfg=cfg,
    )
    if found is None:
        raise WeightsUnavailableError(f"No ImageNet class index: looked in {', '.join(looked)}")
    return found


def use_offline_class_index(cfg: Settings | None = None) -> Path:
    """Hand the class index to Keras, so ``keras.applications.*.decode_predictions`` works offline.

    ``decode_predictions`` downloads the index unless it was loaded already; the mirror's copy differs
    from Keras' pinned file in whitespace only, so it cannot go into the Keras cache. We load it and
    give it to ``keras.src.applications.imagenet_utils`` directly: Keras has no public way to
    hand it an index, and this is the one private name the course sets (tests/test_weights.py
    checks that it still works).
    """
    path = class_index_path(cfg)
    index = json.loads(path.read_text())
    if len(index) != 1000:
        raise WeightsUnavailableError(f"{path} has {len(index)} classes, not ImageNet's 1,000.")
    from keras.src.applications import imagenet_utils

    imagenet_utils.CLASS_INDEX = index
    return path
