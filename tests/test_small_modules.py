"""config, mnist IDX, results, environment.yml vs pyproject.toml, command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from lecture_lib import config, mnist, results

ROOT = Path(__file__).resolve().parent.parent


def test_settings_defaults_and_errors(env, monkeypatch, tmp_path):
    monkeypatch.delenv("LECTURE_DATA_DIR")
    monkeypatch.chdir(tmp_path)
    s = config.settings()
    assert (
        s.data_dir == ROOT / "data" and not s.smoke and s.backbone == "vgg16" and s.mirror is None
    )
    monkeypatch.setenv("LECTURE_SMOKE", "1")
    monkeypatch.setenv("LECTURE_BACKBONE", "MobileNet")
    assert config.settings().smoke and config.settings().backbone == "mobilenet"
    monkeypatch.setenv("LECTURE_BACKBONE", "alexnet")
    with pytest.raises(config.SettingsError, match="vgg16"):
        config.settings()
    monkeypatch.setenv("LECTURE_BACKBONE", "vgg16")
    monkeypatch.setenv("LECTURE_MIRROR", str(tmp_path / "nope"))
    with pytest.raises(config.SettingsError, match="not a folder"):
        config.settings()


def test_idx_round_trip_and_bad_files(tmp_path):
    a = np.arange(2 * 28 * 28, dtype=np.uint8).reshape(2, 28, 28)
    mnist.write_idx(tmp_path / "x.gz", a)
    assert np.array_equal(mnist.read_idx(tmp_path / "x.gz"), a)
    (tmp_path / "bad").write_bytes(b"\x00\x00\x09\x01" + bytes(8))
    with pytest.raises(mnist.IdxFormatError, match="magic"):
        mnist.read_idx(tmp_path / "bad")
    raw = tmp_path / "cut"
    raw.write_bytes(b"\x00\x00\x08\x01" + (10).to_bytes(4, "big") + bytes(5))
    with pytest.raises(mnist.IdxFormatError, match="promises"):
        mnist.read_idx(raw)


def test_results_record_and_compare(env):
    s = config.settings()
    first = results.record("nb", {"test_accuracy": 0.9}, {"epochs": 1}, 12.34, s)
    second = results.record("nb", {"test_accuracy": 0.95}, {"epochs": 2}, 10, s)
    doc = json.loads((env / "results" / "full" / "nb.json").read_text())
    assert (
        doc["metrics"] == {"test_accuracy": 0.95}
        and doc["seconds"] == 10
        and doc["settings"] == {"epochs": 2}
    )
    row = lambda table, name: next(ln.split() for ln in table.splitlines() if ln.startswith(name))  # noqa: E731
    assert row(first, "test_accuracy") == [
        "test_accuracy",
        "0.9000",
        "-",
    ]  # no previous run: a dash
    assert row(second, "test_accuracy") == ["test_accuracy", "0.9500", "0.9000"]
    assert row(second, "seconds") == ["seconds", "10.0", "12.3"]
    long = results.record(
        "nb2", {"final_train_val_gap_no_augmentation": 0.15, "acc": 0.8}, {}, 1, s
    )
    rows = long.splitlines()[1:4]
    assert len({len(r) for r in rows}) == 1, rows  # long metric names keep the columns aligned
    empty = results.record("nb3", {}, {}, 1, s).splitlines()  # no metrics: the seconds row alone
    assert [ln.split()[0] for ln in empty[2:-1]] == ["seconds"] and empty[-1] == "settings: "


def test_environment_yml_installs_the_lock():
    """Binder and conda install the locked versions (requirements.lock, checked by tests/test_lock.py)."""
    import yaml

    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    deps = env["dependencies"]
    pip = next(d["pip"] for d in deps if isinstance(d, dict))
    conda_python = next(d for d in deps if isinstance(d, str) and d.startswith("python"))
    assert conda_python.replace(" ", "") == "python=3.11"
    assert pip == ["-r requirements.lock", "-e ."]


def test_cli_fetch_and_doctor(env, tmp_path):
    from lecture_lib import datasets

    mirror = tmp_path / "mirror"
    for name in ("mnist", "flowers17", "dogs-vs-cats"):
        datasets.DATASETS[name].synthesize(mirror / "datasets" / name, 0)
    train = mirror / "datasets" / "dogs-vs-cats" / "train"  # as many photos as a complete copy has
    for cls in ("cat", "dog"):
        for i in range(120, datasets.dogs_vs_cats.NEEDED_PER_CLASS):
            os.link(train / f"{cls}.0.jpg", train / f"{cls}.{i}.jpg")

    def run(*a: str, **kw: object) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "lecture_lib", *a],
            capture_output=True,
            text=True,
            timeout=120,
            **kw,
        )

    empty = run("doctor")
    assert empty.returncode == 1 and "lecture_lib fetch mnist" in empty.stdout
    e = {
        **os.environ,
        "LECTURE_MIRROR": str(mirror),
        "KAGGLE_USERNAME": "u",
        "KAGGLE_KEY": "k3y-value",
    }
    fetched = run("fetch", "all", env=e)
    assert fetched.returncode == 0 and fetched.stdout.count("mirror (read-only") == 3
    doc = run("doctor", env=e)
    assert "credentials present" in doc.stdout and "k3y-value" not in doc.stdout + doc.stderr
    assert (
        "cudart_stub" not in doc.stdout + doc.stderr and "oneDNN" not in doc.stdout + doc.stderr
    )  # TF's start-up noise
    assert run("fetch", "nope").returncode == 2


def test_seed_setting_and_read_json(env, monkeypatch, tmp_path):
    assert config.settings().seed == 42
    monkeypatch.setenv("LECTURE_SEED", "7")
    assert config.settings().seed == 7
    monkeypatch.setenv("LECTURE_SEED", "seven")
    with pytest.raises(config.SettingsError, match="LECTURE_SEED"):
        config.settings()
    (tmp_path / "ok.json").write_text('{"a": 1}')
    (tmp_path / "half.json").write_text('{"a": 1')
    (tmp_path / "list.json").write_text("[1, 2]")
    assert config.read_json(tmp_path / "ok.json") == {"a": 1}
    assert [config.read_json(tmp_path / n) for n in ("half.json", "list.json", "missing.json")] == [
        None
    ] * 3


def test_seeds_summary_shows_each_seed_and_mean_sd():
    doc = {
        "when": "2026-01-01",
        "machine": "cpu",
        "mode": "full",
        "settings": {"backbone": "mobilenet"},
        "runs": [
            {"seed": s, "metrics": {"acc": a}, "seconds": t}
            for s, a, t in ((1, 0.9, 10), (2, 0.8, 20), (3, 0.7, 30))
        ],
    }
    text = results.seeds_summary("nb", ["acc", "seconds"], doc=doc)
    acc = next(ln.split() for ln in text.splitlines() if ln.startswith("acc"))
    assert acc == ["acc", "0.9000", "0.8000", "0.7000", "0.8000", "0.1000"]
    secs = next(ln.split() for ln in text.splitlines() if ln.startswith("seconds"))
    assert secs == ["seconds", "10", "20", "30", "20", "10"]
    assert "backbone=mobilenet" in text and "mode full" in text
    assert "bench_seeds.py nb" in results.seeds_summary("nb", ["acc"], doc={"runs": []})


def test_machine_description_names_the_instruction_set(monkeypatch):
    """Times differ 4-5x between the two CPU classes: every benchmark header names the class."""
    assert results.instruction_set({"fma", "avx2"}) == "AVX2"
    assert results.instruction_set({"avx2", "avx512f"}) == "AVX-512"
    fast = {"avx2", "avx512f", "avx512_bf16", "amx_bf16", "amx_tile"}
    assert results.instruction_set(fast) == "AVX-512 + AMX (bfloat16)"
    assert (
        results.instruction_set(fast, "AVX2") == "AVX-512 + AMX (bfloat16), oneDNN capped at AVX2"
    )
    monkeypatch.setenv("ONEDNN_MAX_CPU_ISA", "AVX2")
    assert results.machine_description().endswith("oneDNN capped at AVX2")


def test_precision_setting_is_read_and_checked(monkeypatch):
    monkeypatch.setenv("LECTURE_PRECISION", "Float32")
    assert config.settings().precision == "float32"
    monkeypatch.setenv("LECTURE_PRECISION", "half")
    with pytest.raises(config.SettingsError, match="LECTURE_PRECISION"):
        config.settings()


def test_anchor_table_sits_beside_the_notebook():
    runs = [
        {"seed": s, "metrics": {"test_accuracy": a, "train_seconds": t}, "seconds": t + 5}
        for s, a, t in ((1, 0.992, 100.0), (2, 0.991, 110.0))
    ]
    doc = {
        "notebook": "02_cnn_mnist",
        "runs": [],
        "anchor": {"script": "benchmarks/anchor_mnist_convnet.py", "runs": runs},
    }
    text = results.anchor_summary("02_cnn_mnist", doc=doc)
    assert "anchor_mnist_convnet.py" in text and "0.9915" in text and "110" in text
    assert "No yardstick" in results.anchor_summary("x", doc={"notebook": "x", "runs": []})


def test_going_further_benchmark_writes_a_seeds_table():
    """benchmarks/bench_mnist_recipes.py's runs become a table notebook 02 prints."""
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_mnist_recipes.py"
    spec = importlib.util.spec_from_file_location("going_further", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    runs = [
        {"recipe": r, "seed": s, "precision": "float32", "train_seconds": t, "test_accuracy": a[-1],
         "test_accuracy_by_epoch": a}
        for r, s, t, a in (
            ("notebook 02", 1, 100.0, [0.98, 0.993]),
            ("going further", 1, 400.0, [0.99, 0.995, 0.996]),
        )
    ]  # fmt: skip
    doc = bench.seeds_doc(runs, "cpu, AVX2", "going_further")
    m = doc["runs"][0]["metrics"]
    assert m["going_further_first_epoch_at_99.5"] == 2
    assert m["notebook_02_first_epoch_at_99.5"] is None
    assert m["going_further_test_accuracy_epoch_1"] == 0.99
    assert doc["settings"]["epochs"] == {"notebook 02": 5, "going further": 12}
    keys = ["going_further_test_accuracy", "notebook_02_train_seconds"]
    text = results.seeds_summary("x", [*keys, "going_further_first_epoch_at_99.5"], doc=doc)
    assert "0.9960" in text and "cpu, AVX2" in text
    assert text.splitlines()[-2].split()[1] == "100"  # seconds and epochs print as whole numbers
    assert text.splitlines()[-1].split()[1:] == ["2", "2", "0"]


def test_additions_benchmark_adds_one_idea_at_a_time():
    """Each recipe of notebook 02's additions table differs from the one before in one setting,
    and the last one is notebook 02's network, so each row's gain belongs to one idea."""
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_mnist_recipes.py"
    spec = importlib.util.spec_from_file_location("recipes", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    *chain, control = bench.RECIPE_SETS["additions"].values()
    for before, after in zip(chain[:-1], chain[1:], strict=True):
        assert len({k for k in after if after[k] != before.get(k)}) == 1
    assert chain[-1] == bench.NOTEBOOK_02 == bench.RECIPE_SETS["going_further"]["notebook 02"]
    assert chain[0]["batchnorm"] is False and chain[0]["dropout"] == 0.0
    assert {k for k in control if control[k] != chain[-1][k]} == {"batchnorm"}  # the control


def _bench(name: str):  # noqa: ANN202 - a module
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "benchmarks" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _notebook_function(notebook: str, name: str):  # noqa: ANN202 - the function the cell defines
    """Run the notebook cell that defines ``name`` (a model builder) and return the function."""
    import json

    import keras

    nb = json.loads((Path(__file__).resolve().parents[1] / "notebooks" / notebook).read_text())
    source = next(
        "".join(c["source"]) for c in nb["cells"] if f"def {name}(" in "".join(c["source"])
    )
    scope = {"keras": keras}
    exec(source.split("\n\n\n")[0], scope)  # the definition only, not the calls after it
    return scope[name]


def _layer_kinds(model) -> list[str]:  # noqa: ANN001
    return [type(layer).__name__ for layer in model.layers if type(layer).__name__ != "InputLayer"]


def test_the_benchmarks_last_additions_are_the_notebooks_networks():
    """The additions tables hold the network the notebook trains (02: the last row, the schedule
    without batch normalization; 03: the last row) and, first, the notebook's baseline."""
    mnist = _bench("bench_mnist_recipes")
    for recipe, builder in (
        ("schedule without batch norm", "build_mnist_cnn"),
        ("baseline", "build_baseline"),
    ):
        ours = mnist.build(mnist.RECIPE_SETS["additions"][recipe])
        theirs = _notebook_function("02_cnn_mnist.ipynb", builder)()
        assert _layer_kinds(ours) == _layer_kinds(theirs)
        assert ours.count_params() == theirs.count_params()
    dogs = _bench("bench_dogs_cats_recipes")
    for recipe, builder in (
        ("adamw + cosine", "build_dogs_cats_cnn"),
        ("baseline", "build_baseline"),
    ):
        ours = dogs.build(dogs.RECIPES[recipe], seed=1)
        theirs = _notebook_function("03_cnn_dogs_vs_cats.ipynb", builder)(dogs.IMAGE_SIZE)
        assert _layer_kinds(ours) == _layer_kinds(theirs)
        assert ours.count_params() == theirs.count_params()
    recipes = list(dogs.RECIPES.values())
    for before, after in zip(
        recipes[:4], recipes[1:5], strict=True
    ):  # the additions, one at a time
        assert len({k for k in after if after[k] != before[k]}) == 1
    assert [r["augmentation"] for r in recipes[4:]] == [None, "flip", "lecture"]


def test_the_speed_benchmark_starts_from_notebook_03_and_changes_one_lever_at_a_time():
    """bench_dogs_cats_speed.py's default variant is notebook 03's network; a strided stem and
    pooling before batch norm keep the parameters and shrink the maps as they say (issue 27)."""
    speed = _bench("bench_dogs_cats_speed")
    assert speed.parse("notebook03") == speed.NOTEBOOK_03
    ours = speed.build(speed.NOTEBOOK_03, seed=1)
    theirs = _notebook_function("03_cnn_dogs_vs_cats.ipynb", "build_dogs_cats_cnn")((96, 96))
    assert _layer_kinds(ours) == _layer_kinds(theirs)
    assert ours.count_params() == theirs.count_params()
    strided = speed.build(speed.parse("stem=strided"), seed=1)
    pool_first = speed.build(speed.parse("order=pool-bn"), seed=1)
    assert strided.count_params() == pool_first.count_params() == ours.count_params()
    first_norm = [
        m.layers.index(next(la for la in m.layers if "batch_norm" in la.name))
        for m in (ours, pool_first)
    ]
    assert [
        ours.layers[first_norm[0]].output.shape[1],
        pool_first.layers[first_norm[1]].output.shape[1],
    ] == [96, 48]
    assert strided.layers[-4].output.shape[1:3] == (3, 3)  # 96 -> 48 by the stride, then four pools
    with pytest.raises(SystemExit, match="unknown setting"):
        speed.parse("colour=blue")
    assert _bench("bench_seeds").CPU_CLASSES["avx2"] == {
        "ONEDNN_MAX_CPU_ISA": "AVX2", "LECTURE_PRECISION": "float32"}  # fmt: skip


def test_the_seeds_benchmark_names_a_notebooks_slowest_cells():
    """bench_seeds keeps each run's slowest cells from nbclient's timing, so a slow notebook says where."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    stamps = [("10:00:00.000000Z", "10:00:02.500000Z"), ("10:00:03Z", "10:03:03Z"), None]
    for i, when in enumerate(stamps):
        cell = nbformat.v4.new_code_cell(f"# step {i}\nmodel_{i}.fit(x)")
        if when:
            cell.metadata["execution"] = {
                "iopub.execute_input": f"2026-12-04T{when[0]}", "shell.execute_reply": f"2026-12-04T{when[1]}"}  # fmt: skip
        nb.cells.append(cell)
    nb.cells.append(nbformat.v4.new_markdown_cell("prose"))
    assert _bench("bench_seeds").slowest_cells(nb, n=2) == [
        {"cell": 1, "seconds": 180.0, "first_line": "model_1.fit(x)"},
        {"cell": 0, "seconds": 2.5, "first_line": "model_0.fit(x)"},
    ]


def test_doctor_with_the_course_mirror_warns_about_a_backbone_without_weights():
    """The course mirror has MobileNet weights only: with the default backbone (VGG16) doctor warns
    and names the fix, and exits 0, since the course runs offline with the other backbone."""
    mirror = os.environ.get("LECTURE_MIRROR")
    if not mirror:
        pytest.skip("needs LECTURE_MIRROR (the course mirror)")
    env = {**os.environ, "LECTURE_BACKBONE": "vgg16"}
    doc = subprocess.run(
        [sys.executable, "-m", "lecture_lib", "doctor"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert doc.returncode == 0, doc.stdout
    assert "Warning:" in doc.stdout and "set LECTURE_BACKBONE=mobilenet" in doc.stdout


def test_lab_starts_jupyterlab_with_the_course_settings(monkeypatch):
    """`python -m lecture_lib lab` puts jupyter/ first on JUPYTER_CONFIG_PATH; JupyterLab then reads
    the course's overrides there: no news or update pop-up."""
    from jupyterlab_server.settings_utils import _get_overrides

    from lecture_lib import cli

    env = cli.lab_env({"JUPYTER_CONFIG_PATH": "/elsewhere"})
    assert env["JUPYTER_CONFIG_PATH"].split(os.pathsep) == [str(cli.LABCONFIG), "/elsewhere"]
    monkeypatch.setenv("JUPYTER_CONFIG_PATH", env["JUPYTER_CONFIG_PATH"])
    overrides, error = _get_overrides("/nonexistent")
    news = overrides["@jupyterlab/apputils-extension:notification"]
    assert not error and news == {"fetchNews": "false", "checkForUpdates": False}
