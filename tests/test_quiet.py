"""lecture_lib.quiet: TensorFlow's start-up lines never reach a student's screen; other lines do."""

from __future__ import annotations

import os
import subprocess
import sys

from lecture_lib import quiet

# what TensorFlow 2.21 printed on this course's CI machine (no GPU), with no TF_CPP_MIN_LOG_LEVEL
SEEN = """WARNING: All log messages before absl::InitializeLog() is called are written to STDERR
I0000 00:00:1796306592.749711   32297 port.cc:153] oneDNN custom operations are on. You may see slightly different numerical results due to floating-point round-off errors from different computation orders. To turn them off, set the environment variable `TF_ENABLE_ONEDNN_OPTS=0`.
I0000 00:00:1796306592.750215   32297 cudart_stub.cc:31] Could not find cuda drivers on your machine, GPU will not be used.
I0000 00:00:1796306592.843806   32297 cpu_feature_guard.cc:227] This TensorFlow binary is optimized to use available CPU instructions in performance-critical operations.
To enable the following instructions: AVX2 AVX512F AVX512_VNNI AVX512_BF16 AVX512_FP16 AVX_VNNI AMX_TILE AMX_INT8 AMX_BF16 FMA, in other operations, rebuild TensorFlow with the appropriate compiler flags.
E0000 00:00:1796306599.806611   32297 cuda_platform.cc:52] failed call to cuInit: INTERNAL: CUDA error: Failed call to cuInit: UNKNOWN ERROR (303)"""


def test_start_up_lines_are_told_from_the_rest():
    noise, kept = quiet.startup_lines(
        SEEN + "\nTraceback (most recent call last):\nE0000 real.cc:1] out of memory"
    )
    assert len(noise) == 6
    assert kept == ["Traceback (most recent call last):", "E0000 real.cc:1] out of memory"]


def test_captured_stderr_drops_start_up_lines_and_writes_back_the_rest(capfd):
    with quiet.captured_stderr():
        os.write(2, (SEEN + "\nsomething real\n").encode())
    err = capfd.readouterr().err
    assert "something real" in err and "cudart_stub" not in err and "cuInit" not in err


def test_a_notebook_s_first_import_of_keras_prints_nothing():
    """As a student's kernel runs it: no TF_CPP_MIN_LOG_LEVEL, the setup cell's install(), then
    Keras imported and a model run (the GPU probe prints cuInit's line where there is no GPU)."""
    code = (
        "from lecture_lib import quiet; quiet.install()\n"
        "import keras, numpy as np\n"
        "m = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])\n"
        "print(m.predict(np.zeros((1, 4)), verbose=0).shape)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    r = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300
    )
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.strip() == "(1, 2)"
    assert not quiet.startup_lines(r.stderr)[0], r.stderr
