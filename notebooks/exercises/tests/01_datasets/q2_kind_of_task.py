from otter.test_files import test_case

OK_FORMAT = False

name = "q2_kind_of_task"
points = None

@test_case(points=None, hidden=False)
def test_kinds(kinds):
    from lecture_lib.checks import answered, same
    answered(kinds, 'kinds')
    assert set(kinds) == {'a', 'b', 'c', 'd'}, "kinds needs the keys 'a', 'b', 'c' and 'd'."
    bad = {k: v for k, v in kinds.items() if v not in ('binary', 'multi-class', 'multi-label')}
    assert not bad, f"answers must be 'binary', 'multi-class' or 'multi-label'; check {sorted(bad)}."
    hint = 'how many classes are there, and how many of them can one image have?'
    for key, want in (('a', '0e9c7fa769960c57'), ('b', 'f7045a5651131bf0'), ('c', 'e31d4da6f417c4a0'), ('d', '59bb98a43812198d')):
        same(kinds[key], want, f'kinds[{key!r}]', hint)

