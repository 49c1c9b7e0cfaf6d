"""The course's student-side grader (lecture_lib.feedback): one exercise's questions, one sentence each.

Every closed-form question (a count, a number, a choice: its answer is a value the public test can
know) is fed its right answer, a wrong one and the blank; the public check must say right, not
right yet, and not answered yet. The test files hold digests, never the values.
"""

from __future__ import annotations

import numpy as np
import pytest

from lecture_lib import checks, exercise_data, feedback


def _runs():
    runs = exercise_data.dogs_vs_cats_runs()
    return {
        "history_a": next(iter(runs["histories"].values())),
        "real_y": np.array(runs["test_predictions"]["y_true"]),
        "real_p": np.array(runs["test_predictions"]["p_dog"]),
    }


def _precision_recall(y, p, t):
    from sklearn.metrics import precision_score, recall_score

    pred = (np.asarray(p) > t).astype(int)
    return precision_score(y, pred, zero_division=0), recall_score(y, pred, zero_division=0)


def _threshold_for_precision(y, p, target, strict=False):
    from sklearn.metrics import precision_score

    grid = np.round(np.arange(0.05, 1.0, 0.05), 2)
    ok = [t for t in grid if precision_score(y, (p > t).astype(int), zero_division=0) >= target]
    return float(max(ok) if strict else min(ok))


def _freeze(model, wrong=False):
    model.get_layer("base").trainable = False
    n = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
    return n - 4 if wrong else n


KINDS = {"a": "binary", "b": "multi-class", "c": "multi-label", "d": "multi-class"}
DESIGN = {
    "dogs_vs_cats": (1, "sigmoid", "binary_crossentropy"),
    "digits": (10, "softmax", "categorical_crossentropy"),
    "photo_tags": (20, "sigmoid", "binary_crossentropy"),
}
# (exercise, question): (the right answers, what a wrong answer changes, the blank's name)
CLOSED_FORM = {
    ("01_datasets", "q2_kind_of_task"): (
        {"kinds": KINDS},
        {"kinds": {**KINDS, "c": "multi-class"}},
        "kinds",
    ),
    ("02_cnn", "q1_count_parameters"): (
        {"conv_params": 448, "dense_params": 1290},
        {"conv_params": 3 * 3 * 16 + 16},
        "conv_params",
    ),
    ("02_cnn", "q3_receptive_field"): ({"size": 7, "rf": 12}, {"rf": 10}, "size"),
    ("03_binary", "q1_output_layer_and_loss"): (
        {"design": DESIGN},
        {"design": {**DESIGN, "photo_tags": (20, "softmax", "categorical_crossentropy")}},
        "design",
    ),
    ("03_binary", "q2_threshold_and_accuracy"): (
        {
            "predict": lambda p: (np.asarray(p) > 0.5).astype(int),
            "accuracy": lambda y, p: float(np.mean(np.asarray(y) == np.asarray(p))),
        },
        {"predict": lambda p: (np.asarray(p) >= 0.5).astype(int)},
        "predict",
    ),
    ("03_binary", "q3_read_a_roc_curve"): (
        {"auc": 0.875, "threshold": 0.9},
        {"threshold": 0.7},
        "auc",
    ),
    ("03_binary", "q4_when_does_it_overfit"): (
        {
            "best_epoch": lambda h: int(np.argmax(h["val_accuracy"])) + 1,
            "final_gap": lambda h: float(h["accuracy"][-1] - h["val_accuracy"][-1]),
            "keep": "B",
        },
        {"best_epoch": lambda h: int(np.argmax(h["val_accuracy"]))},
        "keep",
    ),
    ("03_binary", "q5_precision_on_real_predictions"): (
        {
            "precision_recall": _precision_recall,
            "threshold_for_precision": _threshold_for_precision,
            "real_auc": 0.925208,
        },
        {"threshold_for_precision": lambda y, p, t: _threshold_for_precision(y, p, t, True)},
        "real_auc",
    ),
    ("04_losses", "q1_bce_by_hand"): ({"bce": 0.2797765635793423}, {"bce": 0.25}, "bce"),
    ("04_losses", "q2_cce_for_a_five"): ({"loss": 0.2231435513142097}, {"loss": 0.1}, "loss"),
    ("04b_multi_label", "q2_exact_match_and_hamming"): (
        {"exact": 0.5, "hamming": 0.25},
        {"hamming": 0.75},
        "exact",
    ),
    ("05_pretrained", "q2_read_the_table"): (
        {"best_small": "EfficientNetB0"},
        {"best_small": "MobileNetV2"},
        "best_small",
    ),
    ("06_transfer", "q2_feature_extractor"): ({"answer": "b"}, {"answer": "c"}, "answer"),
    ("07_fine_tuning", "q1_two_stages"): (
        {"plan": {"stage1": "head only", "stage2": "top blocks + head", "lr2": 1e-5}},
        {"plan": {"stage1": "head only", "stage2": "top blocks + head", "lr2": 1e-3}},
        "plan",
    ),
    ("07_fine_tuning", "q2_freeze_the_base"): (
        {"freeze_base": _freeze},
        {"freeze_base": lambda m: _freeze(m, wrong=True)},
        "freeze_base",
    ),
    ("08_augmentation", "q1_no_black_corners"): (
        {"fill_mode": "reflect"},
        {"fill_mode": "wrap"},
        "fill_mode",
    ),
}


@pytest.mark.parametrize("key", sorted(CLOSED_FORM), ids="/".join)
def test_closed_form_public_checks_know_the_value(key):
    exercise, question = key
    right, wrong, blank = CLOSED_FORM[key]
    grader = feedback.Grader(exercise)
    env = {**_runs(), **right}
    assert grader.check(question, env).status == "right", grader.check(question, env)
    bad = grader.check(question, {**env, **wrong})
    assert bad.status == "wrong" and "not right yet" in bad.message, bad
    empty = grader.check(question, {**env, blank: ...})
    assert empty.status == "blank" and "not answered yet" in empty.message, empty


def test_closed_form_tests_hold_digests_not_values():
    """A value the student must find is not written in the test file a student can open."""
    for (exercise, question), (right, _, _) in CLOSED_FORM.items():
        text = (feedback.tests_dir(exercise) / f"{question}.py").read_text()
        for value in right.values():
            # numbers only: a choice (a letter, a mode, one of four thresholds) is named in the question
            if isinstance(value, int | float) and question != "q3_read_a_roc_curve":
                assert repr(value) not in text, (question, value)


def test_check_all_lists_only_the_exercise_s_own_questions():
    grader = feedback.Grader("02_cnn")
    report = grader.check_all({})
    assert [v.question for v in report.verdicts] == [
        "q1_count_parameters",
        "q2_build_a_cnn",
        "q3_receptive_field",
        "q4_train_on_real_digits",
        "q5_feature_maps",
    ]
    assert all(v.status == "blank" for v in report.verdicts), report
    assert "5 questions" in str(report) and "5 not answered yet" in str(report)
    assert "`conv_params` is not defined yet: run the cells above" in str(report)


def test_a_form_only_question_says_the_instructor_checks_the_value():
    grader = feedback.Grader("01_datasets")

    def split_files(f, a, b, c, seed=42):
        return f[:a], f[a : a + b], f[a + b : a + b + c]

    v = grader.check("q1_split_by_hand", {"split_files": split_files})
    assert v.status == "form" and "instructor's tests check the value" in v.message
    assert "passed" not in str(v)


def test_a_crash_is_one_sentence_without_escapes():
    def feature_maps(model, layer_name, image):
        raise ValueError(
            '\x1b[1mInput 0 of layer "c" is incompatible with the layer: expected min_ndim=4, found ndim=3.\x1b[0m\n'
            "Full shape received: (28, 28, 1)\n\nArguments received by Conv2D.call():"
        )

    v = feedback.verdict(
        "q",
        feedback.tests_dir("02_cnn") / "q5_feature_maps.py",
        {"feature_maps": feature_maps, "digits": exercise_data.mnist_sample(20, 10, seed=0)},
    )
    assert v.status == "wrong" and "\n" not in v.message and "\x1b" not in str(v)
    assert "raised ValueError: Input 0 of layer" in v.message and "Full shape" not in v.message


def test_a_stub_function_is_not_answered_yet():
    def split_files(files, n_train, n_val, n_test, seed=42): ...

    def documented(files):
        """Returns the three splits."""
        ...

    assert checks.is_stub(split_files) and checks.is_stub(documented)
    assert not checks.is_stub(lambda: 1)
    v = feedback.Grader("01_datasets").check("q1_split_by_hand", {"split_files": split_files})
    assert v.status == "blank" and "not answered yet" in v.message


def test_a_variable_still_ellipsis_is_not_answered_rather_than_a_crash():
    v = feedback.Grader("04b_multi_label").check("q4_train_a_multi_label_head", {"model": ...})
    assert (v.status, v.message) == (
        "blank",
        "`model` is not answered yet: replace the `...` with your answer.",
    )


def test_an_unknown_question_names_the_exercise_s_questions():
    with pytest.raises(ValueError, match="q1_count_parameters"):
        feedback.Grader("02_cnn").check("q9_nothing")
