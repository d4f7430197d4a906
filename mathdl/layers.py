"""The ``Layer`` protocol every building block of the book follows (DESIGN §4).

A layer holds its parameters in ``params`` and the gradients of its last
backward pass in ``grads`` (same keys, same shapes). ``forward(x)`` returns the
output and keeps what ``backward`` needs; ``backward(grad_out)`` returns the
gradient with respect to the input and *overwrites* ``grads``. Optimizers update
the arrays in ``params`` in place, so a reference to one stays valid.
"""

from __future__ import annotations

import abc

import numpy as np

from ._validation import FLOAT_DTYPES, as_float_array, as_generator, check_real

__all__ = ["Layer", "Linear", "Sequential", "Flatten",
           "xavier_uniform", "xavier_normal", "he_normal", "he_uniform"]


class Layer(abc.ABC):
    """Base class of all layers: ``params``, ``grads``, ``train()``/``eval()``.

    Subclasses implement :meth:`forward` and, directly under it,
    :meth:`backward`. Layers with parameters set ``self.dtype`` (float64 unless
    ``dtype=`` says otherwise) and reject input of another float dtype, as
    PyTorch does; layers without parameters accept any float dtype and keep it.
    """

    #: dtype of the parameters, or None for a layer without parameters.
    dtype: np.dtype | None = None

    def __init__(self) -> None:
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self.training = True

    # -- the two methods a layer defines --------------------------------
    @abc.abstractmethod
    def forward(self, x: np.ndarray) -> np.ndarray:
        """Compute the output and remember what ``backward`` needs."""

    @abc.abstractmethod
    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        """Return ∂L/∂x given ∂L/∂y, and overwrite ``grads``."""

    # -- conveniences shared by all layers ------------------------------
    def __call__(self, x: np.ndarray) -> np.ndarray:
        return self.forward(x)

    def train(self, mode: bool = True) -> "Layer":
        """Switch to training mode (or evaluation mode with ``mode=False``)."""
        self.training = bool(mode)
        return self

    def eval(self) -> "Layer":
        """Switch to evaluation mode; returns the layer, as in PyTorch."""
        return self.train(False)

    def parameters(self) -> list[np.ndarray]:
        """The parameter arrays, in the order of ``params`` (what optimizers take)."""
        return list(self.params.values())

    def gradients(self) -> list[np.ndarray]:
        """The gradient arrays of the last backward pass, aligned with :meth:`parameters`."""
        return [self.grads[key] for key in self.params]

    def named_parameters(self) -> list[tuple[str, np.ndarray, np.ndarray]]:
        """``(name, parameter, gradient)`` triples; containers prefix their layers' index."""
        return [(key, self.params[key], self.grads[key]) for key in self.params]

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    # -- input checks used by subclasses --------------------------------
    def _check_input(self, x, name: str = "x", *, allow_inf: bool = False) -> np.ndarray:
        """Validate ``x``: a float array, of this layer's dtype if it has one."""
        arr = as_float_array(x, name, allow_inf=allow_inf)
        if self.dtype is not None and arr.dtype != self.dtype:
            given = np.asarray(x).dtype
            raise TypeError(f"{name} has dtype {given} but {type(self).__name__} holds "
                            f"{self.dtype} parameters; convert one of them (for example "
                            f"x.astype(np.{self.dtype}))")
        return arr

    def _check_grad_out(self, grad_out, expected_shape: tuple[int, ...],
                        expected_dtype: np.dtype) -> np.ndarray:
        """Validate the upstream gradient against the output of the last forward."""
        grad = as_float_array(grad_out, "grad_out")
        if grad.shape != tuple(expected_shape):
            raise ValueError(f"grad_out must have the shape of the last forward output "
                             f"{tuple(expected_shape)}, got {grad.shape}")
        return grad.astype(expected_dtype, copy=False)

    def _require_forward(self, attr: str):
        value = getattr(self, attr, None)
        if value is None:
            raise RuntimeError(f"{type(self).__name__}.backward called before forward")
        return value


# --------------------------------------------------------------------------
# Initialisers
# --------------------------------------------------------------------------
def _fans(shape) -> tuple[int, int]:
    """fan_in and fan_out of a weight of shape (out, in) or (C_out, C_in, kH, kW)."""
    if len(shape) < 2:
        raise ValueError(f"a weight needs at least 2 dimensions (out, in), got shape {tuple(shape)}")
    receptive = int(np.prod(shape[2:])) if len(shape) > 2 else 1
    return int(shape[1]) * receptive, int(shape[0]) * receptive


def xavier_uniform(shape, *, gain: float = 1.0, rng=None, dtype=np.float64) -> np.ndarray:
    """Glorot & Bengio (2010): U(−a, a), a = gain·√(6 / (fan_in + fan_out)).

    Keeps the variance of activations and of gradients roughly constant across
    layers of tanh-like units. ``shape`` is ``(out, in)`` (or a conv kernel).
    """
    fan_in, fan_out = _fans(shape)
    bound = check_real(gain, "gain", low=0, low_inclusive=False) * np.sqrt(6.0 / (fan_in + fan_out))
    return as_generator(rng).uniform(-bound, bound, size=shape).astype(dtype)


def xavier_normal(shape, *, gain: float = 1.0, rng=None, dtype=np.float64) -> np.ndarray:
    """Glorot & Bengio (2010): N(0, σ²), σ = gain·√(2 / (fan_in + fan_out))."""
    fan_in, fan_out = _fans(shape)
    std = check_real(gain, "gain", low=0, low_inclusive=False) * np.sqrt(2.0 / (fan_in + fan_out))
    return (std * as_generator(rng).standard_normal(shape)).astype(dtype)


def he_normal(shape, *, rng=None, dtype=np.float64) -> np.ndarray:
    """He et al. (2015): N(0, 2 / fan_in), for ReLU layers (half the units are off)."""
    fan_in, _ = _fans(shape)
    return (np.sqrt(2.0 / fan_in) * as_generator(rng).standard_normal(shape)).astype(dtype)


def he_uniform(shape, *, rng=None, dtype=np.float64) -> np.ndarray:
    """He et al. (2015), uniform: U(−a, a), a = √(6 / fan_in)."""
    fan_in, _ = _fans(shape)
    bound = np.sqrt(6.0 / fan_in)
    return as_generator(rng).uniform(-bound, bound, size=shape).astype(dtype)


_INITS = {"xavier_uniform": xavier_uniform, "xavier_normal": xavier_normal,
          "he_normal": he_normal, "he_uniform": he_uniform}


def _check_dtype(dtype) -> np.dtype:
    dtype = np.dtype(dtype)
    if dtype not in FLOAT_DTYPES:
        raise TypeError(f"dtype must be float32 or float64, got {dtype}")
    return dtype


def _init_parameters(layer, shape, bias: bool, init, rng) -> None:
    """Fill ``layer.params``/``grads`` with W of ``shape`` (out, in, ...) and b of (out,).

    ``init=None`` is PyTorch's default: W and b uniform in ±1/√fan_in. A named
    initialiser draws W and starts b at 0.
    """
    gen = as_generator(rng)
    fan_in, _ = _fans(shape)
    if init is None:
        bound = 1.0 / np.sqrt(fan_in)
        W = gen.uniform(-bound, bound, size=shape)
        b = gen.uniform(-bound, bound, size=shape[0])
    elif init in _INITS:
        W = _INITS[init](shape, rng=gen)
        b = np.zeros(shape[0])
    else:
        raise ValueError(f"init must be None or one of {sorted(_INITS)}, got {init!r}")
    layer.params["W"] = W.astype(layer.dtype)
    layer.grads["W"] = np.zeros_like(layer.params["W"])
    if bias:
        layer.params["b"] = b.astype(layer.dtype)
        layer.grads["b"] = np.zeros_like(layer.params["b"])


def _check_size(value, name) -> int:
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{name} must be a positive int, got {value!r}")
    return int(value)


# --------------------------------------------------------------------------
# Linear
# --------------------------------------------------------------------------
class Linear(Layer):
    """Fully connected layer y = x Wᵀ + b (batch form of z = W a + b, ``eq-batch-forward``).

    Parameters: ``params["W"]`` of shape ``(out_features, in_features)`` and
    ``params["b"]`` of shape ``(out_features,)``, as in PyTorch. Input
    ``(*, in_features)`` (any leading dimensions), output ``(*, out_features)``.

    Default initialisation is PyTorch's: W and b uniform in ±1/√in_features.
    ``init="xavier_uniform" | "xavier_normal" | "he_normal" | "he_uniform"``
    chooses another rule for W (b then starts at 0).
    """

    def __init__(self, in_features: int, out_features: int, *, bias: bool = True, init=None,
                 rng=None, dtype=np.float64) -> None:
        super().__init__()
        self.in_features = _check_size(in_features, "in_features")
        self.out_features = _check_size(out_features, "out_features")
        self.dtype = _check_dtype(dtype)
        _init_parameters(self, (self.out_features, self.in_features), bias, init, rng)
        self._x: np.ndarray | None = None

    def forward(self, x):
        """y = x Wᵀ + b; keeps (a reference to) x for the backward pass, so do not change
        x in place between forward and backward."""
        x = self._check_input(x)
        if x.ndim == 0 or x.shape[-1] != self.in_features:
            raise ValueError(f"x must have shape (..., {self.in_features}), got {x.shape}")
        if x.size == 0:
            raise ValueError(f"x is an empty batch, shape {x.shape}")
        self._x = x
        y = x @ self.params["W"].T
        return y + self.params["b"] if "b" in self.params else y

    def backward(self, grad_out):
        """∂L/∂W = Gᵀ x, ∂L/∂b = Σ G over the batch, ∂L/∂x = G W (``eq-linear-backward``).

        ``grad_out`` G has the output's shape ``(*, out_features)``; the sums run
        over every leading dimension, so a batch's gradients are summed, not
        averaged (the loss's gradient already carries the 1/N of a mean).
        """
        x = self._require_forward("_x")
        g = self._check_grad_out(grad_out, x.shape[:-1] + (self.out_features,), x.dtype)
        g2, x2 = g.reshape(-1, self.out_features), x.reshape(-1, self.in_features)
        self.grads["W"][...] = g2.T @ x2
        if "b" in self.params:
            self.grads["b"][...] = g2.sum(axis=0)
        return g @ self.params["W"]

    def __repr__(self) -> str:
        return (f"Linear(in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={'b' in self.params})")


# --------------------------------------------------------------------------
# Flatten and Sequential
# --------------------------------------------------------------------------
class Flatten(Layer):
    """Reshape ``(N, *rest)`` to ``(N, prod(rest))``; backward reshapes back."""

    def __init__(self) -> None:
        super().__init__()
        self._shape: tuple[int, ...] | None = None

    def forward(self, x):
        x = self._check_input(x, allow_inf=True)
        if x.ndim < 1:
            raise ValueError(f"x must have a batch dimension, got shape {x.shape}")
        self._shape = x.shape
        return x.reshape(x.shape[0], -1)

    def backward(self, grad_out):
        shape = self._require_forward("_shape")
        n = int(np.prod(shape[1:])) if len(shape) > 1 else 1
        grad = self._check_grad_out(grad_out, (shape[0], n), np.asarray(grad_out).dtype)
        return grad.reshape(shape)


class Sequential(Layer):
    """Layers applied in order; ``backward`` runs them in reverse (the chain rule).

    ``parameters()`` and ``gradients()`` are flat lists in layer order, what an
    optimizer's ``step(params, grads)`` takes. ``train()``/``eval()`` switch
    every layer.
    """

    def __init__(self, *layers: Layer) -> None:
        super().__init__()
        for i, layer in enumerate(layers):
            if not isinstance(layer, Layer):
                raise TypeError(f"layer {i} must be a mathdl Layer, got {type(layer).__name__}")
        self.layers = list(layers)

    def forward(self, x):
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def backward(self, grad_out):
        for layer in reversed(self.layers):
            grad_out = layer.backward(grad_out)
        return grad_out

    def parameters(self) -> list[np.ndarray]:
        return [p for layer in self.layers for p in layer.parameters()]

    def gradients(self) -> list[np.ndarray]:
        return [g for layer in self.layers for g in layer.gradients()]

    def named_parameters(self) -> list[tuple[str, np.ndarray, np.ndarray]]:
        return [(f"{i}.{name}", p, g) for i, layer in enumerate(self.layers)
                for name, p, g in layer.named_parameters()]

    def train(self, mode: bool = True) -> "Sequential":
        super().train(mode)
        for layer in self.layers:
            layer.train(mode)
        return self

    def __getitem__(self, i):
        return self.layers[i]

    def __len__(self) -> int:
        return len(self.layers)

    def __repr__(self) -> str:
        inner = "\n".join(f"  ({i}): {layer!r}" for i, layer in enumerate(self.layers))
        return f"Sequential(\n{inner}\n)"
