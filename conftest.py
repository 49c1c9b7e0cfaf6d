"""Collection: the lecture notebooks are executed once per test run, not twice.

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
