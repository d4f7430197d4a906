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

__all__ = ["Optimizer", "SGD", "Adam"]


class Optimizer:
    """Base class: argument checks, per-position state, ``reset``."""

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

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self._hyper().items())})"


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
            state = self.state.setdefault(i, {"m": np.zeros_like(p), "v": np.zeros_like(p)})
            if state["m"].shape != p.shape:
                raise ValueError(f"params[{i}] changed shape since the last step "
                                 f"({state['m'].shape} -> {p.shape}); call reset()")
            g = g.astype(p.dtype, copy=False)
            state["m"] *= b1
            state["m"] += (1 - b1) * g
            state["v"] *= b2
            state["v"] += (1 - b2) * g * g
            p -= (self.lr * (state["m"] / c1) / (np.sqrt(state["v"] / c2) + self.eps)).astype(p.dtype, copy=False)
