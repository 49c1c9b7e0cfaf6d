from otter.test_files import test_case

OK_FORMAT = False

name = "q4_linear_svm_on_real_features"
points = None

@test_case(points=None, hidden=False)
def test_answered(svm, svm_pred, svm_acc):
    from lecture_lib.checks import answered
    answered(svm, 'svm')
    answered(svm_pred, 'svm_pred')
    answered(svm_acc, 'svm_acc')
    assert hasattr(svm, 'coef_'), 'svm should be fitted: call .fit(f_train, flowers.y_train).'

