from otter.test_files import test_case

OK_FORMAT = False

name = "q4_stage_two"
points = None

@test_case(points=None, hidden=False)
def test_answered(stage2_pred, stage2_acc):
    from lecture_lib.checks import answered
    answered(stage2_pred, 'stage2_pred')
    answered(stage2_acc, 'stage2_acc')

