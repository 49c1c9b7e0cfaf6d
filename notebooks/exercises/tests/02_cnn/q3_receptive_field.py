from otter.test_files import test_case

OK_FORMAT = False

name = "q3_receptive_field"
points = None

@test_case(points=None, hidden=False)
def test_numbers(size, rf):
    from lecture_lib.checks import answered, same
    for name, v in (('size', size), ('rf', rf)):
        answered(v, name)
        assert isinstance(v, int) and v > 0, f'`{name}` should be a positive whole number.'
    same(size, 'c26154d856bc6f21', 'size', "follow the side through each layer: 'same' keeps it, 'valid' loses 2, a 2x2 pool halves it.")
    same(rf, '6c8fc0a43d254c36', 'rf', 'a 3x3 conv adds 2 x (the product of the strides before it); a 2x2 pool adds 1 x that product.')

