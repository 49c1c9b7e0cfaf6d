"""Helpers for the exercises' public tests: feedback in sentences, never a traceback (exercises/).

An unanswered question (still ``...``, ``None`` or a function whose body is only ``...``) raises
:class:`NotAnswered`; an exception inside the student's own code becomes an ``AssertionError`` whose
message is one sentence. :func:`same` checks a closed-form answer against the digest of its right
value, so the test files students can read never hold the value itself; the course's ``grader``
(:mod:`lecture_lib.feedback`) calls a question *right* only when every one of its checks did that.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable, Iterable
from typing import Any

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")
SALT = "cnn-course"  # one digest per (name, value): the same number in two questions differs


class NotAnswered(AssertionError):
    """The question still holds the notebook's placeholder."""


_confirmed = [0]  # how many values :func:`same` (or :func:`within`) has confirmed, for the grader


def confirmed() -> int:
    """A counter :func:`same` and :func:`within` raise on success (read by lecture_lib.feedback)."""
    return _confirmed[0]


def first_line(error: BaseException) -> str:
    """``Type: first line of the message``, without ANSI escapes: a crash in one sentence."""
    text = ANSI.sub("", str(error)).strip()
    if len(text) > 1 and text[0] == text[-1] and text[0] in "'\"" and text.count(text[0]) == 2:
        text = text[1:-1]  # a KeyError's 'key': the quotes are repr's, not the message's
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    if len(line) > 200:
        line = line[:197] + "..."
    return f"{type(error).__name__}: {line}" if line else type(error).__name__


def is_stub(fn: Any) -> bool:
    """A function whose body is still only ``...`` or ``pass`` (after a docstring, perhaps): the
    notebook's placeholder. It does nothing but return None."""
    import dis

    if getattr(fn, "__code__", None) is None:
        return False
    for ins in dis.get_instructions(fn):
        if ins.opname in ("RESUME", "NOP", "CACHE", "RETURN_VALUE"):
            continue
        if ins.opname in ("LOAD_CONST", "RETURN_CONST") and ins.argval is None:
            continue
        return False
    return True


def answered(value: Any, name: str) -> Any:
    """Fail with 'not answered yet' while ``value`` is still ``...``, ``None`` or a stub."""
    if value is None or value is Ellipsis or is_stub(value):
        raise NotAnswered(f"`{name}` is not answered yet: replace the `...` with your answer.")
    return value


def call(
    fn: Callable[..., Any] | None, *args: Any, name: str = "your function", **kwargs: Any
) -> Any:
    """Call the student's ``fn``; turn a crash into one sentence naming the exception."""
    answered(fn, name)
    assert callable(fn), f"`{name}` should be a function."
    try:
        result = fn(*args, **kwargs)
    except Exception as e:  # noqa: BLE001 - any crash in student code becomes feedback
        raise AssertionError(
            f"`{name}` raised {first_line(e)}. Check the line it names in your function."
        ) from None
    assert result is not Ellipsis and result is not None, (
        f"`{name}` returned nothing: did you forget `return`?"
    )
    return result


def canonical(value: Any) -> str:
    """A value as text that equal answers share: whole numbers exactly, other numbers to 4 decimals,
    strings stripped, sequences and arrays element by element, dicts by sorted key."""
    if hasattr(value, "tolist") and not isinstance(value, str | bytes):
        value = value.tolist()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value) and value == int(value) and abs(value) < 2**53:
            return str(int(value))
        return f"{value:.4f}"
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict):
        return "{" + ",".join(f"{k}:{canonical(value[k])}" for k in sorted(value, key=str)) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(canonical(v) for v in value) + "]"
    return repr(value)


def digest(value: Any, name: str) -> str:
    """The digest a public test compares with (``python -m lecture_lib.checks`` prints them)."""
    return hashlib.sha256(f"{SALT}:{name}:{canonical(value)}".encode()).hexdigest()[:16]


def same(value: Any, digests: str | Iterable[str], name: str, hint: str) -> None:
    """Fail with ``hint`` unless ``value`` is the answer (or one of the answers) whose digest is given."""
    answered(value, name)
    accepted = {digests} if isinstance(digests, str) else set(digests)
    assert digest(value, name) in accepted, f"`{name}` is not right yet: {hint}"
    _confirmed[0] += 1


def within(value: Any, low: float, high: float, name: str, hint: str) -> None:
    """A closed-form answer that is right anywhere in ``low <= value <= high`` (a learning rate)."""
    answered(value, name)
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise AssertionError(f"`{name}` should be a number, got {type(value).__name__}.") from None
    assert low <= v <= high, f"`{name}` is not right yet: {hint}"
    _confirmed[0] += 1


def close(value: Any, expected: float, name: str, tol: float = 1e-4) -> None:
    """Numeric answer within ``tol``; the message gives the value received, not the expected one."""
    answered(value, name)
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise AssertionError(f"`{name}` should be a number, got {type(value).__name__}.") from None
    assert abs(v - expected) <= tol, f"`{name}` = {v:.6g} is not right yet; check your formula."


if __name__ == "__main__":  # the digests for a source's public test: NAME=VALUE (a Python literal)
    import ast
    import sys

    for arg in sys.argv[1:]:
        key, _, literal = arg.partition("=")
        print(f"{key}: {digest(ast.literal_eval(literal), key)!r}")
