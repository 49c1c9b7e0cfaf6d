from otter.test_files import test_case

OK_FORMAT = False

name = "q2_build_a_cnn"
points = None

@test_case(points=None, hidden=False)
def test_output_shape(build_cnn):
    from lecture_lib.checks import call
    model = call(build_cnn, name='build_cnn')
    assert tuple(model.output_shape) == (None, 10), f'the output shape should be (None, 10), got {model.output_shape}.'

