"""Strip notebook outputs, except cells marked ``# NBVAL_CHECK_OUTPUT`` (whose outputs nbval compares).

python tools/nbclean.py notebooks/*.ipynb                      # strip
python tools/nbclean.py notebooks/04_x.ipynb --from /tmp/04.ipynb   # take checked outputs from an executed copy
python tools/nbclean.py --check notebooks/*.ipynb              # exit 1 if any notebook is not clean
"""

from __future__ import annotations

import argparse
import sys

import nbformat

MARK = "NBVAL_CHECK_OUTPUT"


def clean(nb: nbformat.NotebookNode, executed: nbformat.NotebookNode | None = None) -> bool:
    """Strip ``nb`` in place; return True when anything changed."""
    changed = False
    sources = {c.source: c for c in executed.cells} if executed else {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        keep = MARK in cell.source
        if keep and cell.source in sources:
            # stderr (TensorFlow's C++ start-up lines) is not part of what a checked cell teaches
            new = [o for o in sources[cell.source].outputs if o.get("name") != "stderr"]
            for o in new:
                o.pop("execution_count", None)
            if cell.outputs != new:
                cell.outputs, changed = new, True
        elif not keep and cell.outputs:
            cell.outputs, changed = [], True
        # nbval skips a checked cell whose execution_count is None ("unrun reference cell")
        count = (
            (
                sources[cell.source].execution_count
                if keep and cell.source in sources
                else cell.execution_count
            )
            if keep
            else None
        )
        if keep and cell.outputs and count is None:
            count = 1
        if cell.execution_count != count:
            cell.execution_count, changed = count, True
        if cell.metadata.get("execution"):
            cell.metadata.pop("execution")
            changed = True
    return changed


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("notebooks", nargs="+")
    p.add_argument("--from", dest="executed", help="an executed copy (one notebook only)")
    p.add_argument(
        "--check", action="store_true", help="only report; exit 1 when something would change"
    )
    a = p.parse_args()
    dirty = []
    for path in a.notebooks:
        nb = nbformat.read(path, as_version=4)
        executed = nbformat.read(a.executed, as_version=4) if a.executed else None
        if clean(nb, executed):
            dirty.append(path)
            if not a.check:
                nbformat.write(nb, path)
    if a.check and dirty:
        print("not clean (outputs outside NBVAL_CHECK_OUTPUT cells):", *dirty, sep="\n  ")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
