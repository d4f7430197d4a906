"""Metrics: how a classifier is judged, as opposed to the loss it is trained on.

All take integer labels (true first, as in scikit-learn) and return plain floats
or integer arrays. A metric counts decisions, so it is piecewise constant in the
model's parameters and useless as a gradient signal; the losses of
:mod:`mathdl.losses` are what training differentiates.

For one class c, with TP, FP, FN the true positives, false positives and false
negatives of "predicted c" against "is c":

    precision = TP / (TP + FP),   recall = TP / (TP + FN),
    F1 = 2 · precision · recall / (precision + recall) = 2TP / (2TP + FP + FN).

A ratio with a zero denominator is reported as 0 (scikit-learn's
``zero_division=0``).
"""

from __future__ import annotations

import numpy as np

__all__ = ["accuracy", "confusion_matrix", "precision_recall_f1"]


def _labels(y_true, y_pred):
    t, p = np.asarray(y_true), np.asarray(y_pred)
    for name, a in (("y_true", t), ("y_pred", p)):
        if a.dtype.kind not in "iub":
            raise TypeError(f"{name} must hold integer class labels, got dtype {a.dtype}")
        if a.ndim != 1:
            raise ValueError(f"{name} must be 1-D, one label per sample, got shape {a.shape}")
    if t.shape != p.shape:
        raise ValueError(f"y_true and y_pred must have the same length, got {t.size} and {p.size}")
    if t.size == 0:
        raise ValueError("y_true is empty: a metric of no samples is undefined")
    if min(t.min(), p.min()) < 0:
        raise ValueError("labels must be non-negative integers 0, 1, …, C − 1")
    return t.astype(np.int64), p.astype(np.int64)


def accuracy(y_true, y_pred) -> float:
    """Fraction of samples whose predicted label equals the true label."""
    t, p = _labels(y_true, y_pred)
    return float(np.mean(t == p))


def confusion_matrix(y_true, y_pred, num_classes: int | None = None) -> np.ndarray:
    """``M[i, j]`` = number of samples of true class i predicted as class j, shape ``(C, C)``."""
    t, p = _labels(y_true, y_pred)
    c = int(max(t.max(), p.max())) + 1 if num_classes is None else int(num_classes)
    if c <= max(t.max(), p.max()):
        raise ValueError(f"num_classes={num_classes} is too small for label {max(t.max(), p.max())}")
    return np.bincount(t * c + p, minlength=c * c).reshape(c, c)


def _ratio(num, den):
    num, den = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    return np.divide(num, den, out=np.zeros_like(num), where=den > 0)


def precision_recall_f1(y_true, y_pred, *, positive: int | None = None, average: str = "macro",
                        num_classes: int | None = None):
    """Precision, recall and F1.

    ``positive=c`` gives the three numbers for class c alone (the binary case:
    ``positive=1``). Otherwise ``average="macro"`` averages the per-class numbers
    with equal weight (each F1 from its class's precision and recall), and
    ``average=None`` returns the per-class arrays.
    """
    M = confusion_matrix(y_true, y_pred, num_classes)
    tp = np.diag(M)
    precision = _ratio(tp, M.sum(axis=0))
    recall = _ratio(tp, M.sum(axis=1))
    f1 = _ratio(2 * tp, M.sum(axis=0) + M.sum(axis=1))
    if positive is not None:
        if not 0 <= positive < len(tp):
            raise ValueError(f"positive must be a class label in [0, {len(tp) - 1}], got {positive}")
        return float(precision[positive]), float(recall[positive]), float(f1[positive])
    if average is None:
        return precision, recall, f1
    if average != "macro":
        raise ValueError(f"average must be 'macro' or None, got {average!r}")
    return float(precision.mean()), float(recall.mean()), float(f1.mean())
