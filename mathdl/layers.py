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

from ._validation import as_float_array

__all__ = ["Layer"]


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

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    # -- input checks used by subclasses --------------------------------
    def _check_input(self, x, name: str = "x", *, allow_inf: bool = False) -> np.ndarray:
        """Validate ``x``: a float array, of this layer's dtype if it has one."""
        arr = as_float_array(x, name, allow_inf=allow_inf)
        if self.dtype is not None and arr.dtype != self.dtype:
            raise TypeError(f"{name} has dtype {arr.dtype} but {type(self).__name__} holds "
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
