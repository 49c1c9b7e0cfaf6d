"""The worker runs a submission's own cells, not otter's student-side checks."""

from __future__ import annotations

import nbformat

from lecture_lib.grading import worker


def test_cells_that_only_drive_otter_are_left_out():
    cells = [
        "# Initialize Otter\nimport otter\ngrader = otter.Notebook('03_binary.ipynb')",
        'grader.check("q1_output_layer_and_loss")',
        "grader.check_all()",
        'auc = 0.875\ngrader.check("q3_read_a_roc_curve")',  # an answer beside a check: kept
        "import numpy as np",
    ]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.cells.insert(1, nbformat.v4.new_markdown_cell("grader.check('x')"))
    kept = [c.source for c in worker.graded_cells(nb)]
    assert kept == [cells[3], cells[4]]


def test_the_grader_stand_in_accepts_any_call():
    scope: dict = {}
    exec(worker.NO_GRADER_CELL, scope)
    assert scope["grader"].check("q1") is None and scope["grader"].check_all() is None


def test_a_full_folder_is_named_only_when_saving_the_answers_ran_out_of_space(
    tmp_path, monkeypatch
):
    monkeypatch.chdir(
        tmp_path
    )  # a real disk with room: only the extract cell's error can say "full"
    ok = nbformat.v4.new_code_cell("x")
    assert worker._scratch_full(ok) == ""
    full = nbformat.v4.new_code_cell("x")
    full.outputs = [
        nbformat.v4.new_output(
            "error", ename="OSError", evalue="[Errno 28] No space left on device", traceback=[]
        )
    ]
    said = worker._scratch_full(full)
    assert said.startswith("its folder was full (") and "answers could not be saved" in said
