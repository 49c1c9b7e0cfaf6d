"""Reference activations and losses in NumPy, numerically stable (notebook 04, the exercises).

Notebook 04 writes the textbook versions itself and compares them with these and with Keras;
these are the ones to trust with extreme inputs (log-sum-exp, clipping).
"""

from __future__ import annotations

import numpy as np

EPS = 1e-7  # Keras' backend epsilon: probabilities are clipped to [EPS, 1 - EPS]


def sigmoid(z: np.ndarray) -> np.ndarray:
    """1 / (1 + e^-z), computed without overflow for large |z|."""
    z = np.asarray(z, dtype=np.float64)
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    ez = np.exp(z[~pos])
    out[~pos] = ez / (1.0 + ez)
    return out


def log_softmax(z: np.ndarray, axis: int = -1) -> np.ndarray:
    """log softmax by the log-sum-exp trick: subtract the max before exponentiating."""
    z = np.asarray(z, dtype=np.float64)
    m = z.max(axis=axis, keepdims=True)
    return z - m - np.log(np.exp(z - m).sum(axis=axis, keepdims=True))


def softmax(z: np.ndarray, axis: int = -1) -> np.ndarray:
    """e^z_i / sum_j e^z_j, stable for any logits."""
    return np.exp(log_softmax(z, axis))


def one_hot(labels: np.ndarray, num_classes: int) -> np.ndarray:
    """Integer labels -> rows with a single 1 (digit 5 of 10 -> [0,0,0,0,0,1,0,0,0,0])."""
    labels = np.asarray(labels)
    out = np.zeros((labels.size, num_classes))
    out[np.arange(labels.size), labels.ravel()] = 1.0
    return out


def binary_cross_entropy(y: np.ndarray, p: np.ndarray) -> float:
    """Mean of -[y log p + (1-y) log(1-p)], with p clipped like Keras does."""
    p = np.clip(np.asarray(p, dtype=np.float64), EPS, 1 - EPS)
    y = np.asarray(y, dtype=np.float64)
    return float(np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p))))


def binary_cross_entropy_from_logits(y: np.ndarray, z: np.ndarray) -> float:
    """BCE on logits z = log(p / (1-p)): max(z,0) - z*y + log(1 + e^-|z|), never overflows."""
    y, z = np.asarray(y, dtype=np.float64), np.asarray(z, dtype=np.float64)
    return float(np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))))


def categorical_cross_entropy(y_onehot: np.ndarray, p: np.ndarray) -> float:
    """Mean over rows of -sum_i y_i log p_i: with a one-hot y, just -log of the true class's p."""
    p = np.asarray(p, dtype=np.float64)
    p = p / p.sum(axis=-1, keepdims=True)
    p = np.clip(p, EPS, 1 - EPS)
    return float(np.mean(-(np.asarray(y_onehot) * np.log(p)).sum(axis=-1)))


def categorical_cross_entropy_from_logits(y_onehot: np.ndarray, z: np.ndarray) -> float:
    """CCE straight from logits through log_softmax: exact even when softmax would underflow to 0."""
    return float(np.mean(-(np.asarray(y_onehot) * log_softmax(z)).sum(axis=-1)))


def cross_entropy(q: np.ndarray, p: np.ndarray) -> float:
    """H(q, p) = -sum_i q_i log p_i for one pair of distributions (the general definition)."""
    p = np.clip(np.asarray(p, dtype=np.float64), EPS, 1.0)
    return float(-(np.asarray(q, dtype=np.float64) * np.log(p)).sum())
