"""Optimizers: built with their hyper-parameters, stepping lists of arrays in place.

``opt.step(params, grads)`` updates each array of ``params`` in place (so a
layer's ``params`` dict keeps the same arrays) using the matching array of
``grads``; any state (a velocity, running averages) is kept per list position.
``opt.reset()`` clears that state. Optimizers do not own parameters, unlike
PyTorch's: the same optimizer can step any list of arrays (DESIGN §4).
"""

from __future__ import annotations

import numpy as np

from ._validation import check_real

__all__ = ["Optimizer", "SGD", "Momentum", "Nesterov", "AdaGrad", "RMSProp", "Adam", "AdamW",
           "Newton", "ConjugateGradient", "run"]


class Optimizer:
    """Base class: argument checks, per-position state, ``reset``."""

    #: optimizers that need the Hessian take ``step(params, grads, hess)`` (see :func:`run`)
    needs_hessian = False

    def __init__(self) -> None:
        self.state: dict[int, dict[str, np.ndarray]] = {}
        self.t = 0

    def reset(self) -> "Optimizer":
        """Forget all state (velocities, averages, the step count)."""
        self.state = {}
        self.t = 0
        return self

    @staticmethod
    def _check(params, grads):
        params, grads = list(params), list(grads)
        if len(params) != len(grads):
            raise ValueError(f"params and grads must have the same length, got {len(params)} "
                             f"and {len(grads)}")
        for i, (p, g) in enumerate(zip(params, grads)):
            if not isinstance(p, np.ndarray) or p.dtype.kind != "f":
                raise TypeError(f"params[{i}] must be a float numpy array (updated in place), "
                                f"got {type(p).__name__}")
            g = np.asarray(g)
            if g.shape != p.shape:
                raise ValueError(f"grads[{i}] must have the shape of params[{i}] {p.shape}, "
                                 f"got {g.shape}")
        return params, [np.asarray(g) for g in grads]

    def _slot(self, i: int, p: np.ndarray, *names: str) -> dict[str, np.ndarray]:
        """The state arrays of list position i (zeros at first), checked against p's shape."""
        state = self.state.setdefault(i, {name: np.zeros_like(p) for name in names})
        if state[names[0]].shape != p.shape:
            raise ValueError(f"params[{i}] changed shape since the last step "
                             f"({state[names[0]].shape} -> {p.shape}); call reset()")
        return state

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self._hyper().items())})"


def _momentum(value, name="momentum"):
    return check_real(value, name, low=0, high=1, high_inclusive=False)


class SGD(Optimizer):
    """Plain gradient descent θ ← θ − η g (equation ``eq-gd-step``).

    "Stochastic" refers to where g comes from (a random mini-batch), not to the
    update; with the full batch this is ordinary gradient descent.
    """

    def __init__(self, lr: float) -> None:
        super().__init__()
        self.lr = check_real(lr, "lr", low=0, low_inclusive=False)

    def _hyper(self):
        return {"lr": self.lr}

    def step(self, params, grads) -> None:
        params, grads = self._check(params, grads)
        self.t += 1
        for p, g in zip(params, grads):
            p -= (self.lr * g).astype(p.dtype, copy=False)


class Momentum(Optimizer):
    """Heavy-ball momentum (Polyak): v ← μv − ηg,  θ ← θ + v.

    The velocity v is a decaying sum of past steps; along a direction where the
    gradient keeps its sign the step grows towards η/(1 − μ) times the gradient.
    """

    def __init__(self, lr: float, momentum: float = 0.9) -> None:
        super().__init__()
        self.lr = check_real(lr, "lr", low=0, low_inclusive=False)
        self.momentum = _momentum(momentum)

    def _hyper(self):
        return {"lr": self.lr, "momentum": self.momentum}

    def step(self, params, grads) -> None:
        params, grads = self._check(params, grads)
        self.t += 1
        for i, (p, g) in enumerate(zip(params, grads)):
            v = self._slot(i, p, "v")["v"]
            v *= self.momentum
            v -= (self.lr * g).astype(p.dtype, copy=False)
            p += v


class Nesterov(Momentum):
    """Nesterov's accelerated gradient, in the form that takes g at the stored parameters:

    v ← μv − ηg,  θ ← θ + μv − ηg   (PyTorch's ``SGD(nesterov=True)``).

    It is Sutskever's look-ahead form (g taken at θ + μv) written for the variable
    θ + μv; the optimizers chapter derives the equivalence. Same hyper-parameters
    and state as :class:`Momentum`; only the step differs.
    """

    def step(self, params, grads) -> None:
        params, grads = self._check(params, grads)
        self.t += 1
        for i, (p, g) in enumerate(zip(params, grads)):
            v = self._slot(i, p, "v")["v"]
            step = (self.lr * g).astype(p.dtype, copy=False)
            v *= self.momentum
            v -= step
            p += self.momentum * v - step


class AdaGrad(Optimizer):
    """AdaGrad (Duchi, Hazan & Singer): G ← G + g²,  θ ← θ − η g / (√G + ε).

    Each coordinate's step shrinks with the sum of its squared gradients so far,
    so the effective step size only decreases. ε sits outside the square root, as
    in the paper and in PyTorch.
    """

    def __init__(self, lr: float = 1e-2, eps: float = 1e-10) -> None:
        super().__init__()
        self.lr = check_real(lr, "lr", low=0, low_inclusive=False)
        self.eps = check_real(eps, "eps", low=0, low_inclusive=False)

    def _hyper(self):
        return {"lr": self.lr, "eps": self.eps}

    def step(self, params, grads) -> None:
        params, grads = self._check(params, grads)
        self.t += 1
        for i, (p, g) in enumerate(zip(params, grads)):
            G = self._slot(i, p, "G")["G"]
            g = g.astype(p.dtype, copy=False)
            G += g * g
            p -= (self.lr * g / (np.sqrt(G) + self.eps)).astype(p.dtype, copy=False)


class RMSProp(Optimizer):
    """RMSProp (Tieleman & Hinton): s ← ρs + (1 − ρ)g²,  θ ← θ − η g / (√s + ε).

    AdaGrad with a moving average instead of a sum, so the step size stops
    shrinking once the gradients settle. (PyTorch calls ρ ``alpha`` and defaults
    it to 0.99; 0.9 is the value of Hinton's lecture.)
    """

    def __init__(self, lr: float = 1e-3, rho: float = 0.9, eps: float = 1e-8) -> None:
        super().__init__()
        self.lr = check_real(lr, "lr", low=0, low_inclusive=False)
        self.rho = _momentum(rho, "rho")
        self.eps = check_real(eps, "eps", low=0, low_inclusive=False)

    def _hyper(self):
        return {"lr": self.lr, "rho": self.rho, "eps": self.eps}

    def step(self, params, grads) -> None:
        params, grads = self._check(params, grads)
        self.t += 1
        for i, (p, g) in enumerate(zip(params, grads)):
            s = self._slot(i, p, "s")["s"]
            g = g.astype(p.dtype, copy=False)
            s *= self.rho
            s += (1 - self.rho) * g * g
            p -= (self.lr * g / (np.sqrt(s) + self.eps)).astype(p.dtype, copy=False)


class Adam(Optimizer):
    """Adam (Kingma & Ba, Algorithm 1), with bias correction.

    m ← β₁m + (1 − β₁)g,  v ← β₂v + (1 − β₂)g²,
    m̂ = m/(1 − β₁ᵗ),  v̂ = v/(1 − β₂ᵗ),  θ ← θ − η m̂/(√v̂ + ε).

    The state (m, v) is kept per position of the parameter list; the step
    count t is shared. Defaults are the paper's (and PyTorch's).
    """

    def __init__(self, lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8) -> None:
        super().__init__()
        self.lr = check_real(lr, "lr", low=0, low_inclusive=False)
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise TypeError(f"betas must be a pair (beta1, beta2), got {betas!r}")
        self.betas = (check_real(betas[0], "betas[0]", low=0, high=1, high_inclusive=False),
                      check_real(betas[1], "betas[1]", low=0, high=1, high_inclusive=False))
        self.eps = check_real(eps, "eps", low=0, low_inclusive=False)

    def _hyper(self):
        return {"lr": self.lr, "betas": self.betas, "eps": self.eps}

    def step(self, params, grads) -> None:
        params, grads = self._check(params, grads)
        self.t += 1
        b1, b2 = self.betas
        c1, c2 = 1 - b1 ** self.t, 1 - b2 ** self.t
        for i, (p, g) in enumerate(zip(params, grads)):
            state = self._slot(i, p, "m", "v")
            g = g.astype(p.dtype, copy=False)
            state["m"] *= b1
            state["m"] += (1 - b1) * g
            state["v"] *= b2
            state["v"] += (1 - b2) * g * g
            p -= (self.lr * (state["m"] / c1) / (np.sqrt(state["v"] / c2) + self.eps)).astype(p.dtype, copy=False)


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter): θ ← θ − ηλθ, then the Adam step.

    The decay acts on the parameters directly instead of being added to the
    gradient (where Adam's scaling would weaken it for coordinates with large
    gradients). Defaults as PyTorch's ``AdamW``.
    """

    def __init__(self, lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 1e-2) -> None:
        super().__init__(lr, betas, eps)
        self.weight_decay = check_real(weight_decay, "weight_decay", low=0)

    def _hyper(self):
        return {**super()._hyper(), "weight_decay": self.weight_decay}

    def step(self, params, grads) -> None:
        params, grads = self._check(params, grads)
        for p in params:
            p *= p.dtype.type(1 - self.lr * self.weight_decay)
        super().step(params, grads)


# --------------------------------------------------------------------------
# Second-order methods, for plain vectors (through run)
# --------------------------------------------------------------------------
def _one_vector(params, grads, hess):
    params, grads = list(params), list(grads)
    if len(params) != 1 or np.ndim(params[0]) != 1:
        raise ValueError("second-order optimizers step one parameter vector: params = [x] with x 1-D")
    x, g = params[0], np.asarray(grads[0], dtype=float)
    H = np.asarray(hess, dtype=float)
    if H.shape != (x.size, x.size):
        raise ValueError(f"hess must have shape ({x.size}, {x.size}), got {H.shape}")
    if g.shape != x.shape:
        raise ValueError(f"grads[0] must have the shape of params[0] {x.shape}, got {g.shape}")
    return x, g, H


class _SecondOrder(Optimizer):
    """Shared by the optimizers that take the Hessian: one hyper-parameter, ``lr``."""

    needs_hessian = True

    def __init__(self, lr: float) -> None:
        super().__init__()
        self.lr = check_real(lr, "lr", low=0, low_inclusive=False)

    def _hyper(self):
        return {"lr": self.lr}


class Newton(_SecondOrder):
    """Newton's method: θ ← θ − η H⁻¹ g (η = 1 is the pure method).

    On a quadratic with positive definite Hessian one step with η = 1 lands on the
    minimum. Where H is singular the step is the least-squares solution (the
    pseudo-inverse). It moves towards any stationary point, saddles included.
    """

    def __init__(self, lr: float = 1.0) -> None:
        super().__init__(lr)

    def step(self, params, grads, hess) -> None:
        x, g, H = _one_vector(params, grads, hess)
        self.t += 1
        x -= self.lr * np.linalg.lstsq(H, g, rcond=None)[0]


class ConjugateGradient(_SecondOrder):
    """Nonlinear conjugate gradient with an exact quadratic line search.

    Direction p ← −g + βp (Polak–Ribière β, clipped at 0, which restarts with
    steepest descent), step α = −gᵀp / (pᵀHp), the minimiser along p of the
    local quadratic model. On an n-dimensional quadratic it reaches the minimum in
    n steps. Where the curvature pᵀHp is not positive, it restarts along −g with
    the fixed step ``lr``.
    """

    def __init__(self, lr: float = 1e-2) -> None:
        super().__init__(lr)

    def step(self, params, grads, hess) -> None:
        x, g, H = _one_vector(params, grads, hess)
        self.t += 1
        state = self.state.get(0)
        if state is None or state["p"].shape != x.shape:
            p = -g
        else:
            g_old = state["g"]
            denom = g_old @ g_old
            beta = max(0.0, g @ (g - g_old) / denom) if denom > 0 else 0.0
            p = -g + beta * state["p"]
        curvature = p @ H @ p
        if curvature > 0:
            alpha = -(g @ p) / curvature
        else:
            p, alpha = -g, self.lr
        x += alpha * p
        self.state[0] = {"g": g.copy(), "p": p}


def run(opt, grad_fn, x0, steps: int, hess_fn=None) -> np.ndarray:
    """Iterate ``opt`` on a plain vector from ``x0``; returns the iterates ``(k + 1, d)``.

    The optimizer's state is reset first. Stops early at the first iterate that is
    not finite (it is kept as the last row, so ``len(path) - 1`` is the step at
    which it diverged), without numpy warnings. ``hess_fn(x)`` is required by
    optimizers with ``needs_hessian`` (Newton, ConjugateGradient).
    """
    if not isinstance(steps, (int, np.integer)) or isinstance(steps, bool) or steps < 0:
        raise ValueError(f"steps must be a non-negative int, got {steps!r}")
    if opt.needs_hessian and hess_fn is None:
        raise ValueError(f"{type(opt).__name__} needs the Hessian: pass hess_fn")
    x = np.array(x0, dtype=np.float64, copy=True).reshape(-1)
    if not np.all(np.isfinite(x)):
        raise ValueError(f"x0 must be finite, got {x0!r}")
    opt.reset()
    path = [x.copy()]
    with np.errstate(all="ignore"):
        for _ in range(steps):
            g = np.asarray(grad_fn(x), dtype=np.float64).reshape(-1)
            if opt.needs_hessian:
                opt.step([x], [g], hess_fn(x))
            else:
                opt.step([x], [g])
            path.append(x.copy())
            if not np.all(np.isfinite(x)):
                break
    return np.array(path)
