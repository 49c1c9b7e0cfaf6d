from otter.test_files import test_case

OK_FORMAT = False

name = "q3_read_a_roc_curve"
points = None

@test_case(points=None, hidden=False)
def test_numbers(auc, threshold):
    from lecture_lib.checks import answered, same
    answered(auc, 'auc')
    answered(threshold, 'threshold')
    assert threshold in (0.3, 0.5, 0.7, 0.9), 'threshold must be one of 0.3, 0.5, 0.7, 0.9.'
    same(float(auc), '7d3acb4df25a62a2', 'auc', "the area under the ROC curve, from the probabilities (sklearn's roc_auc_score).")
    same(threshold, '397b08dfcf60fd7c', 'threshold', 'the smallest of the four at which no cat is called a dog; look at the highest p_dog of a cat.')

