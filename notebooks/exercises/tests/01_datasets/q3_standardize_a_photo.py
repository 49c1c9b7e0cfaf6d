from otter.test_files import test_case

OK_FORMAT = False

name = "q3_standardize_a_photo"
points = None

@test_case(points=None, hidden=False)
def test_runs(standardize, files):
    from lecture_lib.checks import call
    x = call(standardize, files['cats'][0], 64, name='standardize')
    assert hasattr(x, 'shape'), f'standardize should return a NumPy array, got {type(x).__name__}.'

