from otter.test_files import test_case

OK_FORMAT = False

name = "q2_feature_extractor"
points = None

@test_case(points=None, hidden=False)
def test_letter(answer):
    from lecture_lib.checks import answered
    answered(answer, 'answer')
    assert answer in ('a', 'b', 'c', 'd'), "answer should be one of 'a', 'b', 'c', 'd'."

