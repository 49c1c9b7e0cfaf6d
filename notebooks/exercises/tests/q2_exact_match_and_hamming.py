from otter.test_files import test_case

OK_FORMAT = False

name = "q2_exact_match_and_hamming"
points = None

@test_case(points=None, hidden=False)
def test_ranges(exact, hamming):
    from lecture_lib.checks import answered
    answered(exact, 'exact')
    answered(hamming, 'hamming')
    assert 0 <= float(exact) <= 1 and 0 <= float(hamming) <= 1, 'both are fractions between 0 and 1.'

