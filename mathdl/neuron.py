"""Single-neuron models: the perceptron, linear regression, logistic regression.

Each is one neuron z = w·x + b with a different activation, loss and learning
rule (Chapter 1). They follow scikit-learn's ``fit``/``predict`` shape, with
``coef_`` (w) and ``intercept_`` (b) after fitting. Only the perceptron
uses randomness (the order of the samples), through ``rng=``; the
gradient-descent models start from θ = 0 and are deterministic.

Shapes: ``X`` is ``(N, D)``, one sample per row; ``y`` is ``(N,)``.
"""

from __future__ import annotations

import numpy as np

from ._validation import as_float_array, as_generator, check_real
from .activations import sigmoid
from .losses import binary_cross_entropy_with_logits, mse

__all__ = ["Perceptron", "LinearRegression", "LogisticRegression", "augment", "mistake_bound"]


def augment(X) -> np.ndarray:
    """Append a column of ones: x̃ = (x, 1), so that w·x + b = (w, b)·x̃."""
    X = as_float_array(X, "X", ndim=2)
    return np.hstack([X, np.ones((X.shape[0], 1), dtype=X.dtype)])


def _check_X(X, n_features=None) -> np.ndarray:
    X = as_float_array(X, "X", ndim=2)
    if X.shape[0] == 0:
        raise ValueError("X has no rows: at least one sample is needed")
    if n_features is not None and X.shape[1] != n_features:
        raise ValueError(f"X must have {n_features} features (columns), as in fit, got {X.shape[1]}")
    return X


def _check_y(y, n: int) -> np.ndarray:
    y = as_float_array(y, "y", ndim=1)
    if y.shape[0] != n:
        raise ValueError(f"y must have one entry per row of X ({n}), got {y.shape[0]}")
    return y


class _Neuron:
    """What the three models share: parameters, checks, the pre-activation."""

    coef_: np.ndarray
    intercept_: float

    def _require_fit(self):
        if not hasattr(self, "coef_"):
            raise RuntimeError(f"{type(self).__name__} is not fitted yet: call fit(X, y) first")

    def decision_function(self, X) -> np.ndarray:
        """The pre-activation z = X w + b, shape ``(N,)``."""
        self._require_fit()
        X = _check_X(X, self.coef_.shape[0])
        return X @ self.coef_ + self.intercept_

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self._hyper().items())
        return f"{type(self).__name__}({args})"


# --------------------------------------------------------------------------
# The perceptron
# --------------------------------------------------------------------------
class Perceptron(_Neuron):
    """Rosenblatt's perceptron: predict sign(w·x + b), learn only from mistakes.

    Rule (equation ``eq-perceptron-rule``): for a sample with y(w·x + b) ≤ 0,
    w ← w + η y x and b ← b + η y; correctly classified samples change nothing.
    Labels must be −1 and +1. Starting from w = 0, b = 0, the learning rate
    only rescales w and b, so it changes no prediction.

    An epoch visits the samples in a random order (``shuffle``, seeded by
    ``rng``) and stops early once an epoch makes no mistake (``converged_``).
    Between two mistakes the samples are checked all at once, so the Python
    loop runs once per mistake, not once per sample; the result is exactly
    that of the sample-by-sample algorithm.

    After ``fit``: ``coef_``, ``intercept_``, ``mistakes_`` (total updates),
    ``mistakes_per_epoch_``, ``converged_``.
    """

    def __init__(self, lr: float = 1.0, max_epochs: int = 100, shuffle: bool = True, rng=None):
        self.lr = check_real(lr, "lr", low=0, low_inclusive=False)
        if not isinstance(max_epochs, (int, np.integer)) or isinstance(max_epochs, bool) or max_epochs < 1:
            raise ValueError(f"max_epochs must be a positive int, got {max_epochs!r}")
        self.max_epochs = int(max_epochs)
        self.shuffle = bool(shuffle)
        self.rng = as_generator(rng)

    def _hyper(self):
        return {"lr": self.lr, "max_epochs": self.max_epochs, "shuffle": self.shuffle}

    def fit(self, X, y) -> "Perceptron":
        X = _check_X(X)
        y = _check_y(y, X.shape[0])
        labels = set(np.unique(y).tolist())
        if not labels <= {-1.0, 1.0}:
            hint = " (0/1 labels: use 2 * y - 1)" if labels <= {0.0, 1.0} else ""
            raise ValueError(f"y must hold the labels -1 and +1, got {sorted(labels)}{hint}")
        w = np.zeros(X.shape[1])
        b = 0.0
        history = []
        for _ in range(self.max_epochs):
            order = self.rng.permutation(len(y)) if self.shuffle else np.arange(len(y))
            Xo, yo = X[order], y[order]
            mistakes, start = 0, 0
            while start < len(yo):
                wrong = np.flatnonzero(yo[start:] * (Xo[start:] @ w + b) <= 0)
                if wrong.size == 0:
                    break
                i = start + wrong[0]           # the next sample the rule would stop at
                w += self.lr * yo[i] * Xo[i]
                b += self.lr * yo[i]
                mistakes += 1
                start = i + 1
            history.append(mistakes)
            if mistakes == 0:
                break
        self.coef_, self.intercept_ = w, float(b)
        self.mistakes_per_epoch_ = history
        self.mistakes_ = int(sum(history))
        self.converged_ = history[-1] == 0
        return self

    def predict(self, X) -> np.ndarray:
        """±1 labels; a point exactly on the boundary (z = 0) gets +1."""
        return np.where(self.decision_function(X) >= 0, 1, -1)


def mistake_bound(X, y, w, b) -> tuple[float, float, float]:
    """R, γ and the perceptron's mistake bound (R/γ)² for the separator (w, b).

    In the augmented space x̃ = (x, 1): R = max ‖x̃‖, u = (w, b)/‖(w, b)‖ and
    γ = min y u·x̃ (the margin of that separator). Novikoff's theorem: starting
    from zero, the perceptron makes at most (R/γ)² mistakes on such data.
    Raises ``ValueError`` if (w, b) does not separate the data (γ ≤ 0).
    """
    Xa = augment(X)
    y = _check_y(y, Xa.shape[0])
    u = np.append(as_float_array(w, "w", ndim=1), check_real(b, "b"))
    if u.shape[0] != Xa.shape[1]:
        raise ValueError(f"w must have {Xa.shape[1] - 1} entries, got {u.shape[0] - 1}")
    u = u / np.linalg.norm(u)
    gamma = float(np.min(y * (Xa @ u)))
    if gamma <= 0:
        raise ValueError(f"(w, b) does not separate the data: its margin is {gamma:.3g} ≤ 0")
    radius = float(np.max(np.linalg.norm(Xa, axis=1)))
    return radius, gamma, (radius / gamma) ** 2


# --------------------------------------------------------------------------
# Gradient-descent models
# --------------------------------------------------------------------------
class _GradientModel(_Neuron):
    """Full-batch gradient descent on θ = (w, b) from θ = 0 (so no randomness).

    ``history_`` holds the loss before each step; ``diverged_`` says whether the
    loss became non-finite (a step size too large), in which case fitting stops
    there, without warnings.
    """

    def __init__(self, lr: float, epochs: int):
        self.lr = check_real(lr, "lr", low=0, low_inclusive=False)
        if not isinstance(epochs, (int, np.integer)) or isinstance(epochs, bool) or epochs < 0:
            raise ValueError(f"epochs must be a non-negative int, got {epochs!r}")
        self.epochs = int(epochs)

    def _gradient_descent(self, X, y):
        theta = np.zeros(X.shape[1] + 1)
        history = []
        self.diverged_ = False
        with np.errstate(over="ignore", invalid="ignore"):
            for _ in range(self.epochs):
                loss, grad = self.loss_and_grad(X, y, theta)
                history.append(loss)
                if not (np.isfinite(loss) and np.all(np.isfinite(grad))):
                    self.diverged_ = True      # the step size is too large: stop, quietly
                    break
                theta = theta - self.lr * grad
        self.history_ = history
        return theta

    def _set(self, theta):
        self.coef_, self.intercept_ = theta[:-1].copy(), float(theta[-1])


class LinearRegression(_GradientModel):
    """Least squares: ŷ = X w + b, minimising J = (1/N) Σ (ŷ − y)² (MSE).

    ``method="normal"`` solves the normal equations X̃ᵀX̃ θ = X̃ᵀy (with
    ``numpy.linalg.lstsq``, which does not form the inverse);
    ``method="gd"`` runs ``epochs`` steps of θ ← θ − η ∇J from θ = 0, with
    ∇J = (2/N) X̃ᵀ(X̃θ − y) (equation ``eq-mse-gradient``).
    """

    def __init__(self, method: str = "normal", lr: float = 0.1, epochs: int = 1000):
        if method not in ("normal", "gd"):
            raise ValueError(f"method must be 'normal' or 'gd', got {method!r}")
        self.method = method
        super().__init__(lr, epochs)

    def _hyper(self):
        return {"method": self.method, "lr": self.lr, "epochs": self.epochs}

    def loss_and_grad(self, X, y, theta):
        """MSE and its gradient with respect to θ = (w, b), shape ``(D + 1,)``."""
        Xa = augment(X)
        value, grad_pred = mse(Xa @ theta, y)
        return value, Xa.T @ grad_pred            # chain rule: ∂ŷ/∂θ = X̃

    def fit(self, X, y) -> "LinearRegression":
        X = _check_X(X)
        y = _check_y(y, X.shape[0])
        if self.method == "normal":
            theta = np.linalg.lstsq(augment(X), y, rcond=None)[0]
            self.history_ = []
            self.diverged_ = False
        else:
            theta = self._gradient_descent(X, y)
        self._set(theta)
        return self

    def predict(self, X) -> np.ndarray:
        return self.decision_function(X)


class LogisticRegression(_GradientModel):
    """A sigmoid neuron p = σ(w·x + b) trained on the log loss by gradient descent.

    Labels 0 and 1. The loss is the mean binary cross-entropy, computed from
    the logits; its gradient is ∇J = (1/N) X̃ᵀ(σ(X̃θ) − y) (equation
    ``eq-logistic-gradient``).
    """

    def __init__(self, lr: float = 0.5, epochs: int = 1000):
        super().__init__(lr, epochs)

    def _hyper(self):
        return {"lr": self.lr, "epochs": self.epochs}

    def loss_and_grad(self, X, y, theta):
        """Log loss and its gradient with respect to θ = (w, b)."""
        Xa = augment(X)
        value, grad_z = binary_cross_entropy_with_logits(Xa @ theta, y)
        return value, Xa.T @ grad_z

    def fit(self, X, y) -> "LogisticRegression":
        X = _check_X(X)
        y = _check_y(y, X.shape[0])
        labels = set(np.unique(y).tolist())
        if not labels <= {0.0, 1.0}:
            hint = " (-1/+1 labels: use (y + 1) / 2)" if labels <= {-1.0, 1.0} else ""
            raise ValueError(f"y must hold the labels 0 and 1, got {sorted(labels)}{hint}")
        self._set(self._gradient_descent(X, y))
        return self

    def predict_proba(self, X) -> np.ndarray:
        """P(y = 1 | x) = σ(w·x + b), shape ``(N,)``."""
        return sigmoid(self.decision_function(X))

    def predict(self, X) -> np.ndarray:
        """Labels 0/1: 1 where P(y = 1 | x) ≥ ½, i.e. where w·x + b ≥ 0."""
        return (self.decision_function(X) >= 0).astype(int)
