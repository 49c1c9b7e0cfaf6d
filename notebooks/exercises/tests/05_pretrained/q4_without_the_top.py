from otter.test_files import test_case

OK_FORMAT = False

name = "q4_without_the_top"
points = None

@test_case(points=None, hidden=False)
def test_runs(feature_map_shape):
    from lecture_lib.checks import call
    shape = call(feature_map_shape, 224, name='feature_map_shape')
    assert len(shape) == 3, f"one photo's feature map has 3 axes (height, width, channels), got {shape}."

