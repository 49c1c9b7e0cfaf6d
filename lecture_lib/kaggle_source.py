"""Kaggle as a data source, through kagglehub (data.get).

We never ``import kaggle`` (it prints a banner and reads credentials on import) and never print
or store a credential: only whether one is present. Errors become messages a learner can act on.
"""

from __future__ import annotations

from pathlib import Path

from .datasets import DatasetSpec

TOKEN_HELP = (
    "create a token at https://www.kaggle.com/settings (API -> Create New Token) and save the "
    "downloaded kaggle.json as ~/.kaggle/kaggle.json (chmod 600), or set KAGGLE_USERNAME and "
    "KAGGLE_KEY in the environment"
)


class KaggleError(RuntimeError):
    """Kaggle could not deliver the dataset; the message says why and what to do."""


class NoCredentials(KaggleError):
    pass


def credentials_present() -> bool:
    """True when kagglehub would find credentials (env vars, kaggle.json or an access token)."""
    try:
        from kagglehub.config import get_kaggle_credentials

        return get_kaggle_credentials() is not None
    except ValueError:  # a malformed kaggle.json: kagglehub raises while reading it
        return False


def download(spec: DatasetSpec, dest: Path) -> Path:
    """Download ``spec`` from Kaggle into ``dest``; return the folder kagglehub filled."""
    if not spec.kaggle_handle:
        raise KaggleError("this dataset is not taken from Kaggle")
    if not credentials_present():
        raise NoCredentials(f"no Kaggle credentials: {TOKEN_HELP}")
    import kagglehub
    import requests
    from kagglehub import exceptions as kx

    dest.mkdir(parents=True, exist_ok=True)
    fetch = (
        kagglehub.competition_download
        if spec.kaggle_kind == "competition"
        else kagglehub.dataset_download
    )
    try:
        return Path(fetch(spec.kaggle_handle, output_dir=str(dest)))
    except requests.HTTPError as e:  # KaggleApiHTTPError is one
        status = getattr(e.response, "status_code", None)
        if status == 403:
            raise KaggleError(
                f"Kaggle answered 403 Forbidden for {spec.kaggle_handle}: you have not accepted "
                f"the competition's rules yet. Open {spec.kaggle_rules_url}, click 'I Understand "
                "and Accept', then run again."
            ) from None
        if status == 401:
            raise KaggleError(
                f"Kaggle answered 401 Unauthorized: your token is wrong or expired; {TOKEN_HELP}."
            ) from None
        if status == 404:
            raise KaggleError(
                f"Kaggle has no {spec.kaggle_kind} {spec.kaggle_handle!r} (404)."
            ) from None
        raise KaggleError(f"Kaggle answered HTTP {status}: {e}") from None
    except (kx.UnauthenticatedError, kx.CredentialError) as e:
        raise KaggleError(f"Kaggle did not accept the credentials ({e}); {TOKEN_HELP}.") from None
    except (requests.ConnectionError, requests.Timeout) as e:
        raise KaggleError(f"could not reach kaggle.com ({type(e).__name__}): offline?") from None
    except (
        requests.exceptions.ChunkedEncodingError,
        requests.exceptions.ContentDecodingError,
    ) as e:
        raise KaggleError(
            f"the download from Kaggle broke off ({type(e).__name__}); run again to resume"
        ) from None
    except kx.NotFoundError:
        raise KaggleError(f"Kaggle has no {spec.kaggle_kind} {spec.kaggle_handle!r}.") from None
    except kx.DataCorruptionError as e:
        raise KaggleError(
            f"Kaggle's download was corrupt and was discarded ({_first_line(e)}); run again"
        ) from None
    except kx.BackendError as e:
        raise KaggleError(f"Kaggle's server failed ({_first_line(e)}); try again later") from None


def _first_line(e: BaseException) -> str:
    return (str(e).splitlines() or [""])[0][:160]
