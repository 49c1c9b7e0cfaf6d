from otter.test_files import test_case

OK_FORMAT = False

name = "q4_when_does_it_overfit"
points = None

@test_case(points=None, hidden=False)
def test_values(best_epoch, final_gap, keep, history_a):
    from lecture_lib.checks import answered, call, same
    e = call(best_epoch, history_a, name='best_epoch')
    assert 1 <= int(e) <= len(history_a['val_accuracy']), 'best_epoch should be an epoch number between 1 and the number of epochs.'
    same(int(e), '6db1483ab239627b', 'best_epoch(history_a)', 'epochs count from 1 here, and the first of equal best values wins (np.argmax counts from 0).')
    gap = call(final_gap, history_a, name='final_gap')
    same(float(gap), '32f7e2f638e7fb50', 'final_gap(history_a)', 'the gap is taken at the final epoch: accuracy there minus val_accuracy there.')
    assert answered(keep, 'keep') in ('A', 'B'), "keep should be 'A' or 'B'."
    same(keep, '19fd6fe324b99648', 'keep', 'compare the two runs by their best val_accuracy, not their last one.')

