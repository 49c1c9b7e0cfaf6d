from otter.test_files import test_case

OK_FORMAT = False

name = "q1_choose_C"
points = None

@test_case(points=None, hidden=False)
def test_returns_a_grid_value(choose_C, x_tr, y_tr, x_val, y_val):
    from lecture_lib.checks import call
    grid = [0.001, 0.1]
    c = call(choose_C, x_tr, y_tr, x_val, y_val, grid, name='choose_C')
    assert c in grid, f"choose_C must return one of the grid's values, got {c!r}."

