from otter.test_files import test_case

OK_FORMAT = False

name = "q1_split_by_hand"
points = None

@test_case(points=None, hidden=False)
def test_sizes(split_files):
    from lecture_lib.checks import call
    files = [f'cat.{i}.jpg' for i in range(20)]
    parts = call(split_files, files, 10, 5, 5, seed=1, name='split_files')
    assert len(parts) == 3, 'split_files should return three lists: (train, validation, test).'
    assert [len(p) for p in parts] == [10, 5, 5], f'sizes should be [10, 5, 5], got {[len(p) for p in parts]}.'

