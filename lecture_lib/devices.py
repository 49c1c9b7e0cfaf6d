"""Which devices train, and in which precision (notebooks 02, 03, 08; docs/teaching-at-scale.md)."""

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
