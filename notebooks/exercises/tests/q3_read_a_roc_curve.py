from otter.test_files import test_case

OK_FORMAT = False

name = "q3_read_a_roc_curve"
points = None

@test_case(points=None, hidden=False)
def test_numbers(auc, threshold):
    from lecture_lib.checks import answered
    answered(auc, 'auc')
    answered(threshold, 'threshold')
    assert 0.5 <= float(auc) <= 1, 'this network ranks better than guessing: its AUC is between 0.5 and 1.'
    assert threshold in (0.3, 0.5, 0.7, 0.9), 'threshold must be one of 0.3, 0.5, 0.7, 0.9.'

