"""The course's datasets: one module, one :class:`DatasetSpec` each (docs/architecture.md).

Everything the course knows about a dataset lives in its module: sources, layout check, how to
assemble the layout from a source's delivery, files by class and the smoke-mode stand-in.
``data.get`` and ``prepare`` know no dataset by name.
"""

from __future__ import annotations

from . import dogs_vs_cats, flowers17, mnist
from .common import DatasetSpec, LayoutError, RemoteFile, link_or_copy

DATASETS: dict[str, DatasetSpec] = {m.SPEC.name: m.SPEC for m in (mnist, flowers17, dogs_vs_cats)}

__all__ = ["DATASETS", "DatasetSpec", "LayoutError", "RemoteFile", "link_or_copy", "spec"]


def spec(name: str) -> DatasetSpec:
    """The entry for ``name``, or a KeyError that lists the known names."""
    try:
        return DATASETS[name]
    except KeyError:
        raise KeyError(f"unknown dataset {name!r}; known: {', '.join(DATASETS)}") from None
