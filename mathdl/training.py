"""A small training loop, reused by the chapters from the MLP chapter on.

``fit(model, loss_fn, optimizer, X, y, ...)`` runs epochs of shuffled
mini-batches: forward, loss (value and gradient), backward, ``optimizer.step``
on ``model.parameters()`` and ``model.gradients()``. It records a history of
the mean training loss (and accuracy, for class targets) per epoch, and of the
validation loss and accuracy if validation data are given.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field

import numpy as np

from ._validation import as_generator

__all__ = ["fit", "evaluate", "History"]


@dataclass
class History:
    """Per-epoch records of a training run."""

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    seconds: float = 0.0
    #: with early stopping: the epoch (1-based) whose parameters the model was left with
    best_epoch: int | None = None


def _accuracy(output, y):
    """Fraction of rows whose largest score is the target class; NaN if y are not classes."""
    y = np.asarray(y)
    is_class = y.dtype.kind in "iu" or (y.dtype.kind == "f" and y.size and np.all(y == np.round(y)))
    if is_class and y.ndim == 1 and output.ndim == 2 and output.shape[1] > 1:
        return float(np.mean(np.argmax(output, axis=1) == y))
    return float("nan")


def _check_data(X, y):
    X, y = np.asarray(X), np.asarray(y)
    if len(X) != len(y):
        raise ValueError(f"X and y must have the same number of samples, got {len(X)} and {len(y)}")
    if len(X) == 0:
        raise ValueError("X is empty: there are no samples")
    return X, y


def evaluate(model, loss_fn, X, y, batch_size: int = 1024) -> tuple[float, float]:
    """Mean loss and accuracy of ``model`` on (X, y), in evaluation mode, in batches."""
    X, y = _check_data(X, y)
    was_training = model.training
    model.eval()
    losses, correct, n = 0.0, 0.0, len(X)
    for start in range(0, n, batch_size):
        xb, yb = X[start:start + batch_size], y[start:start + batch_size]
        out = model.forward(xb)
        value, _ = loss_fn(out, yb)
        losses += value * len(xb)
        acc = _accuracy(out, yb)
        correct += acc * len(xb)
    model.train(was_training)
    return losses / n, correct / n


def _bar(epoch, epochs, loss, width=30):
    done = int(width * epoch / epochs)
    sys.stderr.write(f"\repoch {epoch:4d}/{epochs} [{'#' * done}{'.' * (width - done)}] "
                     f"loss {loss:.4f}")
    sys.stderr.flush()


def fit(model, loss_fn, optimizer, X, y, *, epochs: int = 10, batch_size: int = 32,
        rng=None, validation=None, penalty=None, patience: int | None = None,
        progress: bool = True) -> History:
    """Train ``model`` by mini-batch gradient descent; returns the :class:`History`.

    Parameters
    ----------
    model : a ``Layer`` (usually ``Sequential``).
    loss_fn : ``(output, target) -> (value, grad)``, for example
        ``mathdl.losses.cross_entropy``.
    optimizer : has ``step(params, grads)``.
    X, y : training inputs ``(N, ...)`` and targets ``(N, ...)``.
    batch_size : samples per step; the last batch of an epoch may be smaller.
    rng : seed or generator for the shuffling of every epoch.
    validation : optional ``(X_val, y_val)``, evaluated after every epoch.
    penalty : optional ``penalty(model) -> (value, grads)``, grads aligned with
        ``model.parameters()`` (for example
        ``mathdl.regularization.weight_penalty(1e-3)``); its gradient is added to
        the data gradient before each step. The history records the data loss.
    patience : early stopping: stop when the validation loss has not improved
        for this many epochs, and put back the parameters of the best epoch
        (``history.best_epoch``). Needs ``validation``. Only the parameters
        are put back, not batch normalization's running statistics.
    progress : a text progress bar on stderr; notebooks pass ``False``.
    """
    X, y = _check_data(X, y)
    if not isinstance(epochs, (int, np.integer)) or isinstance(epochs, bool) or epochs < 0:
        raise ValueError(f"epochs must be a non-negative int, got {epochs!r}")
    if not isinstance(batch_size, (int, np.integer)) or isinstance(batch_size, bool) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive int, got {batch_size!r}")
    if patience is not None:
        if not isinstance(patience, (int, np.integer)) or isinstance(patience, bool) or patience < 1:
            raise ValueError(f"patience must be a positive int or None, got {patience!r}")
        if validation is None:
            raise ValueError("patience (early stopping) needs validation=(X_val, y_val)")
    gen = as_generator(rng)
    history = History()
    best = (np.inf, None)  # (validation loss, copies of the parameters)
    start_time = time.perf_counter()
    model.train()
    for epoch in range(1, epochs + 1):
        order = gen.permutation(len(X))
        total, correct = 0.0, 0.0
        for start in range(0, len(X), batch_size):
            idx = order[start:start + batch_size]
            out = model.forward(X[idx])
            value, grad = loss_fn(out, y[idx])
            model.backward(grad)
            grads = model.gradients()
            if penalty is not None:
                grads = [g + pg for g, pg in zip(grads, penalty(model)[1])]
            optimizer.step(model.parameters(), grads)
            total += value * len(idx)
            correct += _accuracy(out, y[idx]) * len(idx)
        history.loss.append(total / len(X))
        history.accuracy.append(correct / len(X))
        if validation is not None:
            val_loss, val_acc = evaluate(model, loss_fn, *validation)
            history.val_loss.append(val_loss)
            history.val_accuracy.append(val_acc)
            model.train()
        if progress:
            _bar(epoch, epochs, history.loss[-1])
        if patience is not None:
            if history.val_loss[-1] < best[0]:
                best = (history.val_loss[-1], [p.copy() for p in model.parameters()])
                history.best_epoch = epoch
            elif epoch - history.best_epoch >= patience:
                break
    if progress and epochs:
        sys.stderr.write("\n")
    if best[1] is not None:
        for p, saved in zip(model.parameters(), best[1]):
            p[...] = saved  # in place: references to the parameter arrays stay valid
    history.seconds = time.perf_counter() - start_time
    model.eval()
    return history
