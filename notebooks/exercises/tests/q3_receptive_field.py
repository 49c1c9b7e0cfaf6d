from otter.test_files import test_case

OK_FORMAT = False

name = "q3_receptive_field"
points = None

@test_case(points=None, hidden=False)
def test_numbers(size, rf):
    from lecture_lib.checks import answered
    for name, v in (('size', size), ('rf', rf)):
        answered(v, name)
        assert isinstance(v, int) and v > 0, f'`{name}` should be a positive whole number.'
    assert rf > 5, 'two stacked 3x3 convolutions alone already see 5 x 5 pixels; the pooling and the third conv see more.'

