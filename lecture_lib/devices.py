"""Which devices train, in which precision, and how Keras feeds them arrays (docs/teaching-at-scale.md)."""

from __future__ import annotations

from pathlib import Path

from .config import PRECISIONS


def strategy():  # noqa: ANN201 - tf.distribute.Strategy
    """MirroredStrategy when more than one GPU is visible, else the default strategy."""
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    return tf.distribute.MirroredStrategy() if len(gpus) > 1 else tf.distribute.get_strategy()


def cpu_flags(cpuinfo: str | None = None) -> set[str]:
    """The CPU's feature flags from /proc/cpuinfo (its first ``flags`` line); empty off Linux."""
    if cpuinfo is None:
        try:
            cpuinfo = Path("/proc/cpuinfo").read_text()
        except OSError:
            return set()
    for line in cpuinfo.splitlines():
        if line.startswith("flags"):
            return set(line.split(":", 1)[1].split())
    return set()


def cpu_has_bfloat16(cpuinfo: str | None = None) -> bool:
    """True when the CPU multiplies bfloat16 natively (AVX512_BF16 or AMX); Linux only, else False."""
    return bool(cpu_flags(cpuinfo) & {"avx512_bf16", "amx_bf16"})


def training_precision(
    requested: str = "auto", *, cpuinfo: str | None = None, gpus: int | None = None
) -> str:
    """The Keras dtype policy to train the from-scratch CNNs with.

    ``auto``: ``mixed_bfloat16`` on a CPU that computes bfloat16 natively and no GPU (about 20 %
    faster epochs on the course's 2-core machines, same accuracy), otherwise ``float32``: without
    native support bfloat16 is emulated and slower, and a GPU is fast enough in float32.
    """
    if requested not in PRECISIONS:
        raise ValueError(f"precision {requested!r} is not one of {', '.join(PRECISIONS)}")
    if requested != "auto":
        return requested
    if gpus is None:
        import tensorflow as tf

        gpus = len(tf.config.list_physical_devices("GPU"))
    return "mixed_bfloat16" if gpus == 0 and cpu_has_bfloat16(cpuinfo) else "float32"


def untune_array_inputs() -> bool:
    """Turn off tf.data's autotuner for the pipeline Keras builds from arrays (``model.fit(x, y)``).

    On the course's 2-core machines the autotuner's own work competes with training: in some
    processes it halved 02's images/s (docs/architecture.md, "Input pipelines"). Keras has no public
    switch, so this wraps its array adapter. It returns False and changes nothing when Keras is not
    imported yet (``session.start`` stays light), when the adapter is not where Keras 3.x keeps it,
    or when ``LECTURE_TF_DATA_AUTOTUNE=1`` asks to keep the autotuner.
    """
    import os
    import sys

    if os.environ.get("LECTURE_TF_DATA_AUTOTUNE") == "1" or "keras" not in sys.modules:
        return False
    try:
        from keras.src.trainers.data_adapters import array_data_adapter as module
    except ImportError:
        return False
    adapter = getattr(module, "ArrayDataAdapter", None)
    original = getattr(adapter, "get_tf_dataset", None)
    if original is None:
        return False
    if getattr(original, "untuned", False):
        return True

    def get_tf_dataset(self):  # noqa: ANN001, ANN202 - Keras' own signature
        from .pipelines import untuned  # TensorFlow is loaded by now: Keras is

        return untuned(original(self))

    get_tf_dataset.untuned = True
    adapter.get_tf_dataset = get_tf_dataset
    return True
