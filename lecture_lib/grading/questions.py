"""An exercise's questions and hidden tests, read from its source notebook; each test in two parts.

A hidden test is a code cell of ``exercises/source/<name>.ipynb`` whose first line starts with
``# IGNORE`` (so ``otter assign`` leaves it out of every notebook it writes) and that holds:

    POINTS = 1
    FAILURE = "the sentence a student reads when this part is wrong"


    def extract(predict):          # runs in the submission's kernel: returns plain data
        return predict(np.array([0.5, 0.51]))


    def check(got):                # runs in the checker, which runs no student code
        assert list(got) == [0, 1]

Imports and constants (``SPECIES = [...]``) at the top serve both halves. ``extract``'s parameters name the submission's variables it reads. It may call them on inputs it
chooses, but it holds no expected value: only its source (and the cell's imports) reaches the
kernel. ``check`` gets what ``extract`` returned, as the checker read it back (JSON and arrays,
never a pickle), and decides. The cell belongs to the question whose ``# BEGIN QUESTION`` block
holds it; the question is worth the sum of its tests' ``POINTS``.
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import nbformat
import yaml

from .build import SOURCE_DIR

MARK = "# IGNORE"  # otter's own marker for a cell it drops (otter.assign.utils.is_ignore_cell)


@dataclass(frozen=True)
class HiddenTest:
    """One graded part of a question: its points, its sentence, and its two halves' sources."""

    key: str  # "<question>/<n>", n counting from 1 within the question
    question: str
    points: float
    failure: str
    args: tuple[str, ...]  # the submission's variables ``extract`` reads
    extract_source: str  # the cell's imports and ``def extract``: what the kernel may see
    check_source: str  # the cell's imports and ``def check``: never sent to the kernel


class SourceError(ValueError):
    """A source notebook's hidden test is not in the form above; the message names the cell."""


def _is_literal(node: ast.expr) -> bool:
    try:
        ast.literal_eval(node)
    except ValueError:
        return False
    return True


def _parse(cell_source: str, where: str) -> tuple[float, str, tuple[str, ...], str, str]:
    tree = ast.parse(cell_source)
    imports, found, values = [], {}, {}
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            imports.append(ast.get_source_segment(cell_source, node))
        elif isinstance(node, ast.FunctionDef) and node.name in ("extract", "check"):
            found[node.name] = node
        elif (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id in ("POINTS", "FAILURE")
        ):
            values[node.targets[0].id] = ast.literal_eval(node.value)
        elif (
            isinstance(node, ast.Assign)
            and all(isinstance(t, ast.Name) for t in node.targets)
            and _is_literal(node.value)
        ):  # a constant both halves use, e.g. the grader's inputs
            imports.append(ast.get_source_segment(cell_source, node))
        else:
            raise SourceError(
                f"{where}: only imports, constants, POINTS, FAILURE, extract and check may stand here"
            )
    if set(found) != {"extract", "check"} or set(values) != {"POINTS", "FAILURE"}:
        raise SourceError(
            f"{where}: a hidden test needs POINTS, FAILURE, def extract and def check"
        )
    points = values["POINTS"]
    if (
        isinstance(points, bool)
        or not isinstance(points, int | float)
        or not math.isfinite(points)
        or points < 0
    ):
        raise SourceError(f"{where}: POINTS must be a number >= 0")
    if not isinstance(values["FAILURE"], str) or not values["FAILURE"].strip():
        raise SourceError(f"{where}: FAILURE must be a sentence")
    ex = found["extract"]
    if ex.args.vararg or ex.args.kwarg or ex.args.kwonlyargs or ex.args.defaults:
        raise SourceError(
            f"{where}: extract takes the submission's variables by name, nothing else"
        )
    head = "\n".join(imports)
    extract = "\n".join(filter(None, [head, ast.get_source_segment(cell_source, ex)]))
    check = "\n".join(filter(None, [head, ast.get_source_segment(cell_source, found["check"])]))
    return (
        float(points),
        values["FAILURE"].strip(),
        tuple(a.arg for a in ex.args.args),
        extract,
        check,
    )


def read(source: Path) -> dict[str, list[HiddenTest]]:
    """Each question of ``source`` (in order) with its hidden tests; raises :class:`SourceError`."""
    nb = nbformat.read(source, as_version=4)
    questions: dict[str, list[HiddenTest]] = {}
    current = None
    for i, cell in enumerate(nb.cells):
        text = cell.source
        if cell.cell_type == "raw" and text.startswith("# BEGIN QUESTION"):
            current = str(yaml.safe_load(text.split("\n", 1)[1])["name"])
            questions[current] = []
        elif cell.cell_type == "raw" and text.startswith("# END QUESTION"):
            current = None
        elif cell.cell_type == "code" and text.startswith(MARK):
            where = f"{source.name}, cell {i}"
            if current is None:
                raise SourceError(f"{where}: a hidden test outside a question")
            points, failure, args, extract, check = _parse(text, where)
            tests = questions[current]
            tests.append(
                HiddenTest(
                    f"{current}/{len(tests) + 1}", current, points, failure, args, extract, check
                )
            )
    empty = [q for q, tests in questions.items() if not tests]
    if empty:
        raise SourceError(f"{source.name}: no hidden test for {', '.join(empty)}")
    return questions


@cache
def of(name: str) -> dict[str, list[HiddenTest]]:
    """The questions of exercise ``name`` (``exercises/source/<name>.ipynb``), read once."""
    src = SOURCE_DIR / f"{name}.ipynb"
    if not src.is_file():
        known = ", ".join(p.stem for p in sorted(SOURCE_DIR.glob("*.ipynb")))
        raise FileNotFoundError(f"no exercise {name!r}; known: {known}")
    return read(src)


def possible(name: str) -> dict[str, float]:
    """Each question's points: the sum of its hidden tests' ``POINTS``."""
    return {q: round(sum(t.points for t in tests), 6) for q, tests in of(name).items()}


def extract_plan(name: str) -> list[dict]:
    """What the submission's kernel runs after the submission: each test's key, the variables it
    reads and the source of its ``extract`` (no ``check``, no sentence, no expected value)."""
    return [
        {"key": t.key, "args": list(t.args), "source": t.extract_source}
        for tests in of(name).values()
        for t in tests
    ]
