from otter.test_files import test_case

OK_FORMAT = False

name = "q1_two_stages"
points = None

@test_case(points=None, hidden=False)
def test_values(plan):
    from lecture_lib.checks import answered, same, within
    answered(plan, 'plan')
    assert set(plan) == {'stage1', 'stage2', 'lr2'}, "plan needs the keys 'stage1', 'stage2' and 'lr2'."
    for k in ('stage1', 'stage2'):
        assert plan[k] in ('everything', 'head only', 'top blocks + head'), f'plan[{k!r}] must be one of the three options.'
    same(plan['stage1'], '2926c2b7776f3d1d', "plan['stage1']", 'in stage 1 the base is frozen: what is left to train?')
    same(plan['stage2'], ('ab9c95d0ceb7ca58', 'd8d5bae23d81a3b6'), "plan['stage2']", 'stage 2 unfreezes part or all of the base.')
    within(plan['lr2'], 1e-12, 0.0001, "plan['lr2']", 'stage 2 uses a much smaller learning rate than stage 1 (notebook 07): 1e-4 or less.')

