from otter.test_files import test_case

OK_FORMAT = False

name = "q3_imagenet_on_real_photos"
points = None

@test_case(points=None, hidden=False)
def test_runs(imagenet_top1, classifier, photos):
    from lecture_lib.checks import call
    got = call(imagenet_top1, classifier, photos[:2], name='imagenet_top1')
    assert len(got) == 2 and len(got[0]) == 2, 'imagenet_top1 should return one (name, probability) pair per photo.'

