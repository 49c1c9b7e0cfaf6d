from otter.test_files import test_case

OK_FORMAT = False

name = "q4_train_on_real_digits"
points = None

@test_case(points=None, hidden=False)
def test_answered(x_train, history, test_pred, test_acc):
    from lecture_lib.checks import answered
    for name, v in (('x_train', x_train), ('history', history), ('test_pred', test_pred), ('test_acc', test_acc)):
        answered(v, name)

