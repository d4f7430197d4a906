"""Numeric gradients by central differences, and the relative error that judges them.

The standard of proof (DESIGN §5): a hand-written derivative is right when it
agrees with a central difference

    f'(x) ≈ (f(x + h) − f(x − h)) / 2h,   h = 1e-6 · max(1, |x|),

to a relative error ``rel_error(a, b) = max|a − b| / max(max|a|, max|b|, 1e-8)``
below 1e-7 in float64, at points at least 1e-3 away from kinks.
"""

from __future__ import annotations

import numpy as np

from ._validation import as_float_array, as_generator

__all__ = ["rel_error", "fd_step", "numeric_derivative", "numeric_gradient",
           "check_derivative", "check_gradient", "check_layer", "TOLERANCE"]

#: The agreement required between an analytic and a numeric gradient.
TOLERANCE = 1e-7


def rel_error(a, b, floor: float = 1e-8) -> float:
    """max|a − b| / max(max|a|, max|b|, floor): one number for two arrays."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"rel_error needs arrays of one shape, got {a.shape} and {b.shape}")
    if a.size == 0:
        return 0.0
    scale = max(float(np.max(np.abs(a))), float(np.max(np.abs(b))), floor)
    return float(np.max(np.abs(a - b)) / scale)


def fd_step(x) -> np.ndarray:
    """The finite-difference step h = 1e-6 · max(1, |x|), elementwise."""
    return 1e-6 * np.maximum(1.0, np.abs(np.asarray(x, dtype=np.float64)))


def _require_float64(x, name):
    x = as_float_array(x, name)
    if x.dtype != np.float64:
        raise TypeError(f"{name} must be float64 for a gradient check (finite differences "
                        f"in {x.dtype} cannot reach 1e-7), got {x.dtype}")
    return x


def numeric_derivative(f, x) -> np.ndarray:
    """Central difference of an *elementwise* function, all points at once."""
    x = _require_float64(x, "x")
    h = fd_step(x)
    return (np.asarray(f(x + h)) - np.asarray(f(x - h))) / (2 * h)


def numeric_gradient(f, x) -> np.ndarray:
    """Central-difference gradient of a scalar function ``f`` of the array ``x``.

    Perturbs one coordinate at a time, in place, and restores it; ``x`` must
    be float64. Costs 2·x.size evaluations of ``f``: a checking tool, not a
    training tool.
    """
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        raise TypeError(f"x must be a float64 numpy array (it is perturbed in place), "
                        f"got {type(x).__name__}{'' if not isinstance(x, np.ndarray) else ' of dtype ' + str(x.dtype)}")
    if not x.flags.c_contiguous:
        raise ValueError("x must be C-contiguous so that it can be perturbed in place")
    grad = np.zeros_like(x)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        h = 1e-6 * max(1.0, abs(old))
        flat[i] = old + h
        f_plus = float(f(x))
        flat[i] = old - h
        f_minus = float(f(x))
        flat[i] = old
        gflat[i] = (f_plus - f_minus) / (2 * h)
    return grad


def _assert_close(what: str, errors: dict[str, float], tol: float) -> dict[str, float]:
    bad = {k: v for k, v in errors.items() if not v < tol}
    if bad:
        detail = ", ".join(f"{k}: {v:.2e}" for k, v in bad.items())
        raise AssertionError(f"{what}: relative error above {tol:g} ({detail})")
    return errors


def check_derivative(f, df, x, *, tol: float = TOLERANCE) -> float:
    """Check an elementwise derivative ``df`` of ``f`` at the points ``x``.

    Returns the relative error; raises ``AssertionError`` when it is not below
    ``tol``.
    """
    x = _require_float64(x, "x")
    err = rel_error(df(x), numeric_derivative(f, x))
    _assert_close(f"derivative of {getattr(f, '__name__', 'f')}", {"x": err}, tol)
    return err


def check_gradient(f, grad_f, x, *, tol: float = TOLERANCE) -> float:
    """Check ``grad_f(x)`` against the central-difference gradient of scalar ``f``."""
    x = np.array(_require_float64(x, "x"), dtype=np.float64, copy=True)
    analytic = np.asarray(grad_f(x.copy()))
    err = rel_error(analytic, numeric_gradient(f, x))
    _assert_close(f"gradient of {getattr(f, '__name__', 'f')}", {"x": err}, tol)
    return err


def _walk(layer):
    """The layer and, for containers, every layer inside it."""
    yield layer
    for inner in getattr(layer, "layers", ()):
        yield from _walk(inner)


def check_layer(layer, x, *, rng=0, tol: float = TOLERANCE) -> dict[str, float]:
    """Gradient check of a layer's ``backward`` for its input and every parameter.

    Uses the scalar L = Σ G ⊙ layer(x) with a random upstream gradient G, so
    ∂L/∂y = G. Returns ``{"x": err, "W": err, ...}`` (for a ``Sequential``,
    ``"0.W"``, ``"0.b"``, ...); raises ``AssertionError`` naming every entry
    whose relative error is not below ``tol``. Layers with a ``reuse_mask``
    attribute (dropout) keep the mask of the first forward throughout.
    """
    x = np.array(_require_float64(x, "x"), dtype=np.float64, copy=True)
    named = layer.named_parameters()
    for name, p, _ in named:
        if p.dtype != np.float64:
            raise TypeError(f"parameter {name!r} must be float64 for a gradient check, got {p.dtype}")
    gen = as_generator(rng)
    y = np.array(layer.forward(x), copy=True)
    # Random layers (dropout) keep the mask of this first forward for every evaluation.
    random_layers = [lay for lay in _walk(layer) if hasattr(lay, "reuse_mask")]
    saved = [lay.reuse_mask for lay in random_layers]
    for lay in random_layers:
        lay.reuse_mask = True
    upstream = gen.standard_normal(y.shape)
    grad_x = np.asarray(layer.backward(upstream)).copy()
    analytic = {name: g.copy() for name, _, g in named}

    def loss(_):
        # Σ G ⊙ (y − y₀): subtracting the unperturbed output first keeps the sum small, so
        # its rounding error, amplified by 1/h, stays far below the gradient (same derivative).
        return float(np.sum(upstream * (layer.forward(x) - y)))

    try:
        errors = {"x": rel_error(grad_x, numeric_gradient(loss, x))}
        for name, p, _ in named:
            errors[name] = rel_error(analytic[name], numeric_gradient(loss, p))
        layer.forward(x)  # leave the layer as the caller left it: last forward at x
    finally:
        for lay, flag in zip(random_layers, saved):
            lay.reuse_mask = flag
    return _assert_close(f"{type(layer).__name__} gradients", errors, tol)
