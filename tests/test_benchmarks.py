"""benchmarks/: the seeds and recipe benchmarks write the tables the notebooks print, and start from
the notebooks' own networks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lecture_lib import results

ROOT = Path(__file__).resolve().parent.parent


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


def _notebook_03_network(image_size: tuple[int, int]):  # noqa: ANN201 - a keras.Model
    """Notebook 03's own network, built by the function its cell defines."""
    return _notebook_function("03_cnn_dogs_vs_cats.ipynb", "build_dogs_cats_cnn")(image_size)


def test_the_benchmarks_last_additions_are_the_notebooks_networks():
    """The additions tables hold the network the notebook trains (02: the last row, the schedule
    without batch normalization; 03: the last row, in the block order it had when measured) and,
    first, the notebook's baseline."""
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
    ours = dogs.build(dogs.RECIPES["baseline"], seed=1)
    theirs = _notebook_function("03_cnn_dogs_vs_cats.ipynb", "build_baseline")(dogs.IMAGE_SIZE)
    assert _layer_kinds(ours) == _layer_kinds(theirs)
    assert ours.count_params() == theirs.count_params()
    # the table's last row is notebook 03's network as it was measured: pooling after the ReLU, the
    # order the speed benchmark calls bn-pool (notebook 03 now pools first; its 03_pool_first table)
    last = dogs.build(dogs.RECIPES["adamw + cosine"], seed=1)
    speed = _bench("bench_dogs_cats_speed")
    assert _layer_kinds(last) == _layer_kinds(speed.build(speed.parse("order=bn-pool"), seed=1))
    assert last.count_params() == _notebook_03_network(dogs.IMAGE_SIZE).count_params()
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
    bn_first = speed.build(speed.parse("order=bn-pool"), seed=1)
    assert pool_first.count_params() == bn_first.count_params()
    first_norm = [
        m.layers.index(next(la for la in m.layers if "batch_norm" in la.name))
        for m in (bn_first, pool_first)
    ]
    assert [
        bn_first.layers[first_norm[0]].output.shape[1],
        pool_first.layers[first_norm[1]].output.shape[1],
    ] == [96, 48]
    assert strided.layers[-4].output.shape[1:3] == (3, 3)  # 96 -> 48 by the stride, then four pools
    augmented = speed.build(speed.parse("flip=1 translate=0.1"), seed=1)  # notebook 08's layers
    assert _layer_kinds(augmented)[:3] == ["RandomFlip", "RandomTranslation", "Rescaling"]
    assert augmented.count_params() == ours.count_params()
    with pytest.raises(SystemExit, match="unknown setting"):
        speed.parse("colour=blue")
    assert speed.variant_key("order=pool-bn") == "order_pool_bn"


def test_the_speed_benchmarks_seeds_table_keeps_one_machines_train_rows_newest_last():
    """--table writes only the named variants' training rows from this machine, one column per
    seed, a re-measured seed's newest row winning (issue 27: notebook 03 prints it)."""
    speed = _bench("bench_dogs_cats_speed")

    def row(
        variant: str, seed: int, acc: float, machine: str = "here", what: str = "train"
    ) -> dict:
        return {"what": what, "variant": variant, "seed": seed, "machine": machine,
                "when": "2026-12-07 19:00", "precision": "float32", "test_accuracy": acc,
                "test_accuracy_single_view": acc, "best_epoch": 20, "train_seconds": 400.0}  # fmt: skip

    rows = [
        row("order=pool-bn", 1, 0.80),
        row("order=pool-bn", 1, 0.85),
        row("order=pool-bn", 2, 0.99, machine="elsewhere"),
        row("order=bn-pool", 1, 0.84),
        row("size=64", 1, 0.70),
        {"what": "probe", "variant": "order=pool-bn", "seed": 3, "machine": "here"},
    ]
    doc = speed.seeds_table(rows, ["order=bn-pool", "order=pool-bn"], "here")
    assert [r["seed"] for r in doc["runs"]] == [1]
    metrics = doc["runs"][0]["metrics"]
    assert metrics["order_pool_bn_test_accuracy"] == 0.85
    assert metrics["order_bn_pool_test_accuracy"] == 0.84
    assert not any(k.startswith("size") for k in metrics)
    assert doc["settings"]["image_size"] == [96, 96] and doc["machine"] == "here"
    from lecture_lib import results

    table = results.seeds_summary("03_pool_first", ["order_pool_bn_test_accuracy"], doc=doc)
    assert "0.8500" in table
    assert _bench("bench_seeds").CPU_CLASSES["avx2"] == {
        "ONEDNN_MAX_CPU_ISA": "AVX2", "LECTURE_PRECISION": "float32"}  # fmt: skip


def test_the_speed_benchmarks_frontier_keeps_what_no_faster_variant_beats():
    """--frontier averages each variant's seeds per machine and marks a variant dominated when
    another on the same machine is at least as accurate in less time; a row from before notebook 03
    pooled first, naming no order, counts as the old order (issue 27)."""
    speed = _bench("bench_dogs_cats_speed")

    def row(
        variant: str,
        seed: int,
        acc: float,
        seconds: float,
        when: str = "2026-12-08 01:00",
        machine: str = "here",
    ) -> dict:
        return {"what": "train", "variant": variant, "seed": seed, "machine": machine,
                "when": when, "precision": "float32", "test_accuracy": acc,
                "train_seconds": seconds}  # fmt: skip

    rows = [
        row("notebook03", 1, 0.86, 450.0),
        row("notebook03", 2, 0.88, 470.0),
        row("order=bn-pool", 1, 0.86, 700.0),  # as accurate, slower: dominated
        row("notebook03", 1, 0.85, 650.0, when="2026-12-06 10:00"),  # the old order, same point
        row("size=64", 1, 0.80, 200.0),  # faster, less accurate: on the frontier
        row("size=64", 1, 0.99, 900.0, machine="elsewhere"),  # another machine: not compared
        {"what": "probe", "variant": "size=64", "seed": 1, "machine": "here"},
    ]
    points = {(p["machine"], p["variant"]): p for p in speed.frontier(rows)}
    assert set(points) == {("here", "notebook03"), ("here", "order=bn-pool"),
                           ("here", "size=64"), ("elsewhere", "size=64")}  # fmt: skip
    assert points["here", "notebook03"]["test_accuracy"] == 0.87
    assert points["here", "notebook03"]["train_seconds"] == 460.0
    assert points["here", "order=bn-pool"]["seeds"] == [1, 1]
    assert points["here", "order=bn-pool"]["test_accuracy"] == 0.855
    assert [k for k, p in points.items() if not p["on_frontier"]] == [("here", "order=bn-pool")]
    table = speed.frontier_markdown(speed.frontier(rows))
    assert "| here | float32 | size=64 | 1 | 80.0 % | 200 | yes |" in table


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
