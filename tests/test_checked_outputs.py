"""The browser test's stand-in for nbval catches a changed checked output, and only that."""

from __future__ import annotations

import copy
from pathlib import Path

import nbformat

from . import checked_outputs

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "04_activations_and_losses.ipynb"


def test_a_changed_checked_output_is_caught():
    committed = nbformat.read(NOTEBOOK, as_version=4)
    executed = copy.deepcopy(committed)
    assert checked_outputs.checked(committed) and not checked_outputs.differences(
        committed, executed
    )
    i = next(iter(checked_outputs.checked(executed)))
    executed.cells[i].outputs.append(
        nbformat.v4.new_output("stream", name="stderr", text="TF start-up line\n")
    )
    assert not checked_outputs.differences(committed, executed)  # stderr is not compared
    executed.cells[i].outputs[0]["text"] = (
        executed.cells[i].outputs[0]["text"].replace("True", "False")
    )
    assert checked_outputs.differences(committed, executed)[0].startswith(f"cell {i}: expected")
