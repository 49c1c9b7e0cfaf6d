"""What a notebook's three-line Colab cell runs on Colab: fetch the course, then colab.setup().

The cell downloads this file from the course's repository at its revision and runs it with
``__name__ == "__colab_cell__"`` and ``REPOSITORY``, ``REVISION`` and ``FOLDER`` (the notebook's
folder) set; importing it does nothing. It imports nothing of lecture_lib before the course is
there: it clones the course without ``exercises/source/`` (the solutions) into
``LECTURE_COURSE_DIR`` (default /content/cnn-course), once, puts it first on ``sys.path`` and calls
:func:`lecture_lib.colab.setup`.
"""

import os
import subprocess
import sys


def bootstrap(repository: str, revision: str, folder: str) -> None:
    """Clone the course (no solutions) once, then install and configure it for the notebook in ``folder``."""
    course = os.environ.get("LECTURE_COURSE_DIR", "/content/cnn-course")
    if not os.path.isdir(course):
        url = f"https://github.com/{repository}"
        git = ["git", "-C", course]
        subprocess.run(
            ["git", "clone", "--quiet", "--filter=blob:none", "--no-checkout", url, course],
            check=True,
        )
        subprocess.run(
            [*git, "sparse-checkout", "set", "--no-cone", "/*", "!/exercises/source/"], check=True
        )
        subprocess.run([*git, "checkout", "--quiet", revision], check=True)
    sys.path.insert(0, course)
    from lecture_lib import colab

    colab.setup(course, folder)


if __name__ == "__colab_cell__":
    bootstrap(REPOSITORY, REVISION, FOLDER)  # noqa: F821 - set by the cell that runs this file
