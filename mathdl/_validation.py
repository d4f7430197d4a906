"""Input checks shared by every module: clear errors that name the argument.

Every public function of :mod:`mathdl` passes its array arguments through
:func:`as_float_array`, so a reader who passes a string, a complex number or
an array with NaN gets a ``TypeError``/``ValueError`` that says which argument
was wrong, what was expected and what arrived.
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = ["as_float_array", "as_generator", "check_real", "FLOAT_DTYPES"]

#: The floating dtypes a layer can hold its parameters in.
FLOAT_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def _describe(x) -> str:
    if isinstance(x, np.ndarray):
        return f"an array of dtype {x.dtype} and shape {x.shape}"
    return f"{type(x).__name__} {x!r}"[:120]


def as_float_array(x, name: str, *, allow_inf: bool = False, ndim: int | None = None,
                   min_ndim: int | None = None) -> np.ndarray:
    """Return ``x`` as a floating numpy array, or raise a clear error.

    Floating input keeps its dtype (float32 stays float32); booleans and
    integers become float64, as in numpy's own ufuncs. Complex, string and
    object input raises ``TypeError``; NaN always raises ``ValueError``, and so
    does ±inf unless ``allow_inf`` (an activation has a limit at ±inf, a layer
    with a matrix product does not).
    """
    if x is None:
        raise TypeError(f"{name} must be a real-valued array, got None")
    arr = np.asarray(x) if not isinstance(x, np.ndarray) else x
    kind = arr.dtype.kind
    if kind in "biu":
        arr = arr.astype(np.float64)
    elif kind != "f":
        raise TypeError(f"{name} must be a real-valued (float, int or bool) array, got {_describe(x)}")
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimension(s), got shape {arr.shape}")
    if min_ndim is not None and arr.ndim < min_ndim:
        raise ValueError(f"{name} must have at least {min_ndim} dimension(s), got shape {arr.shape}")
    if arr.size:
        finite = np.isfinite(arr)
        if not finite.all():
            if np.isnan(arr).any():
                where = np.argwhere(np.isnan(arr))[0]
                raise ValueError(f"{name} contains NaN (first at index {tuple(int(i) for i in where)})")
            if not allow_inf:
                where = np.argwhere(~finite)[0]
                raise ValueError(f"{name} contains inf (first at index {tuple(int(i) for i in where)}); "
                                 "expected finite values")
    return arr


def check_real(value, name: str, *, low: float | None = None, high: float | None = None,
               low_inclusive: bool = True, high_inclusive: bool = True) -> float:
    """Check that a hyper-parameter is a finite real number inside a range."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {_describe(value)}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    if low is not None and (value < low or (value == low and not low_inclusive)):
        bound = "≥" if low_inclusive else ">"
        raise ValueError(f"{name} must be {bound} {low}, got {value}")
    if high is not None and (value > high or (value == high and not high_inclusive)):
        bound = "≤" if high_inclusive else "<"
        raise ValueError(f"{name} must be {bound} {high}, got {value}")
    return value


def as_generator(rng, name: str = "rng") -> np.random.Generator:
    """Turn ``rng`` into a :class:`numpy.random.Generator` (DESIGN §4).

    An int seeds a new generator, a generator is used as it is, and ``None``
    means fresh entropy. The global numpy random state is never used.
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None:
        return np.random.default_rng()
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool):
        if rng < 0:
            raise ValueError(f"{name} must be a non-negative int seed, got {rng}")
        return np.random.default_rng(int(rng))
    raise TypeError(f"{name} must be a numpy.random.Generator, an int seed or None, "
                    f"got {_describe(rng)}")
