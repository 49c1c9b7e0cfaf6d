"""What nbval checks, for the browser test: the outputs of the '# NBVAL_CHECK_OUTPUT' cells.

The browser test already executes every lecture notebook (in JupyterLab, as a learner does);
comparing its saved outputs with the committed ones here means nbval need not execute them a
second time (conftest.py leaves notebooks/ to the browser test when Chromium is there).
Compared like ``pytest --nbval-lax``: stdout and each result's ``text/plain``; stderr (TensorFlow's
start-up lines), images and metadata are not compared.
"""

from __future__ import annotations

MARK = "NBVAL_CHECK_OUTPUT"


def checked(nb) -> dict[int, list[str]]:  # noqa: ANN001 - a NotebookNode
    """{cell index: the comparable outputs} of every checked code cell of ``nb``."""
    out = {}
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or MARK not in cell.source:
            continue
        texts, stdout = [], ""
        for o in cell.get("outputs", []):
            if o.get("output_type") == "stream":
                if o.get("name") == "stdout":
                    stdout += o.get("text", "")
            elif "data" in o and "text/plain" in o["data"]:
                texts.append(o["data"]["text/plain"])
        out[i] = ([stdout] if stdout else []) + texts
    return out


def differences(committed, executed) -> list[str]:  # noqa: ANN001 - NotebookNodes
    """One line per checked cell whose executed output differs from the committed one."""
    want, got = checked(committed), checked(executed)
    if set(want) != set(got):
        return [f"checked cells differ: committed {sorted(want)}, executed {sorted(got)}"]
    return [
        f"cell {i}: expected {want[i]!r}, got {got[i]!r}" for i in sorted(want) if want[i] != got[i]
    ]
