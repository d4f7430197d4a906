"""Data for the chapters: 2-D toy problems and scikit-learn's digits.

Every generator takes ``rng=`` (a seed or a ``numpy.random.Generator``) and
returns ``(X, y)`` with ``X`` of shape ``(n, 2)`` (float64) and ``y`` of shape
``(n,)`` holding the integer labels 0 and 1; use ``2 * y - 1`` for ±1 labels.
"""

from __future__ import annotations

import numbers

import numpy as np

from ._validation import as_generator, check_real

__all__ = ["make_blobs", "make_xor", "make_moons", "make_spirals", "make_separable", "load_digits"]


def _count(n, name="n", minimum=2):
    if not isinstance(n, numbers.Integral) or isinstance(n, bool) or n < minimum:
        raise ValueError(f"{name} must be an int ≥ {minimum}, got {n!r}")
    return int(n)


def _halves(n, gen):
    y = np.repeat([0, 1], [n // 2, n - n // 2])
    return gen.permutation(y)


def make_blobs(n: int = 200, *, distance: float = 3.0, std: float = 1.0, rng=None):
    """Two Gaussian blobs centred at (±distance/2, ±distance/2) with spread ``std``."""
    n = _count(n)
    distance = check_real(distance, "distance", low=0)
    std = check_real(std, "std", low=0, low_inclusive=False)
    gen = as_generator(rng)
    y = _halves(n, gen)
    centres = np.where(y[:, None] == 1, distance / 2, -distance / 2) * np.ones((1, 2))
    return centres + std * gen.standard_normal((n, 2)), y


def make_xor(n: int = 200, *, noise: float = 0.15, rng=None):
    """XOR: four clusters at (±1, ±1); label 1 where the two signs differ.

    No single neuron can separate it: the classes sit on the two diagonals.
    """
    n = _count(n, minimum=4)
    noise = check_real(noise, "noise", low=0)
    gen = as_generator(rng)
    corners = gen.integers(0, 4, size=n)
    signs = np.array([[1, 1], [-1, -1], [1, -1], [-1, 1]], dtype=float)[corners]
    y = (corners >= 2).astype(int)
    return signs + noise * gen.standard_normal((n, 2)), y


def make_moons(n: int = 200, *, noise: float = 0.1, rng=None):
    """Two interleaving half circles (label 0 on top, 1 below), plus Gaussian noise."""
    n = _count(n)
    noise = check_real(noise, "noise", low=0)
    gen = as_generator(rng)
    y = _halves(n, gen)
    t = gen.uniform(0, np.pi, size=n)
    upper = np.column_stack([np.cos(t), np.sin(t)])
    lower = np.column_stack([1 - np.cos(t), 0.5 - np.sin(t)])
    X = np.where(y[:, None] == 0, upper, lower)
    return X + noise * gen.standard_normal((n, 2)), y


def make_spirals(n: int = 200, *, turns: float = 1.5, noise: float = 0.05, rng=None):
    """Two interleaved spirals (label 0 and 1), each turning ``turns`` times.

    Points lie in about [−1, 1]²; a classic problem that needs hidden units.
    """
    n = _count(n)
    turns = check_real(turns, "turns", low=0, low_inclusive=False)
    noise = check_real(noise, "noise", low=0)
    gen = as_generator(rng)
    y = _halves(n, gen)
    r = gen.uniform(0.1, 1.0, size=n)
    angle = 2 * np.pi * turns * r + np.pi * y
    X = np.column_stack([r * np.cos(angle), r * np.sin(angle)])
    return X + noise * gen.standard_normal((n, 2)), y


def make_separable(n: int = 100, *, margin: float = 0.3, w=(1.0, -0.5), b: float = 0.2,
                   scale: float = 2.0, rng=None):
    """Linearly separable points with a guaranteed margin around a known boundary.

    Points are drawn uniformly in the square [−scale, scale]²; those closer
    than ``margin`` to the line w·x + b = 0 are drawn again, and the label is
    1 where w·x + b > 0. Returns ``(X, y)``; the separator (w, b) is the one
    passed in, so its margin is known (see :func:`mathdl.neuron.mistake_bound`).
    """
    n = _count(n)
    margin = check_real(margin, "margin", low=0, low_inclusive=False)
    scale = check_real(scale, "scale", low=0, low_inclusive=False)
    w = np.asarray(w, dtype=float)
    if w.shape != (2,) or not np.all(np.isfinite(w)) or not np.any(w):
        raise ValueError(f"w must be a non-zero finite vector of 2 numbers, got {w!r}")
    b = check_real(b, "b")
    gen = as_generator(rng)
    norm = np.linalg.norm(w)
    corners = scale * np.array([[1, 1], [1, -1], [-1, 1], [-1, -1]])
    if np.max(np.abs(corners @ w + b)) / norm <= 1.5 * margin:
        raise ValueError(f"margin {margin} leaves almost no room in the square of half-width {scale}")
    X = np.empty((0, 2))
    while len(X) < n:
        cand = gen.uniform(-scale, scale, size=(4 * n, 2))
        X = np.vstack([X, cand[np.abs(cand @ w + b) / norm >= margin]])
    X = X[:n]
    return X, (X @ w + b > 0).astype(int)


def load_digits(*, classes=None):
    """scikit-learn's 8×8 digits (1797 images, 64 features in 0..16), loaded offline.

    Returns ``(X, y)`` with ``X`` float64 ``(N, 64)`` and integer labels.
    ``classes`` keeps only the listed digits, for example ``(0, 1)`` for a
    binary problem.
    """
    from sklearn.datasets import load_digits as _sk_load_digits

    data = _sk_load_digits()
    X, y = data.data.astype(np.float64), data.target.astype(int)
    if classes is not None:
        classes = list(classes)
        if not classes or any(c not in range(10) for c in classes):
            raise ValueError(f"classes must be digits 0..9, got {classes!r}")
        keep = np.isin(y, classes)
        X, y = X[keep], y[keep]
    return X, y
