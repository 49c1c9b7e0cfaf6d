"""kaggle_source: each way Kaggle can fail becomes a sentence a learner can act on; no credential
is ever printed."""

from __future__ import annotations

import kagglehub
import pytest
import requests
from kagglehub import exceptions as kx

from lecture_lib import datasets, kaggle_source

DOGS = datasets.spec("dogs-vs-cats")  # a competition
MNIST = datasets.spec("mnist")  # a dataset with a pinned version


@pytest.fixture
def kaggle(monkeypatch, tmp_path):
    """Credentials 'present' and kagglehub's two downloads replaced by one we control."""
    calls = []
    monkeypatch.setattr(kaggle_source, "credentials_present", lambda: True)

    def set_answer(answer):
        def fetch(handle, output_dir):
            calls.append(handle)
            if isinstance(answer, BaseException):
                raise answer
            return output_dir

        monkeypatch.setattr(kagglehub, "competition_download", fetch)
        monkeypatch.setattr(kagglehub, "dataset_download", fetch)

    set_answer(None)
    return set_answer, calls, tmp_path / "dest"


def _http(status: int) -> requests.HTTPError:
    response = requests.Response()
    response.status_code = status
    return requests.HTTPError(f"{status} error", response=response)


def test_without_credentials_it_says_how_to_make_a_token(env, monkeypatch, tmp_path):
    monkeypatch.setenv("KAGGLE_USERNAME", "")
    assert kaggle_source.credentials_present() is False
    with pytest.raises(kaggle_source.NoCredentials, match=r"kaggle\.com/settings"):
        kaggle_source.download(DOGS, tmp_path)


def test_credentials_are_found_but_never_shown(env, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("KAGGLE_USERNAME", "student")
    monkeypatch.setenv("KAGGLE_KEY", "s3cr3t-key-123")
    assert kaggle_source.credentials_present() is True
    with pytest.raises(kaggle_source.KaggleError) as e:
        kaggle_source.download(datasets.spec("flowers17"), tmp_path)  # not taken from Kaggle
    out = capsys.readouterr()
    assert "s3cr3t" not in str(e.value) + out.out + out.err


def test_a_download_lands_in_the_folder_asked_for(kaggle):
    set_answer, calls, dest = kaggle
    assert kaggle_source.download(MNIST, dest) == dest and dest.is_dir()
    assert calls == ["hojjatk/mnist-dataset/versions/1"]  # the pinned version


@pytest.mark.parametrize(
    ("error", "sentence"),
    [
        (_http(403), r"not accepted the competition's rules yet\. Open https://www\.kaggle\.com/c/dogs-vs-cats/rules"),
        (_http(401), r"401 Unauthorized: your token is wrong or expired"),
        (_http(404), r"Kaggle has no competition 'dogs-vs-cats' \(404\)"),
        (_http(500), r"Kaggle answered HTTP 500"),
        (requests.ConnectionError("no route"), r"could not reach kaggle\.com \(ConnectionError\): offline\?"),
        (requests.exceptions.ChunkedEncodingError("cut"), r"broke off .*run again to resume"),
        (kx.DataCorruptionError("hash mismatch\nmore"), r"corrupt and was discarded \(hash mismatch\); run again"),
    ],
)  # fmt: skip
def test_each_failure_is_one_sentence_with_the_fix(kaggle, error, sentence):
    set_answer, _, dest = kaggle
    set_answer(error)
    with pytest.raises(kaggle_source.KaggleError, match=sentence) as e:
        kaggle_source.download(DOGS, dest)
    assert e.value.__cause__ is None or e.value.__suppress_context__  # no chained traceback
