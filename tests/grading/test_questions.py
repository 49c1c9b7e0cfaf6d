"""Hidden tests are read from the sources in two halves, and only the extract half reaches a kernel."""

from __future__ import annotations

import json

import nbformat
import pytest

from lecture_lib.grading import build, questions

CELL = """# IGNORE: hidden test
import numpy as np

GRID = [0.3, 0.5]
POINTS = 1.5
FAILURE = "predict: exactly 0.5 is a cat."


def extract(predict):
    return predict(np.array(GRID))


def check(got):
    assert list(got) == [0, 0]  # EXPECTED-VALUE-MARKER
"""


def _source(tmp_path, *cells: str) -> object:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_raw_cell("# BEGIN QUESTION\nname: q1_predict\npoints: 1"),
        *(nbformat.v4.new_code_cell(c) for c in cells),
        nbformat.v4.new_raw_cell("# END QUESTION"),
    ]
    path = tmp_path / "ex.ipynb"
    nbformat.write(nb, path)
    return path


def test_a_hidden_test_in_two_halves(tmp_path):
    (t,) = questions.read(_source(tmp_path, CELL))["q1_predict"]
    assert (t.key, t.points, t.failure, t.args) == (
        "q1_predict/1",
        1.5,
        "predict: exactly 0.5 is a cat.",
        ("predict",),
    )
    assert "def extract" in t.extract_source and "GRID = [0.3, 0.5]" in t.extract_source
    assert "def check" not in t.extract_source and "MARKER" not in t.extract_source
    assert "def check" in t.check_source and "import numpy as np" in t.check_source


@pytest.mark.parametrize(
    "cell",
    [
        CELL.replace("POINTS = 1.5", "POINTS = -1"),
        CELL.replace("POINTS = 1.5", "POINTS = True"),
        CELL.replace('FAILURE = "predict: exactly 0.5 is a cat."', "FAILURE = ''"),
        CELL.replace("def check(got)", "def verify(got)"),
        CELL.replace("def extract(predict)", "def extract(*names)"),
        CELL + "\nprint('side effect')\n",
        CELL.replace("GRID = [0.3, 0.5]", "GRID = list(range(3))"),  # not a literal: it would run
    ],
)
def test_a_malformed_hidden_test_is_refused_with_its_cell(tmp_path, cell):
    with pytest.raises(questions.SourceError, match="ex.ipynb, cell 1"):
        questions.read(_source(tmp_path, cell))


def test_every_question_of_every_exercise_has_hidden_tests_worth_its_points():
    """39 questions, each worth what its prompt says ("Question 2 (2 points ...)")."""
    import re

    total = 0
    for src in build.sources():
        qs = questions.of(src.stem)
        total += len(qs)
        prompts = [
            c.source
            for c in nbformat.read(src, as_version=4).cells
            if c.cell_type == "markdown" and re.match(r"\*\*Question \d+ \(", c.source)
        ]
        assert len(prompts) == len(qs), src.stem
        for (q, points), prompt in zip(questions.possible(src.stem).items(), prompts, strict=True):
            stated = float(re.match(r"\*\*Question \d+ \((\d+(?:\.\d+)?) points?", prompt).group(1))
            assert stated == points, (
                f"{src.stem}/{q}: the prompt says {stated}, the tests give {points}"
            )
    assert total == 39


def test_the_plan_a_kernel_gets_holds_no_check_and_no_sentence():
    for src in build.sources():
        plan = json.dumps(questions.extract_plan(src.stem))
        for tests in questions.of(src.stem).values():
            for t in tests:
                assert "def check" not in plan and json.dumps(t.failure)[1:-1] not in plan, t.key
