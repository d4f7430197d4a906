"""Convolution and pooling on images ``(N, C, H, W)``, as in PyTorch.

The default path is vectorised: :func:`im2col` turns every receptive field into
a row, so a convolution is one matrix product, and :func:`col2im` adds the rows
back for the backward pass (its only loop runs over the kH·kW kernel offsets,
never over samples or pixels). ``conv2d_naive`` and ``max_pool2d_naive`` keep
the textbook loops beside them, as the didactic reference and the tests' oracle.

Like PyTorch (and one source's "互相关"), ``Conv2d`` computes a
cross-correlation, without flipping the kernel:

    y[n, o, i, j] = b[o] + Σ_c Σ_u Σ_v W[o, c, u, v] · x_pad[n, c, i·s + u, j·s + v]

and the output size is ⌊(H + 2p − kH)/s⌋ + 1.
"""

from __future__ import annotations

import numbers

import numpy as np

from .layers import Layer, _check_dtype, _check_size, _init_parameters

__all__ = ["Conv2d", "MaxPool2d", "AvgPool2d", "im2col", "col2im", "output_size",
           "conv2d_naive", "max_pool2d_naive"]


def _pair(value, name, minimum=1):
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        value = (int(value), int(value))
    if (not isinstance(value, tuple) or len(value) != 2
            or not all(isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in value)):
        raise TypeError(f"{name} must be an int or a pair of ints, got {value!r}")
    if min(value) < minimum:
        raise ValueError(f"{name} must be ≥ {minimum}, got {value}")
    return int(value[0]), int(value[1])


def output_size(size: int, kernel: int, stride: int = 1, padding: int = 0) -> int:
    """⌊(size + 2·padding − kernel)/stride⌋ + 1, the output length along one axis."""
    return (size + 2 * padding - kernel) // stride + 1


def _geometry(x_shape, kernel_size, stride, padding):
    kh, kw = _pair(kernel_size, "kernel_size")
    sh, sw = _pair(stride, "stride")
    ph, pw = _pair(padding, "padding", minimum=0)
    if len(x_shape) != 4:
        raise ValueError(f"x must have shape (N, C, H, W), got {tuple(x_shape)}")
    n, c, h, w = x_shape
    if h + 2 * ph < kh or w + 2 * pw < kw:
        raise ValueError(f"kernel {(kh, kw)} is larger than the padded input {(h + 2 * ph, w + 2 * pw)}")
    ho, wo = output_size(h, kh, sh, ph), output_size(w, kw, sw, pw)
    return (kh, kw), (sh, sw), (ph, pw), (ho, wo)


def _offsets(kernel_size, stride, out_size):
    """For every kernel offset (u, v), in row-major order: the slices of the
    (padded) input that offset reads, one element per output pixel."""
    (kh, kw), (sh, sw), (ho, wo) = kernel_size, stride, out_size
    for u in range(kh):
        for v in range(kw):
            yield u, v, (slice(u, u + sh * (ho - 1) + 1, sh), slice(v, v + sw * (wo - 1) + 1, sw))


def im2col(x, kernel_size, stride=1, padding=0) -> np.ndarray:
    """Receptive fields as rows: ``(N, C, H, W)`` → ``(N·Ho·Wo, C·kH·kW)``.

    Row ``(n, i, j)`` holds the C×kH×kW input values that output pixel (i, j)
    of sample n sees, flattened in the order of a kernel ``W[o].ravel()``.
    It is filled one kernel offset (u, v) at a time: that offset reads the
    input at rows u, u + s, u + 2s, … and columns v, v + s, …, a strided slice
    (the loop runs over the kH·kW offsets, never over samples or pixels).
    """
    x = np.asarray(x)
    (kh, kw), stride, (ph, pw), (ho, wo) = _geometry(x.shape, kernel_size, stride, padding)
    n, c = x.shape[:2]
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw))) if ph or pw else x
    cols = np.empty((n, ho, wo, c, kh, kw), dtype=x.dtype)
    for u, v, (rows, columns) in _offsets((kh, kw), stride, (ho, wo)):
        cols[..., u, v] = xp[:, :, rows, columns].transpose(0, 2, 3, 1)
    return cols.reshape(n * ho * wo, c * kh * kw)


def col2im(cols, x_shape, kernel_size, stride=1, padding=0) -> np.ndarray:
    """The adjoint of :func:`im2col`: add every row back onto the pixels it came from.

    Overlapping receptive fields add up, which is exactly what the gradient with
    respect to the input needs. Returns an array of shape ``x_shape``. (The sums
    run in channels-last order, where each offset's slice is one block of memory,
    and the result is transposed back at the end.)
    """
    (kh, kw), stride, (ph, pw), (ho, wo) = _geometry(x_shape, kernel_size, stride, padding)
    n, c, h, w = x_shape
    cols = np.asarray(cols).reshape(n, ho, wo, c, kh, kw)
    xp = np.zeros((n, h + 2 * ph, w + 2 * pw, c), dtype=cols.dtype)
    for u, v, (rows, columns) in _offsets((kh, kw), stride, (ho, wo)):
        xp[:, rows, columns, :] += cols[..., u, v]
    return xp[:, ph:ph + h, pw:pw + w, :].transpose(0, 3, 1, 2)


class Conv2d(Layer):
    """2-D convolution (cross-correlation) ``Conv2d(in_channels, out_channels, kernel_size)``.

    ``params["W"]`` is ``(C_out, C_in, kH, kW)``, ``params["b"]`` is
    ``(C_out,)``; input ``(N, C_in, H, W)``, output ``(N, C_out, Ho, Wo)``.
    Default initialisation is PyTorch's, uniform in ±1/√(C_in·kH·kW); ``init=``
    takes the names of :class:`mathdl.layers.Linear`.
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1, padding=0, *,
                 bias: bool = True, init=None, rng=None, dtype=np.float64) -> None:
        super().__init__()
        self.in_channels = _check_size(in_channels, "in_channels")
        self.out_channels = _check_size(out_channels, "out_channels")
        self.kernel_size = _pair(kernel_size, "kernel_size")
        self.stride = _pair(stride, "stride")
        self.padding = _pair(padding, "padding", minimum=0)
        self.dtype = _check_dtype(dtype)
        _init_parameters(self, (self.out_channels, self.in_channels, *self.kernel_size), bias,
                         init, rng)
        self._cache = None

    def forward(self, x):
        """y = im2col(x) · W_matᵀ + b, reshaped to ``(N, C_out, Ho, Wo)``."""
        x = self._check_input(x)
        if x.ndim != 4 or x.shape[1] != self.in_channels:
            raise ValueError(f"x must have shape (N, {self.in_channels}, H, W), got {x.shape}")
        if x.shape[0] == 0:
            raise ValueError(f"x is an empty batch, shape {x.shape}")
        geometry = _geometry(x.shape, self.kernel_size, self.stride, self.padding)
        ho, wo = geometry[3]
        cols = im2col(x, self.kernel_size, self.stride, self.padding)
        y = cols @ self.params["W"].reshape(self.out_channels, -1).T
        if "b" in self.params:
            y += self.params["b"]
        self._cache = (x.shape, cols)
        return np.ascontiguousarray(y.reshape(x.shape[0], ho, wo, self.out_channels).transpose(0, 3, 1, 2))

    def backward(self, grad_out):
        """∂L/∂W = Gᵀ·cols (a cross-correlation of x with G), ∂L/∂b = Σ G,
        ∂L/∂x = col2im(G·W_mat) (a full convolution of G with the flipped kernel)."""
        x_shape, cols = self._require_forward("_cache")
        n = x_shape[0]
        ho, wo = _geometry(x_shape, self.kernel_size, self.stride, self.padding)[3]
        g = self._check_grad_out(grad_out, (n, self.out_channels, ho, wo), cols.dtype)
        g2 = g.transpose(0, 2, 3, 1).reshape(-1, self.out_channels)
        self.grads["W"][...] = (g2.T @ cols).reshape(self.params["W"].shape)
        if "b" in self.params:
            self.grads["b"][...] = g2.sum(axis=0)
        dcols = g2 @ self.params["W"].reshape(self.out_channels, -1)
        return col2im(dcols, x_shape, self.kernel_size, self.stride, self.padding)

    def __repr__(self) -> str:
        return (f"Conv2d({self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}, padding={self.padding})")


class _Pool(Layer):
    def __init__(self, kernel_size, stride=None) -> None:
        super().__init__()
        self.kernel_size = _pair(kernel_size, "kernel_size")
        self.stride = self.kernel_size if stride is None else _pair(stride, "stride")
        self._cache = None

    def _offsets(self, x):
        """Check x; return it and, per kernel offset, the slices it reads (see :func:`im2col`)."""
        x = self._check_input(x)
        if x.ndim != 4:
            raise ValueError(f"x must have shape (N, C, H, W), got {x.shape}")
        out_size = _geometry(x.shape, self.kernel_size, self.stride, 0)[3]
        return x, list(_offsets(self.kernel_size, self.stride, out_size))

    def _grad(self, grad_out, x_shape):
        ho, wo = _geometry(x_shape, self.kernel_size, self.stride, 0)[3]
        return self._check_grad_out(grad_out, (*x_shape[:2], ho, wo), np.asarray(grad_out).dtype)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(kernel_size={self.kernel_size}, stride={self.stride})"


class MaxPool2d(_Pool):
    """Max pooling; ``stride`` defaults to the kernel size. Output ⌊(H − k)/s⌋ + 1.

    Backward routes each output's gradient to the position of its maximum. On a
    tie the first maximum in row-major order of the window gets all of it (one
    valid subgradient; PyTorch also picks a single position).
    """

    def forward(self, x):
        """y[n, c, i, j] = max over the window; remembers which offset won."""
        x, offsets = self._offsets(x)
        _, _, first = offsets[0]
        y = x[(slice(None), slice(None), *first)].copy()
        winner = np.zeros(y.shape, dtype=np.min_scalar_type(len(offsets) - 1))
        for k, (_, _, window) in enumerate(offsets[1:], start=1):
            candidate = x[(slice(None), slice(None), *window)]
            better = candidate > y                 # strict: a tie keeps the earlier offset
            # winner = k where better; k only grows, so a maximum does it (and fast)
            np.maximum(winner, better.view(np.uint8) * winner.dtype.type(k), out=winner)
            np.maximum(y, candidate, out=y)
        self._cache = (x.shape, winner, offsets)
        return y

    def backward(self, grad_out):
        """∂L/∂x: each output's gradient goes to its window's winning position."""
        x_shape, winner, offsets = self._require_forward("_cache")
        g = self._grad(grad_out, x_shape)
        dx = np.zeros(x_shape, dtype=g.dtype)
        for k, (_, _, window) in enumerate(offsets):
            dx[(slice(None), slice(None), *window)] += g * (winner == k)
        return dx


class AvgPool2d(_Pool):
    """Average pooling; backward spreads each output's gradient evenly, /(kH·kW)."""

    def forward(self, x):
        """y[n, c, i, j] = mean of the window."""
        x, offsets = self._offsets(x)
        y = sum(x[(slice(None), slice(None), *window)] for _, _, window in offsets)
        self._cache = (x.shape, offsets)
        return y / len(offsets)

    def backward(self, grad_out):
        """∂L/∂x: each output's gradient, divided by kH·kW, to every position of its window."""
        x_shape, offsets = self._require_forward("_cache")
        g = self._grad(grad_out, x_shape)
        dx = np.zeros(x_shape, dtype=g.dtype)
        share = g / len(offsets)
        for _, _, window in offsets:
            dx[(slice(None), slice(None), *window)] += share
        return dx


# --------------------------------------------------------------------------
# The textbook loops: a reference for the reader and an oracle for the tests
# --------------------------------------------------------------------------
def conv2d_naive(x, W, b=None, stride=1, padding=0) -> np.ndarray:
    """The convolution sum, written as loops over every output pixel (slow, plain)."""
    x, W = np.asarray(x), np.asarray(W)
    (kh, kw), (sh, sw), (ph, pw), (ho, wo) = _geometry(x.shape, W.shape[2:], stride, padding)
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    n, c_out = x.shape[0], W.shape[0]
    y = np.zeros((n, c_out, ho, wo), dtype=np.result_type(x, W))
    for s in range(n):
        for o in range(c_out):
            for i in range(ho):
                for j in range(wo):
                    patch = xp[s, :, i * sh:i * sh + kh, j * sw:j * sw + kw]
                    y[s, o, i, j] = np.sum(patch * W[o]) + (0 if b is None else b[o])
    return y


def max_pool2d_naive(x, kernel_size, stride=None) -> np.ndarray:
    """Max pooling as loops over every output pixel."""
    x = np.asarray(x)
    kh, kw = _pair(kernel_size, "kernel_size")
    sh, sw = (kh, kw) if stride is None else _pair(stride, "stride")
    ho, wo = output_size(x.shape[2], kh, sh), output_size(x.shape[3], kw, sw)
    y = np.zeros(x.shape[:2] + (ho, wo), dtype=x.dtype)
    for i in range(ho):
        for j in range(wo):
            y[:, :, i, j] = x[:, :, i * sh:i * sh + kh, j * sw:j * sw + kw].max(axis=(2, 3))
    return y
