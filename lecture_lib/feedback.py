"""The ``grader`` of every exercise notebook: its own questions' public tests, each verdict one sentence.

otter writes the public tests (``notebooks/exercises/tests/<exercise>/<question>.py``) and loads
them (:class:`otter.test_files.ExceptionTestFile`); this thin wrapper runs them and says the result
as a student needs it, because otter's own report lists every test folder it finds, says "passed"
for an answer whose form is all a public test can see, and shows a failure as a traceback. A
question is

* **right** when every one of its tests confirmed a value (:func:`lecture_lib.checks.same`);
* **form right** when its tests passed but some only check the form: the hidden tests decide;
* **not answered yet** while an answer is still the notebook's ``...``;
* **not right yet**, with the first failing test's sentence: an ``AssertionError``'s message, or
  a crash as its type and first line.

No traceback, ANSI escape, warning or TensorFlow log line reaches the screen.
"""

from __future__ import annotations

import contextlib
import html
import inspect
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import checks, quiet

TESTS = "tests"  # beside the exercise notebooks: tests/<exercise>/<question>.py

ICONS = {
    "right": "✔",
    "form": "☑",
    "blank": "✎",
    "wrong": "✘",
}  # in DejaVu and Segoe UI too: no emoji font needed
COLORS = {"right": "#1a7f37", "form": "#1a7f37", "blank": "#6e7781", "wrong": "#cf222e"}
FORM = "the form is right; your instructor's tests check the value."


@dataclass(frozen=True)
class Verdict:
    """One question's result, as the student reads it."""

    question: str
    status: str  # "right" | "form" | "blank" | "wrong"
    message: str

    @property
    def ok(self) -> bool:
        return self.status in ("right", "form")

    def __str__(self) -> str:
        return f"{ICONS[self.status]} {self.question}: {self.message}"

    __repr__ = __str__

    def _repr_html_(self) -> str:
        return (
            f'<p style="margin:0.2em 0;color:{COLORS[self.status]}">{ICONS[self.status]} '
            f"<b>{html.escape(self.question)}</b>: {html.escape(self.message)}</p>"
        )


@dataclass(frozen=True)
class Report:
    """Every question of one exercise (``grader.check_all()``)."""

    exercise: str
    verdicts: tuple[Verdict, ...]

    def summary(self) -> str:
        n = len(self.verdicts)
        counts = {s: sum(v.status == s for v in self.verdicts) for s in ICONS}
        words = {"right": "right", "form": "with the right form", "wrong": "not right yet"}
        words["blank"] = "not answered yet"
        parts = [f"{counts[s]} {w}" for s, w in words.items() if counts[s]]
        return f"{self.exercise}: {n} questions: " + ", ".join(parts) + "."

    def __str__(self) -> str:
        return "\n".join([self.summary(), *map(str, self.verdicts)])

    __repr__ = __str__

    def _repr_html_(self) -> str:
        head = f"<p><b>{html.escape(self.summary())}</b></p>"
        return head + "".join(v._repr_html_() for v in self.verdicts)


def tests_dir(exercise: str, start: Path | None = None) -> Path:
    """``tests/<exercise>/`` beside the notebook (the working folder in JupyterLab and on Colab), else
    the course's own ``notebooks/exercises/tests/<exercise>/``."""
    local = Path(start or Path.cwd()) / TESTS / exercise
    if local.is_dir():
        return local
    from .config import REPO_ROOT

    return REPO_ROOT / "notebooks" / "exercises" / TESTS / exercise


@contextlib.contextmanager
def _calm():
    """No Python warnings and no C++ log lines while a test runs the student's code."""
    with warnings.catch_warnings(), quiet.captured_stderr():
        warnings.simplefilter("ignore")
        yield


def _placeholder(value: Any) -> bool:
    """Still the notebook's ``...``, or a function whose body is only ``...``."""
    return value is Ellipsis or checks.is_stub(value)


def verdict(question: str, path: Path, env: dict[str, Any]) -> Verdict:
    """Run one question's public test file against the notebook's variables ``env``."""
    from otter.test_files import ExceptionTestFile

    test_file = ExceptionTestFile.from_file(str(path))
    confirming = True
    for case in test_file.test_cases:
        missing = [a for a in case.body._get_func_params() if a != "env" and a not in env]
        if missing:  # never defined: the cell that defines it has not run (a NameError otherwise)
            return Verdict(
                question,
                "blank",
                f"`{missing[0]}` is not defined yet: run the cells above this one first.",
            )
        unset = [a for a in case.body._get_func_params() if a in env and _placeholder(env[a])]
        if unset:  # still the notebook's `...`: say so, not the crash it would cause
            return Verdict(
                question,
                "blank",
                f"`{unset[0]}` is not answered yet: replace the `...` with your answer.",
            )
        before = checks.confirmed()
        try:
            with _calm():
                case.body.call_func(env)
        except checks.NotAnswered as e:
            return Verdict(question, "blank", checks.ANSI.sub("", str(e)))
        except AssertionError as e:
            text = checks.ANSI.sub("", str(e)).strip() or "a check failed."
            return Verdict(question, "wrong", text)
        except Exception as e:  # noqa: BLE001 - a crash in the student's code is feedback
            return Verdict(
                question,
                "wrong",
                f"your code raised {checks.first_line(e)}. Run the cells above again, then check the line it names.",
            )
        confirming = confirming and checks.confirmed() > before
    return Verdict(question, "right", "right.") if confirming else Verdict(question, "form", FORM)


class Grader:
    """``grader = Grader("02_cnn")``: ``grader.check("q1_count_parameters")`` and ``grader.check_all()``
    for that exercise's questions only."""

    def __init__(self, exercise: str) -> None:
        self.exercise = exercise
        self.tests = tests_dir(exercise)
        if not self.tests.is_dir():
            raise FileNotFoundError(
                f"the public tests of {exercise} are not at {self.tests}: open the notebook from the "
                "course's notebooks/exercises/ folder (on Colab, run the setup cell first)."
            )

    def questions(self) -> list[str]:
        return sorted(p.stem for p in self.tests.glob("q*.py"))

    def _env(self, env: dict[str, Any] | None) -> dict[str, Any]:
        if env is not None:
            return env
        frame = inspect.currentframe()
        while frame is not None and frame.f_globals.get("__name__") == __name__:
            frame = frame.f_back
        return frame.f_globals if frame is not None else {}

    def check(self, question: str, env: dict[str, Any] | None = None) -> Verdict:
        """The verdict on ``question``, run against the notebook's variables."""
        path = self.tests / f"{question}.py"
        if not path.is_file():
            raise ValueError(
                f"{self.exercise} has no question {question!r}; its questions: {', '.join(self.questions())}."
            )
        return verdict(question, path, self._env(env))

    def check_all(self, env: dict[str, Any] | None = None) -> Report:
        """Every question of this exercise, in order."""
        scope = self._env(env)
        return Report(self.exercise, tuple(self.check(q, scope) for q in self.questions()))
