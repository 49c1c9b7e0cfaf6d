"""Grading a class: scores come from outside each submission, and every submission gets its row.

The unit tests drive ``grade`` with fakes (seconds). The class test grades, with README's command,
one correct notebook of exercise 03 and one notebook per attack seen on the old grader (issue 24:
answers equal to everything, patched comparisons and otter, rewritten tests, a forged pickle, a
forged answer file that unpickles code, reading the hidden tests, killing its own grader and the
main one, garbage answers), beside the resource attacks of issue 13 (endless loop, memory, writes
outside, megabytes of output, hunting for secrets).
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path
from unittest.mock import ANY

import nbformat
import pytest

from lecture_lib.grading import build, confine, grade

from .conftest import SECRET, landlock_abi, needs_isolation


def test_a_score_the_exercise_cannot_give_is_an_error():
    """Whatever the graded process reports, only a number in 0..points per known question counts."""
    possible = {"q1": 2.0, "q2": 1.0}
    ok, why = grade._checked_scores({"scores": {"q1": 2, "q2": 0.5}}, possible)
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
        assert grade._checked_scores({"scores": scores}, possible) == ({}, ANY), scores
    assert grade._checked_scores(["not", "a", "dict"], possible)[0] == {}


def test_a_submission_that_breaks_the_grader_is_its_own_row(tmp_path, monkeypatch):
    """An exception while grading one submission becomes that row's sentence; the CSV and summary
    of the others are written."""
    subs = tmp_path / "subs"
    subs.mkdir()
    for name in ("a", "b", "c"):
        nbformat.write(nbformat.v4.new_notebook(), subs / f"{name}.ipynb")

    def fake(f, rel, scratch, job):  # noqa: ANN001, ANN202
        possible = job.possible
        if rel == "b.ipynb":
            raise TypeError("unsupported operand type(s) for +: 'float' and 'str'")
        return {"submission": rel, "error": "", "note": "", **dict.fromkeys(possible, 0.0),
                "total": 0.0, "possible": sum(possible.values()), "percent": 0.0}  # fmt: skip

    monkeypatch.setattr(grade, "_grade_one_row", fake)
    rows = grade.grade("01_datasets", subs, tmp_path / "scores.csv", allow_unsandboxed=True)
    by = {r["submission"]: r for r in rows}
    assert by["b.ipynb"]["error"].startswith("could not be graded (TypeError: unsupported operand")
    assert by["a.ipynb"]["error"] == by["c.ipynb"]["error"] == ""
    with open(tmp_path / "scores.csv") as fh:
        assert [r["submission"] for r in csv.DictReader(fh)] == ["a.ipynb", "b.ipynb", "c.ipynb"]
    assert "2 graded, 1 with an error" in (tmp_path / "scores.summary.txt").read_text()


def test_refuses_without_isolation_unless_asked(tmp_path, monkeypatch):
    monkeypatch.setattr(confine, "isolation_problem", lambda: "no Landlock here (test)")
    (tmp_path / "subs").mkdir()
    with pytest.raises(grade.GradingRefused, match="no Landlock here.*--unsafe-no-sandbox"):
        grade.grade("01_datasets", tmp_path / "subs", tmp_path / "out.csv")


def test_summary_table_and_chart(tmp_path):
    rows = [
        {"submission": "a", "q1": 2, "q2": 0},
        {"submission": "b", "q1": 2, "q2": 1},
        {"submission": "c", "error": "stopped after 300 s"},
    ]
    text, means = grade.summarize(
        rows, ["q1", "q2"], tmp_path / "chart.png", title="t", possible={"q1": 2, "q2": 4}
    )
    assert means == {"q1": 2.0, "q2": 0.5} and "2 graded, 1 with an error" in text
    assert "most missed: q2 (12% of its points)" in text
    table = {ln.split()[0]: ln.split()[1:] for ln in text.splitlines()[3:6]}
    assert table == {
        "q1": ["2.00", "2.00", "100%"],
        "q2": ["4.00", "0.50", "12%"],
        "total": ["6.00", "2.50", "42%"],
    }, text
    from PIL import Image

    with Image.open(tmp_path / "chart.png") as img:
        assert img.width >= 1000 and img.height >= 300, img.size  # 8 in wide at 150 dpi


def test_csv_rows_have_one_number_format():
    row = {"submission": "a", "q1": 1, "q2": 0.5, "total": 1.5, "possible": 3, "percent": 50,
           "seconds": 12.345, "peak_mb": 812.7, "error": ""}  # fmt: skip
    out = grade.csv_row(row, ["q1", "q2"])
    assert [out[k] for k in ("q1", "q2", "total", "possible", "percent", "seconds", "peak_mb")] == [
        "1.00", "0.50", "1.50", "3.00", "50.0", "12.3", "813",
    ]  # fmt: skip
    assert grade.csv_row({"submission": "b", "error": "x"}, ["q1"]).get("q1") is None


ANSWERS_03 = (  # every variable exercise 03 grades
    "design", "predict", "accuracy", "auc", "threshold", "best_epoch", "final_gap", "keep",
    "precision_recall", "threshold_for_precision", "real_auc",
)  # fmt: skip
FORGE_PICKLE = (  # otter pickled its results inside the submission's kernel: patch pickle.dump
    "import pickle\n_dump = pickle.dump\n"
    "def _forged(obj, f, *a, **k):\n"
    "    for q in list(getattr(obj, 'results', {{}})):\n        obj.update_score(q, SCORE)\n"
    "    return _dump(obj, f, *a, **k)\n"
    "pickle.dump = _forged"
)
# each added to the BLANK student notebook: it must earn nothing (it earned up to 5000 / 11 before)
SCORE_ATTACKS = {
    "equal_to_everything": (
        "class _Anything:\n    def __eq__(self, other): return True\n    def __float__(self): return 0.875\n"
        "    def __len__(self): return 3\n    def __call__(self, *a, **k): return self\n"
        f"for _name in {ANSWERS_03!r}:\n    globals()[_name] = _Anything()\n"
        "design = dict.fromkeys(['dogs_vs_cats', 'digits', 'photo_tags'], _Anything())"
    ),
    "patches_comparisons": (
        "import builtins, math, numpy as np\n"
        "np.allclose = np.array_equal = np.isclose = lambda *a, **k: True\n"
        "builtins.abs = lambda x: 0\nmath.isclose = lambda *a, **k: True\n"
        "auc, threshold, keep, real_auc = 0.1, 0.3, 'A', 0.2"
    ),
    "patches_otter": (
        "try:\n    from otter.test_files import abstract_test as _t\n"
        "    _t.TestFile.score = property(lambda self: self.possible)\n"
        "    _t.TestFile.passed_all = property(lambda self: True)\n"
        "    _t.TestFile.run = lambda self, *a, **k: None\nexcept Exception:\n    pass"
    ),
    "rewrites_tests": (
        "import os, zipfile\nos.makedirs('tests', exist_ok=True)\n"
        "for _q in ['q1_output_layer_and_loss', 'q2_threshold_and_accuracy', 'q3_read_a_roc_curve',\n"
        "           'q4_when_does_it_overfit', 'q5_precision_on_real_predictions']:\n"
        "    open(f'tests/{{_q}}.py', 'w').write(f'name = {{_q!r}}\\npoints = 100\\n')\n"
        "with zipfile.ZipFile('autograder.zip', 'w') as _z:\n    _z.writestr('tests/x.py', 'points = 100')\n"
        "open('plan.json', 'w').write('[]')"
    ),
    "forges_5000_points": FORGE_PICKLE.replace("SCORE", "5000"),
    "forges_not_a_number": FORGE_PICKLE.replace("SCORE", "float('nan')"),
    # its own answer files, one holding a pickle whose loading would write a file in the
    # instructor's folder (the checker runs outside the sandbox)
    "forges_answer_files": (
        "import json, os, pickle, zipfile, numpy as np\n"
        "class _Payload:\n    def __reduce__(self):\n        return (open, ({pwned!r}, 'w'))\n"
        "def _forged(plan, out, ns):\n    os.makedirs(out, exist_ok=True)\n"
        "    for n, item in enumerate(json.load(open(plan)), start=1):\n"
        "        json.dump({{'key': item['key'], 'value': {{'__array__': 0}}}}, open(f'{{out}}/{{n}}.json', 'w'))\n"
        "        np.save('arr_0.npy', np.array([_Payload()], dtype=object), allow_pickle=True)\n"
        "        with zipfile.ZipFile(f'{{out}}/{{n}}.npz', 'w') as z:\n            z.write('arr_0.npy')\n"
        "import lecture_lib.grading.answers as _a\n_a.extract_all = _forged"
    ),
    # answers from the hidden tests if it can find them anywhere it can read (the patterns are
    # split so that they do not match this notebook itself)
    "reads_hidden_tests": (
        "import os\n_found = []\n"
        "for _top in [os.getcwd(), os.path.dirname(os.getcwd()), {repo!r} + '/exercises', {repo!r} + '/notebooks/exercises', '/tmp']:\n"
        "    for _root, _dirs, _files in os.walk(_top):\n"
        "        for _f in _files:\n"
        "            try:\n"
        "                _text = open(os.path.join(_root, _f), errors='ignore').read(2_000_000)\n"
        "            except OSError:\n                continue\n"
        "            if 'abs(float(got) - 0.8' + '75)' in _text or 'roc_auc_score(y_true, p_dog) ' + 'computes' in _text:\n"
        "                _found.append(os.path.join(_root, _f))\n"
        "if _found:\n    auc, threshold = 0.875, 0.9\nprint('FOUND', _found)"
    ),
    "kills_its_grader": "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)",
    # the main grader (python -m lecture_lib exercises grade), the classmates' graders and kernels
    "kills_the_main_grader": (
        "import os, signal, psutil\n_mine = {{psutil.Process().parent().pid}}  # its own worker\n"
        "for _p in psutil.process_iter(['cmdline']):\n"
        "    _cmd = ' '.join(_p.info['cmdline'] or [])\n"
        "    if _p.pid != os.getpid() and _p.pid not in _mine and ('lecture_lib' in _cmd or 'ipykernel' in _cmd):\n"
        "        try:\n            os.kill(_p.pid, signal.SIGKILL)\n        except (PermissionError, ProcessLookupError):\n"
        "            pass\n"
        "        print('tried', _p.pid)"
    ),
    "garbage_answers": (
        "import json, os\n"
        "def _garbage(plan, out, ns):\n    os.makedirs(out, exist_ok=True)\n"
        "    junk = ['not json', '{{\"key\": 1, \"value\": NaN}}', '[' * 200000, json.dumps({{'scores': {{'q1': 5000}}}})]\n"
        "    for n, item in enumerate(json.load(open(plan)), start=1):\n"
        "        if n % 5 == 0:\n            os.mkfifo(f'{{out}}/{{n}}.json')\n"
        "        else:\n            open(f'{{out}}/{{n}}.json', 'w').write(junk[n % 4])\n"
        "import lecture_lib.grading.answers as _a\n_a.extract_all = _garbage"
    ),
}
# each added to the SOLUTION: stopped, or reported, and the class goes on
RESOURCE_ATTACKS = {
    # waits forever without burning a core: the time limit stops it
    "loops_forever": "import time\nwhile True:\n    time.sleep(0.5)",
    # grows without end, 256 MB at a time: it meets the memory limit first on any machine
    "eats_memory": "import numpy as np\nhog = []\nwhile True:\n    hog.append(np.ones((2**28,), dtype=np.uint8))",
    "deletes_instructor_file": "import os\nos.remove({precious!r})",
    "prints_megabytes": "print('x' * 3_000_000)",
    # many files, each under the per-file limit, until the scratch folder (--scratch-mb) is full
    "fills_its_disk": (
        "import itertools\ntry:\n    for i in itertools.count():\n"
        "        open(f'fill{{i}}', 'wb').write(b'0' * 2**24)\nexcept OSError:\n    pass"
    ),
    # finds no secret, or loops forever (the test would then see a time-limit row instead of full marks)
    "looks_for_secrets": (
        "import os\nfound = {secret!r} in str(dict(os.environ))\n"
        "try:\n    found = found or {secret!r} in open({secret_file!r}).read()\nexcept OSError:\n    pass\n"
        "while found:\n    pass"
    ),
}


@pytest.fixture(scope="module")
def dist_03(tmp_path_factory) -> Path:
    return build.assign(
        build.SOURCE_DIR / "03_binary.ipynb", tmp_path_factory.mktemp("dist") / "03"
    )


def _with_cell(nb: nbformat.NotebookNode, code: str, at: int) -> nbformat.NotebookNode:
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    nb.cells.insert(at, nbformat.v4.new_code_cell(code))
    return nb


@needs_isolation
def test_a_class_with_hostile_submissions_is_graded_safely(dist_03, tmp_path, instructor):
    """README's command on a class of 03: the correct notebook gets every point, no attack earns one,
    each resource attack is its own row with its sentence, and the CSV and summary are complete."""
    folder, precious, secret_file = instructor
    pwned = folder / "pwned"
    solution = nbformat.read(dist_03 / "autograder" / "03_binary.ipynb", as_version=4)
    blank = nbformat.read(dist_03 / "student" / "03_binary.ipynb", as_version=4)
    subs = tmp_path / "submissions"
    subs.mkdir()
    nbformat.write(solution, subs / "good.ipynb")
    fill = {"precious": str(precious), "secret": SECRET, "secret_file": str(secret_file),
            "pwned": str(pwned), "repo": str(build.SOURCE_DIR.parents[1])}  # fmt: skip
    attacks = dict(SCORE_ATTACKS)
    if landlock_abi() < 6:  # Landlock ABI < 6: a submission can still signal the grader there
        attacks.pop("kills_the_main_grader")
    for name, code in attacks.items():
        nbformat.write(
            _with_cell(blank, code.format(**fill), len(blank.cells)), subs / f"{name}.ipynb"
        )
    for name, code in RESOURCE_ATTACKS.items():
        nbformat.write(_with_cell(solution, code.format(**fill), 3), subs / f"{name}.ipynb")
    old = nbformat.from_dict(json.loads(json.dumps(solution)))
    old.metadata[build.STAMP] = {"name": "03_binary", "version": "000000000000"}
    nbformat.write(old, subs / "old_version.ipynb")

    out = tmp_path / "scores.csv"
    env = {**os.environ, "KAGGLE_KEY": SECRET}
    # 60 s: three times what grading a correct 03 takes on the slowest CPU class seen, so only the
    # endless wait reaches it; run as README says, in a process a submission could try to kill
    r = subprocess.run(
        [sys.executable, "-m", "lecture_lib", "exercises", "grade", "03_binary", str(subs), "-o", str(out),
         "--workers", "2", "--timeout", "60", "--memory-mb", "2500", "--scratch-mb", "400"],
        capture_output=True, text=True, timeout=900, env=env, cwd=folder,
    )  # fmt: skip
    assert r.returncode == 0, (r.stdout[-3000:], r.stderr[-3000:])
    with open(out) as fh:
        rows = {Path(row["submission"]).stem: row for row in csv.DictReader(fh)}
    print("\n".join(f"{k}: {v['total']} {v['error'] or v['note']}" for k, v in rows.items()))
    assert len(rows) == 1 + len(attacks) + len(RESOURCE_ATTACKS) + 1
    good = rows["good"]
    assert good["error"] == "" and float(good["total"]) == float(good["possible"]) == 11, good
    for name in attacks:
        row = rows[name]
        assert float(row["total"]) == 0 and float(row["possible"]) == 11, (name, row)
        if name not in ("kills_its_grader",):
            assert row["error"] == "", (name, row["error"])  # graded: simply nothing right
    assert "grading process ended" in rows["kills_its_grader"]["error"]
    assert not pwned.exists(), "code in a forged answer file ran in the grader"
    assert precious.read_text() == "keep me"
    assert "time limit" in rows["loops_forever"]["error"]
    assert "memory" in rows["eats_memory"]["error"], rows["eats_memory"]
    deleter = rows["deletes_instructor_file"]
    assert "outside its folder" in deleter["note"] and str(precious) in deleter["note"], deleter
    assert "printed 3.0 MB" in rows["prints_megabytes"]["error"]
    assert "folder was full (400 MB" in rows["fills_its_disk"]["error"], rows["fills_its_disk"]
    hunter = rows["looks_for_secrets"]
    assert hunter["error"] == "" and hunter["total"] == good["total"], hunter
    assert "made from version 000000000000" in rows["old_version"]["note"]
    summary = out.with_suffix(".summary.txt").read_text()
    assert f"{len(rows)} submissions" in summary and out.with_suffix(".png").is_file()
