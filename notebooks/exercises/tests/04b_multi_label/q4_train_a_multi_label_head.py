from otter.test_files import test_case

OK_FORMAT = False

name = "q4_train_a_multi_label_head"
points = None

@test_case(points=None, hidden=False)
def test_shape(model):
    assert tuple(model.output_shape) == (None, 10), f'the output shape should be (None, 10), got {model.output_shape}.'

