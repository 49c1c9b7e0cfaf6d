"""Decide each hidden test from a submission's answers, in a process that runs no student code.

:func:`check` reads the answers the kernel wrote (:func:`.answers.read`: data only) and calls each
test's ``check`` (:mod:`.questions`) on them. A check compares with its own copy of the real data
(:func:`trusted` loads it from :mod:`lecture_lib.exercise_data` here, once; :func:`mobilenet`
builds the pretrained network once). A question scores the points of the tests it passes, so no
score can exceed a question's points or be anything but a number. ``grade`` keeps one
:class:`Checker` process per worker alive across submissions (``python -m
lecture_lib.grading.checker``: requests on stdin, one JSON line each on stdout), so TensorFlow is
imported once, and a checker that crashes or hangs on one submission's data costs only that row.
"""

from __future__ import annotations

import builtins
import contextlib
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from . import answers, questions


def _why(reason: str, failure: str) -> str:
    """The student's sentence: what is missing, or the test's own sentence and what went wrong."""
    if not reason:
        return failure
    kind, _, msg = reason.partition(": ")
    if kind in ("NotAnswered", "NameError"):
        return msg
    if kind == "NotData":
        return f"{failure} (the answer must be a value: {msg})"
    if reason.startswith(("the notebook stopped", "its answer could not")):
        return f"{failure} ({reason})"
    return f"{failure} (your code raised {reason})"


_BUILT: dict = {}


def cached(key: str, build: object) -> object:
    """``build()`` once per checker process (a pretrained model a check compares with), then reused."""
    if key not in _BUILT:
        _BUILT[key] = build()
    return _BUILT[key]


def trusted(function: str, *args: object, **kwargs: object) -> object:
    """``lecture_lib.exercise_data.<function>(*args, **kwargs)``, loaded here, once per checker
    process: the checks' own copy of the real data, never the submission's (checks do not change it)."""
    from .. import exercise_data

    key = json.dumps([function, args, kwargs], sort_keys=True, default=str)
    return cached(key, lambda: getattr(exercise_data, function)(*args, **kwargs))


def mobilenet(**kwargs: object) -> object:
    """The course's MobileNet (alpha 0.75, ImageNet weights) with ``kwargs``, built once per checker."""

    def build() -> object:
        import keras

        from .. import weights

        top = bool(kwargs.get("include_top", False))
        return keras.applications.MobileNet(
            alpha=0.75, weights=weights.weights_path("mobilenet", include_top=top), **kwargs
        )

    return cached("mobilenet " + json.dumps(kwargs, sort_keys=True), build)


def flowers_features(sample: dict) -> dict:
    """MobileNet's pooled features (224 px) of the Flowers17 sample ``sample`` (the keyword
    arguments of ``exercise_data.image_sample``): what exercise 06's answers are compared with."""

    def build() -> dict:
        import keras

        flowers = trusted("image_sample", "flowers17", **sample)
        base = mobilenet(include_top=False, input_shape=(224, 224, 3), pooling="avg")
        pre = keras.applications.mobilenet.preprocess_input
        return {
            split: base.predict(pre(x.astype("float32")), verbose=0)
            for split, x in (("train", flowers.x_train), ("test", flowers.x_test))
        }

    return cached("flowers features " + json.dumps(sample, sort_keys=True), build)


def check(name: str, answers_dir: Path) -> dict:
    """``{"scores", "possible", "feedback"}`` of the answers in ``answers_dir`` for exercise ``name``."""
    scores: dict[str, float] = {}
    failed: dict[str, list[str]] = {}  # every failing part's sentence, in order
    n = 0
    for q, tests in questions.of(name).items():
        scores[q] = 0.0
        for t in tests:
            n += 1
            value, reason = answers.read(answers_dir, n, t.key)
            passed = False
            if not reason:
                scope: dict = {"__builtins__": builtins, "__name__": "check"}
                exec(compile(t.check_source, f"<check {t.key}>", "exec"), scope)
                try:
                    scope["check"](value)
                    passed = True
                except Exception:  # noqa: BLE001 - a failed check, whatever the data made it raise
                    passed = False
            if passed:
                scores[q] += t.points
            else:
                why = _why(reason, t.failure)[:300]
                if why not in failed.setdefault(q, []):  # one blank variable: one sentence
                    failed[q].append(why)
        scores[q] = round(scores[q], 6)
    feedback = {q: " / ".join(whys) for q, whys in failed.items()}
    return {"scores": scores, "possible": questions.possible(name), "feedback": feedback}


def _serve() -> int:
    """The checker process: one request per stdin line, one JSON reply per line on the real stdout
    (anything else printed, TensorFlow's logs included, goes to stderr)."""
    reply = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    for line in sys.stdin:
        try:
            req = json.loads(line)
            out = check(str(req["exercise"]), Path(req["answers"]))
        except Exception as e:  # noqa: BLE001 - our own failure, reported, never a score
            out = {"error": f"the checker failed ({type(e).__name__}: {str(e)[:200]})"}
        reply.write(json.dumps(out) + "\n")
        reply.flush()
    return 0


class CheckFailed(RuntimeError):
    """The checker gave no verdict on one submission (crashed, hung, or ran out of memory)."""


class Checker:
    """A checker process, restarted after any failure; ``limit_s``/``memory_mb`` bound one request."""

    def __init__(self, env: dict[str, str], limit_s: float = 120.0, memory_mb: int = 4096) -> None:
        self.env, self.limit_s, self.memory_mb = env, limit_s, memory_mb
        self.proc: subprocess.Popen | None = None

    def _start(self) -> subprocess.Popen:
        if self.proc is None or self.proc.poll() is not None:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "lecture_lib.grading.checker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=self.env,
                text=True,
            )
        return self.proc

    def check(self, name: str, answers_dir: Path) -> dict:
        """The verdict on one submission's answers; raises :class:`CheckFailed` with a sentence."""
        import psutil

        proc = self._start()
        got: list[str] = []
        reader = threading.Thread(target=lambda: got.append(proc.stdout.readline()), daemon=True)
        proc.stdin.write(json.dumps({"exercise": name, "answers": str(answers_dir)}) + "\n")
        proc.stdin.flush()
        reader.start()
        t0, problem = time.time(), ""
        while reader.is_alive():
            reader.join(0.2)
            with contextlib.suppress(psutil.Error):
                if psutil.Process(proc.pid).memory_info().rss > self.memory_mb * 2**20:
                    problem = f"checking its answers needed over {self.memory_mb} MB"
            if time.time() - t0 > self.limit_s:
                problem = f"checking its answers took over {self.limit_s:.0f} s"
            if problem:
                break
        if not problem and (not got or not got[0]):
            problem = "the checker stopped on its answers"
        if problem:
            self.close()
            raise CheckFailed(problem)
        out = json.loads(got[0])
        if "error" in out:
            raise CheckFailed(out["error"])
        return out

    def close(self) -> None:
        if self.proc is not None:
            with contextlib.suppress(OSError):
                self.proc.kill()
            self.proc.wait()
            self.proc = None


if __name__ == "__main__":
    raise SystemExit(_serve())
