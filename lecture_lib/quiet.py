"""Keep TensorFlow's C++ start-up lines off a student's screen, and nothing else.

TensorFlow writes its start-up log (oneDNN, CUDA drivers, CPU instructions, a failed ``cuInit``
where no GPU is) straight to file descriptor 2 before its own ``TF_CPP_MIN_LOG_LEVEL`` is read, so
in a notebook they come out as red lines above the first cell that imports Keras. :func:`install`
(called by every notebook's setup cell) makes the first ``import tensorflow`` run with descriptor 2
captured, together with the device probe that prints the ``cuInit`` line, and writes back every line
that is not one of those start-up lines (a real error still shows). TensorFlow is imported only when
the notebook itself imports it.
"""

from __future__ import annotations

import contextlib
import importlib.abc
import importlib.machinery
import os
import re
import sys
import tempfile
from collections.abc import Iterator

# the lines TensorFlow prints on every start on a machine without a GPU; anything else is kept
STARTUP = re.compile(
    r"^(WARNING: All log messages before absl::InitializeLog\(\) is called"
    r"|[IW]\d{4} [\d:. ]+\d+ \S+:\d+\]"
    r"|E\d{4} [\d:. ]+\d+ (cuda_\w+|cuda_platform|cuda_executor)\.cc:\d+\] failed call to cuInit"
    r"|To enable the following instructions:"
    r"|rebuild TensorFlow with the appropriate compiler flags)"
)


def startup_lines(text: str) -> tuple[list[str], list[str]]:
    """``text`` split into (TensorFlow's start-up lines, every other line)."""
    noise, kept = [], []
    for line in text.splitlines():
        (noise if STARTUP.match(line) else kept).append(line)
    return noise, kept


@contextlib.contextmanager
def captured_stderr() -> Iterator[None]:
    """File descriptor 2 into a temporary file for the block; then every line but the start-up ones
    goes back to it (a C++ library writes there directly, past ``sys.stderr``)."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile(mode="w+b") as tmp:
        os.dup2(tmp.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            tmp.seek(0)
            _, kept = startup_lines(tmp.read().decode(errors="replace"))
            if kept:
                print("\n".join(kept), file=sys.stderr)


class _QuietLoader(importlib.abc.Loader):
    """TensorFlow's own loader, run inside :func:`captured_stderr`, then the GPU probe."""

    def __init__(self, inner: importlib.abc.Loader) -> None:
        self._inner = inner

    def create_module(self, spec):  # noqa: ANN001, ANN201 - importlib's protocol
        return self._inner.create_module(spec)

    def exec_module(self, module) -> None:  # noqa: ANN001 - importlib's protocol
        with captured_stderr():
            self._inner.exec_module(module)
            with contextlib.suppress(Exception):  # the probe that prints the cuInit line, once
                module.config.list_physical_devices("GPU")

    def __getattr__(self, name: str):  # noqa: ANN204 - resources, is_package, ... as TensorFlow's
        return getattr(self._inner, name)


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):  # noqa: ANN001, ANN201 - importlib's protocol
        if name != "tensorflow":
            return None
        sys.meta_path.remove(self)  # once: later imports are TensorFlow's own business
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is not None and spec.loader is not None:
            spec.loader = _QuietLoader(spec.loader)
        return spec


def install() -> None:
    """Before TensorFlow is imported: its log level 2 (warnings off, errors shown) unless the user
    set one, and its first import with the start-up lines captured. Does nothing once it is imported."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    if "tensorflow" in sys.modules or any(isinstance(f, _Finder) for f in sys.meta_path):
        return
    sys.meta_path.insert(0, _Finder())
