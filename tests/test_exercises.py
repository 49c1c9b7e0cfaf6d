"""Graded exercises: in sync, no solutions or hidden tests for students, grading that is right.

One otter build (session fixture) serves all tests: ~1-2 min on 2 cores.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from lecture_lib import exercises

# one deliberately wrong answer per exercise: (question, text in the solution, wrong replacement)
WRONG = {
    "01_datasets": ("q2_kind_of_task", '"c": "multi-label"', '"c": "multi-class"'),
    "02_cnn": ("q1_count_parameters", "conv_params = 3 * 3 * 3 * 16 + 16", "conv_params = 3 * 3 * 16 + 16"),
    "03_binary": ("q2_threshold_and_accuracy", "> 0.5).astype(int)", ">= 0.5).astype(int)"),
    "04_losses": ("q2_cce_for_a_five", "-np.log(probs[5])", "-np.log(probs[6])"),
    "04b_multi_label": ("q2_exact_match_and_hamming", ".all(axis=1).mean()", ".any(axis=1).mean()"),
    "05_pretrained": ("q1_top5", "np.argsort(-np.asarray(probs))", "np.argsort(np.asarray(probs))"),
    "06_transfer": ("q2_feature_extractor", 'answer = "b"', 'answer = "c"'),
    "07_fine_tuning": ("q1_two_stages", '"lr2": 1e-4', '"lr2": 1e-3'),
    "08_augmentation": ("q1_no_black_corners", 'fill_mode = "nearest"', 'fill_mode = "constant"'),
}


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("exercises")
    students = exercises.build(root / "student", dist_root=root / "dist")
    return {"root": root, "students": {p.stem: p for p in students}}


def test_every_source_has_a_wrong_answer_case():
    assert {p.stem for p in exercises.sources()} == set(WRONG)


def test_committed_student_notebooks_are_in_sync(built):
    for name, fresh in built["students"].items():
        committed = exercises.STUDENT_DIR / f"{name}.ipynb"
        assert committed.is_file(), f"{committed} missing: run `python -m lecture_lib exercises build`"
        assert committed.read_text() == fresh.read_text(), f"{name} is out of sync: run `python -m lecture_lib exercises build`"


def test_student_notebooks_hold_no_solution_and_no_hidden_test(built):
    for name, student in built["students"].items():
        text = student.read_text()
        solution = nbformat.read(built["root"] / "dist" / name / "autograder" / f"{name}.ipynb", as_version=4)
        assert "SOLUTION" not in text and "hidden: true" not in text
        tests = json.loads(text)["metadata"]["otter"]["tests"]
        for qname, body in tests.items():
            assert "hidden=True" not in body, f"{name}/{qname}: a hidden test reached the student notebook"
        # every line that the solution adds is absent from the student's notebook
        solution_lines = {ln.strip() for c in solution.cells if c.cell_type == "code" for ln in c.source.splitlines()}
        student_lines = {ln.strip() for c in nbformat.reads(text, as_version=4).cells if c.cell_type == "code"
                         for ln in c.source.splitlines()}
        leaked = {ln for ln in student_lines - {"..."} if ln.startswith(("return ", "bce =", "loss =", "answer =", "plan =",
                                                                         "fill_mode =", "kinds =", "design =")) and "..." not in ln}
        assert not leaked, f"{name}: solution lines in the student notebook: {leaked}"
        assert solution_lines - student_lines, f"{name}: the student notebook equals the solution"


def _grade(name: str, nb: nbformat.NotebookNode, built: dict, tmp_path: Path):
    import otter.api

    path = tmp_path / f"{name}.ipynb"
    nbformat.write(nb, path)
    zip_path = next((built["root"] / "dist" / name / "autograder").glob("*.zip"))
    return otter.api.grade_submission(str(path), str(zip_path), quiet=True)


@pytest.mark.parametrize("name", sorted(WRONG))
def test_grading_full_zero_and_exactly_one_wrong(name, built, tmp_path):
    solution = nbformat.read(built["root"] / "dist" / name / "autograder" / f"{name}.ipynb", as_version=4)
    full = _grade(name, solution, built, tmp_path)
    assert full.total == full.possible > 0, full.summary()

    blank = nbformat.read(built["students"][name], as_version=4)
    zero = _grade(name, blank, built, tmp_path)
    assert zero.total == 0, zero.summary()

    question, good, bad = WRONG[name]
    wrong = nbformat.read(built["root"] / "dist" / name / "autograder" / f"{name}.ipynb", as_version=4)
    hits = [c for c in wrong.cells if c.cell_type == "code" and good in c.source]
    assert len(hits) == 1, f"{name}: the wrong-answer patch must hit exactly one cell"
    hits[0].source = hits[0].source.replace(good, bad)
    res = _grade(name, wrong, built, tmp_path)
    lost = {q: full.get_score(q) - res.get_score(q) for q in full.test_files}
    assert lost == {q: (full.get_score(q) if q == question else 0) for q in full.test_files}, res.summary()
    summary = res.get_result(question).summary()
    assert "failed" in summary and ("message" in summary or "AssertionError:" in summary)
    assert "Traceback" not in summary


@pytest.mark.parametrize("name", sorted(WRONG))
def test_blank_student_notebook_runs_and_reports_unanswered(name, tmp_path):
    """Run as a student would, top to bottom: no error, and the last cell lists every question as failing."""
    from nbclient import NotebookClient

    nb = nbformat.read(exercises.STUDENT_DIR / f"{name}.ipynb", as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(exercises.STUDENT_DIR)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    last = nb.cells[-1]
    assert "check_all" in last.source
    text = "".join(o.get("text", "") + str(o.get("data", {}).get("text/plain", "")) for o in last.outputs)
    questions = json.loads((exercises.STUDENT_DIR / f"{name}.ipynb").read_text())["metadata"]["otter"]["tests"]
    for q in questions:
        assert q in text, f"{name}: check_all does not mention {q}"
    assert "not answered yet" in text or "returned nothing" in text, text[:1500]


def test_readme_grading_command_writes_a_score_table(built, tmp_path):
    """The instructor's one command from README, as written: a folder of notebooks -> CSV."""
    import csv
    import shutil
    import subprocess
    import sys

    subs = tmp_path / "submissions"
    subs.mkdir()
    shutil.copy(built["root"] / "dist" / "01_datasets" / "autograder" / "01_datasets.ipynb", subs / "ada.ipynb")
    shutil.copy(built["students"]["01_datasets"], subs / "bob.ipynb")
    (subs / "broken.ipynb").write_text("this is not a notebook")
    out = tmp_path / "scores-01.csv"
    r = subprocess.run([sys.executable, "-m", "lecture_lib", "exercises", "grade", "01_datasets", str(subs), "-o", str(out)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    rows = {row["submission"]: row for row in csv.DictReader(out.open())}
    assert float(rows["ada.ipynb"]["total"]) == float(rows["ada.ipynb"]["possible"]) == 4
    assert float(rows["bob.ipynb"]["total"]) == 0 and float(rows["bob.ipynb"]["q1_split_by_hand"]) == 0
    assert rows["broken.ipynb"]["error"] and float(rows["broken.ipynb"]["total"]) == 0
