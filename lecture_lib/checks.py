"""Helpers for the exercises' tests: feedback in sentences, never a traceback (exercises/).

An unanswered question (still ``...`` or ``None``) and an exception inside the student's own code
both become an ``AssertionError`` whose message says what to do; otter shows that message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def answered(value: Any, name: str) -> Any:
    """Fail with 'not answered yet' while ``value`` is still ``...`` or ``None``."""
    assert value is not None and value is not Ellipsis, (
        f"`{name}` is not answered yet: replace the `...` with your answer."
    )
    return value


def call(
    fn: Callable[..., Any] | None, *args: Any, name: str = "your function", **kwargs: Any
) -> Any:
    """Call the student's ``fn``; turn a crash into a message naming the exception."""
    answered(fn, name)
    assert callable(fn), f"`{name}` should be a function."
    try:
        result = fn(*args, **kwargs)
    except Exception as e:  # noqa: BLE001 - any crash in student code becomes feedback
        raise AssertionError(f"`{name}` raised {type(e).__name__}: {e}") from None
    assert result is not Ellipsis and result is not None, (
        f"`{name}` returned nothing: did you forget `return`?"
    )
    return result


def close(value: Any, expected: float, name: str, tol: float = 1e-4) -> None:
    """Numeric answer within ``tol``; the message gives the value received, not the expected one."""
    answered(value, name)
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise AssertionError(f"`{name}` should be a number, got {type(value).__name__}.") from None
    assert abs(v - expected) <= tol, f"`{name}` = {v:.6g} is not right yet; check your formula."
