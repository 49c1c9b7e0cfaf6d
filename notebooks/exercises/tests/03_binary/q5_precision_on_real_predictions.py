from otter.test_files import test_case

OK_FORMAT = False

name = "q5_precision_on_real_predictions"
points = None

@test_case(points=None, hidden=False)
def test_values(precision_recall, threshold_for_precision, real_y, real_p, real_auc):
    from lecture_lib.checks import answered, call, same
    pr = call(precision_recall, real_y, real_p, 0.5, name='precision_recall')
    assert len(pr) == 2, 'precision_recall should return two numbers: (precision, recall).'
    same([float(v) for v in pr], 'c71234ee849cb1aa', 'precision_recall(real_y, real_p, 0.5)', 'a photo is called a dog when p > threshold; precision and recall of the class dog, in that order.')
    t = call(threshold_for_precision, real_y, real_p, 0.9, name='threshold_for_precision')
    same(float(t), '517fca561237b3ef', 'threshold_for_precision(real_y, real_p, 0.9)', 'the smallest threshold of GRID whose precision is at least the target.')
    same(float(answered(real_auc, 'real_auc')), 'f76b9be6ee1bb1c0', 'real_auc', 'roc_auc_score of the labels and the probabilities (not 0/1 predictions).')

