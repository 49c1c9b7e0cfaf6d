"""The checker decides from data alone: a right answer earns its points, anything else earns none."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import precision_score, roc_auc_score

from lecture_lib.grading import answers, checker, questions


def _answers_03(tmp_path: Path, namespace: dict) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "plan.json").write_text(json.dumps(questions.extract_plan("03_binary")))
    answers.extract_all(str(tmp_path / "plan.json"), str(tmp_path / "answers"), namespace)
    return tmp_path / "answers"


def _solution_03() -> dict:
    """Exercise 03 answered right, as plain Python (no kernel)."""
    grid = np.round(np.arange(0.05, 1.0, 0.05), 2)

    def threshold_for_precision(y, p, target):  # noqa: ANN001, ANN202
        ok = [t for t in grid if precision_score(y, (p > t).astype(int), zero_division=0) >= target]
        return float(min(ok)) if ok else None

    from sklearn.metrics import recall_score

    from lecture_lib import exercise_data

    runs = exercise_data.dogs_vs_cats_runs()["test_predictions"]
    return {
        "design": {
            "dogs_vs_cats": (1, "sigmoid", "binary_crossentropy"),
            "digits": (10, "softmax", "categorical_crossentropy"),
            "photo_tags": (20, "sigmoid", "binary_crossentropy"),
        },
        "predict": lambda p: (np.asarray(p) > 0.5).astype(int),
        "accuracy": lambda a, b: float(np.mean(np.asarray(a) == np.asarray(b))),
        "auc": 0.875,
        "threshold": 0.9,
        "best_epoch": lambda h: int(np.argmax(h["val_accuracy"])) + 1,
        "final_gap": lambda h: float(h["accuracy"][-1] - h["val_accuracy"][-1]),
        "keep": "B",
        "precision_recall": lambda y, p, t: (
            float(precision_score(y, (p > t).astype(int), zero_division=0)),
            float(recall_score(y, (p > t).astype(int), zero_division=0)),
        ),
        "threshold_for_precision": threshold_for_precision,
        "real_auc": float(roc_auc_score(runs["y_true"], runs["p_dog"])),
    }


def test_right_answers_earn_every_point_and_lies_earn_none(tmp_path):
    ns = _solution_03()
    got = checker.check("03_binary", _answers_03(tmp_path / "right", ns))
    assert got["scores"] == questions.possible("03_binary") and got["feedback"] == {}

    class Anything:  # equal to everything, true, and a number of every kind
        def __eq__(self, other):  # noqa: ANN001, ANN204
            return True

        __float__ = lambda self: 0.875  # noqa: E731
        __len__ = lambda self: 3  # noqa: E731

    lies = {k: Anything() for k in ns} | {"design": dict.fromkeys(ns["design"], Anything())}
    lies["predict"] = lambda p: Anything()
    got = checker.check("03_binary", _answers_03(tmp_path / "lies", lies))
    assert sum(got["scores"].values()) == 0, got
    assert all(0 <= got["scores"][q] <= p for q, p in got["possible"].items())
    assert "not plain data" in got["feedback"]["q1_output_layer_and_loss"]


def test_a_question_scores_exactly_the_parts_it_passes(tmp_path):
    ns = _solution_03() | {"threshold": 0.7, "keep": "A"}
    got = checker.check("03_binary", _answers_03(tmp_path, ns))
    assert (
        got["scores"]["q3_read_a_roc_curve"] == 1.0
        and got["scores"]["q4_when_does_it_overfit"] == 1.5
    )
    assert got["feedback"]["q3_read_a_roc_curve"].startswith("threshold is off")


def test_the_checker_process_restarts_after_a_failure(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("KAGGLE")}
    ans = _answers_03(tmp_path, _solution_03())
    c = checker.Checker(env, limit_s=120)
    try:
        assert sum(c.check("03_binary", ans)["scores"].values()) == 11
        c.proc.kill()  # as if the submission's data had crashed it
        c.proc.wait()
        assert sum(c.check("03_binary", ans)["scores"].values()) == 11
        c.limit_s = 0.001
        with pytest.raises(checker.CheckFailed, match="took over"):
            c.check("03_binary", ans)
        assert c.proc is None  # stopped; the next request starts a fresh one
    finally:
        c.close()
