"""Live explorers for Jupyter (ipywidgets). On the website each has a static twin.

An explorer recomputes and redraws one figure when a control moves (the old
figure is replaced, not stacked). Its drawing is a plain function in
:mod:`mathdl.plotting`, which the static twin on the website calls directly.
"""

from __future__ import annotations

import numpy as np

from .plotting import ACTIVATIONS, plot_neuron

__all__ = ["NeuronExplorer", "MLPPlayground", "train_playground", "plot_playground",
           "ConvExplorer", "GradientFlowExplorer", "LossExplorer", "OptimizerExplorer", "OverfittingExplorer"]


class _Explorer:
    """Controls in ``self.widget``, a figure from ``self.draw()`` shown in ``self.output``;
    every change of a control replaces the figure (it is redrawn, not stacked)."""

    def _redraw(self, _change=None):
        import matplotlib.pyplot as plt
        from IPython.display import clear_output, display

        with self.output:
            clear_output(wait=True)
            fig = self.draw()
            display(fig)
            plt.close(fig)

    def _ipython_display_(self):
        from IPython.display import display

        self._redraw()
        display(self.widget)


class NeuronExplorer(_Explorer):
    """Sliders for w₁, w₂, b and a choice of activation → output surface and boundary.

    ``NeuronExplorer(data=(X, y))`` shows the points too. Display it as the
    last expression of a cell. ``state()`` and ``draw()`` work without a
    kernel (the tests use them).
    """

    def __init__(self, w=(1.0, 2.0), b=0.0, activation="sigmoid", *, data=None):
        import ipywidgets as widgets

        if activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, got {activation!r}")
        slider = dict(min=-3.0, max=3.0, step=0.1, continuous_update=True,
                      layout=widgets.Layout(width="260px"))
        self.w1 = widgets.FloatSlider(value=float(w[0]), description="w₁", **slider)
        self.w2 = widgets.FloatSlider(value=float(w[1]), description="w₂", **slider)
        self.b = widgets.FloatSlider(value=float(b), description="b", **slider)
        self.activation = widgets.Dropdown(options=list(ACTIVATIONS), value=activation,
                                           description="f")
        self.data = data
        self.output = widgets.Output()
        for control in (self.w1, self.w2, self.b, self.activation):
            control.observe(self._redraw, names="value")
        self.widget = widgets.HBox([widgets.VBox([self.w1, self.w2, self.b, self.activation]),
                                    self.output])

    def state(self) -> dict:
        """The current setting: ``{"w": (w1, w2), "b": b, "activation": name}``."""
        return {"w": (self.w1.value, self.w2.value), "b": self.b.value,
                "activation": self.activation.value}

    def draw(self):
        """The figure for the current setting (a matplotlib Figure)."""
        return plot_neuron(data=self.data, **self.state())



# --------------------------------------------------------------------------
# The MLP playground (Chapter 2)
# --------------------------------------------------------------------------
PLAYGROUND_DATA = ("xor", "moons", "spirals")


def _playground_data(name, rng=0):
    from . import datasets

    makers = {"xor": datasets.make_xor, "moons": datasets.make_moons,
              "spirals": datasets.make_spirals}
    if name not in makers:
        raise ValueError(f"data must be one of {list(makers)}, got {name!r}")
    X, y = makers[name](200, rng=rng)
    return X, y


def train_playground(width=8, depth=1, activation="tanh", lr=0.3, data="xor", *, steps=200,
                     rng=0):
    """Train a fresh MLP (``depth`` hidden layers of ``width`` units) on a 2-D problem.

    Full-batch gradient descent on the cross-entropy for ``steps`` steps.
    Returns ``(model, losses, (X, y))``; ``losses`` has one entry per step
    (and stops early, with a non-finite last entry, if training diverges).
    """
    from .activations import ReLU, Sigmoid, Tanh
    from .layers import Linear, Sequential
    from .losses import cross_entropy
    from .optim import SGD
    from ._validation import as_generator

    acts = {"tanh": Tanh, "relu": ReLU, "sigmoid": Sigmoid}
    if activation not in acts:
        raise ValueError(f"activation must be one of {list(acts)}, got {activation!r}")
    gen = as_generator(rng)
    X, y = _playground_data(data, rng=0) if isinstance(data, str) else data
    layers, size = [], 2
    for _ in range(int(depth)):
        layers += [Linear(size, int(width), rng=gen), acts[activation]()]
        size = int(width)
    layers.append(Linear(size, 2, rng=gen))
    model = Sequential(*layers)
    opt = SGD(lr)
    losses = []
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(int(steps)):
            logits = model.forward(X)
            if not np.all(np.isfinite(logits)):      # the step size was too large: stop here
                losses.append(float("nan"))
                break
            value, grad = cross_entropy(logits, y)
            losses.append(value)
            if not np.isfinite(value):
                break
            model.backward(grad)
            opt.step(model.parameters(), model.gradients())
    return model, losses, (X, y)


def plot_playground(model, losses, data, *, title=None):
    """Decision regions of a playground model beside its loss curve."""
    import matplotlib.pyplot as plt

    from .plotting import plot_decision_regions

    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.8), layout="constrained")
    X, y = data
    accuracy = float(np.mean(np.argmax(model.forward(X), axis=1) == y))
    plot_decision_regions(model.forward, data, ax=left, n=120,
                          title=title or f"training accuracy {accuracy:.2f}")
    right.plot(losses)
    right.set(xlabel="gradient-descent step", ylabel="cross-entropy loss", ylim=(0, None))
    return fig


class MLPPlayground(_Explorer):
    """Width, depth, activation, learning rate and data set → train and show.

    Every change trains a fresh network (seeded, so the same setting always
    gives the same picture) and redraws its decision regions and loss curve.
    """

    def __init__(self, width=8, depth=1, activation="tanh", lr=0.3, data="xor", *, steps=200):
        import ipywidgets as widgets

        if data not in PLAYGROUND_DATA:
            raise ValueError(f"data must be one of {list(PLAYGROUND_DATA)}, got {data!r}")
        self.steps = int(steps)
        self.width = widgets.IntSlider(value=width, min=1, max=32, description="width",
                                       continuous_update=False)
        self.depth = widgets.IntSlider(value=depth, min=1, max=4, description="depth",
                                       continuous_update=False)
        self.activation = widgets.Dropdown(options=["tanh", "relu", "sigmoid"], value=activation,
                                           description="activation")
        self.lr = widgets.FloatLogSlider(value=lr, base=10, min=-3, max=1, step=0.1,
                                         description="η", continuous_update=False)
        self.data = widgets.Dropdown(options=list(PLAYGROUND_DATA), value=data, description="data")
        self.output = widgets.Output()
        controls = (self.width, self.depth, self.activation, self.lr, self.data)
        for control in controls:
            control.observe(self._redraw, names="value")
        self.widget = widgets.VBox([widgets.HBox(list(controls[:3])),
                                    widgets.HBox(list(controls[3:])), self.output])

    def state(self) -> dict:
        return {"width": self.width.value, "depth": self.depth.value,
                "activation": self.activation.value, "lr": self.lr.value, "data": self.data.value}

    def draw(self):
        model, losses, data = train_playground(**self.state(), steps=self.steps)
        return plot_playground(model, losses, data)



# --------------------------------------------------------------------------
# The convolution explorer (Chapter 3)
# --------------------------------------------------------------------------
class ConvExplorer(_Explorer):
    """Choose a kernel (or type its nine numbers) and see the feature map of an image.

    ``ConvExplorer(image)`` with a 2-D ``image``; ``images={"name": array, ...}``
    offers several. A preset fills the 3×3 boxes; editing a box makes the
    kernel "custom". Padding 1 keeps the size; ReLU and 2×2 max pooling show
    what the next layers of a CNN do with the map.
    """

    def __init__(self, image=None, kernel="vertical edges (Sobel)", *, images=None):
        import ipywidgets as widgets

        from .plotting import KERNELS, _kernel

        if images is None:
            if image is None:
                raise ValueError("give an image (a 2-D array) or images={name: array}")
            images = {"image": image}
        if not images:
            raise ValueError("images must name at least one image")
        self.images = {name: np.asarray(img, dtype=float) for name, img in images.items()}
        for name, img in self.images.items():
            if img.ndim != 2:
                raise ValueError(f"image {name!r} must be 2-D (H, W), got shape {img.shape}")
        start = _kernel(kernel)
        if start.shape != (3, 3):
            raise ValueError(f"the explorer edits 3×3 kernels, got shape {start.shape}")
        self.preset = widgets.Dropdown(options=list(KERNELS) + ["custom"],
                                       value=kernel if isinstance(kernel, str) else "custom",
                                       description="kernel")
        self.cells = [widgets.FloatText(value=float(v), step=0.5, layout=widgets.Layout(width="64px"))
                      for v in start.ravel()]
        self.image = widgets.Dropdown(options=list(self.images), description="image")
        self.padding = widgets.Dropdown(options=[("0 (valid)", 0), ("1 (same)", 1)], value=1,
                                        description="padding")
        self.relu = widgets.Checkbox(value=False, description="ReLU")
        self.pool = widgets.Checkbox(value=False, description="max-pool 2×2")
        self.output = widgets.Output()
        self._filling = False
        self.preset.observe(self._on_preset, names="value")
        for cell in self.cells:
            cell.observe(self._on_cell, names="value")
        for control in (self.image, self.padding, self.relu, self.pool):
            control.observe(self._redraw, names="value")
        grid = widgets.GridBox(self.cells, layout=widgets.Layout(
            grid_template_columns="repeat(3, 70px)"))
        self.widget = widgets.VBox([
            widgets.HBox([widgets.VBox([self.preset, self.image, self.padding,
                                        widgets.HBox([self.relu, self.pool])]), grid]),
            self.output])

    def _on_preset(self, change):
        from .plotting import KERNELS

        if change["new"] == "custom":
            return
        self._filling = True                       # one redraw, not nine
        for cell, value in zip(self.cells, np.ravel(KERNELS[change["new"]])):
            cell.value = float(value)
        self._filling = False
        self._redraw()

    def _on_cell(self, _change):
        if self._filling:
            return
        if self.preset.value != "custom":
            self._filling = True
            self.preset.value = "custom"
            self._filling = False
        self._redraw()

    def state(self) -> dict:
        """The current setting: kernel (3×3 array), image name, padding, ReLU, pooling."""
        return {"kernel": np.array([c.value for c in self.cells]).reshape(3, 3),
                "image": self.image.value, "padding": self.padding.value,
                "relu_after": self.relu.value, "pool": 2 if self.pool.value else 1}

    def draw(self):
        """The figure for the current setting (a matplotlib Figure)."""
        from .plotting import plot_convolution

        state = self.state()
        title = self.preset.value if self.preset.value != "custom" else "custom kernel"
        return plot_convolution(self.images[state.pop("image")], state.pop("kernel"),
                                title=title, **state)


# --------------------------------------------------------------------------
# Gradient flow through time (Chapter 4)
# --------------------------------------------------------------------------
class GradientFlowExplorer(_Explorer):
    """Spectral radius of W_hh, sequence length and input scale → gradient norm against lag.

    The figure compares the chosen radius with ρ = 1 (the boundary between
    vanishing and exploding for a linear RNN).
    """

    def __init__(self, radius: float = 0.9, steps: int = 50, input_scale: float = 1.0):
        import ipywidgets as widgets

        self.radius = widgets.FloatSlider(value=radius, min=0.1, max=2.5, step=0.05,
                                          description="ρ(W_hh)", continuous_update=False)
        self.steps = widgets.IntSlider(value=steps, min=5, max=150, step=5, description="T",
                                       continuous_update=False)
        self.input_scale = widgets.FloatLogSlider(value=input_scale, base=10, min=-2, max=1,
                                                  step=0.1, description="input std",
                                                  continuous_update=False)
        self.output = widgets.Output()
        for control in (self.radius, self.steps, self.input_scale):
            control.observe(self._redraw, names="value")
        self.widget = widgets.VBox([widgets.HBox([self.radius, self.steps, self.input_scale]),
                                    self.output])

    def state(self) -> dict:
        return {"radius": self.radius.value, "steps": self.steps.value,
                "input_scale": self.input_scale.value}

    def draw(self):
        from .plotting import plot_gradient_through_time

        state = self.state()
        radii = sorted({round(state["radius"], 6), 1.0})
        return plot_gradient_through_time(radii, state["steps"], input_scale=state["input_scale"])


# --------------------------------------------------------------------------
# Losses against the margin (Chapter 5)
# --------------------------------------------------------------------------
class LossExplorer(_Explorer):
    """A slider for the margin m = y·z (label times score) → every loss and its derivative there.

    Move m from confidently wrong (m ≪ 0) through the boundary (m = 0) to
    confidently right (m ≫ 0) and read off what each loss charges and how hard
    its gradient pushes.
    """

    def __init__(self, margin: float = -1.0):
        import ipywidgets as widgets

        from .plotting import MARGIN_LOSSES

        self.margin = widgets.FloatSlider(value=margin, min=-3.0, max=3.0, step=0.05,
                                          description="m = y·z", continuous_update=False,
                                          layout=widgets.Layout(width="420px"))
        self.shown = widgets.SelectMultiple(options=list(MARGIN_LOSSES), value=list(MARGIN_LOSSES),
                                            description="losses", rows=4)
        self.output = widgets.Output()
        for control in (self.margin, self.shown):
            control.observe(self._redraw, names="value")
        self.widget = widgets.VBox([widgets.HBox([self.margin, self.shown]), self.output])

    def state(self) -> dict:
        return {"margin": self.margin.value, "names": tuple(self.shown.value)}

    def draw(self):
        from .plotting import plot_margin_losses

        return plot_margin_losses(**self.state())


# --------------------------------------------------------------------------
# The gradient-descent explorer (Chapter 6)
# --------------------------------------------------------------------------
class OptimizerExplorer(_Explorer):
    """Surface, optimizers, learning rate, momentum, β's, steps and start point → trajectories.

    Every change reruns the chosen optimizers from the start point and redraws the
    contour plot with their paths and the loss against the step, with the final
    loss, the step at which f ≤ 10⁻⁶ or the step where a run diverged.
    """

    def __init__(self, surface: str = "quadratic", optimizers=("GD", "Momentum"), *, lr: float = 0.05,
                 kappa: float = 10.0, momentum: float = 0.9, betas=(0.9, 0.999), steps: int = 100,
                 start=None):
        import ipywidgets as widgets

        from .plotting import OPTIMIZERS
        from .surfaces import SURFACES

        if surface not in SURFACES:
            raise ValueError(f"surface must be one of {list(SURFACES)}, got {surface!r}")
        bad = [o for o in optimizers if o not in OPTIMIZERS]
        if bad:
            raise ValueError(f"optimizers must be among {OPTIMIZERS}, got {bad}")
        opts = dict(continuous_update=False)
        self.surface = widgets.Dropdown(options=list(SURFACES), value=surface, description="surface")
        self.kappa = widgets.FloatLogSlider(value=kappa, base=10, min=0, max=3, step=0.05,
                                            description="κ (quadratic)", **opts)
        self.optimizers = widgets.SelectMultiple(options=list(OPTIMIZERS), value=tuple(optimizers),
                                                 description="optimizers", rows=4)
        self.lr = widgets.FloatLogSlider(value=lr, base=10, min=-4, max=0.5, step=0.05,
                                         description="η", **opts)
        self.momentum = widgets.FloatSlider(value=momentum, min=0.0, max=0.99, step=0.01,
                                            description="μ", **opts)
        self.beta1 = widgets.FloatSlider(value=betas[0], min=0.0, max=0.99, step=0.01,
                                         description="β₁", **opts)
        self.beta2 = widgets.FloatSlider(value=betas[1], min=0.5, max=0.9999, step=0.0001,
                                         description="β₂ (ρ)", readout_format=".4f", **opts)
        self.steps = widgets.IntSlider(value=steps, min=5, max=500, step=5, description="steps", **opts)
        start = SURFACES[surface]().start if start is None else start
        self.x0 = widgets.FloatSlider(value=start[0], min=-5.0, max=5.0, step=0.1,
                                      description="start x₁", **opts)
        self.y0 = widgets.FloatSlider(value=start[1], min=-5.0, max=5.0, step=0.1,
                                      description="start x₂", **opts)
        self.output = widgets.Output()
        self.surface.observe(self._on_surface, names="value")
        controls = (self.kappa, self.optimizers, self.lr, self.momentum, self.beta1, self.beta2,
                    self.steps, self.x0, self.y0)
        for control in controls:
            control.observe(self._redraw, names="value")
        self._moving_start = False
        self.widget = widgets.VBox([
            widgets.HBox([widgets.VBox([self.surface, self.kappa, self.optimizers]),
                          widgets.VBox([self.lr, self.momentum, self.beta1, self.beta2]),
                          widgets.VBox([self.steps, self.x0, self.y0])]),
            self.output])

    def _on_surface(self, change):
        from .surfaces import SURFACES

        start = SURFACES[change["new"]]().start      # each surface has its own telling start
        self._moving_start = True
        self.x0.value, self.y0.value = start
        self._moving_start = False
        self._redraw()

    def _redraw(self, _change=None):
        if not self._moving_start:
            super()._redraw()

    def current_surface(self):
        """The :class:`mathdl.surfaces.Surface` of the current setting."""
        from .surfaces import SURFACES, quadratic

        name = self.surface.value
        return quadratic(self.kappa.value) if name == "quadratic" else SURFACES[name]()

    def state(self) -> dict:
        """The current setting, as keyword arguments of :func:`mathdl.plotting.optimizer_paths`."""
        return {"names": tuple(self.optimizers.value), "lr": self.lr.value,
                "momentum": self.momentum.value, "betas": (self.beta1.value, self.beta2.value),
                "steps": self.steps.value, "start": (self.x0.value, self.y0.value)}

    def paths(self) -> dict:
        """Run the chosen optimizers; ``{name: iterates}``."""
        from .plotting import optimizer_paths

        return optimizer_paths(self.current_surface(), **self.state())

    def draw(self):
        from .plotting import plot_optimizer_paths

        state = self.state()
        title = f"{self.current_surface().name}, η = {state['lr']:.3g}"
        return plot_optimizer_paths(self.current_surface(), self.paths(), title=title)


# --------------------------------------------------------------------------
# The over-fitting explorer (Chapter 7)
# --------------------------------------------------------------------------
class OverfittingExplorer(_Explorer):
    """Degree, log₁₀ λ and the number of training points → a polynomial fit and its errors.

    Ridge regression of sin(2πx) plus noise: watch the validation error rise as
    the degree grows past what n points can pin down, and fall again as λ grows.
    The leftmost λ position means λ = 0. Static twin:
    :func:`mathdl.plotting.plot_overfitting`.
    """

    LOG10_LAM_MIN = -12.0

    def __init__(self, n: int = 10, degree: int = 9, log10_lam: float = -12.0, *,
                 noise: float = 0.25, rng=0):
        import ipywidgets as widgets

        opts = dict(continuous_update=False, layout=widgets.Layout(width="320px"))
        self.degree = widgets.IntSlider(value=degree, min=0, max=12, description="degree", **opts)
        self.log10_lam = widgets.FloatSlider(value=log10_lam, min=self.LOG10_LAM_MIN, max=1.0, step=0.5,
                                             description="log₁₀ λ", **opts)
        self.n = widgets.IntSlider(value=n, min=5, max=100, description="n", **opts)
        self.noise, self.rng = noise, rng
        self.output = widgets.Output()
        for control in (self.degree, self.log10_lam, self.n):
            control.observe(self._redraw, names="value")
        self.widget = widgets.VBox([widgets.HBox([self.degree, self.log10_lam, self.n]), self.output])

    def state(self) -> dict:
        """``{"n", "degree", "lam"}``; λ = 0 at the slider's leftmost position."""
        v = self.log10_lam.value
        return {"n": self.n.value, "degree": self.degree.value,
                "lam": 0.0 if v <= self.LOG10_LAM_MIN else float(10.0 ** v)}

    def draw(self):
        from .plotting import plot_overfitting

        return plot_overfitting(**self.state(), noise=self.noise, rng=self.rng)
