from otter.test_files import test_case

OK_FORMAT = False

name = "q3_stage_one"
points = None

@test_case(points=None, hidden=False)
def test_answered(model, stage1_pred, stage1_acc, stage1):
    from lecture_lib.checks import answered
    answered(stage1_pred, 'stage1_pred')
    answered(stage1_acc, 'stage1_acc')
    assert tuple(model.output_shape) == (None, 5), f'the head should have 5 outputs (one per species), got {model.output_shape}.'
    assert stage1 is not None, 'compile the model before training it.'

