from otter.test_files import test_case

OK_FORMAT = False

name = "q1_two_stages"
points = None

@test_case(points=None, hidden=False)
def test_format(plan):
    from lecture_lib.checks import answered
    answered(plan, 'plan')
    assert set(plan) == {'stage1', 'stage2', 'lr2'}, "plan needs the keys 'stage1', 'stage2' and 'lr2'."
    for k in ('stage1', 'stage2'):
        assert plan[k] in ('everything', 'head only', 'top blocks + head'), f'plan[{k!r}] must be one of the three options.'

