from otter.test_files import test_case

OK_FORMAT = False

name = "q5_confident_mistakes"
points = None

@test_case(points=None, hidden=False)
def test_runs(worst, confident_mistakes, probs, labels):
    from lecture_lib.checks import call
    w = call(worst, probs, labels, 5, name='worst')
    assert len(w) == 5, 'worst(probs, labels, 5) should give 5 indices.'
    share = call(confident_mistakes, probs, labels, 0.9, name='confident_mistakes')
    assert 0 <= float(share) <= 1, 'confident_mistakes is a share, between 0 and 1.'

