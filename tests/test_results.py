"""results: a run's numbers recorded per mode beside the previous run; the seeds tables."""

from __future__ import annotations

import json
from pathlib import Path

from lecture_lib import config, results

ROOT = Path(__file__).resolve().parent.parent


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


def test_results_of_the_two_modes_are_kept_apart(env, monkeypatch):
    monkeypatch.setenv("LECTURE_SMOKE", "0")
    full = config.settings()
    results.record("nb", {"acc": 0.9}, {}, 1, full)
    monkeypatch.setenv("LECTURE_SMOKE", "1")
    smoke = config.settings()
    results.record("nb", {"acc": 0.5}, {}, 1, smoke)
    assert results.load("nb", smoke)["metrics"]["acc"] == 0.5
    assert results.load("nb", full)["metrics"]["acc"] == 0.9  # the smoke run did not overwrite it
    table = results.record("nb", {"acc": 0.91}, {}, 1, full)
    assert "0.9000" in table and "0.5000" not in table  # "previous" is the previous full run


def test_a_benchmark_row_is_appended_and_printed(tmp_path, capsys):
    table = tmp_path / "bench.json"
    results.append_row(table, {"students": 1, "seconds": 11.1})
    results.append_row(table, {"students": 5, "seconds": 46.4})
    assert [r["students"] for r in json.loads(table.read_text())["rows"]] == [1, 5]
    assert capsys.readouterr().out.splitlines()[-1] == '{"students": 5, "seconds": 46.4}'
