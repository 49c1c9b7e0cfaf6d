"""Grade one submission with otter inside the sandbox; ``exercises.grade`` starts one per submission.

``python -m lecture_lib.grade_one SUBMISSION AUTOGRADER_ZIP MAX_OUTPUT_BYTES`` runs otter's grading
(which executes the notebook in a Jupyter kernel) and writes one JSON line to the private result
pipe ``LECTURE_RESULT_FD``: scores per question, one sentence of feedback per question missed, and
how many bytes of output the notebook printed. The kernel does not inherit the pipe, so printing
a fake result from the submission changes nothing.
"""

from __future__ import annotations

import json
import os
import sys


def _printed_bytes(nb) -> int:  # noqa: ANN001 - nbformat.NotebookNode
    """Bytes of text and data the executed notebook's cells output."""
    total = 0
    for cell in getattr(nb, "cells", []) or []:
        for out in cell.get("outputs", []):
            total += len(str(out.get("text", ""))) + sum(
                len(str(v)) for v in out.get("data", {}).values()
            )
            total += len(str(out.get("traceback", "")))
    return total


def feedback(test_file) -> str:  # noqa: ANN001 - otter TestFile
    """The first failing case's message, one line, without the grader's traceback."""
    for r in test_file.test_case_results:
        if not r.passed:
            msg = (r.test_case.failure_message or r.message or "").strip()
            lines = [ln.strip() for ln in msg.splitlines() if ln.strip()]
            errors = [
                ln
                for ln in lines
                if ln.startswith(("AssertionError:", "ValueError:", "TypeError:", "NameError:"))
            ]
            text = (
                errors[-1].split(":", 1)[1].strip()
                if errors
                else lines[-1]
                if lines
                else "a test failed"
            )
            return text[:300]
    return ""


def main(argv: list[str]) -> int:
    sys.modules.setdefault(
        "rfc3987_syntax", None
    )  # as in sandbox.KERNEL_STARTUP: 0.75 s saved per import
    fd = int(os.environ.pop("LECTURE_RESULT_FD"))
    os.set_inheritable(fd, False)  # the kernel that runs the submission must not get the pipe
    submission, zip_path, max_output = argv[0], argv[1], int(argv[2])
    import otter.api

    res = otter.api.grade_submission(submission, zip_path, quiet=True)
    out = {
        "scores": {q: res.get_score(q) for q in res.test_files},
        "possible": {q: res.get_result(q).possible for q in res.test_files},
        "feedback": {
            q: feedback(res.get_result(q))
            for q in res.test_files
            if not res.get_result(q).passed_all
        },
        "printed_bytes": _printed_bytes(getattr(res, "notebook", None)),
        "max_output": max_output,
    }
    if res.has_catastrophic_failure():
        out["error"] = f"the notebook could not be graded: {str(res.catastrophic_error)[:200]}"
    os.write(fd, (json.dumps(out) + "\n").encode())
    os.close(fd)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
