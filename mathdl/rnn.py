"""A recurrent layer (Elman RNN with tanh) and backpropagation through time.

Sequences are batch first, ``(N, T, D)``, as in PyTorch with ``batch_first=True``:

    a_t = W_xh x_t + W_hh h_{t-1} + b,    h_t = tanh(a_t),    t = 1, …, T,

with h_0 given (zeros by default). ``forward`` returns every hidden state
``(N, T, H)``; an output layer (a ``Linear`` acts on the last axis) and a loss
summed over time go on top. ``backward(grad_h)`` takes ∂L/∂h_t for every t, the
part of the gradient that reaches h_t *directly* (through the output at time t),
and runs the BPTT recursion backwards in time:

    δh_t = grad_h_t + W_hhᵀ δa_{t+1},    δa_t = δh_t ⊙ (1 − h_t²),

    ∂L/∂W_xh = Σ_t δa_tᵀ x_t,   ∂L/∂W_hh = Σ_t δa_tᵀ h_{t-1},   ∂L/∂b = Σ_t δa_t,
    ∂L/∂x_t = δa_t W_xh,        ∂L/∂h_0 = W_hhᵀ δa_1.

``backward(grad_h, k=k)`` is truncated BPTT: the gradient arriving at each time
step flows back through at most ``k`` recurrent steps (``k ≥ T`` is full BPTT).
The loops run over time, which is sequential by nature; every step is a matrix
product over the whole batch.
"""

from __future__ import annotations

import numbers

import numpy as np

from ._validation import as_float_array, as_generator, check_real
from .layers import Layer, _check_dtype, _check_size

__all__ = ["RNN", "clip_grad_norm", "grad_norm", "orthogonal_recurrent", "gradient_through_time"]


class RNN(Layer):
    """``RNN(input_size, hidden_size)``: h_t = tanh(W_xh x_t + W_hh h_{t-1} + b).

    ``params["W_xh"]`` is ``(H, D)``, ``params["W_hh"]`` ``(H, H)``, ``params["b"]``
    ``(H,)`` (PyTorch's two biases b_ih + b_hh are one vector here). Input
    ``(N, T, D)``, output all hidden states ``(N, T, H)``. Default
    initialisation is PyTorch's: everything uniform in ±1/√H.
    """

    def __init__(self, input_size: int, hidden_size: int, *, rng=None, dtype=np.float64) -> None:
        super().__init__()
        self.input_size = _check_size(input_size, "input_size")
        self.hidden_size = _check_size(hidden_size, "hidden_size")
        self.dtype = _check_dtype(dtype)
        gen = as_generator(rng)
        bound = 1.0 / np.sqrt(self.hidden_size)
        shapes = {"W_xh": (self.hidden_size, self.input_size),
                  "W_hh": (self.hidden_size, self.hidden_size), "b": (self.hidden_size,)}
        for key, shape in shapes.items():
            self.params[key] = gen.uniform(-bound, bound, size=shape).astype(self.dtype)
            self.grads[key] = np.zeros(shape, dtype=self.dtype)
        self.grad_h0: np.ndarray | None = None
        #: ∂L/∂a_t for every step ``(N, T, H)`` after a backward, kept for inspection
        self.grad_a: np.ndarray | None = None
        self._cache = None

    def forward(self, x, h0=None):
        """All hidden states ``(N, T, H)`` for inputs ``x`` ``(N, T, D)`` and ``h0`` ``(N, H)``."""
        x = self._check_input(x)
        if x.ndim != 3 or x.shape[2] != self.input_size:
            raise ValueError(f"x must have shape (N, T, {self.input_size}), got {x.shape}")
        n, steps, _ = x.shape
        if n == 0 or steps == 0:
            raise ValueError(f"x must have at least one sequence and one time step, got {x.shape}")
        if h0 is None:
            h0 = np.zeros((n, self.hidden_size), dtype=self.dtype)
        else:
            h0 = self._check_input(h0, "h0")
            if h0.shape != (n, self.hidden_size):
                raise ValueError(f"h0 must have shape ({n}, {self.hidden_size}), got {h0.shape}")
        W_hh = self.params["W_hh"]
        # the input part of every step in one product, stored time-major (T, N, H)
        a_in = np.ascontiguousarray((x @ self.params["W_xh"].T + self.params["b"]).transpose(1, 0, 2))
        h_t = np.empty_like(a_in)
        prev = h0
        for t in range(steps):
            prev = h_t[t] = np.tanh(a_in[t] + prev @ W_hh.T)
        h = np.ascontiguousarray(h_t.transpose(1, 0, 2))           # batch first again
        self._cache = (x, h0, h)
        return h

    def backward(self, grad_h, k=None):
        """BPTT: ∂L/∂x ``(N, T, D)`` from ∂L/∂h ``(N, T, H)``; fills ``grads`` and ``grad_h0``.

        ``k=None`` is full BPTT. With an int ``k ≥ 0`` the gradient that enters at
        step s reaches a_s, a_{s-1}, …, a_{s-k} and no further (k recurrent steps);
        ``k = 0`` ignores the recurrence altogether.
        """
        x, h0, h = self._require_forward("_cache")
        g = self._check_grad_out(grad_h, h.shape, self.dtype)
        if k is not None and (not isinstance(k, numbers.Integral) or isinstance(k, bool) or k < 0):
            raise ValueError(f"k must be None (full BPTT) or an int ≥ 0, got {k!r}")
        n, steps, _ = h.shape
        W_xh, W_hh = self.params["W_xh"], self.params["W_hh"]
        # time-major copies, so that every step below reads one contiguous (N, H) block
        g_t = np.ascontiguousarray(g.transpose(1, 0, 2))
        dtanh = np.ascontiguousarray((1.0 - h * h).transpose(1, 0, 2))       # tanh'(a_t)
        if k is None:
            da_t = np.empty_like(g_t)
            carry = np.zeros((n, self.hidden_size), dtype=self.dtype)      # W_hhᵀ δa_{t+1}
            for t in reversed(range(steps)):
                da_t[t] = (g_t[t] + carry) * dtanh[t]
                carry = da_t[t] @ W_hh
            self.grad_h0 = carry
        else:
            da_t, self.grad_h0 = self._truncated(g_t, dtanh, min(int(k), steps))
        da = da_t.transpose(1, 0, 2)                                         # back to (N, T, H)
        self.grad_a = da
        h_prev = np.concatenate([h0[:, None], h[:, :-1]], axis=1)           # h_{t-1} for every t
        da_2d = da.reshape(-1, self.hidden_size)
        self.grads["W_xh"][...] = da_2d.T @ x.reshape(-1, self.input_size)
        self.grads["W_hh"][...] = da_2d.T @ h_prev.reshape(-1, self.hidden_size)
        self.grads["b"][...] = da_2d.sum(axis=0)
        return da @ W_xh

    def _truncated(self, g_t, dtanh, k):
        """Truncated BPTT on time-major arrays ``(T, N, H)``. ``carry[j]`` is the gradient
        at h_t that entered at step t + j and has made j recurrent steps; at most k."""
        steps, n, hidden = g_t.shape
        W_hh = self.params["W_hh"]
        carry = np.zeros((k + 1, n, hidden), dtype=self.dtype)
        da_t = np.empty_like(g_t)
        for t in reversed(range(steps)):
            carry[0] = g_t[t]                                    # enters here, 0 steps made
            da_by_age = carry * dtanh[t]                         # (k + 1, N, H)
            da_t[t] = da_by_age.sum(axis=0)
            carry[1:] = da_by_age[:-1] @ W_hh                    # one more step; age k stops
        grad_h0 = carry[1:].sum(axis=0)                          # what stepped back to h_0
        return da_t, grad_h0

    def __repr__(self) -> str:
        return f"RNN({self.input_size}, {self.hidden_size})"


def grad_norm(grads) -> float:
    """The Euclidean norm of all gradient arrays taken together, √(Σ ‖g‖²)."""
    grads = list(grads)
    if not grads:
        raise ValueError("grads is empty: there is nothing to measure")
    return float(np.sqrt(sum(np.sum(np.square(as_float_array(g, "grads"), dtype=np.float64))
                             for g in grads)))


def clip_grad_norm(grads, max_norm: float) -> float:
    """Rescale the gradient arrays in place so that their joint norm is at most ``max_norm``.

    If ‖g‖ > max_norm every array is multiplied by max_norm/‖g‖: the direction is
    kept, only the length is cut (Pascanu, Mikolov & Bengio, 2013). Returns the
    norm before clipping, as PyTorch's ``clip_grad_norm_`` does.
    """
    max_norm = check_real(max_norm, "max_norm", low=0, low_inclusive=False)
    grads = list(grads)
    for i, g in enumerate(grads):
        if not isinstance(g, np.ndarray) or g.dtype.kind != "f":
            raise TypeError(f"grads[{i}] must be a float numpy array (scaled in place), "
                            f"got {type(g).__name__}")
    total = grad_norm(grads)
    if total > max_norm:
        scale = max_norm / total
        for g in grads:
            g *= g.dtype.type(scale)
    return total


# --------------------------------------------------------------------------
# Probing gradient flow (the vanishing/exploding-gradient section)
# --------------------------------------------------------------------------
def orthogonal_recurrent(hidden_size: int, radius: float, *, rng=None) -> np.ndarray:
    """``radius`` times a random orthogonal ``(H, H)`` matrix.

    Every eigenvalue has modulus ``radius`` and every singular value equals it,
    so the spectral radius and the spectral norm are both exactly ``radius``.
    """
    hidden_size = _check_size(hidden_size, "hidden_size")
    radius = check_real(radius, "radius", low=0)
    q, r = np.linalg.qr(as_generator(rng).standard_normal((hidden_size, hidden_size)))
    return radius * q * np.sign(np.diag(r))          # sign fix: Haar-distributed Q


def gradient_through_time(radius: float, steps: int = 50, *, hidden_size: int = 32,
                          input_size: int = 4, input_scale: float = 1.0, batch: int = 8, rng=0):
    """How much of a gradient that enters at the last step reaches each earlier step.

    Builds an ``RNN`` whose ``W_hh`` is :func:`orthogonal_recurrent` with the given
    spectral radius, runs it on Gaussian inputs (std ``input_scale``), feeds a
    random gradient into h_T only, runs full BPTT and returns
    ``(lags, ratio)``: ``ratio[j]`` = mean over the batch of ‖∂L/∂a_{T-j}‖ / ‖∂L/∂a_T‖.
    """
    steps = _check_size(steps, "steps")
    input_scale = check_real(input_scale, "input_scale", low=0)
    gen = as_generator(rng)
    layer = RNN(input_size, hidden_size, rng=gen)
    layer.params["W_hh"][...] = orthogonal_recurrent(hidden_size, radius, rng=gen)
    x = input_scale * gen.standard_normal((_check_size(batch, "batch"), steps, input_size))
    h = layer.forward(x)
    g = np.zeros_like(h)
    g[:, -1] = gen.standard_normal((h.shape[0], hidden_size))
    layer.backward(g)
    norms = np.linalg.norm(layer.grad_a, axis=2)            # (N, T)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.mean(norms[:, ::-1] / norms[:, -1:], axis=0)
    return np.arange(steps), ratio
