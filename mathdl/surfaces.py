"""Two-dimensional test functions for optimizers, each with its gradient and Hessian.

A :class:`Surface` evaluates ``f`` on points of shape ``(..., 2)`` (a whole grid at
once, for contour plots), and ``grad``/``hess`` at one point ``(2,)``:

- :func:`quadratic`: ½ xᵀAx with eigenvalues 1 and κ, axes turned by an angle; the
  model problem of every convergence rate in the optimizers chapter;
- :func:`rosenbrock`: (a − x)² + b(y − x²)², a curved, narrow valley;
- :func:`saddle`: ½(x² − y²), a stationary point that is not a minimum;
- :func:`himmelblau`: (x² + y − 11)² + (x + y² − 7)², four minima.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from ._validation import check_real

__all__ = ["Surface", "quadratic", "rosenbrock", "saddle", "himmelblau", "SURFACES"]


@dataclass
class Surface:
    """A test function: ``f(points)``, ``grad(x)``, ``hess(x)``, and where to look."""

    name: str
    f: Callable
    grad: Callable
    hess: Callable
    start: tuple[float, float]
    bounds: tuple[tuple[float, float], tuple[float, float]]
    minima: list[tuple[float, float]] = field(default_factory=list)
    log_levels: bool = True          # contour levels spaced logarithmically

    def __call__(self, points):
        return self.f(np.asarray(points, dtype=float))


def quadratic(kappa: float = 10.0, angle: float = 0.0) -> Surface:
    """f(x) = ½ xᵀAx, A = R diag(1, κ) Rᵀ with R a rotation by ``angle`` radians.

    Condition number κ = λ_max/λ_min; the minimum is the origin.
    """
    kappa = check_real(kappa, "kappa", low=1)
    angle = check_real(angle, "angle")
    c, s = np.cos(angle), np.sin(angle)
    R = np.array([[c, -s], [s, c]])
    A = R @ np.diag([1.0, kappa]) @ R.T

    def f(p):
        return 0.5 * np.einsum("...i,ij,...j->...", p, A, p)

    return Surface(f"quadratic (κ = {kappa:g})", f, lambda x: A @ np.asarray(x, float),
                   lambda x: A.copy(), start=(-4.0, 2.0), bounds=((-5.0, 5.0), (-5.0, 5.0)),
                   minima=[(0.0, 0.0)])


def rosenbrock(a: float = 1.0, b: float = 100.0) -> Surface:
    """f(x, y) = (a − x)² + b(y − x²)², minimum at (a, a²) in a curved valley."""
    a = check_real(a, "a")
    b = check_real(b, "b", low=0, low_inclusive=False)

    def f(p):
        x, y = p[..., 0], p[..., 1]
        return (a - x) ** 2 + b * (y - x * x) ** 2

    def grad(p):
        x, y = p
        return np.array([-2 * (a - x) - 4 * b * x * (y - x * x), 2 * b * (y - x * x)])

    def hess(p):
        x, y = p
        return np.array([[2 - 4 * b * (y - 3 * x * x), -4 * b * x], [-4 * b * x, 2 * b]])

    return Surface("Rosenbrock", f, grad, hess, start=(-1.5, 2.0), bounds=((-2.0, 2.0), (-1.0, 3.0)),
                   minima=[(a, a * a)])


def saddle() -> Surface:
    """f(x, y) = ½(x² − y²): the origin is stationary but not a minimum; f is unbounded below."""
    def f(p):
        return 0.5 * (p[..., 0] ** 2 - p[..., 1] ** 2)

    H = np.diag([1.0, -1.0])
    return Surface("saddle", f, lambda p: H @ np.asarray(p, float), lambda p: H.copy(),
                   start=(-4.0, 0.01), bounds=((-5.0, 5.0), (-5.0, 5.0)), log_levels=False)


def himmelblau() -> Surface:
    """f(x, y) = (x² + y − 11)² + (x + y² − 7)², four minima with f = 0."""
    def f(p):
        x, y = p[..., 0], p[..., 1]
        return (x * x + y - 11) ** 2 + (x + y * y - 7) ** 2

    def grad(p):
        x, y = p
        u, v = x * x + y - 11, x + y * y - 7
        return np.array([4 * x * u + 2 * v, 2 * u + 4 * y * v])

    def hess(p):
        x, y = p
        return np.array([[12 * x * x + 4 * y - 42, 4 * (x + y)], [4 * (x + y), 4 * x + 12 * y * y - 26]])

    minima = [(3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126)]
    return Surface("Himmelblau", f, grad, hess, start=(-0.5, -0.5), bounds=((-5.0, 5.0), (-5.0, 5.0)),
                   minima=minima)


#: name -> constructor with default arguments (the explorer's choices)
SURFACES = {"quadratic": quadratic, "Rosenbrock": rosenbrock, "saddle": saddle, "Himmelblau": himmelblau}
