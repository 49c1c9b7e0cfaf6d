from otter.test_files import test_case

OK_FORMAT = False

name = "q2_read_the_table"
points = None

@test_case(points=None, hidden=False)
def test_value(best_small):
    from lecture_lib import imagenet_table
    from lecture_lib.checks import answered, same
    answered(best_small, 'best_small')
    names = {r.method for r in imagenet_table.KERAS_APPLICATIONS}
    assert best_small in names, f'{best_small!r} is not a method in the table; use one of {sorted(names)}.'
    same(best_small, '05f1d6d152526202', 'best_small', 'among the models under 10 million parameters, the highest top-1 accuracy.')

