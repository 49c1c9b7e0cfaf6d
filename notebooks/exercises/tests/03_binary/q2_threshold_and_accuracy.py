from otter.test_files import test_case

OK_FORMAT = False

name = "q2_threshold_and_accuracy"
points = None

@test_case(points=None, hidden=False)
def test_values(predict, accuracy):
    import numpy as np
    from lecture_lib.checks import call, same
    got = call(predict, np.array([0.2, 0.5, 0.51, 0.9]), name='predict')
    same([int(v) for v in np.asarray(got).reshape(-1)], 'b1e5c17498cad400', 'predict([0.2, 0.5, 0.51, 0.9])', 'a photo is a dog when p_dog is above 0.5; which side is 0.5 itself on?')
    acc = call(accuracy, np.array([1, 0, 1, 1]), np.array([1, 0, 0, 1]), name='accuracy')
    same(float(acc), 'a0e972f18880e169', 'accuracy([1, 0, 1, 1], [1, 0, 0, 1])', 'the share of predictions equal to the labels, as a float.')

