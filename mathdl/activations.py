"""Activation functions, their derivatives, and the activation layers.

Each derivative sits right under its function and is written in a form that
stays accurate where the textbook form loses every digit:

* σ'(x) = σ(x)(1 − σ(x)) is computed as e/(1 + e)² with e = e^{−|x|}: for
  x ≳ 37 the computed σ(x) is exactly 1, so σ(x)(1 − σ(x)) gives 0 although
  σ'(x) ≈ e^{−x} is a perfectly good number.
* tanh'(x) = 1 − tanh²(x) is computed as 4e/(1 + e)² with e = e^{−2|x|}, for
  the same reason.

All functions act elementwise (``softmax``/``log_softmax`` along ``axis``),
keep float32 as float32, turn ints and bools into float64, accept ±inf where the
function has a limit there (softmax: −inf only), and raise ``ValueError`` on NaN.
"""

from __future__ import annotations

import numpy as np

from ._validation import as_float_array, check_real
from .layers import Layer

__all__ = [
    "sigmoid", "sigmoid_derivative", "tanh", "tanh_derivative",
    "relu", "relu_derivative", "leaky_relu", "leaky_relu_derivative",
    "softmax", "softmax_jacobian", "log_softmax", "log_softmax_jacobian",
    "Sigmoid", "Tanh", "ReLU", "LeakyReLU",
]


def _scalar_or_array(out: np.ndarray):
    """0-d results come back as numpy scalars, like numpy's own ufuncs."""
    return out[()] if out.ndim == 0 else out


# --------------------------------------------------------------------------
# Sigmoid
# --------------------------------------------------------------------------
def sigmoid(x):
    """Logistic sigmoid σ(x) = 1 / (1 + e^{−x}), equation ``eq-sigmoid``.

    Stable at any input: with e = e^{−|x|} ∈ (0, 1], σ(x) = 1/(1 + e) for
    x ≥ 0 and e/(1 + e) for x < 0, so ``exp`` never overflows.
    Shape: any; output has the shape and float dtype of ``x``.
    """
    x = as_float_array(x, "x", allow_inf=True)
    e = np.exp(-np.abs(x))
    r = 1.0 / (1.0 + e)
    return _scalar_or_array(np.where(x >= 0, r, e * r).astype(x.dtype, copy=False))


def sigmoid_derivative(x):
    """σ'(x) = σ(x)(1 − σ(x)) = σ(x)σ(−x), equation ``eq-sigmoid-derivative``.

    Evaluated as e/(1 + e)² with e = e^{−|x|} (σ' is even), which keeps full
    relative accuracy in the tails, where σ(x)(1 − σ(x)) cancels to 0.
    """
    x = as_float_array(x, "x", allow_inf=True)
    e = np.exp(-np.abs(x))
    return _scalar_or_array((e / (1.0 + e) ** 2).astype(x.dtype, copy=False))


# --------------------------------------------------------------------------
# Hyperbolic tangent
# --------------------------------------------------------------------------
def tanh(x):
    """tanh(x) = (e^{x} − e^{−x}) / (e^{x} + e^{−x}), equation ``eq-tanh``."""
    x = as_float_array(x, "x", allow_inf=True)
    return _scalar_or_array(np.tanh(x))


def tanh_derivative(x):
    """tanh'(x) = 1 − tanh²(x) = sech²(x), equation ``eq-tanh-derivative``.

    Evaluated as 4e/(1 + e)² with e = e^{−2|x|}: no overflow (cosh would
    overflow past |x| ≈ 710) and no cancellation (1 − tanh² is 0 past |x| ≈ 19).
    """
    x = as_float_array(x, "x", allow_inf=True)
    e = np.exp(-np.abs(x))
    e = e * e  # e^{-2|x|}; computing -2|x| first would overflow for |x| > 9e307
    return _scalar_or_array((4.0 * e / (1.0 + e) ** 2).astype(x.dtype, copy=False))


# --------------------------------------------------------------------------
# ReLU and leaky ReLU
# --------------------------------------------------------------------------
def relu(x):
    """ReLU(x) = max(0, x)."""
    x = as_float_array(x, "x", allow_inf=True)
    return _scalar_or_array(np.maximum(x, 0).astype(x.dtype, copy=False))


def relu_derivative(x):
    """ReLU'(x) = 1 for x > 0 and 0 for x < 0; at the kink x = 0 we use 0.

    The convention ReLU'(0) = 0 is PyTorch's; any value in [0, 1] is a valid
    subgradient there.
    """
    x = as_float_array(x, "x", allow_inf=True)
    return _scalar_or_array((x > 0).astype(x.dtype))


def leaky_relu(x, negative_slope: float = 0.01):
    """LeakyReLU(x) = x for x > 0 and ``negative_slope``·x otherwise."""
    slope = check_real(negative_slope, "negative_slope")
    x = as_float_array(x, "x", allow_inf=True)
    return _scalar_or_array(np.where(x > 0, x, slope * x).astype(x.dtype, copy=False))


def leaky_relu_derivative(x, negative_slope: float = 0.01):
    """1 for x > 0, ``negative_slope`` for x ≤ 0 (at the kink: the slope, as PyTorch)."""
    slope = check_real(negative_slope, "negative_slope")
    x = as_float_array(x, "x", allow_inf=True)
    return _scalar_or_array(np.where(x > 0, 1.0, slope).astype(x.dtype, copy=False))


# --------------------------------------------------------------------------
# Softmax and log-softmax
# --------------------------------------------------------------------------
def _softmax_input(x, axis):
    x = as_float_array(x, "x", min_ndim=1, allow_inf=True)
    if not isinstance(axis, (int, np.integer)) or isinstance(axis, bool):
        raise TypeError(f"axis must be an int, got {type(axis).__name__}")
    if not -x.ndim <= axis < x.ndim:
        raise ValueError(f"axis must be in [{-x.ndim}, {x.ndim - 1}] for x of shape {x.shape}, got {axis}")
    if x.shape[axis] == 0:
        raise ValueError(f"softmax needs at least one entry along axis {axis}, x has shape {x.shape}")
    if np.isposinf(x).any():
        raise ValueError("x contains +inf: softmax has no limit there (-inf logits are allowed)")
    if np.isneginf(x).all(axis=axis).any():
        raise ValueError(f"x has a slice that is -inf everywhere along axis {axis}: "
                         "softmax of it is undefined")
    return x


def _shifted(x, axis):
    """x − max(x): the largest entry becomes 0. Entries that overflow to −inf
    (logits ±1e308) are exactly what e^{−inf} = 0 needs, so that overflow is not
    an error."""
    with np.errstate(over="ignore"):
        return x - np.max(x, axis=axis, keepdims=True)


def softmax(x, axis: int = -1):
    """softmax(x)_i = e^{x_i} / Σ_j e^{x_j} along ``axis``.

    The maximum is subtracted first (softmax is invariant to shifts), so no
    exponential overflows; logits of ±1e4 give exact 0s and 1s, not NaN.
    """
    x = _softmax_input(x, axis)
    z = np.exp(_shifted(x, axis))
    return z / np.sum(z, axis=axis, keepdims=True)


def softmax_jacobian(x):
    """∂ softmax(x)_i / ∂x_j = s_i(δ_ij − s_j), i.e. diag(s) − s sᵀ.

    Shape: ``x`` is ``(..., C)``; the result is ``(..., C, C)`` (softmax over
    the last axis).
    """
    s = softmax(x, axis=-1)
    return s[..., :, None] * (np.eye(s.shape[-1], dtype=s.dtype) - s[..., None, :])


def log_softmax(x, axis: int = -1):
    """log softmax(x)_i = x_i − log Σ_j e^{x_j}, through log-sum-exp."""
    x = _softmax_input(x, axis)
    shifted = _shifted(x, axis)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def log_softmax_jacobian(x):
    """∂ log softmax(x)_i / ∂x_j = δ_ij − s_j, i.e. I − 1 sᵀ; shape ``(..., C, C)``."""
    s = softmax(x, axis=-1)
    eye = np.eye(s.shape[-1], dtype=s.dtype)
    return eye - s[..., None, :]


# --------------------------------------------------------------------------
# Layers: forward, and backward right under it
# --------------------------------------------------------------------------
class _Elementwise(Layer):
    """A parameter-free layer y = f(x) elementwise; backward is grad_out · f'(x).

    Subclasses set ``function`` and ``derivative``; the input of the last
    forward is kept, because the stable derivatives above are functions of x.
    """

    def __init__(self) -> None:
        super().__init__()
        self._x: np.ndarray | None = None

    def forward(self, x):
        x = self._check_input(x, allow_inf=True)
        self._x = x
        return np.asarray(self.function(x))

    def backward(self, grad_out):
        x = self._require_forward("_x")
        grad = self._check_grad_out(grad_out, x.shape, x.dtype)
        return grad * np.asarray(self.derivative(x))


class Sigmoid(_Elementwise):
    """Layer y = σ(x); backward: ∂L/∂x = ∂L/∂y · σ'(x) (``eq-sigmoid-derivative``)."""

    function = staticmethod(sigmoid)
    derivative = staticmethod(sigmoid_derivative)


class Tanh(_Elementwise):
    """Layer y = tanh(x); backward: ∂L/∂x = ∂L/∂y · tanh'(x) (``eq-tanh-derivative``)."""

    function = staticmethod(tanh)
    derivative = staticmethod(tanh_derivative)


class ReLU(_Elementwise):
    """Layer y = max(0, x); backward: ∂L/∂x = ∂L/∂y · [x > 0] (0 at the kink)."""

    function = staticmethod(relu)
    derivative = staticmethod(relu_derivative)


class LeakyReLU(_Elementwise):
    """Layer y = x (x > 0) or slope·x; backward multiplies by 1 or the slope."""

    def __init__(self, negative_slope: float = 0.01) -> None:
        super().__init__()
        self.negative_slope = check_real(negative_slope, "negative_slope")

    def function(self, x):
        return leaky_relu(x, self.negative_slope)

    def derivative(self, x):
        return leaky_relu_derivative(x, self.negative_slope)

    def __repr__(self) -> str:
        return f"LeakyReLU(negative_slope={self.negative_slope})"
