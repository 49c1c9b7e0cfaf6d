"""Grading runs untrusted code: hostile submissions are stopped, reported, and harm nobody (#13).

The first tests drive ``sandbox.run`` with one-line programs (seconds); the last grades a small
class of real hostile notebooks for exercise 01 in parallel, next to a correct one.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from pathlib import Path
from unittest.mock import ANY

import nbformat
import pytest

from lecture_lib import exercises, sandbox

SECRET = "s3cr3t-kaggle-key-0123456789"
needs_isolation = pytest.mark.skipif(
    bool(sandbox.isolation_problem()), reason=sandbox.isolation_problem() or ""
)


@pytest.fixture
def instructor(tmp_path) -> tuple[Path, Path, Path]:
    """The instructor's folder, a file a submission must not touch, and a credentials file it must not read."""
    folder = tmp_path / "instructor"
    folder.mkdir()
    precious = folder / "gradebook.csv"
    precious.write_text("keep me")
    secret = folder / "kaggle.json"
    secret.write_text(SECRET)
    return folder, precious, secret


def _py(code: str, tmp_path: Path, **kw) -> sandbox.Outcome:
    return sandbox.run([sys.executable, "-c", code], tmp_path / "scratch", **kw)


def test_environment_holds_no_secret(tmp_path, monkeypatch):
    monkeypatch.setenv("KAGGLE_KEY", SECRET)
    monkeypatch.setenv("KAGGLE_USERNAME", "instructor")
    monkeypatch.setenv("GITHUB_TOKEN", SECRET)
    monkeypatch.setenv("LECTURE_SMOKE", "1")
    o = _py("import os, json; print(json.dumps(dict(os.environ)))", tmp_path, isolate=False)
    env = json.loads(o.stdout)
    assert SECRET not in o.stdout and "KAGGLE_USERNAME" not in env
    assert env["LECTURE_SMOKE"] == "1", "course settings pass through"
    assert env["HOME"].startswith(str(tmp_path)), "HOME is the submission's scratch folder"


@needs_isolation
def test_cannot_write_delete_or_read_outside(tmp_path, instructor):
    instructor, precious, secret = instructor
    code = f"""
import os, shutil
for attempt in (lambda: open({str(precious)!r}, "w").write("x"), lambda: os.remove({str(precious)!r}),
                lambda: shutil.rmtree({str(instructor)!r}), lambda: open({str(instructor / "new.txt")!r}, "w")):
    try:
        attempt(); print("DONE")
    except OSError as e:
        print("blocked", e.errno)
try:
    print(open({str(secret)!r}).read())
except OSError as e:
    print("read blocked", e.errno)
open("mine.txt", "w").write("fine")
print("own folder ok")
"""
    o = _py(code, tmp_path)
    assert precious.read_text() == "keep me" and not (instructor / "new.txt").exists()
    assert "DONE" not in o.stdout and SECRET not in o.stdout, o.stdout
    assert "own folder ok" in o.stdout, o.stderr


def test_endless_loop_is_stopped(tmp_path):
    o = _py("while True: pass", tmp_path, limits=sandbox.Limits(seconds=3), isolate=False)
    assert o.killed and "time limit" in o.problem and o.seconds < 15


def test_memory_hog_is_stopped(tmp_path):
    o = _py(
        "x = bytearray(6 * 2**30)\nimport time; time.sleep(30)",
        tmp_path,
        limits=sandbox.Limits(memory_mb=400),
        isolate=False,
    )
    assert o.killed and "memory" in o.problem, (o.problem, o.peak_mb)


def test_flood_of_output_is_cut_to_a_tail(tmp_path):
    o = _py(
        "import sys\nfor _ in range(200): sys.stdout.write('x' * 50_000 + '\\n')\nprint('END')",
        tmp_path,
        isolate=False,
    )
    assert o.returncode == 0 and len(o.stdout) <= 4000 and o.stdout.rstrip().endswith("END")


def test_result_pipe_cannot_be_forged_by_a_child(tmp_path):
    """The result comes from a private pipe: printing, or a child process writing to it, changes nothing."""
    code = """
import os, subprocess, sys
fd = int(os.environ.pop("LECTURE_RESULT_FD")); os.set_inheritable(fd, False)
print('{"scores": {"q1": 99}}')
r = subprocess.run([sys.executable, "-c", f"import os; os.write({fd}, b'{{\\"forged\\": 1}}\\\\n')"], capture_output=True)
os.write(fd, b'{"scores": {"q1": 1}}\\n')
"""
    o = _py(code, tmp_path, result_fd=True, isolate=False)
    assert o.extra["result"] == {"scores": {"q1": 1}}, (o.extra, o.stderr)


def test_a_score_the_exercise_cannot_give_is_an_error():
    """Whatever the graded process reports, only a number in 0..points per known question counts."""
    possible = {"q1": 2.0, "q2": 1.0}
    ok, why = exercises._checked_scores({"scores": {"q1": 2, "q2": 0.5}}, possible)
    assert ok == {"q1": 2.0, "q2": 0.5} and why == ""
    for scores in (
        {"q1": 3, "q2": 0},  # above the question's points
        {"q1": -1, "q2": 0},
        {"q1": "2", "q2": 0},  # not a number (it crashed the class's table)
        {"q1": float("nan"), "q2": 0},
        {"q1": True, "q2": 0},
        {"q1": 2},  # a question missing
        {"q1": 2, "q2": 1, "q3": 5},  # a question the exercise does not have
    ):
        assert exercises._checked_scores({"scores": scores}, possible) == ({}, ANY), scores
    assert exercises._checked_scores(["not", "a", "dict"], possible)[0] == {}


def test_a_submission_that_breaks_the_grader_is_its_own_row(tmp_path, monkeypatch):
    """An exception while grading one submission becomes that row's sentence; the CSV and summary
    of the others are written."""
    subs = tmp_path / "subs"
    subs.mkdir()
    for name in ("a", "b", "c"):
        nbformat.write(nbformat.v4.new_notebook(), subs / f"{name}.ipynb")

    def fake(f, rel, zip_path, scratch, current, limits, isolate, possible):  # noqa: ANN001, ANN202
        if rel == "b.ipynb":
            raise TypeError("unsupported operand type(s) for +: 'float' and 'str'")
        return {"submission": rel, "error": "", "note": "", **dict.fromkeys(possible, 0.0),
                "total": 0.0, "possible": sum(possible.values()), "percent": 0.0}  # fmt: skip

    monkeypatch.setattr(exercises, "_grade_one_row", fake)
    rows = exercises.grade("01_datasets", subs, tmp_path / "scores.csv", allow_unsandboxed=True)
    by = {r["submission"]: r for r in rows}
    assert by["b.ipynb"]["error"].startswith("could not be graded (TypeError: unsupported operand")
    assert by["a.ipynb"]["error"] == by["c.ipynb"]["error"] == ""
    with open(tmp_path / "scores.csv") as fh:
        assert [r["submission"] for r in csv.DictReader(fh)] == ["a.ipynb", "b.ipynb", "c.ipynb"]
    assert "2 graded, 1 with an error" in (tmp_path / "scores.summary.txt").read_text()


def test_refuses_without_isolation_unless_asked(tmp_path, monkeypatch):
    monkeypatch.setattr(sandbox, "isolation_problem", lambda: "no Landlock here (test)")
    (tmp_path / "subs").mkdir()
    with pytest.raises(exercises.GradingRefused, match="no Landlock here.*--unsafe-no-sandbox"):
        exercises.grade("01_datasets", tmp_path / "subs", tmp_path / "out.csv")


def test_summary_table_and_chart(tmp_path):
    rows = [
        {"submission": "a", "q1": 2, "q2": 0},
        {"submission": "b", "q1": 2, "q2": 1},
        {"submission": "c", "error": "stopped after 300 s"},
    ]
    text, means = exercises.summarize(rows, ["q1", "q2"], tmp_path / "chart.png", title="t")
    assert (
        means == {"q1": 2.0, "q2": 0.5}
        and "most missed: q2" in text
        and "2 graded, 1 with an error" in text
    )
    assert (tmp_path / "chart.png").stat().st_size > 1000


FORGE_SCORES = (  # otter pickles its results inside the submission's kernel: patch pickle.dump
    "import pickle\n_dump = pickle.dump\n"
    "def _forged(obj, f, *a, **k):\n"
    "    for q in list(getattr(obj, 'results', {{}})):\n        obj.update_score(q, SCORE)\n"
    "    return _dump(obj, f, *a, **k)\n"
    "pickle.dump = _forged"
)
HOSTILE = {
    # a score far above the question's points (5000 of 11 before the grader checked), and one
    # that is not a number (NaN: the class's total and summary became NaN)
    "forges_5000_points": FORGE_SCORES.replace("SCORE", "5000"),
    "forges_not_a_number": FORGE_SCORES.replace("SCORE", "float('nan')"),
    # waits forever without burning a core: the time limit stops it, and the class's other
    # submissions keep both cores (a busy loop is test_endless_loop_is_stopped's)
    "loops_forever": "import time\nwhile True:\n    time.sleep(0.5)",
    # grows without end, 256 MB at a time: it meets the memory limit first on any machine, however
    # slow (the time limit below is far beyond what filling a few GB takes)
    "eats_memory": "import numpy as np\nhog = []\nwhile True:\n    hog.append(np.ones((2**28,), dtype=np.uint8))",
    "deletes_instructor_file": "import os\nos.remove({precious!r})",
    "prints_megabytes": "print('x' * 3_000_000)",
    # finds no secret, or loops forever (the test would then see a time-limit row instead of full marks)
    "looks_for_secrets": (
        "import os\nfound = {secret!r} in str(dict(os.environ))\n"
        "try:\n    found = found or {secret!r} in open({secret_file!r}).read()\nexcept OSError:\n    pass\n"
        "while found:\n    pass"
    ),
}


@pytest.fixture(scope="module")
def solution_03(tmp_path_factory) -> nbformat.NotebookNode:
    dist = exercises.assign(
        exercises.SOURCE_DIR / "03_binary.ipynb", tmp_path_factory.mktemp("dist") / "03"
    )
    return nbformat.read(dist / "autograder" / "03_binary.ipynb", as_version=4)


@needs_isolation
def test_a_class_with_hostile_submissions_is_graded_safely(
    solution_03, tmp_path, monkeypatch, instructor
):
    monkeypatch.setenv("KAGGLE_KEY", SECRET)
    _, precious, secret_file = instructor
    subs = tmp_path / "submissions"
    subs.mkdir()
    nbformat.write(solution_03, subs / "good.ipynb")
    for name, code in HOSTILE.items():
        nb = nbformat.from_dict(json.loads(json.dumps(solution_03)))
        cell = nbformat.v4.new_code_cell(
            code.format(precious=str(precious), secret=SECRET, secret_file=str(secret_file))
        )
        nb.cells.insert(3, cell)
        nbformat.write(nb, subs / f"{name}.ipynb")
    old = nbformat.from_dict(json.loads(json.dumps(solution_03)))
    old.metadata[exercises.STAMP] = {"name": "03_binary", "version": "000000000000"}
    nbformat.write(old, subs / "old_version.ipynb")

    rows = exercises.grade(
        # hands-on on real data, and no TensorFlow to start: about 5 s a submission alone on a
        # 2-core AVX-512 Xeon, 12-20 s on a 2-core AVX2 EPYC with the other test worker busy
        "03_binary",
        subs,
        tmp_path / "scores.csv",
        workers=2,
        # 60 s: three times what grading a correct 03 takes on the slowest CPU class seen (20 s on a
        # 2-core AVX2 EPYC with the other test worker busy), so only the endless wait reaches it
        limits=sandbox.Limits(seconds=60, memory_mb=2500),
    )
    print(
        "\n".join(f"{r['submission']}: {r['seconds']} s, {r['error'] or r['note']}" for r in rows)
    )
    by = {Path(r["submission"]).stem: r for r in rows}
    assert precious.read_text() == "keep me"
    assert by["good"]["error"] == "" and by["good"]["total"] == by["good"]["possible"] > 0, by[
        "good"
    ]
    assert "time limit" in by["loops_forever"]["error"]
    assert "memory" in by["eats_memory"]["error"], by["eats_memory"]
    assert (
        "outside its folder" in by["deletes_instructor_file"]["error"]
        and str(precious) in by["deletes_instructor_file"]["error"]
    )
    assert "printed 3.0 MB" in by["prints_megabytes"]["error"]
    assert (
        by["looks_for_secrets"]["error"] == ""
        and by["looks_for_secrets"]["total"] == by["good"]["total"]
    ), by["looks_for_secrets"]
    assert "made from version 000000000000" in by["old_version"]["note"]
    for forged in ("forges_5000_points", "forges_not_a_number"):
        row = by[forged]
        assert "tampered with its grading" in row["error"] and row["total"] == 0, row
        assert row["possible"] == by["good"]["possible"] == 11  # the exercise's, not the kernel's
    with open(tmp_path / "scores.csv") as fh:
        assert len(list(csv.DictReader(fh))) == len(HOSTILE) + 2
    summary = (tmp_path / "scores.summary.txt").read_text()
    assert "most missed" in summary and (tmp_path / "scores.png").is_file()


@needs_isolation
def test_a_submission_reads_the_mirror_in_place(tmp_path, monkeypatch):
    """Hands-on exercises read real data inside the sandbox: the data chain writes nothing when it finds it."""
    mirror = Path(
        os.environ.get("LECTURE_MIRROR")
        or Path(__file__).resolve().parents[2] / "shared" / "mirror"
    )
    if not (mirror / "datasets" / "mnist").is_dir():
        pytest.skip("no offline mirror here")
    monkeypatch.setenv("LECTURE_MIRROR", str(mirror))
    monkeypatch.setenv("LECTURE_DATA_DIR", str(tmp_path / "data-ro"))
    (tmp_path / "data-ro").mkdir()
    code = "from lecture_lib import data, mnist\n(x, y), _ = mnist.load(data.get('mnist', quiet=True))\nprint(x.shape)"
    o = _py(code, tmp_path)
    assert "(60000, 28, 28)" in o.stdout, o.stderr[-2000:]
    assert not any((tmp_path / "data-ro").iterdir())


def test_student_notebooks_carry_their_exercise_version(tmp_path):
    for src in exercises.sources():
        stamp = exercises.stamp_of(exercises.STUDENT_DIR / src.name)
        assert stamp == {"name": src.stem, "version": exercises.version(src)}, (
            f"{src.stem}: run `python -m lecture_lib exercises build`"
        )
    (tmp_path / "broken.ipynb").write_text("{not json")
    assert exercises.stamp_of(tmp_path / "broken.ipynb") == {}
