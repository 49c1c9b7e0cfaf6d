"""Answers as plain data: written in the submission's kernel, read back by the checker.

The kernel side (:func:`extract_all`, run after the submission) calls each hidden test's
``extract`` and writes what it returns as ``<n>.json`` plus, for arrays, ``<n>.npz``. That code runs
beside the student's and may be fooled or replaced, so nothing it writes is trusted: the checker
side (:func:`read`) accepts only JSON (numbers, strings, lists, dicts) and arrays of plain dtypes
loaded with ``allow_pickle=False``, size-checked before they are read. What comes back is data;
whether it is right is decided elsewhere (:mod:`.checker`). Nothing from a submission is unpickled.
"""

from __future__ import annotations

import json
import math
import zipfile
from pathlib import Path
from typing import Any

from ..checks import first_line, is_stub

MAX_JSON_BYTES = 16 * 2**20  # one answer's JSON
MAX_ARRAY_BYTES = 256 * 2**20  # one answer's arrays, uncompressed
MAX_DEPTH = 32
PLAIN_KINDS = (
    "biufcUS"  # bool, integers, floats, complex, strings: what np.load reads without pickle
)


class NotData(TypeError):
    """A value that is not plain data (an object, a function, a model): the message says which."""


class NotAnswered(ValueError):
    """A variable still ``...``: the question is not answered yet."""


# ---- the kernel side -------------------------------------------------------------------------


def to_plain(value: Any, arrays: list, depth: int = 0) -> Any:
    """``value`` as JSON-able data; arrays go to ``arrays`` and are named ``{"__array__": i}``."""
    import numpy as np

    if depth > MAX_DEPTH:
        raise NotData("the answer is nested too deeply")
    if value is Ellipsis:
        raise NotAnswered("not answered yet: replace the `...` with your answer")
    if value is None or type(value) in (bool, str):
        return value
    if type(value) is int:
        return value
    if type(value) is float:
        return value if math.isfinite(value) else {"__float__": repr(value)}
    if isinstance(value, np.generic):
        return to_plain(value.item(), arrays, depth + 1)
    if type(value) in (list, tuple):
        return [to_plain(v, arrays, depth + 1) for v in value]
    if type(value) is dict:
        if all(type(k) is str for k in value):
            if any(k.startswith("__") and k.endswith("__") for k in value):
                return {
                    "__items__": [[k, to_plain(v, arrays, depth + 1)] for k, v in value.items()]
                }
            return {k: to_plain(v, arrays, depth + 1) for k, v in value.items()}
        return {
            "__items__": [
                [to_plain(k, arrays, depth + 1), to_plain(v, arrays, depth + 1)]
                for k, v in value.items()
            ]
        }
    if type(value) is not np.ndarray and hasattr(value, "numpy") and callable(value.numpy):
        value = value.numpy()  # a TensorFlow tensor
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in PLAIN_KINDS:
            raise NotData(f"an array of {value.dtype} is not plain data")
        arrays.append(np.array(value))
        return {"__array__": len(arrays) - 1}
    raise NotData(f"a {type(value).__name__} is not plain data")


def _sentence(e: BaseException) -> str:
    return first_line(e)


def extract_all(plan_path: str, out_dir: str, namespace: dict) -> None:
    """Run each planned ``extract`` on the submission's variables; write its answer, or its error.

    One file per test, written as soon as it is known, so a crash later keeps the answers before it.
    """
    import builtins

    import numpy as np

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for n, item in enumerate(json.loads(Path(plan_path).read_text()), start=1):
        record: dict = {"key": item["key"]}
        arrays: list = []
        try:
            missing = [a for a in item["args"] if a not in namespace]
            if missing:
                raise NameError(f"`{missing[0]}` is not defined: run the cell that defines it")
            for a in item["args"]:
                if namespace[a] is Ellipsis or is_stub(namespace[a]):
                    raise NotAnswered(
                        f"`{a}` is not answered yet: replace the `...` with your answer"
                    )
            scope: dict = {"__builtins__": builtins, "__name__": "extract"}
            exec(compile(item["source"], f"<extract {item['key']}>", "exec"), scope)
            record["value"] = to_plain(
                scope["extract"](*[namespace[a] for a in item["args"]]), arrays
            )
        except BaseException as e:  # noqa: BLE001 - any failure is this answer's, never the run's
            if isinstance(e, KeyboardInterrupt | SystemExit):
                record["error"] = "the answer's code stopped the kernel"
            else:
                record["error"] = _sentence(e)
            arrays = []
        if arrays:
            np.savez(out / f"{n}.npz", *arrays)
        (out / f"{n}.json").write_text(json.dumps(record, allow_nan=False))


def model_data(model: Any) -> dict:
    """A Keras model as data: its architecture (JSON) and weights (arrays); :func:`model_from_data`
    rebuilds it where no student code runs."""
    import numpy as np

    return {"config": model.to_json(), "weights": [np.asarray(w) for w in model.get_weights()]}


# ---- the checker side ------------------------------------------------------------------------


class Unreadable(ValueError):
    """An answer file that is not the data we wrote: the message says what is wrong."""


def _decode(value: Any, arrays: dict, depth: int = 0) -> Any:
    if depth > MAX_DEPTH:
        raise Unreadable("nested too deeply")
    if value is None or type(value) in (bool, int, float, str):
        return value
    if type(value) is list:
        return [_decode(v, arrays, depth + 1) for v in value]
    if type(value) is dict:
        if set(value) == {"__array__"}:
            key = f"arr_{value['__array__']}"
            if key not in arrays:
                raise Unreadable("an array it names is missing")
            return arrays[key]
        if set(value) == {"__float__"}:
            if value["__float__"] not in ("nan", "inf", "-inf"):
                raise Unreadable("a float that is not nan or inf")
            return float(value["__float__"])
        if set(value) == {"__items__"}:
            out = {}
            for pair in value["__items__"]:
                if type(pair) is not list or len(pair) != 2:
                    raise Unreadable("a dict item that is not a pair")
                k = _decode(pair[0], arrays, depth + 1)
                k = tuple(k) if type(k) is list else k
                try:
                    out[k] = _decode(pair[1], arrays, depth + 1)
                except TypeError as e:  # an unhashable key
                    raise Unreadable("a dict key that is not a plain value") from e
            return out
        return {str(k): _decode(v, arrays, depth + 1) for k, v in value.items()}
    raise Unreadable(f"a {type(value).__name__}")


def _arrays(path: Path) -> dict:
    import numpy as np

    if not path.is_file():
        return {}
    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
        if sum(i.file_size for i in infos) > MAX_ARRAY_BYTES:
            raise Unreadable(f"its arrays exceed {MAX_ARRAY_BYTES // 2**20} MB")
        if any(not (i.filename.startswith("arr_") and i.filename.endswith(".npy")) for i in infos):
            raise Unreadable("its array file holds something else")
    with np.load(path, allow_pickle=False) as npz:
        return {k: npz[k] for k in npz.files}


def read(answers_dir: Path, n: int, key: str) -> tuple[Any, str]:
    """Answer ``n`` (for test ``key``) as (value, '') or (None, why not): the submission's error,
    or why its file cannot be read as our data."""
    path = Path(answers_dir) / f"{n}.json"
    try:
        if path.is_symlink() or not path.is_file():
            return None, "the notebook stopped before this answer was computed"
        if path.stat().st_size > MAX_JSON_BYTES:
            raise Unreadable(f"over {MAX_JSON_BYTES // 2**20} MB")
        record = json.loads(path.read_text(), parse_constant=_no_constant)
        if type(record) is not dict or record.get("key") != key:
            raise Unreadable("it is not this test's answer")
        if "error" in record:
            return None, str(record["error"])[:300]
        if "value" not in record:
            raise Unreadable("it holds no value")
        npz = path.with_suffix(".npz")
        if npz.is_symlink():
            raise Unreadable("its array file is a link")
        return _decode(record["value"], _arrays(npz)), ""
    except (Unreadable, ValueError, OSError, zipfile.BadZipFile, RecursionError) as e:
        return None, f"its answer could not be read as data ({str(e)[:200]})"


def _no_constant(name: str) -> float:
    raise Unreadable(f"{name} is not JSON")


def model_from_data(data: dict) -> Any:
    """The Keras model :func:`model_data` described, built from Keras' own layers only (safe mode:
    no lambdas, no custom classes), with its weights."""
    import keras
    import numpy as np

    if type(data) is not dict or type(data.get("config")) is not str:
        raise AssertionError("the model could not be read")
    model = keras.models.model_from_json(data["config"])
    weights = data.get("weights")
    if type(weights) is not list or not all(isinstance(w, np.ndarray) for w in weights):
        raise AssertionError("the model's weights could not be read")
    model.set_weights(weights)
    return model
