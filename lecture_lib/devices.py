"""Which devices train: a distribution strategy for several GPUs (docs/teaching-at-scale.md)."""

from __future__ import annotations


def strategy():  # noqa: ANN201 - tf.distribute.Strategy
    """MirroredStrategy when more than one GPU is visible, else the default strategy."""
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    return tf.distribute.MirroredStrategy() if len(gpus) > 1 else tf.distribute.get_strategy()
