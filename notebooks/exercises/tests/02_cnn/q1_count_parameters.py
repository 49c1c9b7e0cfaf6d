from otter.test_files import test_case

OK_FORMAT = False

name = "q1_count_parameters"
points = None

@test_case(points=None, hidden=False)
def test_numbers(conv_params, dense_params):
    from lecture_lib.checks import answered, same
    for name, v in (('conv_params', conv_params), ('dense_params', dense_params)):
        answered(v, name)
        assert isinstance(v, int) and v > 0, f'`{name}` should be a positive whole number.'
    same(conv_params, '8f948ab294983e03', 'conv_params', 'a filter has kernel height x width x input channels weights, plus one bias.')
    same(dense_params, 'a08a7fb83bdeaceb', 'dense_params', 'every input connects to every output, plus one bias per output.')

