from otter.test_files import test_case

OK_FORMAT = False

name = "q1_top5"
points = None

@test_case(points=None, hidden=False)
def test_simple(top5):
    from lecture_lib.checks import call
    names = list('abcdefg')
    got = call(top5, [0.05, 0.3, 0.1, 0.2, 0.15, 0.1, 0.1], names, name='top5')
    assert list(got)[:2] == ['b', 'd'], f"the two most probable are 'b' then 'd'; got {list(got)[:2]}."
    assert len(got) == 5, f'top5 should return 5 names, got {len(got)}.'

