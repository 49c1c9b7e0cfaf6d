from otter.test_files import test_case

OK_FORMAT = False

name = "q2_kind_of_task"
points = None

@test_case(points=None, hidden=False)
def test_format(kinds):
    from lecture_lib.checks import answered
    answered(kinds, 'kinds')
    assert set(kinds) == {'a', 'b', 'c', 'd'}, "kinds needs the keys 'a', 'b', 'c' and 'd'."
    bad = {k: v for k, v in kinds.items() if v not in ('binary', 'multi-class', 'multi-label')}
    assert not bad, f"answers must be 'binary', 'multi-class' or 'multi-label'; check {sorted(bad)}."

