from otter.test_files import test_case

OK_FORMAT = False

name = "q3_extract_in_batches"
points = None

@test_case(points=None, hidden=False)
def test_runs(extract, conv_base, flowers):
    import numpy as np
    from lecture_lib.checks import call
    f = call(extract, conv_base, flowers.x_test[:4], 2, name='extract')
    assert np.shape(f) == (4, 768), f'4 photos should give features of shape (4, 768), got {np.shape(f)}.'

