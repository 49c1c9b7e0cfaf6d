from otter.test_files import test_case

OK_FORMAT = False

name = "q3_label_sets_from_real_outputs"
points = None

@test_case(points=None, hidden=False)
def test_runs(multi_hot, predict_sets, per_class_f1, p_val, t_val):
    import numpy as np
    from lecture_lib.checks import call
    assert np.shape(call(multi_hot, [[3], [1, 7]], name='multi_hot')) == (2, 10), 'multi_hot([[3], [1, 7]]) should have shape (2, 10).'
    pred = call(predict_sets, p_val, np.full(10, 0.5), name='predict_sets')
    assert np.shape(pred) == p_val.shape, 'predict_sets should return one row per image and one column per class.'
    assert len(call(per_class_f1, t_val, pred, name='per_class_f1')) == 10, 'per_class_f1 should give 10 scores.'

