from otter.test_files import test_case

OK_FORMAT = False

name = "q5_precision_on_real_predictions"
points = None

@test_case(points=None, hidden=False)
def test_runs(precision_recall, threshold_for_precision, real_y, real_p, real_auc):
    from lecture_lib.checks import answered, call
    pr = call(precision_recall, real_y, real_p, 0.5, name='precision_recall')
    assert len(pr) == 2, 'precision_recall should return two numbers: (precision, recall).'
    call(threshold_for_precision, real_y, real_p, 0.9, name='threshold_for_precision')
    assert 0.5 < float(answered(real_auc, 'real_auc')) <= 1, "notebook 03's model ranks far better than guessing."

