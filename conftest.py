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

import pytest

_BROWSER = bool(shutil.which("chromium") or shutil.which("chromium-browser"))


def pytest_ignore_collect(collection_path: Path, config) -> bool | None:  # noqa: ANN001
    if collection_path.suffix != ".ipynb" or "exercises" in collection_path.parts:
        return None
    filtered = config.getoption("markexpr", "") or config.getoption("keyword", "")
    if _BROWSER and not filtered and os.environ.get("LECTURE_NBVAL", "") != "1":
        return True  # tests/test_browser.py executes and checks it
    return None


# With -n 2 (README's command) the suite's work is split into units: a test file (its JupyterLab, a
# notebook's nbval kernel stay in one process) or, where a file marks them, smaller groups (each
# exercise's one kernel in tests/test_exercises.py). A unit goes to whichever process is free, so the
# longest start first (measured, CI's --durations on a 2-core AVX2 EPYC); the rest keep their order.
_LONGEST_FIRST = (
    "tests/test_browser.py",
    "exercise-07_fine_tuning",
    "exercise-05_pretrained",
    "exercise-02_cnn",
    "tests/test_grading_sandbox.py",
    "exercise-04b_multi_label",
    "exercise-06_transfer",
)


def _group(item) -> str:  # noqa: ANN001
    mark = item.get_closest_marker("xdist_group")
    if mark is not None:
        return str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
    return item.path.relative_to(item.config.rootpath).as_posix()


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist's own hook reads the groups
def pytest_collection_modifyitems(config, items) -> None:  # noqa: ANN001
    for item in items:
        if item.get_closest_marker("xdist_group") is None:
            item.add_marker(pytest.mark.xdist_group(_group(item)))
    rank = {g: i for i, g in enumerate(_LONGEST_FIRST)}
    items.sort(
        key=lambda item: rank.get(_group(item), len(rank))
    )  # stable: the rest keep their order
