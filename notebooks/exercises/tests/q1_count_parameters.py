from otter.test_files import test_case

OK_FORMAT = False

name = "q1_count_parameters"
points = None

@test_case(points=None, hidden=False)
def test_numbers(conv_params, dense_params):
    from lecture_lib.checks import answered
    for name, v in (('conv_params', conv_params), ('dense_params', dense_params)):
        answered(v, name)
        assert isinstance(v, int) and v > 0, f'`{name}` should be a positive whole number.'

