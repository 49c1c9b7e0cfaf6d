"""Run one submission in a Jupyter kernel, then write its answers as data; started confined by ``grade``.

``python -m lecture_lib.grading.worker SUBMISSION PLAN ANSWERS_DIR`` runs inside the sandbox
(:mod:`.confine`): the submission's code cells in order (past errors, as a student's Run All would,
without otter's ``grader`` cells), then one more cell that calls each hidden test's ``extract``
(:func:`.answers.extract_all`, from the plan: no expected value, no check). It writes one JSON line
to the private pipe ``LECTURE_RESULT_FD``: how many bytes the notebook printed and, if it could not
run, why. The kernel does not inherit the pipe. Whether an answer is right is decided outside, by
:mod:`.checker`, from the files in ``ANSWERS_DIR``.
"""

from __future__ import annotations

import json
import os
import re
import sys

# whole cells that only drive the student-side checks (the course's grader, or otter's own in
# notebooks built before it): the grader runs its own tests instead
_OTTER_LINE = re.compile(
    r"\s*(#.*)?|\s*import otter\s*|\s*grader\s*=\s*otter\.Notebook\(.*\)\s*"
    r"|\s*from lecture_lib\.feedback import Grader\s*|\s*grader\s*=\s*Grader\(.*\)\s*"
    r"|\s*grader\.(check|check_all|export)\(.*\)\s*"
)
# otter's ``grader`` as a stand-in that does nothing, for a ``grader.check`` inside a cell of answers
NO_GRADER_CELL = """class _NoGrader:
    def __getattr__(self, name):
        return lambda *args, **kwargs: None


grader = _NoGrader()
"""
EXTRACT_CELL = """import lecture_lib.grading.answers as _lecture_answers
_lecture_answers.extract_all({plan!r}, {answers!r}, globals())
"""


def graded_cells(nb) -> list:  # noqa: ANN001 - nbformat.NotebookNode
    """The submission's code cells, without the ones that hold only otter's ``grader`` calls."""
    return [
        c
        for c in nb.cells
        if c.get("cell_type") == "code"
        and not all(_OTTER_LINE.fullmatch(ln) for ln in str(c.get("source", "")).splitlines())
    ]


def _printed_bytes(cells: list) -> int:
    """Bytes of text and data the executed cells output."""
    total = 0
    for cell in cells:
        for out in cell.get("outputs", []):
            total += len(str(out.get("text", ""))) + sum(
                len(str(v)) for v in out.get("data", {}).values()
            )
            total += len(str(out.get("traceback", "")))
    return total


def run(submission: str, plan: str, answers: str, seconds: float) -> dict:
    """Execute the submission, then the extract cell; the result line's content."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    try:
        nb = nbformat.read(submission, as_version=4)
    except Exception as e:  # noqa: BLE001 - a file that is not a notebook is its own row
        return {"error": f"not a notebook ({type(e).__name__})", "printed_bytes": 0}
    cells = [nbformat.v4.new_code_cell(NO_GRADER_CELL)]
    cells += [nbformat.v4.new_code_cell(str(c.source)) for c in graded_cells(nb)]
    cells.append(nbformat.v4.new_code_cell(EXTRACT_CELL.format(plan=plan, answers=answers)))
    run_nb = nbformat.v4.new_notebook(cells=cells)
    client = NotebookClient(
        run_nb,
        timeout=seconds,
        allow_errors=True,
        kernel_name="python3",
        resources={"metadata": {"path": os.getcwd()}},
    )
    error = ""
    try:
        client.execute()
    except CellTimeoutError:
        error = f"a cell ran longer than {seconds:.0f} s: an endless loop, or too slow"
    except DeadKernelError:
        error = "its kernel died (the notebook crashed it, or ran out of memory)"
    if not error and (full := _scratch_full(cells[-1])):
        error = full
    return {
        "error": error,
        "printed_bytes": _printed_bytes(cells),
        "cell_errors": cell_errors(cells[1:-1], graded_cells(nb), nb),
    }


def _scratch_full(extract_cell) -> str:  # noqa: ANN001 - nbformat.NotebookNode
    """Why the answers could not be saved, if the scratch folder (a size-limited tmpfs) is full."""
    no_space = any(
        out.get("output_type") == "error" and "No space left" in str(out.get("evalue", ""))
        for out in extract_cell.get("outputs", [])
    )
    st = os.statvfs(".")
    if not no_space and st.f_bavail * st.f_frsize >= 2**20:
        return ""
    return (
        f"its folder was full ({st.f_blocks * st.f_frsize / 2**20:.0f} MB, all files together), so "
        "its answers could not be saved: write less to disk, or delete files it no longer needs"
    )


def cell_errors(ran: list, graded: list, nb) -> list[str]:  # noqa: ANN001 - nbformat.NotebookNode
    """``"cell N: Type: first line"`` for each submission cell that raised (N counts the notebook's
    code cells from 1, as a student sees them), at most 5: the row's note says what broke."""
    from ..checks import ANSI

    numbers = {
        id(c): i for i, c in enumerate((c for c in nb.cells if c.get("cell_type") == "code"), 1)
    }
    found = []
    for run_cell, cell in zip(ran, graded, strict=False):
        for out in run_cell.get("outputs", []):
            if out.get("output_type") == "error":
                value = ANSI.sub("", str(out.get("evalue", ""))).strip().splitlines()
                line = (value[0] if value else "")[:150]
                found.append(
                    f"cell {numbers.get(id(cell), '?')}: {out.get('ename', 'Error')}: {line}"
                )
    return found[:5]


def main(argv: list[str]) -> int:
    sys.modules.setdefault(
        "rfc3987_syntax", None
    )  # as in confine.KERNEL_STARTUP: 0.75 s per import
    fd = int(os.environ.pop("LECTURE_RESULT_FD"))
    os.set_inheritable(fd, False)  # the kernel that runs the submission must not get the pipe
    submission, plan, answers, seconds = argv[0], argv[1], argv[2], float(argv[3])
    out = run(submission, plan, answers, seconds)
    os.write(fd, (json.dumps(out) + "\n").encode())
    os.close(fd)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
