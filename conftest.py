"""Collection: the lecture notebooks are executed once per test run, not twice; and the units of
work the two test processes share (pytest-xdist, ``--dist loadgroup``) start longest first.

With Chromium present, tests/test_browser.py runs every lecture notebook in JupyterLab and checks
its '# NBVAL_CHECK_OUTPUT' cells as nbval would (tests/checked_outputs.py), so nbval does not
collect notebooks/ again. Without Chromium (the browser test skips), or with a marker or keyword
filter, or with LECTURE_NBVAL=1, nbval runs them as before. A notebook named on the command line
is always collected.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

_BROWSER = bool(shutil.which("chromium") or shutil.which("chromium-browser"))


def pytest_ignore_collect(collection_path: Path, config) -> bool | None:  # noqa: ANN001
    if collection_path.suffix != ".ipynb" or "exercises" in collection_path.parts:
        return None
    filtered = config.getoption("markexpr", "") or config.getoption("keyword", "")
    if _BROWSER and not filtered and os.environ.get("LECTURE_NBVAL", "") != "1":
        return True  # tests/test_browser.py executes and checks it
    return None


# With -n 2 (README's command) the suite's work is split into units, each run whole by one of the
# two test processes: a test file (its JupyterLab, a notebook's nbval kernel stay in one process),
# except that in tests/grading/test_exercises.py each exercise is a unit (its two grading tests share one
# kernel run: the parameter both are parametrized by). A unit goes to whichever process is free, so
# the longest start first (measured: CI's --durations on a 2-core AVX2 EPYC); the rest keep their order.
# pytest-xdist's own --dist loadgroup would say this with marks, but on pytest 9.2 it silently stops
# grouping (pytest-xdist issue #1386: it renames node ids, which pytest 9.2 no longer lets it do), so
# the scheduler below computes the units from the node ids themselves.
_SPLIT_BY_PARAMETER = ("tests/grading/test_exercises.py",)
_LONGEST_FIRST = (
    "tests/test_browser.py",
    "tests/grading/test_exercises.py[07_fine_tuning]",
    "tests/grading/test_exercises.py[05_pretrained]",
    "tests/grading/test_exercises.py[02_cnn]",
    "tests/grading/test_grade.py",
    "tests/grading/test_exercises.py[04b_multi_label]",
    "tests/grading/test_exercises.py[06_transfer]",
)


# a notebook that reads another's saved model runs in that one's unit, after it (collection order),
# never beside it in the other process: 04 reads 02's model, 08 reads 03's (nbval, without Chromium)
_RUNS_AFTER = {
    "notebooks/04_activations_and_losses.ipynb": "notebooks/02_cnn_mnist.ipynb",
    "notebooks/08_data_augmentation.ipynb": "notebooks/03_cnn_dogs_vs_cats.ipynb",
}


def unit_of_work(nodeid: str) -> str:
    """The unit a test belongs to: its file, or file[parameter] in the files split by parameter;
    a notebook that needs another's output, that other notebook's unit."""
    path = nodeid.split("::", 1)[0]
    path = _RUNS_AFTER.get(path, path)
    if path in _SPLIT_BY_PARAMETER and nodeid.endswith("]") and "[" in nodeid:
        return f"{path}[{nodeid.rsplit('[', 1)[1]}"
    return path


def pytest_xdist_make_scheduler(config, log):  # noqa: ANN001, ANN201
    """--dist loadscope, with :func:`unit_of_work` as the scope (pyproject sets both)."""
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ByUnit(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return unit_of_work(nodeid)

    return ByUnit(config, log)


def pytest_collection_modifyitems(config, items) -> None:  # noqa: ANN001
    """Longest units first (a stable sort: the rest keep their order; with or without -n)."""
    rank = {unit: i for i, unit in enumerate(_LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(unit_of_work(item.nodeid), len(rank)))
