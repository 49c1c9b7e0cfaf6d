from otter.test_files import test_case

OK_FORMAT = False

name = "q2_feature_extractor"
points = None

@test_case(points=None, hidden=False)
def test_value(answer):
    from lecture_lib.checks import answered, same
    answered(answer, 'answer')
    assert answer in ('a', 'b', 'c', 'd'), "answer should be one of 'a', 'b', 'c', 'd'."
    same(answer, '74ac7b705f37ba6a', 'answer', 'which part of the network does the feature extraction keep, and which is trained?')

