from otter.test_files import test_case

OK_FORMAT = False

name = "q2_exact_match_and_hamming"
points = None

@test_case(points=None, hidden=False)
def test_values(exact, hamming):
    from lecture_lib.checks import answered, same
    answered(exact, 'exact')
    answered(hamming, 'hamming')
    assert 0 <= float(exact) <= 1 and 0 <= float(hamming) <= 1, 'both are fractions between 0 and 1.'
    same(float(exact), '65f18be2c4e60cef', 'exact', 'the share of images whose whole label set is right.')
    same(float(hamming), 'aa3078dc0b2b227e', 'hamming', 'the share of all (image, label) entries that are wrong.')

