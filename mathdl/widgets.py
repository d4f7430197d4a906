"""Live explorers for Jupyter (ipywidgets). On the website each has a static twin.

An explorer recomputes and redraws one figure when a control moves (the old
figure is replaced, not stacked). Its drawing is a plain function in
:mod:`mathdl.plotting`, which the static twin on the website calls directly.
"""

from __future__ import annotations

from .plotting import ACTIVATIONS, plot_neuron

__all__ = ["NeuronExplorer"]


class NeuronExplorer:
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
