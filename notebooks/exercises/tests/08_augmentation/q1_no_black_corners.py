from otter.test_files import test_case

OK_FORMAT = False

name = "q1_no_black_corners"
points = None

@test_case(points=None, hidden=False)
def test_value(fill_mode):
    from lecture_lib.checks import answered, same
    answered(fill_mode, 'fill_mode')
    assert fill_mode in ('constant', 'nearest', 'reflect', 'wrap'), "fill_mode must be 'constant', 'nearest', 'reflect' or 'wrap'."
    same(fill_mode, ('7d4391e3b679a0da', '66ea7deec9df5bf7'), 'fill_mode', "which modes fill the corners from the photo's own pixels, without wrapping the other side in?")

