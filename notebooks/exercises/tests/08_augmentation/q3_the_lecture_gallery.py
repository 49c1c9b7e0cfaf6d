from otter.test_files import test_case

OK_FORMAT = False

name = "q3_the_lecture_gallery"
points = None

@test_case(points=None, hidden=False)
def test_runs(lecture_pipeline, photo):
    import numpy as np
    from lecture_lib.checks import call
    seq = call(lecture_pipeline, 128, name='lecture_pipeline')
    out = seq(np.array(photo[None], dtype='float32'), training=True)
    assert tuple(out.shape) == (1, 128, 128, 3), f"the pipeline should keep the photo's shape, got {tuple(out.shape)}."

