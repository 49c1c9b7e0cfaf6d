from otter.test_files import test_case

OK_FORMAT = False

name = "q1_bce_by_hand"
points = None

@test_case(points=None, hidden=False)
def test_value(bce):
    import math
    from lecture_lib.checks import answered, same
    answered(bce, 'bce')
    assert float(bce) > 0, 'a cross-entropy is never negative; and here it is not 0.'
    lo, hi = (-math.log(0.9), -math.log(0.6))
    assert lo <= float(bce) <= hi, f"bce = {float(bce):.4f} cannot be a mean of the three photos' losses (each is between {lo:.3f} and {hi:.3f}): a sum instead of a mean? log base 10?"
    same(float(bce), 'f702976f55605839', 'bce', 'the mean over the photos of -(y log p + (1 - y) log(1 - p)), natural log.')

