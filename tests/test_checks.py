"""checks: the public tests' helpers: a blank, a crash or a wrong value each get one sentence."""

from __future__ import annotations

import numpy as np
import pytest

from lecture_lib import checks


def test_a_crash_keeps_the_quotes_of_its_message():
    assert checks.first_line(AttributeError("'ellipsis' object has no attribute 'shape'")) == (
        "AttributeError: 'ellipsis' object has no attribute 'shape'"
    )
    assert checks.first_line(KeyError("size")) == "KeyError: size"


def test_canonical_values_share_a_digest():
    assert checks.digest(448, "n") == checks.digest(448.0, "n") == checks.digest(np.int64(448), "n")
    assert checks.digest((1, "a"), "n") == checks.digest(["a"][:0] + [1, "a"], "n")
    assert checks.digest(0.27977656, "n") == checks.digest(0.2797765635793423, "n")
    assert checks.digest(448, "n") != checks.digest(448, "m")


def test_a_placeholder_is_not_answered_and_says_what_to_do():
    def stub(x): ...

    for blank in (None, ..., stub):
        with pytest.raises(checks.NotAnswered, match="`n` is not answered yet: replace the `...`"):
            checks.answered(blank, "n")
    assert checks.answered(0, "n") == 0  # a falsy answer is still an answer


def test_call_turns_a_crash_or_a_missing_return_into_one_sentence():
    def crashes(x):
        return {}["size"]

    def forgets(x):
        x + 1

    with pytest.raises(AssertionError, match=r"^`f` raised KeyError: size\. Check the line") as e:
        checks.call(crashes, 1, name="f")
    assert e.value.__cause__ is None and "\n" not in str(e.value)
    with pytest.raises(AssertionError, match="returned nothing: did you forget `return`"):
        checks.call(forgets, 1, name="f")
    with pytest.raises(AssertionError, match="should be a function"):
        checks.call(3, name="f")
    assert checks.call(lambda x: x * 2, 4, name="f") == 8


def test_same_accepts_the_right_value_by_digest_and_counts_it():
    before = checks.confirmed()
    checks.same(448.0, checks.digest(448, "n"), "n", "count the weights")
    checks.same("b", [checks.digest("a", "c"), checks.digest("b", "c")], "c", "hint")
    assert checks.confirmed() == before + 2
    with pytest.raises(AssertionError, match="`n` is not right yet: count the weights"):
        checks.same(449, checks.digest(448, "n"), "n", "count the weights")
    assert checks.confirmed() == before + 2  # a wrong answer confirms nothing


def test_within_and_close_check_numbers_and_refuse_non_numbers():
    checks.within(np.float32(0.01), 1e-3, 0.1, "lr", "hint")
    with pytest.raises(AssertionError, match="`lr` is not right yet: too large"):
        checks.within(1.0, 1e-3, 0.1, "lr", "too large")
    with pytest.raises(AssertionError, match="should be a number, got str"):
        checks.within("fast", 1e-3, 0.1, "lr", "hint")
    checks.close(2.302585, np.log(10), "loss")
    with pytest.raises(AssertionError, match=r"`loss` = 2\.5 is not right yet") as e:
        checks.close(2.5, np.log(10), "loss")
    assert "2.30" not in str(e.value)  # the message never gives the expected value away
