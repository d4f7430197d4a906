"""Loss functions: each returns ``(value, grad)``.

``value`` is a mean, as in PyTorch's default ``reduction="mean"`` (over every
element for these elementwise losses), and ``grad`` is the gradient of that
mean with respect to the *first* argument, with its shape and float dtype.
Formulas that can overflow or take log(0) are written in stable forms.
"""

from __future__ import annotations

import numpy as np

from ._validation import as_float_array

__all__ = ["mse", "mae", "huber", "hinge", "cross_entropy", "binary_cross_entropy",
           "binary_cross_entropy_with_logits"]

#: log(p) is clamped at this value, as PyTorch's BCELoss clamps it at -100.
LOG_FLOOR = -100.0


def _pair(pred, target, pred_name: str, target_name: str):
    pred = as_float_array(pred, pred_name)
    target = as_float_array(target, target_name)
    if pred.shape != target.shape:
        raise ValueError(f"{pred_name} and {target_name} must have the same shape, "
                         f"got {pred.shape} and {target.shape}")
    if pred.size == 0:
        raise ValueError(f"{pred_name} is empty: a mean over no elements is undefined")
    return pred, target.astype(pred.dtype, copy=False)


def mse(pred, target):
    """Mean squared error J = (1/N) Σ (pred − target)², over all N elements.

    Gradient: ∂J/∂pred = (2/N)(pred − target), equation ``eq-mse-gradient``.
    The factor ½ that some texts put in front (and that cancels the 2) is a
    convention; this function follows PyTorch's ``MSELoss`` and has no ½.
    """
    pred, target = _pair(pred, target, "pred", "target")
    diff = pred - target
    return float(np.mean(diff ** 2)), (2.0 / diff.size) * diff


def mae(pred, target):
    """Mean absolute error J = (1/N) Σ |pred − target|, over all N elements.

    Gradient: sign(pred − target)/N, taking 0 at a tie (a valid subgradient, and
    PyTorch's ``L1Loss`` choice). Grows only linearly with the error, so one
    outlier cannot dominate the mean as it does under :func:`mse`.
    """
    pred, target = _pair(pred, target, "pred", "target")
    diff = pred - target
    return float(np.mean(np.abs(diff))), np.sign(diff) / diff.size


def huber(pred, target, delta: float = 1.0):
    """Huber loss, mean over all elements: ½r² for |r| ≤ δ, δ(|r| − ½δ) beyond (r = pred − target).

    Quadratic near 0 like :func:`mse` (times ½), linear in the tails like
    :func:`mae` (times δ); value and slope are continuous at |r| = δ. Gradient:
    clip(r, −δ, δ)/N. Matches PyTorch's ``HuberLoss(delta=δ)``.
    """
    from ._validation import check_real

    delta = check_real(delta, "delta", low=0, low_inclusive=False)
    pred, target = _pair(pred, target, "pred", "target")
    r = pred - target
    a = np.abs(r)
    q = np.minimum(a, delta)                     # the quadratic part; no r² of a huge r
    value = 0.5 * q * q + delta * (a - q)
    return float(np.mean(value)), (np.clip(r, -delta, delta) / r.size).astype(pred.dtype, copy=False)


def hinge(scores, target):
    """Hinge loss for labels in {−1, +1}: J = (1/N) Σ max(0, 1 − y·s).

    ``scores`` and ``target`` have the same shape (one score per sample for a
    binary problem). Subgradient: −y/N where the margin y·s < 1, else 0 (at
    y·s = 1 exactly, 0 is chosen). Labels 0/1 raise: write them as 2y − 1.
    """
    s, y = _pair(scores, target, "scores", "target")
    if not np.all((y == 1) | (y == -1)):
        bad = y[(y != 1) & (y != -1)][0]
        raise ValueError(f"target must hold labels -1 and +1, got {bad}; for 0/1 labels use 2 * y - 1")
    margin = y * s
    active = margin < 1
    return float(np.mean(np.where(active, 1 - margin, 0.0))), np.where(active, -y, 0.0).astype(
        s.dtype, copy=False) / s.size


def _check_binary_target(y, name="target"):
    if np.any((y < 0) | (y > 1)):
        bad = y[(y < 0) | (y > 1)][0]
        raise ValueError(f"{name} must be a probability in [0, 1] (labels 0 and 1), got {bad}; "
                         "for labels in {-1, +1} use (y + 1) / 2")


def binary_cross_entropy(p, target):
    """Binary cross-entropy of probabilities: J = −mean[y log p + (1 − y) log(1 − p)].

    ``p`` are probabilities in [0, 1] (the output of a sigmoid), ``target``
    labels 0/1 or probabilities. log(0) is clamped at −100, so p = 0 or 1 gives
    a large finite loss, as in PyTorch. Gradient: (p − y) / (p(1 − p)) / N,
    with p kept 1e-12 away from 0 and 1. Prefer
    :func:`binary_cross_entropy_with_logits`, which never needs the clamp.
    """
    p, y = _pair(p, target, "p", "target")
    if np.any((p < 0) | (p > 1)):
        raise ValueError(f"p must be probabilities in [0, 1], got values in [{p.min()}, {p.max()}]; "
                         "for logits use binary_cross_entropy_with_logits")
    _check_binary_target(y)
    with np.errstate(divide="ignore"):
        log_p = np.maximum(np.log(p), LOG_FLOOR)
        log_q = np.maximum(np.log1p(-p), LOG_FLOOR)
    value = float(-np.mean(y * log_p + (1 - y) * log_q))
    eps = 1e-12
    pc = np.clip(p, eps, 1 - eps)
    grad = (pc - y) / (pc * (1 - pc)) / p.size
    return value, grad.astype(p.dtype, copy=False)


def binary_cross_entropy_with_logits(z, target):
    """Binary cross-entropy of σ(z), computed from the logits z.

    J = mean[max(z, 0) − z·y + log(1 + e^{−|z|})], which equals
    −mean[y log σ(z) + (1 − y) log(1 − σ(z))] and is finite for any z.
    Gradient: ∂J/∂z = (σ(z) − y) / N, equation ``eq-logistic-gradient``.
    """
    from .activations import sigmoid

    z, y = _pair(z, target, "z", "target")
    _check_binary_target(y)
    value = float(np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))))
    return value, (sigmoid(z) - y) / z.size


def cross_entropy(logits, targets):
    """Softmax cross-entropy from logits ``(N, C)`` and integer class targets ``(N,)``.

    J = −(1/N) Σ_i log softmax(z_i)[y_i], computed through log-sum-exp, so it
    is finite for logits of any size. Gradient: ∂J/∂z = (softmax(z) − onehot(y)) / N
    (equation ``eq-cross-entropy-gradient``), shape ``(N, C)``.
    """
    from .activations import log_softmax

    z = as_float_array(logits, "logits", ndim=2)
    if z.shape[0] == 0 or z.shape[1] == 0:
        raise ValueError(f"logits must have shape (N, C) with N, C ≥ 1, got {z.shape}")
    t = np.asarray(targets)
    if t.dtype.kind not in "iu":
        if t.dtype.kind == "f" and t.size and np.all(t == np.round(t)):
            t = t.astype(np.int64)
        else:
            raise TypeError(f"targets must be integer class indices, got dtype {t.dtype}")
    if t.shape != (z.shape[0],):
        raise ValueError(f"targets must have shape ({z.shape[0]},), one class per row of logits, "
                         f"got {t.shape}")
    if t.size and (t.min() < 0 or t.max() >= z.shape[1]):
        bad = t[(t < 0) | (t >= z.shape[1])][0]
        raise ValueError(f"targets must be class indices in [0, {z.shape[1] - 1}], got {bad}")
    logp = log_softmax(z, axis=1)
    n = z.shape[0]
    rows = np.arange(n)
    value = float(-np.mean(logp[rows, t]))
    grad = np.exp(logp)
    grad[rows, t] -= 1.0
    return value, grad / n
