from otter.test_files import test_case

OK_FORMAT = False

name = "q1_output_layer_and_loss"
points = None

@test_case(points=None, hidden=False)
def test_design(design):
    from lecture_lib.checks import answered, same
    answered(design, 'design')
    assert set(design) == {'dogs_vs_cats', 'digits', 'photo_tags'}, 'design needs the three tasks as keys.'
    for k, v in design.items():
        assert len(v) == 3, f'design[{k!r}] should be (output nodes, activation, loss).'
        assert v[1] in ('sigmoid', 'softmax'), f"the activation of {k!r} should be 'sigmoid' or 'softmax'."
    for key, want in (('dogs_vs_cats', '22b5a3b02ab43758'), ('digits', '795549315b70716a'), ('photo_tags', '3657bd1046c10735')):
        same(list(design[key]), want, f'design[{key!r}]', 'one output per class or tag; sigmoid when each output is its own yes/no, softmax when exactly one class is right.')

