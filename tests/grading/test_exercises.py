"""Graded exercises: in sync, no solutions or hidden tests for students, grading that is right.

One otter build (session fixture, ~20 s) serves all tests, and one kernel per exercise serves both the
blank-notebook and the wrong-answer test of that exercise (``_run_exercise``).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import nbformat
import pytest

from lecture_lib.grading import build, checker, questions

from ..student_runs import STUDENT, student_answers, verdict_problems

# One wrong answer per part of every question: (question, points it must cost, text in the solution,
# wrong replacement[, text of the cell to run again from]). A question without parts has one case; the
# cases of a question add up to its points. A case that costs 0 points is another RIGHT answer, written
# differently from the solution, that a check once rejected: it must lose nothing.
WRONG: dict[str, list[tuple]] = {
    "01_datasets": [
        (
            "q1_split_by_hand",
            1,
            "order[n_train:n_train + n_val]",
            "order[n_train - 1:n_train + n_val - 1]",
        ),
        ("q1_split_by_hand", 1, "order = sorted(files)", "order = list(files)"),
        ("q2_kind_of_task", 0.5, '"a": "binary"', '"a": "multi-class"'),
        ("q2_kind_of_task", 0.5, '"b": "multi-class"', '"b": "multi-label"'),
        ("q2_kind_of_task", 0.5, '"c": "multi-label"', '"c": "multi-class"'),
        ("q2_kind_of_task", 0.5, '"d": "multi-class"', '"d": "binary"'),
        ("q3_standardize_a_photo", 0.5, '.astype("float32")', '.astype("float64")'),
        ("q3_standardize_a_photo", 0.5, "np.asarray(img) / 255.0", "np.asarray(img) / 1.0"),
        (
            "q3_standardize_a_photo",
            0.5,
            "img = img.crop((left, top, left + s, top + s)).resize(",
            "img = img.resize(",
        ),
        ("q3_standardize_a_photo", 0.5, 'img = img.convert("RGB")', "img = img"),
        ("q4_standard_directories", 1, 'f.name.split(".")[0]', 'f.name.split(".")[1]'),
        ("q4_standard_directories", 0.5, "shutil.copy2(f, target)", "shutil.move(f, target)"),
        ("q4_standard_directories", 0.5, "counts.get(split, 0) + 1", "counts.get(split, 0) + 2"),
    ],
    "02_cnn": [
        (
            "q1_count_parameters",
            1,
            "conv_params = 3 * 3 * 3 * 16 + 16",
            "conv_params = 3 * 3 * 16 + 16",
        ),
        ("q1_count_parameters", 1, "dense_params = 128 * 10 + 10", "dense_params = 128 * 10"),
        (
            "q2_build_a_cnn",
            0.5,
            'keras.layers.Dense(10, activation="softmax")',
            'keras.layers.Dense(10, activation="relu")',
        ),
        (  # a separate Softmax layer after Dense(10) is the same network
            "q2_build_a_cnn",
            0,
            'keras.layers.Dense(10, activation="softmax")',
            "keras.layers.Dense(10), keras.layers.Softmax()",
        ),
        (
            "q2_build_a_cnn",
            1,
            'Conv2D(32, 3, activation="relu"),',
            'Conv2D(320, 3, activation="relu"),',
        ),
        (
            "q2_build_a_cnn",
            0.5,
            "keras.layers.MaxPooling2D(),",
            "keras.layers.AveragePooling2D(2),",
        ),
        ("q3_receptive_field", 1, "size = 7", "size = 8"),
        ("q3_receptive_field", 1, "rf = 12", "rf = 10"),
        (
            "q4_train_on_real_digits",
            0.5,
            '/ 255.0).astype("float32")  # SOLUTION\nx_test',
            '/ 255.0).astype("float64")  # SOLUTION\nx_test',
        ),
        ("q4_train_on_real_digits", 0.5, ', metrics=["accuracy"])', ")"),
        ("q4_train_on_real_digits", 0.5, "validation_split=0.1", "validation_split=0.0"),
        (
            "q4_train_on_real_digits",
            0.5,
            "predict(x_test, verbose=0).argmax(axis=1)  # SOLUTION\ntest_acc = float(np.mean(test_pred == digits.y_test))",
            "predict(x_train, verbose=0).argmax(axis=1)  # SOLUTION\ntest_acc = float(np.mean(test_pred == digits.y_train))",
        ),
        ("q5_feature_maps", 1, "return maps[0]", "return maps"),
        ("q5_feature_maps", 1, "probe(image[None])", "probe(image[None] / 255.0)"),
    ],
    "03_binary": [
        (
            "q1_output_layer_and_loss",
            1,
            '"dogs_vs_cats": (1, "sigmoid"',
            '"dogs_vs_cats": (2, "sigmoid"',
        ),
        (
            "q1_output_layer_and_loss",
            1,
            '(10, "softmax", "categorical_crossentropy")',
            '(10, "sigmoid", "binary_crossentropy")',
        ),
        (
            "q1_output_layer_and_loss",
            1,
            '"photo_tags": (20, "sigmoid"',
            '"photo_tags": (20, "softmax"',
        ),
        ("q2_threshold_and_accuracy", 1, "> 0.5).astype(int)", ">= 0.5).astype(int)"),
        (
            "q2_threshold_and_accuracy",
            1,
            "np.mean(np.asarray(y_true) == np.asarray(y_pred))",
            "np.sum(np.asarray(y_true) == np.asarray(y_pred))",
        ),
        (
            "q3_read_a_roc_curve",
            1,
            "roc_auc_score(y_true, p_dog)",
            "roc_auc_score(y_true, p_dog > 0.5)",
        ),
        ("q3_read_a_roc_curve", 1, "threshold = 0.9", "threshold = 0.7"),
        (
            "q4_when_does_it_overfit",
            1,
            'np.argmax(history["val_accuracy"])) + 1',
            'np.argmax(history["val_accuracy"]))',
        ),
        (
            "q4_when_does_it_overfit",
            0.5,
            'history["accuracy"][-1] - history["val_accuracy"][-1]',
            'history["accuracy"][0] - history["val_accuracy"][0]',
        ),
        ("q4_when_does_it_overfit", 0.5, 'keep = "B"', 'keep = "A"'),
        (
            "q5_precision_on_real_predictions",
            0.5,
            "(float(precision_score(y, pred, zero_division=0)), float(recall_score(",
            "(float(recall_score(y, pred, zero_division=0)), float(precision_score(",
        ),
        ("q5_precision_on_real_predictions", 1, "float(min(ok)) if ok", "float(max(ok)) if ok"),
        (
            "q5_precision_on_real_predictions",
            0.5,
            "roc_auc_score(real_y, real_p)",
            "roc_auc_score(real_y, real_p > 0.5)",
        ),
    ],
    "04_losses": [
        ("q1_bce_by_hand", 2, "float(np.mean(-(y", "float(np.sum(-(y"),
        ("q2_cce_for_a_five", 2, "-np.log(p_five[5])", "-np.log(p_five[6])"),
        (
            "q3_stable_log_softmax",
            2,
            "return z - m - np.log(np.sum(np.exp(z - m)))",
            "return z - np.log(np.sum(np.exp(z)))",
        ),
        (
            "q4_cross_entropy_of_real_predictions",
            1,
            "return float(np.mean(-np.sum(onehot",
            "return float(np.sum(-np.sum(onehot",
        ),
        (
            "q4_cross_entropy_of_real_predictions",
            1,
            "np.clip(np.asarray(probs, dtype=float), 1e-7, 1 - 1e-7)",
            "np.asarray(probs, dtype=float)",
        ),
        (
            "q5_confident_mistakes",
            1,
            "return np.argsort(-losses)[:k]",
            "return np.argsort(losses)[:k]",
        ),
        (
            "q5_confident_mistakes",
            1,
            "wrong & (probs.max(axis=1) > confidence)",
            "probs.max(axis=1) > confidence",
        ),
    ],
    "04b_multi_label": [
        (
            "q1_threshold_per_class",
            2,
            "return grid[int(np.argmax(scores))]",
            "return grid[int(np.argmin(scores))]",
        ),
        ("q2_exact_match_and_hamming", 1, ".all(axis=1).mean()", ".any(axis=1).mean()"),
        (
            "q2_exact_match_and_hamming",
            1,
            "float((Y_pred != Y_true).mean())",
            "float((Y_pred != Y_true).sum())",
        ),
        ("q3_label_sets_from_real_outputs", 0.5, "out[i, labels] = 1", "out[i, labels[:1]] = 1"),
        (
            "q3_label_sets_from_real_outputs",
            0.5,
            "np.asarray(p) > np.asarray(thresholds)[None, :]",
            "np.asarray(p) > 0.5",
        ),
        (
            "q3_label_sets_from_real_outputs",
            1,
            "average=None, zero_division=0)",
            'average="macro", zero_division=0) * np.ones(10)',
        ),
        (
            "q4_train_a_multi_label_head",
            1,
            'loss="binary_crossentropy")  # SOLUTION',
            "loss=keras.losses.BinaryFocalCrossentropy())",
        ),
        ("q4_train_a_multi_label_head", 1, "epochs=8, batch_size=64", "epochs=0, batch_size=64"),
    ],
    "05_pretrained": [
        ("q1_top5", 2, "np.argsort(-np.asarray(probs))", "np.argsort(np.asarray(probs))"),
        ("q2_read_the_table", 2, "if r.params_m < 10)", "if r.params_m < 100)"),
        (
            "q3_imagenet_on_real_photos",
            1,
            "[(name, float(p)) for ((_, name, p),)",
            "[(wnid, float(p)) for ((wnid, name, p),)",
        ),
        (
            "q3_imagenet_on_real_photos",
            1,
            "[(name, float(p)) for ((_, name, p),)",
            "[(name, float(1 - p)) for ((_, name, p),)",
        ),
        ("q4_without_the_top", 1, "input_shape=(size, size, 3))", "input_shape=(224, 224, 3))"),
        ("q4_without_the_top", 1, "return maps.mean(axis=(1, 2))", "return maps.max(axis=(1, 2))"),
    ],
    "06_transfer": [
        (
            "q1_choose_C",
            2,
            "return max(scores, key=scores.get)",
            "return min(scores, key=scores.get)",
        ),
        ("q2_feature_extractor", 2, 'answer = "b"', 'answer = "c"'),
        (
            "q3_extract_in_batches",
            1,
            'batch = preprocess_input(np.array(images[start:start + batch_size], dtype="float32"))',
            'batch = np.array(images[start:start + batch_size], dtype="float32")',
        ),
        (
            "q3_extract_in_batches",
            1,
            "range(0, len(images), batch_size)",
            "range(0, len(images) - batch_size + 1, batch_size)",
        ),
        (
            "q4_linear_svm_on_real_features",
            1,
            ".fit(f_train, flowers.y_train)  # SOLUTION",
            ".fit(f_train[::7], flowers.y_train[::7])",
        ),
        (
            "q4_linear_svm_on_real_features",
            1,
            "svm.predict(f_test)  # SOLUTION\nsvm_acc = float(np.mean(svm_pred == flowers.y_test))",
            "svm.predict(f_train)  # SOLUTION\nsvm_acc = float(np.mean(svm_pred == flowers.y_train))",
        ),
    ],
    "07_fine_tuning": [
        ("q1_two_stages", 0.5, '"stage1": "head only"', '"stage1": "everything"'),
        ("q1_two_stages", 0.5, '"stage2": "top blocks + head"', '"stage2": "head only"'),
        ("q1_two_stages", 1, '"lr2": 1e-4', '"lr2": 1e-3'),
        (
            "q2_freeze_the_base",
            2,
            'model.get_layer("base").trainable = False',
            "model.layers[-1].trainable = False",
        ),
        (  # NumPy's sum of the sizes is an np.int64: a whole number all the same
            "q2_freeze_the_base",
            0,
            "return sum(int(keras.ops.size(w)) for w in model.trainable_weights)",
            "return np.sum([np.prod(w.shape) for w in model.trainable_weights])",
        ),
        # stages 1 and 2 change `base` and `model` in place: each case runs again from the cell that builds them
        (
            "q3_stage_one",
            0.5,
            'keras.layers.Dense(5, activation="softmax")])',
            'keras.layers.Dense(32, activation="relu"), keras.layers.Dense(5, activation="softmax")])',
            "base = keras.applications",
        ),
        (
            "q3_stage_one",
            0.5,
            "Adam(learning_rate=3e-3)",
            "Adam(learning_rate=2e-3)",
            "base = keras.applications",
        ),
        (
            "q3_stage_one",
            1,
            "predict(flowers.x_test, verbose=0).argmax(axis=1)  # SOLUTION\nstage1_acc = float(np.mean(stage1_pred == flowers.y_test))",
            "predict(flowers.x_train, verbose=0).argmax(axis=1)  # SOLUTION\nstage1_acc = float(np.mean(stage1_pred == flowers.y_train))",
            "base = keras.applications",
        ),
        (
            "q4_stage_two",
            0.5,
            " and not isinstance(layer, keras.layers.BatchNormalization)",
            "",
            "base = keras.applications",
        ),
        (
            "q4_stage_two",
            0.5,
            "Adam(learning_rate=1e-5)",
            "Adam(learning_rate=5e-5)",
            "base = keras.applications",
        ),
        (
            "q4_stage_two",
            1,
            "predict(flowers.x_test, verbose=0).argmax(axis=1)  # SOLUTION\nstage2_acc = float(np.mean(stage2_pred == flowers.y_test))",
            "predict(flowers.x_train, verbose=0).argmax(axis=1)  # SOLUTION\nstage2_acc = float(np.mean(stage2_pred == flowers.y_train))",
            "base = keras.applications",
        ),
    ],
    "08_augmentation": [
        ("q1_no_black_corners", 2, 'fill_mode = "nearest"', 'fill_mode = "constant"'),
        (
            "q2_augmentation_pipeline",
            0.5,
            'keras.layers.RandomFlip("horizontal"),\n        keras.layers.RandomRotation(0.1',
            'keras.layers.RandomFlip("horizontal_and_vertical"),\n        keras.layers.RandomRotation(0.1',
        ),
        (
            "q2_augmentation_pipeline",
            0.5,
            'RandomRotation(0.1, fill_mode="nearest")',
            'RandomRotation(0.2, fill_mode="nearest")',
        ),
        ("q2_augmentation_pipeline", 1, 'RandomZoom(0.2, fill_mode="nearest")', "RandomZoom(0.2)"),
        (
            "q3_the_lecture_gallery",
            0.5,
            'keras.layers.RandomFlip("horizontal"),\n        keras.layers.RandomRotation(30',
            'keras.layers.RandomFlip("vertical"),\n        keras.layers.RandomRotation(30',
        ),
        ("q3_the_lecture_gallery", 0.5, "RandomRotation(30 / 360,", "RandomRotation(30 / 180,"),
        (
            "q3_the_lecture_gallery",
            1,
            "RandomTranslation(10 / size, 30 / size,",
            "RandomTranslation(30 / size, 10 / size,",
        ),
        (
            "q4_augment_only_training",
            1,
            "augmentation(x, training=True), y)",
            "augmentation(x, training=False), y)",
        ),
        (
            "q4_augment_only_training",
            1,
            "return train_aug.prefetch(tf.data.AUTOTUNE), val_ds",
            "return train_aug.prefetch(tf.data.AUTOTUNE), val_ds.map(lambda x, y: (augmentation(x, training=True), y))",
        ),
    ],
}


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> dict:
    """Every exercise through otter assign, once per test run: with -n 2 both test processes grade
    exercises, and the second waits for the first's build (a file lock in their shared temp folder)
    instead of repeating it (about a minute on 2 cores)."""
    from filelock import FileLock

    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    root = shared / "exercises-built"
    with FileLock(str(root) + ".lock"):
        if not (root / "done").is_file():
            shutil.rmtree(root, ignore_errors=True)
            build.build(root / "student", dist_root=root / "dist")
            (root / "done").write_text("")
    tests = root / "student" / build.TESTS
    return {
        "root": root,
        "students": {p.stem: p for p in sorted((root / "student").glob("*.ipynb"))},
        "test_files": {p.relative_to(tests).as_posix(): p for p in sorted(tests.glob("*/*.py"))},
    }


def test_every_source_has_a_wrong_answer_case():
    assert {p.stem for p in build.sources()} == set(WRONG)


def test_every_exercise_has_four_questions_and_real_data():
    """At least 4 questions each, and code that runs on real data (lecture_lib.exercise_data)."""
    for src in build.sources():
        nb = nbformat.read(src, as_version=4)
        questions = [
            c for c in nb.cells if c.cell_type == "raw" and c.source.startswith("# BEGIN QUESTION")
        ]
        assert len(questions) >= 4, f"{src.stem}: {len(questions)} questions"
        assert any("exercise_data." in c.source for c in nb.cells if c.cell_type == "code"), (
            src.stem
        )


def test_committed_public_test_files_are_in_sync(built):
    tests = build.STUDENT_DIR / build.TESTS
    committed = {p.relative_to(tests).as_posix(): p.read_text() for p in tests.glob("*/*.py")}
    assert committed == {n: p.read_text() for n, p in built["test_files"].items()}, (
        "run `python -m lecture_lib exercises build`"
    )


def test_committed_student_notebooks_are_in_sync(built):
    for name, fresh in built["students"].items():
        committed = build.STUDENT_DIR / f"{name}.ipynb"
        assert committed.is_file(), (
            f"{committed} missing: run `python -m lecture_lib exercises build`"
        )
        assert committed.read_text() == fresh.read_text(), (
            f"{name} is out of sync: run `python -m lecture_lib exercises build`"
        )


def test_student_notebooks_use_the_course_grader_and_its_words(built):
    for name, student in built["students"].items():
        nb = nbformat.read(student, as_version=4)
        sources = [c.source for c in nb.cells]
        assert build.GRADER_CELL.format(name=name) in sources, name
        text = "\n".join(sources)
        assert "otter" not in text.lower() and "autograder tests" not in text, name
        assert build.CHECK_ALL in text, name


def test_student_notebooks_hold_no_solution_and_no_hidden_test(built):
    for name, student in built["students"].items():
        text = student.read_text()
        solution = nbformat.read(
            built["root"] / "dist" / name / "autograder" / f"{name}.ipynb", as_version=4
        )
        assert "SOLUTION" not in text and "hidden: true" not in text
        for tests in questions.of(name).values():  # no hidden test, not even its sentence
            for t in tests:
                assert t.check_source not in text and json.dumps(t.failure)[1:-1] not in text, t.key
        assert "# IGNORE" not in text and "def check(" not in text
        tests = json.loads(text)["metadata"]["otter"]["tests"]
        for qname, body in tests.items():
            assert "hidden=True" not in body, (
                f"{name}/{qname}: a hidden test reached the student notebook"
            )
        # no line of a solution reaches the student, unless the same line is also given elsewhere
        secret, given = _solution_lines(build.SOURCE_DIR / f"{name}.ipynb")
        student_lines = {
            ln.strip()
            for c in nbformat.reads(text, as_version=4).cells
            if c.cell_type == "code"
            for ln in c.source.splitlines()
        }
        leaked = {ln for ln in (secret - given) & student_lines if len(ln) > 3}
        assert not leaked, f"{name}: solution lines in the student notebook: {leaked}"
        solution_lines = {
            ln.strip()
            for c in solution.cells
            if c.cell_type == "code"
            for ln in c.source.splitlines()
        }
        assert solution_lines - student_lines, f"{name}: the student notebook equals the solution"


def _solution_lines(source: Path) -> tuple[set[str], set[str]]:
    """(lines of the source's solutions, lines of its other code): marked `# SOLUTION` or inside
    `# BEGIN SOLUTION` ... `# END SOLUTION`, in code cells outside the tests."""
    secret, given, in_tests = set(), set(), False
    for c in nbformat.read(source, as_version=4).cells:
        if c.cell_type == "raw":
            in_tests = c.source.startswith("# BEGIN TESTS") or (
                in_tests and not c.source.startswith("# END TESTS")
            )
            continue
        if c.cell_type != "code" or in_tests:
            continue
        inside = False
        for ln in c.source.splitlines():
            s = ln.strip()
            if s == "# BEGIN SOLUTION":
                inside = True
            elif s == "# END SOLUTION":
                inside = False
            elif inside or s.endswith("# SOLUTION"):
                secret.add(s.removesuffix("# SOLUTION").strip())
            else:
                given.add(s)
    return secret, given


def _solution(name: str, built: dict) -> nbformat.NotebookNode:
    return nbformat.read(
        built["root"] / "dist" / name / "autograder" / f"{name}.ipynb", as_version=4
    )


def _score_cell(work: Path, k: int) -> nbformat.NotebookNode:
    """A cell that writes answer set ``k`` as the grader's kernel would (every hidden test's
    ``extract``, from the plan); :func:`_scores` then decides them as the grader's checker does."""
    return nbformat.v4.new_code_cell(
        "import lecture_lib.grading.answers as _lecture_answers\n"
        f"_lecture_answers.extract_all({str(work / 'plan.json')!r}, {str(work / 'answers' / str(k))!r}, globals())\n"
        f"print('ANSWERS{k}')"
    )


def _names(source: str) -> tuple[set[str], set[str]]:
    """(names a cell binds, names it reads), from its syntax tree."""
    import ast

    bound, read = set(), set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Name):
            (bound if isinstance(node.ctx, ast.Store) else read).add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            bound.add(node.name)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            bound |= {a.asname or a.name.split(".")[0] for a in node.names}
    return bound, read


def _rerun(cells: list, first: int) -> list[int]:
    """Cell ``first`` and every later cell that reads what it (or such a cell) binds, in order."""
    region, bound = [first], _names(cells[first].source)[0]
    for j in range(first + 1, len(cells)):
        b, r = _names(cells[j].source)
        if r & bound:
            region.append(j)
            bound |= b
    return region


def _scores(name: str, work: Path, cell: nbformat.NotebookNode) -> dict:
    """The verdict on what a :func:`_score_cell` wrote: scores, feedback and possible points."""
    printed = "".join(o.get("text", "") for o in cell.outputs if o.get("name") == "stdout")
    assert "ANSWERS" in printed, f"the answers cell printed nothing: {cell.outputs!r}"[:1500]
    k = int(printed.split("ANSWERS", 1)[1].split()[0])
    return checker.check(name, work / "answers" / str(k))


def _errors(cells: list) -> list:
    return [
        (
            c.source.splitlines()[0][:80] if c.source else "",
            o.get("ename"),
            o.get("evalue", "")[:300],
        )
        for c in cells
        for o in c.get("outputs", [])
        if o.get("output_type") == "error"
    ]


def _student_env() -> dict[str, str]:
    """The environment of a student's JupyterLab: no TF_CPP_MIN_LOG_LEVEL (.ci/run sets one)."""
    return {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}


_RUNS: dict[str, dict] = {}  # name -> its one kernel's run, shared by the two tests below


def _run_exercise(name: str, built: dict, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One kernel per exercise serves both grading tests (a kernel start and TensorFlow's import
    cost seconds each; CI runs 18 of them otherwise).

    First the student notebook, one answer right, one wrong and the rest blank (STUDENT), runs top
    to bottom in the fresh kernel with a student's environment, in a folder of its own with its
    public tests in tests/<exercise>/ (as notebooks/exercises/ has them), then every test, hidden
    ones too, scores it. Then ``%reset -f`` empties the namespace (a name the blank run defined cannot help
    the solution) and, in the folder of the autograder's tests, the solution runs, then each wrong
    answer in turn, as the grader would see a notebook with that one mistake: the wrong cell and
    every later cell that uses what it defines run again (from a given cell on, where a model
    trained there is changed in place later), then every test scores every question; then the right
    cells run again. Cells run on past an error, so each test reports its own part."""
    from nbclient import NotebookClient

    if name in _RUNS:
        return _RUNS[name]
    work = tmp_path_factory.mktemp(name)
    student = work / "student"
    student.mkdir(parents=True)
    shutil.copy(built["students"][name], student)
    shutil.copytree(built["root"] / "student" / build.TESTS / name, student / build.TESTS / name)
    (work / "plan.json").write_text(json.dumps(questions.extract_plan(name)))
    scored = iter(range(1000))
    blank = [*student_answers(name, student / f"{name}.ipynb"), _score_cell(work, next(scored))]

    solution = _solution(name, built)
    cells = [
        c
        for c in solution.cells
        if c.cell_type == "code"
        and "grader.check" not in c.source
        and "otter.Notebook" not in c.source
    ]
    graded = [
        nbformat.v4.new_code_cell(f"%reset -f\nimport os\nos.chdir({str(work)!r})"),
        *(nbformat.v4.new_code_cell(c.source) for c in cells),
        _score_cell(work, next(scored)),
    ]
    dirty: list[int] = []  # cells whose last run was a wrong version
    for question, _, good, bad, *start in WRONG[name]:
        hits = [i for i, c in enumerate(cells) if good in c.source]
        assert len(hits) == 1, (
            f"{name}/{question}: {good!r} must be in exactly one solution cell, found {len(hits)}"
        )
        if start:
            first = next(i for i, c in enumerate(cells) if start[0] in c.source)
            region = list(range(first, len(cells)))
        else:
            region = _rerun(cells, hits[0])
        if dirty and not set(dirty) <= set(region):
            graded += [nbformat.v4.new_code_cell(cells[i].source) for i in dirty]
        graded += [
            nbformat.v4.new_code_cell(
                cells[i].source.replace(good, bad) if i == hits[0] else cells[i].source
            )
            for i in region
        ] + [_score_cell(work, next(scored))]
        dirty = region
    nb = nbformat.v4.new_notebook(cells=[*blank, *graded])
    NotebookClient(
        nb,
        timeout=600,
        allow_errors=True,
        kernel_name="python3",
        resources={"metadata": {"path": str(student)}},
    ).execute(env=_student_env())
    run_blank, run_graded = nb.cells[: len(blank)], nb.cells[len(blank) :]
    _RUNS[name] = {
        "blank": [c for c in run_blank if c.cell_type == "code"],
        "graded": run_graded,
        "work": work,
    }
    return _RUNS[name]


# with -n 2 each exercise is a unit of work (conftest.py): its two tests share one kernel run
@pytest.mark.parametrize("name", sorted(WRONG))
def test_student_run_says_right_wrong_and_not_answered_in_sentences(name, built, tmp_path_factory):
    """Run as a student would, top to bottom in a fresh kernel with a student's environment, one
    question right, one wrong, the rest blank (STUDENT): each check cell and the check-all cell give
    exactly those verdicts for this exercise's own questions, each one line; nothing on stderr (no
    traceback, warning or TensorFlow log line) and no ANSI escape anywhere; the hidden tests give the
    right one its points, the wrong one less, the blank ones nothing."""
    right, wrong, _, _ = STUDENT[name]
    run = _run_exercise(name, built, tmp_path_factory)
    cells = run["blank"]
    problems = verdict_problems(name, cells[:-1])
    assert not problems, f"{name}:\n" + "\n".join(problems)
    questions_ = sorted(questions.possible(name))
    verdict = _scores(name, run["work"], cells[-1])
    scores, possible = verdict["scores"], verdict["possible"]
    assert set(scores) == set(questions_)
    assert scores[right] == possible[right] and scores[wrong] < possible[wrong], scores
    assert not any(scores[q] for q in questions_ if q not in (right, wrong)), scores


@pytest.mark.parametrize("name", sorted(WRONG))
def test_each_wrong_answer_costs_exactly_its_points(name, built, tmp_path_factory):
    """The solution gets every point; each wrong answer costs exactly its question's part, nothing
    elsewhere, and says why in a sentence (run as :func:`_run_exercise` says)."""
    run = _run_exercise(name, built, tmp_path_factory)
    cells = run["graded"]
    assert not _errors(cells), f"{name}: errors in the solution or a wrong answer: {_errors(cells)}"
    runs = [_scores(name, run["work"], c) for c in cells if "extract_all(" in c.source]
    assert len(runs) == 1 + len(WRONG[name])
    full = runs[0]["scores"]
    assert full == runs[0]["possible"], (
        f"{name}: the solution does not get every point: {runs[0]['feedback']}"
    )
    possible = {q: sum(case[1] for case in WRONG[name] if case[0] == q) for q in full}
    assert possible == full, (
        f"{name}: the wrong answers of each question must add up to its points (one per part): {possible} vs {full}; {runs[0]['feedback']}"
    )
    for (question, points, good, bad, *_), run in zip(WRONG[name], runs[1:], strict=True):
        lost = {q: round(full[q] - run["scores"][q], 4) for q in full}
        assert lost == {q: (points if q == question else 0) for q in full}, (
            f"{name}: {good!r} -> {bad!r}: lost {lost}; {run['feedback']}"
        )
        if points:  # a right answer written another way has nothing to explain
            sentence = run["feedback"][question]
            assert sentence and "Traceback" not in sentence and sentence != "a test failed", (
                sentence
            )


def test_readme_grading_command_writes_a_score_table(built, tmp_path):
    """The instructor's one command from README, as written: a folder of notebooks -> CSV."""
    import csv
    import subprocess
    import sys

    subs = tmp_path / "submissions"
    subs.mkdir()
    shutil.copy(
        built["root"] / "dist" / "01_datasets" / "autograder" / "01_datasets.ipynb",
        subs / "ada.ipynb",
    )
    shutil.copy(built["students"]["01_datasets"], subs / "bob.ipynb")
    (subs / "broken.ipynb").write_text("this is not a notebook")
    out = tmp_path / "scores-01.csv"
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "lecture_lib",
            "exercises",
            "grade",
            "01_datasets",
            str(subs),
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    rows = {row["submission"]: row for row in csv.DictReader(out.open())}
    assert float(rows["ada.ipynb"]["total"]) == float(rows["ada.ipynb"]["possible"]) == 8, rows[
        "ada.ipynb"
    ]
    assert (
        float(rows["bob.ipynb"]["total"]) == 0 and float(rows["bob.ipynb"]["q1_split_by_hand"]) == 0
    )
    assert rows["broken.ipynb"]["error"] and float(rows["broken.ipynb"]["total"]) == 0
