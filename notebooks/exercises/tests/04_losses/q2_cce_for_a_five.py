from otter.test_files import test_case

OK_FORMAT = False

name = "q2_cce_for_a_five"
points = None

@test_case(points=None, hidden=False)
def test_value(loss):
    from lecture_lib.checks import answered, same
    answered(loss, 'loss')
    assert float(loss) > 0, 'the loss should be positive.'
    same(float(loss), '064aec7431215668', 'loss', "with a one-hot label only the true class counts: minus the log of its probability (the lecture's L = -log y6).")

