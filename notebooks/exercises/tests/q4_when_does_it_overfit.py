from otter.test_files import test_case

OK_FORMAT = False

name = "q4_when_does_it_overfit"
points = None

@test_case(points=None, hidden=False)
def test_runs(best_epoch, final_gap, keep, history_a):
    from lecture_lib.checks import answered, call
    e = call(best_epoch, history_a, name='best_epoch')
    assert 1 <= int(e) <= len(history_a['val_accuracy']), 'best_epoch should be an epoch number between 1 and the number of epochs.'
    call(final_gap, history_a, name='final_gap')
    assert answered(keep, 'keep') in ('A', 'B'), "keep should be 'A' or 'B'."

