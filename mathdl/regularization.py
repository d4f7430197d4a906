"""Regularization and normalization: dropout, batch normalization, L1/L2 penalties.

``Dropout(p)`` and ``BatchNorm1d(num_features)`` follow the ``Layer`` protocol
(DESIGN §4) and behave like PyTorch's layers of the same name: both act
differently in training and in evaluation mode (``train()``/``eval()``). The
penalties return ``(value, grads)`` like the losses; :func:`weight_penalty`
turns one into the ``penalty=`` argument of :func:`mathdl.training.fit`.
Decoupled weight decay is :class:`mathdl.optim.AdamW`.
"""

from __future__ import annotations

import numpy as np

from ._validation import as_float_array, as_generator, check_real
from .layers import Layer, _check_dtype, _check_size

__all__ = ["Dropout", "BatchNorm1d", "l1_penalty", "l2_penalty", "soft_threshold",
           "weight_penalty", "polynomial_features", "ridge_fit"]


# --------------------------------------------------------------------------
# Dropout
# --------------------------------------------------------------------------
class Dropout(Layer):
    """Inverted dropout: y = m ⊙ x / (1 − p) with m_i ~ Bernoulli(1 − p) (``eq-dropout``).

    ``p`` is the probability of *dropping* a unit, as in PyTorch. Dividing the
    kept units by 1 − p makes E[y] = x, so evaluation mode is the identity.
    Input and output: any shape; the mask has the input's shape. A new mask is
    drawn at every training forward from the layer's own generator (``rng=``),
    unless ``reuse_mask`` is set: then the last mask is used again (a gradient
    check needs that). ``mask`` holds the last mask, already scaled by 1/(1 − p).
    """

    def __init__(self, p: float = 0.5, *, rng=None) -> None:
        super().__init__()
        self.p = check_real(p, "p", low=0, high=1)
        self._rng = as_generator(rng)
        self.reuse_mask = False
        self.mask: np.ndarray | None = None

    def forward(self, x):
        """Training: x ⊙ mask; evaluation (or p = 0): x itself."""
        x = self._check_input(x, allow_inf=True)
        self._train_pass = self.training and self.p > 0
        if not self._train_pass:
            self._shape = x.shape
            return x
        if not (self.reuse_mask and self.mask is not None and self.mask.shape == x.shape):
            keep = self._rng.random(x.shape) >= self.p
            scale = 0.0 if self.p == 1 else 1.0 / (1.0 - self.p)
            self.mask = (keep * scale).astype(x.dtype)
        self._shape = x.shape
        return x * self.mask.astype(x.dtype, copy=False)

    def backward(self, grad_out):
        """∂L/∂x = ∂L/∂y ⊙ mask (the same mask as the forward); identity in evaluation."""
        shape = self._require_forward("_shape")
        grad = self._check_grad_out(grad_out, shape, np.asarray(grad_out).dtype)
        return grad * self.mask.astype(grad.dtype, copy=False) if self._train_pass else grad

    def __repr__(self) -> str:
        return f"Dropout(p={self.p})"


# --------------------------------------------------------------------------
# Batch normalization
# --------------------------------------------------------------------------
class BatchNorm1d(Layer):
    """Batch normalization over the batch axis (``eq-bn-forward``):

    x̂ = (x − μ_B) / √(σ²_B + ε),  y = γ ⊙ x̂ + β,

    μ_B and σ²_B the mean and the *biased* variance of each feature over the
    batch (and over the length axis for ``(N, C, L)`` input), as in PyTorch.
    Input ``(N, C)`` or ``(N, C, L)`` with C = ``num_features``; output of the
    same shape. Parameters ``params["gamma"]`` (ones) and ``params["beta"]``
    (zeros), shape ``(C,)``.

    Training uses the batch statistics and updates the running ones,
    running ← (1 − momentum)·running + momentum·batch, with the *unbiased*
    variance for ``running_var`` (PyTorch's convention). Evaluation uses the
    running statistics, so the layer is then a fixed affine map.
    """

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1, *,
                 dtype=np.float64) -> None:
        super().__init__()
        self.num_features = _check_size(num_features, "num_features")
        self.eps = check_real(eps, "eps", low=0, low_inclusive=False)
        self.momentum = check_real(momentum, "momentum", low=0, high=1)
        self.dtype = _check_dtype(dtype)
        self.params["gamma"] = np.ones(self.num_features, dtype=self.dtype)
        self.params["beta"] = np.zeros(self.num_features, dtype=self.dtype)
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}
        self.running_mean = np.zeros(self.num_features, dtype=self.dtype)
        self.running_var = np.ones(self.num_features, dtype=self.dtype)
        self._cache = None

    def _axes_and_view(self, x):
        """The axes to reduce over, and how a (C,) vector broadcasts against x."""
        if x.ndim not in (2, 3) or x.shape[1] != self.num_features:
            raise ValueError(f"x must have shape (N, {self.num_features}) or "
                             f"(N, {self.num_features}, L), got {x.shape}")
        return ((0,), (1, -1)) if x.ndim == 2 else ((0, 2), (1, -1, 1))

    def forward(self, x):
        """y = γ x̂ + β with the batch statistics (training) or the running ones (evaluation)."""
        x = self._check_input(x)
        axes, view = self._axes_and_view(x)
        m = x.size // self.num_features  # values per feature
        if self.training:
            if m < 2:
                raise ValueError(f"BatchNorm1d needs more than one value per feature in "
                                 f"training, got x of shape {x.shape}")
            mean = x.mean(axis=axes)
            var = x.var(axis=axes)  # biased: divides by m
            self.running_mean *= 1 - self.momentum
            self.running_mean += self.momentum * mean
            self.running_var *= 1 - self.momentum
            self.running_var += self.momentum * var * (m / (m - 1))
        else:
            mean, var = self.running_mean, self.running_var
        inv_std = 1.0 / np.sqrt(var + self.eps)
        x_hat = (x - mean.reshape(view)) * inv_std.reshape(view)
        self._cache = (x_hat, inv_std, axes, view, self.training)
        return self.params["gamma"].reshape(view) * x_hat + self.params["beta"].reshape(view)

    def backward(self, grad_out):
        """Through γ, β and the batch statistics (``eq-bn-backward``):

        ∂L/∂x = (γ/s) · (g − mean(g) − x̂ · mean(g ⊙ x̂)),  s = √(σ²_B + ε),

        the means over the batch; in evaluation the mean and s are constants and
        ∂L/∂x = γ g / s. ∂L/∂γ = Σ g ⊙ x̂ and ∂L/∂β = Σ g, summed over the batch.
        """
        x_hat, inv_std, axes, view, training = self._require_forward("_cache")
        g = self._check_grad_out(grad_out, x_hat.shape, x_hat.dtype)
        self.grads["gamma"][...] = (g * x_hat).sum(axis=axes)
        self.grads["beta"][...] = g.sum(axis=axes)
        scale = (self.params["gamma"] * inv_std).reshape(view)
        if not training:
            return scale * g
        m = g.size // self.num_features  # mean(g) = ∂L/∂β / m and mean(g ⊙ x̂) = ∂L/∂γ / m
        dx = x_hat * (self.grads["gamma"] / -m).reshape(view)  # in place from here on: a chain
        dx -= (self.grads["beta"] / m).reshape(view)            # of large temporaries cost 5x more
        dx += g
        dx *= scale
        return dx

    def __repr__(self) -> str:
        return f"BatchNorm1d({self.num_features}, eps={self.eps}, momentum={self.momentum})"


# --------------------------------------------------------------------------
# Penalties
# --------------------------------------------------------------------------
def _arrays(params, name="params"):
    single = isinstance(params, np.ndarray)
    arrays = [params] if single else list(params)
    return single, [as_float_array(p, f"{name}[{i}]") for i, p in enumerate(arrays)]


def l2_penalty(params, lam: float):
    """Ω = λ Σ ‖W‖²_F (sum of squared entries), gradient 2λW (``eq-l2-penalty``).

    ``params`` is one array or a list of arrays; the gradient has the same
    structure. Returns ``(value, grads)``, like a loss.
    """
    lam = check_real(lam, "lam", low=0)
    single, arrays = _arrays(params)
    value = lam * sum(float(np.sum(p * p)) for p in arrays)
    grads = [(2 * lam) * p for p in arrays]
    return value, grads[0] if single else grads


def l1_penalty(params, lam: float):
    """Ω = λ Σ |W_ij|, subgradient λ·sign(W) (0 at W_ij = 0) (``eq-l1-penalty``).

    At 0 any value in [−λ, λ] is a subgradient; 0 is the one that keeps an
    exact zero at zero. Gradient steps on it do not make weights exactly 0: the
    proximal step :func:`soft_threshold` does.
    """
    lam = check_real(lam, "lam", low=0)
    single, arrays = _arrays(params)
    value = lam * sum(float(np.sum(np.abs(p))) for p in arrays)
    grads = [lam * np.sign(p) for p in arrays]
    return value, grads[0] if single else grads


def soft_threshold(w, t: float) -> np.ndarray:
    """The proximal step of t‖w‖₁: sign(w) · max(|w| − t, 0) (``eq-soft-threshold``).

    argmin_u ½‖u − w‖² + t‖u‖₁, elementwise: entries within t of zero become
    exactly 0, the others move t towards zero.
    """
    w = as_float_array(w, "w")
    t = check_real(t, "t", low=0)
    return np.sign(w) * np.maximum(np.abs(w) - t, 0).astype(w.dtype, copy=False)


def weight_penalty(lam: float, kind: str = "l2"):
    """A ``penalty=`` for :func:`mathdl.training.fit`: L1 or L2 on the weights only.

    Returns ``penalty(model) -> (value, grads)`` with ``grads`` aligned with
    ``model.parameters()``: the penalty's gradient for every weight matrix (a
    parameter whose name is ``W`` or starts with ``W_``) and zeros for biases
    and for batch norm's γ and β, which are not usually penalised.
    """
    lam = check_real(lam, "lam", low=0)
    if kind not in ("l1", "l2"):
        raise ValueError(f"kind must be 'l1' or 'l2', got {kind!r}")
    rule = l1_penalty if kind == "l1" else l2_penalty

    def penalty(model):
        value, grads = 0.0, []
        for name, p, _ in model.named_parameters():
            short = name.rsplit(".", 1)[-1]
            if short == "W" or short.startswith("W_"):
                v, g = rule(p, lam)
                value += v
                grads.append(g.astype(p.dtype, copy=False))
            else:
                grads.append(np.zeros_like(p))
        return value, grads

    penalty.__name__ = f"{kind}_weight_penalty"
    return penalty


# --------------------------------------------------------------------------
# Ridge regression (L2-penalised least squares), for the over-fitting pages
# --------------------------------------------------------------------------
def polynomial_features(x, degree: int) -> np.ndarray:
    """The matrix ``(n, degree + 1)`` of the powers x⁰, x¹, …, x^degree of a 1-D ``x``."""
    x = as_float_array(x, "x", ndim=1)
    if not isinstance(degree, (int, np.integer)) or isinstance(degree, bool) or degree < 0:
        raise ValueError(f"degree must be a non-negative int, got {degree!r}")
    return x[:, None] ** np.arange(int(degree) + 1)


def ridge_fit(X, y, lam: float = 0.0) -> np.ndarray:
    """w minimising ‖Xw − y‖² + λ‖w‖² (λ = 0: least squares, the minimum-norm solution).

    The minimiser solves (XᵀX + λI) w = Xᵀy. It is computed as the least-squares
    solution of the stacked system [X; √λ I] w = [y; 0], which has the same
    normal equations and avoids squaring the condition number of X. Every
    coefficient is penalised, the intercept (column of ones) included.
    """
    X = as_float_array(X, "X", ndim=2)
    y = as_float_array(y, "y", ndim=1)
    if len(y) != len(X):
        raise ValueError(f"y must have one entry per row of X ({len(X)}), got {len(y)}")
    lam = check_real(lam, "lam", low=0)
    d = X.shape[1]
    A = np.vstack([X, np.sqrt(lam) * np.eye(d)]) if lam > 0 else X
    b = np.concatenate([y, np.zeros(d)]) if lam > 0 else y
    return np.linalg.lstsq(A, b, rcond=None)[0]
