from otter.test_files import test_case

OK_FORMAT = False

name = "q1_threshold_per_class"
points = None

@test_case(points=None, hidden=False)
def test_simple(best_threshold):
    import numpy as np
    from lecture_lib.checks import call
    p = np.array([0.1, 0.2, 0.35, 0.4, 0.8, 0.9])
    y = np.array([0, 0, 1, 1, 1, 1])
    got = call(best_threshold, p, y, [0.3, 0.5, 0.7], name='best_threshold')
    assert got == 0.3, f'with threshold 0.3 all four present ones are found and no absent one: F1 = 1; got {got}.'

