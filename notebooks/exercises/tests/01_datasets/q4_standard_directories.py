from otter.test_files import test_case

OK_FORMAT = False

name = "q4_standard_directories"
points = None

@test_case(points=None, hidden=False)
def test_runs(make_split_dirs, files):
    from pathlib import Path
    import shutil
    import tempfile
    from lecture_lib.checks import call
    with tempfile.TemporaryDirectory() as tmp:
        photo = Path(shutil.copy2(files['cats'][0], tmp))
        call(make_split_dirs, {'train': [photo]}, Path(tmp) / 'out', name='make_split_dirs')
        assert (Path(tmp) / 'out' / 'train' / 'cat' / photo.name).is_file(), 'expected a copy of the photo at out/train/cat/<its file name>.'

