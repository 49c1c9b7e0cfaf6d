from otter.test_files import test_case

OK_FORMAT = False

name = "q2_cce_for_a_five"
points = None

@test_case(points=None, hidden=False)
def test_is_a_number(loss):
    from lecture_lib.checks import answered
    answered(loss, 'loss')
    assert float(loss) > 0, 'the loss should be positive.'

