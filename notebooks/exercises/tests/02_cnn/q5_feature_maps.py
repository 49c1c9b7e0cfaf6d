from otter.test_files import test_case

OK_FORMAT = False

name = "q5_feature_maps"
points = None

@test_case(points=None, hidden=False)
def test_runs(feature_maps, digits):
    import keras
    from lecture_lib.checks import call
    keras.utils.set_random_seed(1)
    net = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Conv2D(4, 3, name='c')])
    out = call(feature_maps, net, 'c', (digits.x_test[0][..., None] / 255.0).astype('float32'), name='feature_maps')
    assert hasattr(out, 'shape'), f'feature_maps should return an array, got {type(out).__name__}.'

