#!/usr/bin/env bash
# Outside the CI gate (#14): the unit tests and notebook 02 under the oldest TensorFlow/Keras pair
# that pyproject.toml admits (the lower bounds of its ranges), in a separate environment
# .venv-oldest, resolved fresh by uv around that pair. Needs the package index; takes a few minutes.
#
#   bash tools/check_oldest_pair.sh            # LECTURE_MIRROR=... for real data, as in CI
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-$(command -v python3.11 || command -v python3)}
read -r TF KERAS < <($PY - <<'PYEOF'
import re, tomllib
deps = tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]
low = {re.match(r"[a-z-]+", d).group(0): re.search(r">=\s*([0-9.]+)", d).group(1) for d in deps
       if d.startswith(("tensorflow", "keras"))}
print(low["tensorflow"], low["keras"])
PYEOF
)
echo "== oldest pair: tensorflow $TF, keras $KERAS"
[ -x .venv-oldest/bin/python ] || $PY -m venv .venv-oldest
.venv-oldest/bin/python -m pip install -q --disable-pip-version-check uv
.venv-oldest/bin/uv pip install -q --compile-bytecode --python .venv-oldest/bin/python -e ".[test]" "tensorflow==$TF.*" "keras==$KERAS.*"
.venv-oldest/bin/python -c "import tensorflow as tf, keras; print('== running with tensorflow', tf.__version__, 'keras', keras.__version__)"
export LECTURE_SMOKE=1 TF_CPP_MIN_LOG_LEVEL=2 LECTURE_BACKBONE=${LECTURE_BACKBONE:-mobilenet}
.venv-oldest/bin/python -m pytest -q -p no:cacheprovider tests --ignore=tests/test_browser.py \
  --ignore=tests/test_exercises.py --ignore=tests/test_repo_hygiene.py --ignore=tests/test_lock.py
.venv-oldest/bin/python -m pytest -q -p no:cacheprovider --nbval-lax notebooks/02_cnn_mnist.ipynb
echo "== the oldest pair (tensorflow $TF, keras $KERAS) passes the unit tests and notebook 02"
