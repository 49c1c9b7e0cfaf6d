#!/usr/bin/env bash
# CI's second leg (issue 29): the lock installed on another Python (default 3.13, what Colab and a
# new student's laptop run), then the unit tests and notebooks 01, 02 and 04 in smoke mode there.
# Its own environment, .venv-<version>; uv from the main .venv. A machine without that Python
# says so and skips (exit 0): the leg proves a version where it can, it does not invent one.
#
#   bash tools/python_leg.sh            # 3.13;  bash tools/python_leg.sh 3.12
set -euo pipefail
cd "$(dirname "$0")/.."
V=${1:-3.13}
t0=$(date +%s)
# the first python$V that runs (a pyenv shim on PATH may name a version that is not selected)
PYV=""
for candidate in $(command -v "python$V" || true) $(ls -d "$HOME"/.pyenv/versions/"$V"*/bin/"python$V" 2>/dev/null | sort -rV); do
  if "$candidate" --version >/dev/null 2>&1; then PYV=$candidate; break; fi
done
if [ -z "$PYV" ]; then
  echo "== Python $V leg SKIPPED: no python$V on this machine (install it, e.g. pyenv install $V)"
  exit 0
fi
echo "== Python $V leg: $($PYV --version) ($PYV)"
ENV=.venv-$V
[ -x "$ENV/bin/python" ] || "$PYV" -m venv "$ENV"
UV=.venv/bin/uv
[ -x "$UV" ] || { "$ENV/bin/python" -m pip install -q --disable-pip-version-check uv; UV=$ENV/bin/uv; }
"$UV" pip install -q --compile-bytecode --python "$ENV/bin/python" -r requirements.lock
"$UV" pip install -q --python "$ENV/bin/python" --no-deps -e .
"$ENV/bin/python" -c "import sys, tensorflow as tf, keras; print(f'== installed in $(( $(date +%s) - t0 )) s: Python {sys.version.split()[0]}, tensorflow {tf.__version__}, keras {keras.__version__}')"
export LECTURE_SMOKE=1 TF_CPP_MIN_LOG_LEVEL=2 LECTURE_BACKBONE=${LECTURE_BACKBONE:-mobilenet} LECTURE_NBVAL=1
# the unit tests (not the browser test, the exercises' grading, the hub test or the lint, which the
# main leg ran)
# and three notebooks executed by nbval, two test processes as in the main leg
"$ENV/bin/python" -m pytest -q -p no:cacheprovider -n 2 tests --ignore=tests/test_browser.py \
  --ignore=tests/grading --ignore=tests/test_repo_hygiene.py --ignore=tests/test_classroom.py --nbval-lax \
  notebooks/01_image_classification_and_datasets.ipynb notebooks/02_cnn_mnist.ipynb \
  notebooks/04_activations_and_losses.ipynb
echo "== Python $V leg passed in $(( $(date +%s) - t0 )) s"
