"""Student notebooks carry the version of the exercise they were built from."""

from __future__ import annotations

from lecture_lib.grading import build


def test_student_notebooks_carry_their_exercise_version(tmp_path):
    for src in build.sources():
        stamp = build.stamp_of(build.STUDENT_DIR / src.name)
        assert stamp == {"name": src.stem, "version": build.version(src)}, (
            f"{src.stem}: run `python -m lecture_lib exercises build`"
        )
    (tmp_path / "broken.ipynb").write_text("{not json")
    assert build.stamp_of(tmp_path / "broken.ipynb") == {}
