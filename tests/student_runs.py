"""A student's run of an exercise: one answer right, one wrong, the rest blank; what it must show.

Shared by the exercises' nbclient test (all nine, tests/grading/test_exercises.py) and the browser
test (one, in JupyterLab): both run :func:`student_answers`'s notebook and hold its outputs to
:func:`verdict_problems`.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat

from lecture_lib import feedback
from lecture_lib.grading import build
from lecture_lib.quiet import STARTUP

# The student's run of each exercise: one question answered right (a closed-form one, whose public
# check knows the value), one wrong (text in its solution cell -> wrong text), every other one
# blank. Each check cell and the check-all cell must say exactly that, in sentences.
STUDENT: dict[str, tuple[str, str, str, str]] = {
    "01_datasets": (
        "q2_kind_of_task",
        "q1_split_by_hand",
        "order[n_train:n_train + n_val], order[n_train + n_val:n_train + n_val + n_test]",
        "order[n_train:]",
    ),
    "02_cnn": (
        "q3_receptive_field",
        "q1_count_parameters",
        "conv_params = 3 * 3 * 3 * 16 + 16",
        "conv_params = 3 * 3 * 16 + 16",
    ),
    "03_binary": ("q1_output_layer_and_loss", "q2_threshold_and_accuracy", "> 0.5", ">= 0.5"),
    "04_losses": ("q1_bce_by_hand", "q2_cce_for_a_five", "p_five[5]", "p_five[4]"),
    "04b_multi_label": (
        "q2_exact_match_and_hamming",
        "q1_threshold_per_class",
        "np.argmax(scores)",
        "np.argmin(scores)",
    ),
    "05_pretrained": (
        "q2_read_the_table",
        "q1_top5",
        "np.argsort(-np.asarray(probs))",
        "np.argsort(np.asarray(probs))",
    ),
    "06_transfer": (
        "q2_feature_extractor",
        "q1_choose_C",
        "max(scores, key=scores.get)",
        "0.5",
    ),
    "07_fine_tuning": (
        "q1_two_stages",
        "q2_freeze_the_base",
        'model.get_layer("base").trainable = False',
        "model.trainable = False",
    ),
    "08_augmentation": (
        "q1_no_black_corners",
        "q2_augmentation_pipeline",
        '        keras.layers.RandomZoom(0.2, fill_mode="nearest"),\n',
        "",
    ),
}


def source_answer(name: str, question: str) -> str:
    """The solution's answer cell of ``question`` (the code cell after its ``# BEGIN SOLUTION``)."""
    current, take = None, False
    for c in nbformat.read(build.SOURCE_DIR / f"{name}.ipynb", as_version=4).cells:
        if c.cell_type == "raw" and c.source.startswith("# BEGIN QUESTION"):
            current = c.source.split("name:")[1].split()[0]
        elif c.cell_type == "raw" and c.source.startswith("# BEGIN SOLUTION"):
            take = current == question
        elif take and c.cell_type == "code":
            return c.source
    raise LookupError(f"{name}: no solution cell for {question}")


def student_answers(name: str, path: Path) -> list:
    """The cells of the student notebook at ``path`` with STUDENT's right and wrong answer in place
    of two questions' ``...`` cells (the code cell before each ``grader.check``), the rest blank."""
    right, wrong, good, bad = STUDENT[name]
    wrong_text = source_answer(name, wrong)
    assert good in wrong_text, f"{name}: {good!r} is not in the solution of {wrong}"
    cells = nbformat.read(path, as_version=4).cells
    for question, text in (
        (right, source_answer(name, right)),
        (wrong, wrong_text.replace(good, bad)),
    ):
        check = next(
            i for i, c in enumerate(cells) if c.source.strip() == f'grader.check("{question}")'
        )
        answer = next(i for i in range(check - 1, -1, -1) if cells[i].cell_type == "code")
        cells[answer] = nbformat.v4.new_code_cell(text)
    return cells


def shown(cell: nbformat.NotebookNode) -> str:
    """Everything a cell shows: its streams, its results' plain text, its errors."""
    parts = []
    for o in cell.get("outputs", []):
        parts.append(o.get("text", "") + str(o.get("data", {}).get("text/plain", "")))
        if o.get("output_type") == "error":
            parts.append("Traceback " + o.get("ename", "") + ": " + o.get("evalue", ""))
    return "".join(parts)


def startup_lines(cells: list) -> list[str]:
    """TensorFlow start-up log lines (lecture_lib.quiet.STARTUP) anywhere in the cells' outputs."""
    return [ln for c in cells for ln in shown(c).splitlines() if STARTUP.match(ln)]


def verdict_problems(name: str, cells: list) -> list[str]:
    """What is wrong with a run of :func:`student_answers`'s notebook (``cells``, executed): each
    check cell and the check-all cell must give STUDENT's verdicts (right, wrong, not answered yet)
    for this exercise's own questions, one line each; no error, nothing on stderr (no traceback,
    warning or TensorFlow log line), no ANSI escape. Empty when all is well."""
    right, wrong, _, _ = STUDENT[name]
    questions = sorted(
        json.loads((build.STUDENT_DIR / f"{name}.ipynb").read_text())["metadata"]["otter"]["tests"]
    )
    want = {q: feedback.ICONS["blank"] for q in questions} | {
        right: feedback.ICONS["right"],
        wrong: feedback.ICONS["wrong"],
    }
    problems = []
    code = [c for c in cells if c.cell_type == "code"]
    for c in code:
        head = c.source[:60]
        for o in c.get("outputs", []):
            if o.get("output_type") == "error":
                problems.append(f"error in {head!r}: {o.get('ename')}: {o.get('evalue', '')[:200]}")
            if o.get("name") == "stderr":
                problems.append(f"stderr in {head!r}: {o.get('text', '')[:300]!r}")
        if "\x1b" in shown(c):
            problems.append(f"an ANSI escape in {head!r}")
    for q in questions:
        check = next((c for c in code if c.source.strip() == f'grader.check("{q}")'), None)
        said = shown(check).strip() if check else "(no check cell)"
        ok = said.startswith(f"{want[q]} {q}: ") and "\n" not in said
        if q not in (right, wrong):
            ok = ok and "not answered yet" in said
        if not ok:
            problems.append(f"{q}: {said!r}")
    last = next((c for c in reversed(code) if "grader.check_all()" in c.source), None)
    lines = shown(last).strip().splitlines() if last else []
    if [ln.split(":")[0] for ln in lines[1:]] != [f"{want[q]} {q}" for q in questions]:
        problems.append(f"check_all: {lines}")
    elif "1 right" not in lines[0] or "1 not right yet" not in lines[0]:
        problems.append(f"check_all summary: {lines[0]!r}")
    return problems
