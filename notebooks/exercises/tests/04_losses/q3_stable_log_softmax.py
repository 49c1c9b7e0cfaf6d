from otter.test_files import test_case

OK_FORMAT = False

name = "q3_stable_log_softmax"
points = None

@test_case(points=None, hidden=False)
def test_small_logits(log_softmax):
    import numpy as np
    from lecture_lib.checks import call
    z = np.array([1.0, 2.0, 3.0])
    got = np.asarray(call(log_softmax, z, name='log_softmax'))
    want = np.log(np.exp(z) / np.exp(z).sum())
    assert got.shape == (3,) and np.allclose(got, want), f'log_softmax([1, 2, 3]) should be {np.round(want, 4)}, got {np.round(got, 4)}.'

