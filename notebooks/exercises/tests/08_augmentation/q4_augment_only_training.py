from otter.test_files import test_case

OK_FORMAT = False

name = "q4_augment_only_training"
points = None

@test_case(points=None, hidden=False)
def test_runs(make_pipelines, pets):
    import keras
    import tensorflow as tf
    from lecture_lib.checks import call
    ds = tf.data.Dataset.from_tensor_slices((pets.x_train.astype('float32'), pets.y_train)).batch(8)
    out = call(make_pipelines, ds, ds, keras.layers.RandomRotation(0.2), name='make_pipelines')
    assert len(out) == 2, 'make_pipelines should return two datasets: (train_aug, val).'

