"""Figures shared by the chapters and the widgets (matplotlib, PNG on the site)."""

from __future__ import annotations

import numpy as np

from ._validation import as_float_array, check_real
from .activations import leaky_relu, relu, sigmoid, tanh

__all__ = ["ACTIVATIONS", "neuron_surface", "plot_neuron", "decision_line", "plot_decision_regions",
           "KERNELS", "feature_map", "plot_convolution", "plot_kernel_gallery",
           "plot_gradient_through_time", "MARGIN_LOSSES", "margin_loss", "plot_margin_losses",
           "OPTIMIZERS", "optimizer_paths", "plot_optimizer_paths", "animate_optimizer_paths",
           "overfitting_errors", "plot_overfitting"]


def _step(z):
    return np.where(z >= 0, 1.0, -1.0)


def _identity(z):
    return z


#: name -> (function, colour range). Ranges are fixed so that moving a slider
#: changes the picture, not the colour scale.
ACTIVATIONS = {
    "sigmoid": (sigmoid, (0.0, 1.0)),
    "tanh": (tanh, (-1.0, 1.0)),
    "relu": (relu, (0.0, 4.0)),
    "leaky_relu": (lambda z: leaky_relu(z, 0.1), (-0.4, 4.0)),
    "step (perceptron)": (_step, (-1.0, 1.0)),
    "identity": (_identity, (-4.0, 4.0)),
}


def _activation(name):
    if name not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, got {name!r}")
    return ACTIVATIONS[name]


def neuron_surface(w, b, activation="sigmoid", *, lim: float = 3.0, n: int = 121):
    """The output a = f(w·x + b) of a 2-input neuron on an n×n grid of [−lim, lim]².

    Returns ``(x1, x2, a)``, each ``(n, n)``: the computation behind the
    explorer, separate from the drawing so that it can be timed on its own.
    """
    w = as_float_array(w, "w", ndim=1)
    if w.shape != (2,):
        raise ValueError(f"w must have 2 entries (a neuron with 2 inputs), got {w.shape[0]}")
    b = check_real(b, "b")
    f, _ = _activation(activation)
    grid = np.linspace(-lim, lim, n)
    x1, x2 = np.meshgrid(grid, grid)
    return x1, x2, f(w[0] * x1 + w[1] * x2 + b)


def decision_line(w, b, lim: float = 3.0):
    """Two points of the boundary w·x + b = 0 inside the box, or None if w = 0."""
    w1, w2 = float(w[0]), float(w[1])
    if w1 == 0 and w2 == 0:
        return None
    if abs(w2) >= abs(w1):
        xs = np.array([-lim, lim])
        return xs, -(w1 * xs + b) / w2
    ys = np.array([-lim, lim])
    return -(w2 * ys + b) / w1, ys


def plot_neuron(w=(1.0, 2.0), b=0.0, activation="sigmoid", *, data=None, ax=None,
                lim: float = 3.0, n: int = 121):
    """Output surface, decision boundary and weight vector of a 2-input neuron.

    ``data`` is an optional ``(X, y)`` to scatter on top. Returns the figure.
    """
    import matplotlib.pyplot as plt

    x1, x2, a = neuron_surface(w, b, activation, lim=lim, n=n)
    _, (lo, hi) = _activation(activation)
    if ax is None:
        fig, ax = plt.subplots(figsize=(5.2, 4.2))
    else:
        fig = ax.figure
    levels = np.linspace(lo, hi, 21)
    im = ax.contourf(x1, x2, np.clip(a, lo, hi), levels=levels, cmap="RdBu_r", alpha=0.85)
    fig.colorbar(im, ax=ax, label=f"output a = {activation}(w·x + b)", ticks=np.linspace(lo, hi, 5))
    line = decision_line(w, b, lim)
    if line is not None:
        ax.plot(*line, "k-", lw=2, label="boundary w·x + b = 0")
        w_arr = np.asarray(w, dtype=float)
        foot = -b * w_arr / (w_arr @ w_arr)
        if np.all(np.abs(foot) < lim):
            ax.annotate("", xy=foot + w_arr / np.linalg.norm(w_arr), xytext=foot,
                        arrowprops=dict(arrowstyle="->", lw=2))
    if data is not None:
        X, y = data
        ax.scatter(X[:, 0], X[:, 1], c=np.asarray(y), cmap="RdBu_r", edgecolors="k", s=18,
                   vmin=np.min(y), vmax=np.max(y))
    ax.set(xlim=(-lim, lim), ylim=(-lim, lim), aspect="equal", xlabel="$x_1$", ylabel="$x_2$",
           title=f"w = ({float(w[0]):.2g}, {float(w[1]):.2g}), b = {float(b):.2g}")
    return fig


def plot_decision_regions(predict, data, *, ax=None, lim=None, n: int = 200, title=None):
    """Colour the plane by a classifier's predicted class and scatter ``data = (X, y)``.

    ``predict`` maps an ``(M, 2)`` array to class scores ``(M, C)`` or labels ``(M,)``.
    """
    import matplotlib.pyplot as plt

    X, y = data
    if ax is None:
        fig, ax = plt.subplots(figsize=(4.6, 4.2))
    if lim is None:
        lim = float(np.max(np.abs(X))) * 1.1
    grid = np.linspace(-lim, lim, n)
    g1, g2 = np.meshgrid(grid, grid)
    out = np.asarray(predict(np.column_stack([g1.ravel(), g2.ravel()])))
    labels = out.argmax(axis=1) if out.ndim == 2 else out
    ax.contourf(g1, g2, labels.reshape(g1.shape), levels=[-0.5, 0.5, 1.5], colors=["#9ecae1", "#fcbba1"])
    ax.scatter(X[:, 0], X[:, 1], c=np.asarray(y), cmap="RdBu_r", edgecolors="k", s=14)
    ax.set(xlim=(-lim, lim), ylim=(-lim, lim), aspect="equal", xlabel="$x_1$", ylabel="$x_2$")
    if title:
        ax.set_title(title)
    return ax.figure


# --------------------------------------------------------------------------
# Convolution (Chapter 3)
# --------------------------------------------------------------------------
#: Classic 3×3 kernels of image processing, by name. Applied as ``Conv2d``
#: applies them: a cross-correlation, kernel not flipped.
KERNELS = {
    "identity": [[0, 0, 0], [0, 1, 0], [0, 0, 0]],
    "box blur": [[1 / 9] * 3] * 3,
    "Gaussian blur": [[1 / 16, 2 / 16, 1 / 16], [2 / 16, 4 / 16, 2 / 16], [1 / 16, 2 / 16, 1 / 16]],
    "sharpen": [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
    "vertical edges (Sobel)": [[1, 0, -1], [2, 0, -2], [1, 0, -1]],
    "horizontal edges (Sobel)": [[1, 2, 1], [0, 0, 0], [-1, -2, -1]],
    "Laplacian": [[0, 1, 0], [1, -4, 1], [0, 1, 0]],
    "emboss": [[-2, -1, 0], [-1, 1, 1], [0, 1, 2]],
}


def _kernel(kernel) -> np.ndarray:
    """A kernel given by name (a key of :data:`KERNELS`) or as a 2-D array."""
    if isinstance(kernel, str):
        if kernel not in KERNELS:
            raise ValueError(f"kernel must be one of {list(KERNELS)} or a 2-D array, got {kernel!r}")
        kernel = KERNELS[kernel]
    kernel = as_float_array(kernel, "kernel")
    if kernel.ndim != 2:
        raise ValueError(f"kernel must be a 2-D array (kH, kW), got shape {kernel.shape}")
    return kernel


def feature_map(image, kernel, *, padding: int = 1, relu_after: bool = False, pool: int = 1):
    """One channel through ``Conv2d`` with the given kernel (and optional ReLU, max pooling).

    ``image`` is ``(H, W)``; ``kernel`` a name of :data:`KERNELS` or a ``(kH, kW)``
    array. Returns the 2-D feature map.
    """
    from .conv import Conv2d, MaxPool2d

    image = as_float_array(image, "image")
    if image.ndim != 2:
        raise ValueError(f"image must be a 2-D array (H, W), got shape {image.shape}")
    kernel = _kernel(kernel)
    layer = Conv2d(1, 1, kernel.shape, padding=padding, bias=False)
    layer.params["W"][0, 0] = kernel
    out = layer.forward(image[None, None])
    if relu_after:
        out = np.maximum(out, 0.0)
    if pool > 1:
        out = MaxPool2d(pool).forward(out)
    return out[0, 0]


def _show(ax, array, title, cmap="gray", symmetric=False):
    if symmetric:
        lim = float(np.max(np.abs(array))) or 1.0
        ax.imshow(array, cmap="RdBu_r", vmin=-lim, vmax=lim)
    else:
        ax.imshow(array, cmap=cmap)
    ax.set_title(title, fontsize=10)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)


def plot_convolution(image, kernel="vertical edges (Sobel)", *, padding: int = 1,
                     relu_after: bool = False, pool: int = 1, title=None):
    """Image, kernel (with its numbers) and feature map side by side; returns the Figure.

    The feature map is drawn in a diverging colour map centred on 0 (red
    positive, blue negative) unless ReLU has removed the negative part.
    """
    import matplotlib.pyplot as plt

    kernel = _kernel(kernel)
    fmap = feature_map(image, kernel, padding=padding, relu_after=relu_after, pool=pool)
    fig, (a0, a1, a2) = plt.subplots(1, 3, figsize=(8.4, 3.0), layout="constrained",
                                     gridspec_kw={"width_ratios": [1, 0.8, 1]})
    _show(a0, np.asarray(image), f"input {np.shape(image)[0]}×{np.shape(image)[1]}")
    _show(a1, kernel, "kernel", symmetric=True)
    for (i, j), value in np.ndenumerate(kernel):
        a1.text(j, i, f"{value:.2g}", ha="center", va="center", fontsize=9)
    steps = " → ReLU" * relu_after + (f" → max-pool {pool}" if pool > 1 else "")
    _show(a2, fmap, f"feature map {fmap.shape[0]}×{fmap.shape[1]}{steps}",
          cmap="magma", symmetric=not relu_after)
    if title:
        fig.suptitle(title)
    return fig


def plot_kernel_gallery(image, kernels=None, *, padding: int = 1):
    """The feature map of one image under several kernels (default: all of :data:`KERNELS`)."""
    import matplotlib.pyplot as plt

    names = list(KERNELS) if kernels is None else list(kernels)
    cols = 3
    rows = -(-(len(names) + 1) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(2.3 * cols, 2.4 * rows), layout="constrained")
    axes = np.ravel(axes)
    _show(axes[0], np.asarray(image), "input")
    for ax, name in zip(axes[1:], names):
        _show(ax, feature_map(image, name, padding=padding), name, symmetric=True)
    for ax in axes[len(names) + 1:]:
        ax.set_axis_off()
    return fig


# --------------------------------------------------------------------------
# Gradients through time (Chapter 4)
# --------------------------------------------------------------------------
def plot_gradient_through_time(radii=(0.5, 0.9, 1.0, 1.5), steps: int = 50, *, hidden_size: int = 32,
                               input_scale: float = 1.0, ax=None, rng=0):
    """‖∂L/∂a_{T-j}‖ / ‖∂L/∂a_T‖ against the lag j, log scale, one line per spectral radius.

    Dotted lines show ρʲ, what a linear RNN (no tanh) would give. Returns the Figure.
    """
    import matplotlib.pyplot as plt

    from .rnn import gradient_through_time

    if np.ndim(radii) == 0:
        radii = [float(radii)]
    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 3.6), layout="constrained")
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for i, radius in enumerate(radii):
        lags, ratio = gradient_through_time(radius, steps, hidden_size=hidden_size,
                                            input_scale=input_scale, rng=rng)
        colour = colours[i % len(colours)]
        with np.errstate(divide="ignore"):
            ax.semilogy(lags, np.where(ratio > 0, ratio, np.nan), color=colour, label=f"ρ = {radius:g}")
            ax.semilogy(lags, float(radius) ** lags, ":", color=colour, linewidth=1)
    ax.set(xlabel="lag j (steps back from the last step)", ylabel="gradient norm, relative to lag 0",
           ylim=(1e-12, 1e6), xlim=(0, steps - 1))
    ax.legend(loc="lower left", fontsize=8)
    ax.set_title(f"tanh RNN, H = {hidden_size}, inputs of std {input_scale:g}; dotted: ρ^j", fontsize=10)
    return ax.figure


# --------------------------------------------------------------------------
# Losses as functions of the margin (Chapter 5)
# --------------------------------------------------------------------------
#: Binary losses of a score z for a label y ∈ {−1, +1}, written as functions of the
#: margin m = y·z: the 0-1 loss [m ≤ 0], the hinge max(0, 1 − m), the logistic
#: loss log(1 + e^{−m}) (binary cross-entropy of σ(z)) and the squared loss
#: (1 − m)² (the squared error (y − z)², since y² = 1).
MARGIN_LOSSES = ("0-1", "hinge", "logistic", "squared")


def margin_loss(name: str, margins):
    """Loss values and derivatives d/dm at the given margins, computed by ``mathdl.losses``.

    Each margin m is scored as one sample with label +1 and score z = m, so the
    derivative with respect to z is the derivative with respect to m. The 0-1
    loss has no ``mathdl.losses`` function (nothing trains on it): its value is
    [m ≤ 0] and its derivative 0 wherever it exists.
    """
    from . import losses

    if name not in MARGIN_LOSSES:
        raise ValueError(f"name must be one of {MARGIN_LOSSES}, got {name!r}")
    m = as_float_array(margins, "margins").astype(np.float64).ravel()
    if name == "0-1":
        return (m <= 0).astype(float), np.zeros_like(m)
    fn = {"hinge": lambda z: losses.hinge(z, np.ones(1)),
          "logistic": lambda z: losses.binary_cross_entropy_with_logits(z, np.ones(1)),
          "squared": lambda z: losses.mse(z, np.ones(1))}[name]
    pairs = [fn(np.array([v])) for v in m]
    return np.array([v for v, _ in pairs]), np.array([g[0] for _, g in pairs])


def plot_margin_losses(margin: float = -1.0, *, names=MARGIN_LOSSES, lim: float = 3.0):
    """Each loss (left) and its derivative (right) against the margin m = y·z, with the
    point ``margin`` marked and its values in the legend. Returns the Figure."""
    import matplotlib.pyplot as plt

    margin = check_real(margin, "margin")
    grid = np.linspace(-lim, lim, 241)
    fig, (left, right) = plt.subplots(1, 2, figsize=(9.6, 3.6), layout="constrained")
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for i, name in enumerate(names):
        values, slopes = margin_loss(name, grid)
        v, g = (float(a[0]) for a in margin_loss(name, [margin]))
        c = colours[i % len(colours)]
        style = dict(color=c, drawstyle="steps-post") if name == "0-1" else dict(color=c)
        left.plot(grid, values, label=f"{name}: {v:.3g}", **style)
        right.plot(grid, slopes, label=f"{name}: {g:.3g}", **style)
        left.plot([margin], [v], "o", color=c)
        right.plot([margin], [g], "o", color=c)
    for ax, where in ((left, "upper center"), (right, "lower right")):   # where the curves are not
        ax.axvline(margin, color="0.5", linewidth=0.8)
        ax.axvline(0, color="0.8", linewidth=0.8)
        ax.set_xlabel("margin m = y·z")
        ax.legend(fontsize=8, loc=where)
    left.set(ylabel="loss", ylim=(-0.2, 6))
    right.set(ylabel="derivative d loss / d m", ylim=(-6, 2 * lim - 2 + 0.5))
    left.set_title(f"losses at m = {margin:.2f}", fontsize=10)
    right.set_title("how hard each loss pushes the margin up", fontsize=10)
    return fig


# --------------------------------------------------------------------------
# Optimizers on 2-D surfaces (Chapter 6)
# --------------------------------------------------------------------------
#: the explorer's optimizers, by name
OPTIMIZERS = ("GD", "Momentum", "Nesterov", "AdaGrad", "RMSProp", "Adam", "Newton", "CG")


def _make_optimizer(name, lr, momentum, betas):
    from . import optim

    makers = {"GD": lambda: optim.SGD(lr), "Momentum": lambda: optim.Momentum(lr, momentum),
              "Nesterov": lambda: optim.Nesterov(lr, momentum), "AdaGrad": lambda: optim.AdaGrad(lr),
              "RMSProp": lambda: optim.RMSProp(lr, rho=betas[1]),
              "Adam": lambda: optim.Adam(lr, betas=betas), "Newton": lambda: optim.Newton(1.0),
              "CG": lambda: optim.ConjugateGradient(lr)}
    if name not in makers:
        raise ValueError(f"optimizer must be one of {OPTIMIZERS}, got {name!r}")
    return makers[name]()


def optimizer_paths(surface, names=("GD", "Momentum", "Adam"), *, lr: float = 0.01,
                    momentum: float = 0.9, betas=(0.9, 0.999), steps: int = 100, start=None) -> dict:
    """Run each named optimizer on ``surface`` from ``start``; returns ``{name: path (k + 1, 2)}``.

    All first-order methods share ``lr``; RMSProp's ρ is β₂; Newton takes full
    steps (η = 1) and CG its exact line search. A path that diverges ends at its
    first non-finite point (see :func:`mathdl.optim.run`).
    """
    from .optim import run

    x0 = np.asarray(surface.start if start is None else start, dtype=float)
    return {name: run(_make_optimizer(name, lr, momentum, betas), surface.grad, x0, int(steps),
                      hess_fn=surface.hess) for name in names}


def _path_summary(surface, path, tol):
    with np.errstate(invalid="ignore"):
        runaway = ~np.all(np.isfinite(path), axis=1) | (np.nan_to_num(np.abs(path), nan=np.inf).max(axis=1) > 1e6)
    if runaway.any():                         # not finite, or left the plot by a factor 10⁶
        return None, f"diverged at step {int(np.argmax(runaway))}"
    values = surface(path)
    hit = np.flatnonzero(values - min(0.0, values.min()) <= tol) if surface.log_levels else []
    reached = f", f ≤ {tol:g} at step {hit[0]}" if len(hit) else ""
    return values, f"f = {values[-1]:.3g}{reached}"


def plot_optimizer_paths(surface, paths: dict, *, tol: float = 1e-6, title=None):
    """Contours of ``surface`` with each optimizer's trajectory (left) and f against the
    step (right, log scale where f ≥ 0). Legends give the final f, the first step with
    f ≤ tol, or the step where the run diverged. Returns the Figure."""
    import matplotlib.pyplot as plt

    (x0, x1), (y0, y1) = surface.bounds
    gx, gy = np.meshgrid(np.linspace(x0, x1, 100), np.linspace(y0, y1, 100))   # enough for contours
    fz = surface(np.stack([gx, gy], axis=-1))
    # a fixed layout: the explorer redraws this figure on every change, and constrained
    # layout would add about 100 ms to each redraw
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.2), gridspec_kw={"width_ratios": [1, 1.15]})
    fig.subplots_adjust(left=0.065, right=0.985, bottom=0.12, top=0.93, wspace=0.2)
    if surface.log_levels:
        levels = np.geomspace(max(fz.min(), 1e-3), fz.max(), 18)
    else:
        levels = 18
    left.contour(gx, gy, fz, levels=levels, cmap="viridis", linewidths=0.7)
    for mx, my in surface.minima:
        left.plot(mx, my, "k*", markersize=9)
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for i, (name, path) in enumerate(paths.items()):
        c = colours[i % len(colours)]
        values, summary = _path_summary(surface, path, tol)
        shown = path[np.all(np.isfinite(path), axis=1)]
        left.plot(shown[:, 0], shown[:, 1], ".-", color=c, markersize=3, linewidth=1,
                  label=f"{name}: {summary}")
        if values is not None:
            if surface.log_levels:
                right.semilogy(np.arange(len(values)), np.maximum(values, 1e-16), color=c, label=name)
            else:
                right.plot(np.arange(len(values)), values, color=c, label=name)
        else:
            right.plot([], [], color=c, label=f"{name} (diverged)")
    left.set(xlim=(x0, x1), ylim=(y0, y1), xlabel="$x_1$", ylabel="$x_2$")
    left.set_title(title or surface.name, fontsize=10)
    left.legend(fontsize=7, loc="lower left")
    right.set(xlabel="step", ylabel="f(x)")
    right.legend(fontsize=8)
    return fig


def animate_optimizer_paths(surface, paths: dict, *, frames: int = 24, interval: int = 200,
                            dpi: int = 60):
    """A matplotlib animation drawing the trajectories step by step (at most ``frames``
    frames, sampled evenly); the page shows it with ``HTML(anim.to_jshtml())``."""
    import matplotlib.pyplot as plt
    from matplotlib.animation import FuncAnimation

    (x0, x1), (y0, y1) = surface.bounds
    gx, gy = np.meshgrid(np.linspace(x0, x1, 120), np.linspace(y0, y1, 120))
    fz = surface(np.stack([gx, gy], axis=-1))
    fig, ax = plt.subplots(figsize=(4.8, 3.8), layout="constrained", dpi=dpi)   # small frames
    levels = np.geomspace(max(fz.min(), 1e-3), fz.max(), 18) if surface.log_levels else 18
    ax.contour(gx, gy, fz, levels=levels, cmap="viridis", linewidths=0.7)
    ax.set(xlim=(x0, x1), ylim=(y0, y1), xlabel="$x_1$", ylabel="$x_2$", title=surface.name)
    finite = {name: p[np.all(np.isfinite(p), axis=1)] for name, p in paths.items()}
    lines = {name: ax.plot([], [], ".-", markersize=3, linewidth=1, label=name)[0] for name in paths}
    ax.legend(fontsize=8, loc="lower left")
    longest = max(len(p) for p in finite.values())
    ends = np.unique(np.linspace(1, longest, min(frames, longest)).astype(int))

    def update(k):
        for name, line in lines.items():
            line.set_data(finite[name][:k, 0], finite[name][:k, 1])
        return list(lines.values())

    anim = FuncAnimation(fig, update, frames=ends, interval=interval, blit=False)
    plt.close(fig)
    return anim


# --------------------------------------------------------------------------
# Over-fitting with polynomials (Chapter 7)
# --------------------------------------------------------------------------
def _sine_data(n, noise, rng, pool: int = 200):
    """n training points (the first n of a fixed pool, so a larger n only adds points)
    and 200 validation points, all from one seeded generator."""
    from ._validation import as_generator
    from .datasets import make_sine

    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or not 1 <= n <= pool:
        raise ValueError(f"n must be an int between 1 and {pool}, got {n!r}")
    gen = as_generator(rng)
    x_pool, y_pool = make_sine(pool, noise=noise, rng=gen)
    x_val, y_val = make_sine(200, noise=noise, rng=gen)
    return x_pool[:n], y_pool[:n], x_val, y_val


def overfitting_errors(n: int = 10, lam: float = 0.0, *, degrees=range(13), noise: float = 0.25,
                       rng=0) -> dict:
    """Training and validation RMSE of ridge polynomial fits, one per degree.

    Returns ``{"degree": array, "train": array, "val": array}``, with the data
    of :func:`plot_overfitting` (same ``n``, ``noise`` and ``rng``).
    """
    from .regularization import polynomial_features, ridge_fit

    x, y, x_val, y_val = _sine_data(n, noise, rng)
    degrees = np.asarray(list(degrees))
    train, val = [], []
    for d in degrees:
        w = ridge_fit(polynomial_features(x, int(d)), y, lam)
        train.append(np.sqrt(np.mean((polynomial_features(x, int(d)) @ w - y) ** 2)))
        val.append(np.sqrt(np.mean((polynomial_features(x_val, int(d)) @ w - y_val) ** 2)))
    return {"degree": degrees, "train": np.array(train), "val": np.array(val)}


def plot_overfitting(n: int = 10, degree: int = 9, lam: float = 0.0, *, noise: float = 0.25,
                     rng=0, max_degree: int = 12):
    """Left: n noisy samples of sin(2πx), the true curve and the ridge polynomial fit
    of the given degree. Right: training and validation RMSE against the degree
    (0 … max_degree) at this λ, the current degree marked. Returns the Figure."""
    import matplotlib.pyplot as plt

    from .regularization import polynomial_features, ridge_fit

    lam = check_real(lam, "lam", low=0)
    if not isinstance(degree, (int, np.integer)) or isinstance(degree, bool) or not 0 <= degree <= max_degree:
        raise ValueError(f"degree must be an int between 0 and {max_degree}, got {degree!r}")
    x, y, x_val, y_val = _sine_data(n, noise, rng)
    errors = overfitting_errors(n, lam, degrees=range(max_degree + 1), noise=noise, rng=rng)
    w = ridge_fit(polynomial_features(x, int(degree)), y, lam)
    grid = np.linspace(0, 1, 400)

    # A fixed layout: a constrained one cost about 100 ms per redraw of the explorer.
    fig, (ax, ax_err) = plt.subplots(1, 2, figsize=(9.0, 3.4))
    fig.subplots_adjust(left=0.07, right=0.985, bottom=0.15, top=0.91, wspace=0.22)
    ax.plot(grid, np.sin(2 * np.pi * grid), "--", color="0.5", lw=1, label="sin 2πx")
    ax.plot(grid, polynomial_features(grid, int(degree)) @ w, color="C3", lw=1.8,
            label=f"fit, degree {degree}")
    ax.scatter(x_val, y_val, s=6, color="0.75", label="validation")
    ax.scatter(x, y, s=22, color="C0", zorder=3, label=f"training (n = {n})")
    ax.set(xlim=(0, 1), ylim=(-2, 2), xlabel="x", ylabel="y",
           title=f"degree {degree}, λ = {lam:.0e}" if lam else f"degree {degree}, λ = 0")
    ax.legend(fontsize=7, loc="lower left")

    ax_err.semilogy(errors["degree"], np.maximum(errors["train"], 1e-4), "o-", ms=3, label="training")
    ax_err.semilogy(errors["degree"], errors["val"], "s-", ms=3, label="validation")
    ax_err.axvline(degree, color="C3", lw=1)
    ax_err.axhline(noise, color="0.5", ls=":", lw=1, label="noise level")
    ax_err.set(xlabel="degree", ylabel="RMSE", ylim=(1e-4 if errors["train"].min() < 1e-3 else 0.05, 10),
               title=f"train {errors['train'][degree]:.3f}, validation {errors['val'][degree]:.3f}")
    ax_err.legend(fontsize=7, loc="upper right")
    return fig
