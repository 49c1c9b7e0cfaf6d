"""devices: the training precision, the distribution strategy, Keras' array input pipeline."""

from __future__ import annotations

import keras
import numpy as np
import pytest
from keras.src.trainers.data_adapters.array_data_adapter import ArrayDataAdapter

from lecture_lib import devices


def test_training_precision_follows_the_cpu_and_the_setting():
    bf16_cpu = "processor : 0\nflags : fpu sse avx512f avx512_bf16 amx_tile\n"
    plain_cpu = "processor : 0\nflags : fpu sse avx2\n"
    assert devices.cpu_has_bfloat16(bf16_cpu) and not devices.cpu_has_bfloat16(plain_cpu)
    assert devices.training_precision("auto", cpuinfo=bf16_cpu, gpus=0) == "mixed_bfloat16"
    assert (
        devices.training_precision("auto", cpuinfo=plain_cpu, gpus=0) == "float32"
    )  # emulated bf16 is slower
    assert devices.training_precision("auto", cpuinfo=bf16_cpu, gpus=1) == "float32"
    assert devices.training_precision("float32", cpuinfo=bf16_cpu, gpus=0) == "float32"
    with pytest.raises(ValueError, match="not one of"):
        devices.training_precision("float16")


def test_strategy_is_the_default_one_on_cpu():
    import tensorflow as tf

    assert devices.strategy() is tf.distribute.get_strategy()


@pytest.fixture
def adapter(monkeypatch):
    """Keras' array adapter, given back as it was after the test."""
    monkeypatch.delenv("LECTURE_TF_DATA_AUTOTUNE", raising=False)
    monkeypatch.setattr(ArrayDataAdapter, "get_tf_dataset", ArrayDataAdapter.get_tf_dataset)
    return ArrayDataAdapter


def _autotuned(x, y) -> bool:
    """tf.data's autotuner is on unless an option says False (unset, None, means its default: on)."""
    options = ArrayDataAdapter(x, y, batch_size=4, shuffle=True).get_tf_dataset().options()
    return options.autotune.enabled is not False


def test_array_inputs_lose_the_autotuner_once_and_models_still_train(adapter):
    x, y = np.random.default_rng(0).random((32, 3), dtype="float32"), np.arange(32) % 2
    assert _autotuned(x, y)  # Keras' default, the one that sometimes halves 02's speed on 2 cores
    assert devices.untune_array_inputs() and devices.untune_array_inputs()  # twice: wrapped once
    assert not _autotuned(x, y)
    assert getattr(adapter.get_tf_dataset, "untuned", False)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    history = model.fit(x, y, batch_size=4, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2 and np.isfinite(history.history["loss"]).all()


def test_the_autotuner_stays_when_asked(adapter, monkeypatch):
    monkeypatch.setenv("LECTURE_TF_DATA_AUTOTUNE", "1")
    assert devices.untune_array_inputs() is False
    assert not getattr(adapter.get_tf_dataset, "untuned", False)
