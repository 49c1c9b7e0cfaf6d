"""conftest.py's units of work for two test processes: right grouping, and no stale names."""

from __future__ import annotations

from pathlib import Path

import conftest

ROOT = Path(__file__).resolve().parents[1]


def test_an_exercises_two_tests_are_one_unit_and_exercises_are_apart():
    u = conftest.unit_of_work
    blank = "tests/grading/test_exercises.py::test_blank_student_notebook_runs_and_scores_zero[07_fine_tuning]"
    wrong = "tests/grading/test_exercises.py::test_each_wrong_answer_costs_exactly_its_points[07_fine_tuning]"
    other = (
        "tests/grading/test_exercises.py::test_each_wrong_answer_costs_exactly_its_points[02_cnn]"
    )
    assert u(blank) == u(wrong) == "tests/grading/test_exercises.py[07_fine_tuning]" != u(other)
    assert u("tests/grading/test_exercises.py::test_committed_student_notebooks_are_in_sync") == (
        "tests/grading/test_exercises.py"
    )
    # a file not split by parameter stays one unit: the browser test's JupyterLab is started once
    assert {
        u(f"tests/test_browser.py::test_notebook_runs_in_jupyterlab[{n}]") for n in ("a", "b")
    } == {"tests/test_browser.py"}
    assert u("notebooks/02_cnn_mnist.ipynb::Cell 3") == "notebooks/02_cnn_mnist.ipynb"


def test_the_longest_first_list_names_units_that_exist():
    exercises = {p.stem for p in (ROOT / "exercises" / "source").glob("*.ipynb")}
    for unit in conftest._LONGEST_FIRST:
        path, _, param = unit.partition("[")
        assert (ROOT / path).is_file(), unit
        assert not param or param.rstrip("]") in exercises, unit


def test_a_notebook_that_reads_anothers_model_runs_in_its_unit():
    u = conftest.unit_of_work
    assert u("notebooks/04_activations_and_losses.ipynb::Cell 8") == u(
        "notebooks/02_cnn_mnist.ipynb::Cell 1"
    )
    assert (
        u("notebooks/08_data_augmentation.ipynb::Cell 3") == "notebooks/03_cnn_dogs_vs_cats.ipynb"
    )
    assert u("notebooks/01_image_classification_and_datasets.ipynb::Cell 0") != u(
        "notebooks/02_cnn_mnist.ipynb::Cell 0"
    )
