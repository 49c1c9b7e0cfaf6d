from otter.test_files import test_case

OK_FORMAT = False

name = "q1_no_black_corners"
points = None

@test_case(points=None, hidden=False)
def test_valid(fill_mode):
    from lecture_lib.checks import answered
    answered(fill_mode, 'fill_mode')
    assert fill_mode in ('constant', 'nearest', 'reflect', 'wrap'), "fill_mode must be 'constant', 'nearest', 'reflect' or 'wrap'."

