from otter.test_files import test_case

OK_FORMAT = False

name = "q2_read_the_table"
points = None

@test_case(points=None, hidden=False)
def test_is_a_name(best_small):
    from lecture_lib import imagenet_table
    from lecture_lib.checks import answered
    answered(best_small, 'best_small')
    names = {r.method for r in imagenet_table.KERAS_APPLICATIONS}
    assert best_small in names, f'{best_small!r} is not a method in the table; use one of {sorted(names)}.'

