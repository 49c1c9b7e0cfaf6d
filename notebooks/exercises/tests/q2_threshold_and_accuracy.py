from otter.test_files import test_case

OK_FORMAT = False

name = "q2_threshold_and_accuracy"
points = None

@test_case(points=None, hidden=False)
def test_small(predict, accuracy):
    import numpy as np
    from lecture_lib.checks import call
    got = call(predict, np.array([0.9, 0.1]), name='predict')
    assert list(np.asarray(got)) == [1, 0], f'predict([0.9, 0.1]) should give [1, 0], got {list(got)}.'
    acc = call(accuracy, np.array([1, 0]), np.array([1, 1]), name='accuracy')
    assert abs(acc - 0.5) < 1e-09, f'accuracy([1, 0], [1, 1]) should be 0.5, got {acc}.'

