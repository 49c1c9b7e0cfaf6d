"""What the grading tests share: the instructor's folder a submission must not touch, and when
confinement (and its signal scope) can be tested here."""

from __future__ import annotations

from pathlib import Path

import pytest

from lecture_lib.grading import confine

SECRET = "s3cr3t-kaggle-key-0123456789"
needs_isolation = pytest.mark.skipif(
    bool(confine.isolation_problem()), reason=confine.isolation_problem() or ""
)


def landlock_abi() -> int:
    """The kernel's Landlock ABI, 0 where there is none (the signal scope needs 6, Linux 6.12)."""
    try:
        import landlock

        return landlock.landlock_abi_version()
    except (ImportError, OSError):
        return 0


@pytest.fixture
def instructor(tmp_path) -> tuple[Path, Path, Path]:
    """The instructor's folder, a file a submission must not touch, and a credentials file it must not read."""
    folder = tmp_path / "instructor"
    folder.mkdir()
    precious = folder / "gradebook.csv"
    precious.write_text("keep me")
    secret = folder / "kaggle.json"
    secret.write_text(SECRET)
    return folder, precious, secret
