from otter.test_files import test_case

OK_FORMAT = False

name = "q2_freeze_the_base"
points = None

@test_case(points=None, hidden=False)
def test_freezes_the_base(freeze_base):
    import keras
    from lecture_lib.checks import call
    base = keras.Sequential([keras.Input((16, 16, 3)), keras.layers.Conv2D(8, 3), keras.layers.GlobalAveragePooling2D()], name='base')
    model = keras.Sequential([keras.Input((16, 16, 3)), base, keras.layers.Dense(4, activation='softmax')])
    n = call(freeze_base, model, name='freeze_base')
    assert not model.get_layer('base').trainable, "the layer named 'base' should not be trainable after freeze_base."
    assert model.layers[-1].trainable, 'the head must stay trainable.'
    import numbers
    assert isinstance(n, numbers.Integral) and (not isinstance(n, bool)), f'freeze_base should return a whole number, got {type(n).__name__}.'
    from lecture_lib.checks import same
    same(int(n), 'c2ac763b700448c7', 'freeze_base(model)', "count the weights and biases that are still trainable: the head's only.")

