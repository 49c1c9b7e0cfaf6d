from otter.test_files import test_case

OK_FORMAT = False

name = "q4_cross_entropy_of_real_predictions"
points = None

@test_case(points=None, hidden=False)
def test_runs(mean_cce, probs, labels):
    from lecture_lib.checks import call
    v = call(mean_cce, probs, labels, name='mean_cce')
    assert float(v) > 0, 'a cross-entropy is positive.'

