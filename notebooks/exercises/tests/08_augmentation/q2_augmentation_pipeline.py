from otter.test_files import test_case

OK_FORMAT = False

name = "q2_augmentation_pipeline"
points = None

@test_case(points=None, hidden=False)
def test_layers(make_augmentation):
    import numpy as np
    from lecture_lib.checks import call
    seq = call(make_augmentation, name='make_augmentation')
    kinds = [type(layer).__name__ for layer in seq.layers]
    for k in ('RandomFlip', 'RandomRotation', 'RandomZoom'):
        assert k in kinds, f'the pipeline needs a {k} layer; it has {kinds}.'
    out = seq(np.zeros((2, 32, 32, 3), 'float32'), training=True)
    assert tuple(out.shape) == (2, 32, 32, 3), f'the pipeline should keep the shape (2, 32, 32, 3), got {tuple(out.shape)}.'

