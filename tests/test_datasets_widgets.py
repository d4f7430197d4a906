"""Toy data generators, the neuron figure and its explorer."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from mathdl import datasets, plotting  # noqa: E402
from mathdl.widgets import NeuronExplorer  # noqa: E402


@pytest.mark.parametrize("make", [datasets.make_blobs, datasets.make_xor, datasets.make_moons,
                                  datasets.make_separable])
def test_generators_shapes_labels_and_seeding(make):
    X, y = make(50, rng=1)
    assert X.shape == (50, 2) and X.dtype == np.float64 and y.shape == (50,)
    assert set(np.unique(y)) <= {0, 1}
    X2, y2 = make(50, rng=1)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    with pytest.raises(ValueError, match="n must be an int"):
        make(1, rng=0)


def test_make_separable_respects_its_margin():
    X, y = datasets.make_separable(200, margin=0.4, w=(2.0, 1.0), b=-0.5, rng=0)
    distance = (X @ np.array([2.0, 1.0]) - 0.5) / np.sqrt(5)
    assert np.all(np.abs(distance) >= 0.4)
    assert np.all((distance > 0) == (y == 1))
    with pytest.raises(ValueError, match="no room"):
        datasets.make_separable(10, margin=10.0, rng=0)


def test_xor_labels_are_the_sign_disagreement():
    X, y = datasets.make_xor(100, noise=0.0, rng=0)
    assert np.all(y == (np.sign(X[:, 0]) != np.sign(X[:, 1])))


def test_load_digits_offline():
    X, y = datasets.load_digits(classes=(0, 1))
    assert X.shape[1] == 64 and set(np.unique(y)) == {0, 1} and X.max() <= 16
    with pytest.raises(ValueError, match="classes must be digits"):
        datasets.load_digits(classes=(10,))


def test_neuron_surface_and_boundary():
    x1, x2, a = plotting.neuron_surface((1.0, 2.0), 0.5, "sigmoid", n=11)
    assert a.shape == (11, 11) and np.all((a > 0) & (a < 1))
    xs, ys = plotting.decision_line((1.0, 2.0), 0.5)
    np.testing.assert_allclose(1.0 * xs + 2.0 * ys + 0.5, 0.0, atol=1e-12)
    assert plotting.decision_line((0.0, 0.0), 1.0) is None
    with pytest.raises(ValueError, match="activation must be one of"):
        plotting.neuron_surface((1.0, 2.0), 0.0, "softplus")


def test_explorer_redraws_for_the_current_setting():
    X, y = datasets.make_blobs(20, rng=0)
    explorer = NeuronExplorer(data=(X, y))
    explorer.w1.value, explorer.b.value, explorer.activation.value = -1.0, 0.5, "tanh"
    assert explorer.state() == {"w": (-1.0, 2.0), "b": 0.5, "activation": "tanh"}
    fig = explorer.draw()
    line = fig.axes[0].lines[0]
    np.testing.assert_allclose(-1.0 * line.get_xdata() + 2.0 * line.get_ydata() + 0.5, 0, atol=1e-12)
    assert "b = 0.5" in fig.axes[0].get_title()
    plt.close(fig)
    with pytest.raises(ValueError, match="activation must be one of"):
        NeuronExplorer(activation="softplus")


def test_spirals_shape_and_labels():
    X, y = datasets.make_spirals(100, rng=0)
    assert X.shape == (100, 2) and set(np.unique(y)) == {0, 1}
    assert np.abs(X).max() < 1.5


def test_playground_trains_a_network_and_draws_it():
    from mathdl.widgets import MLPPlayground, plot_playground, train_playground

    model, losses, data = train_playground(width=8, depth=1, activation="tanh", lr=0.5,
                                           data="xor", steps=200, rng=0)
    assert len(losses) == 200 and losses[-1] < 0.5 * losses[0]
    again = train_playground(width=8, depth=1, activation="tanh", lr=0.5, data="xor", steps=200, rng=0)
    assert again[1] == losses
    fig = plot_playground(model, losses, data)
    assert len(fig.axes) == 2
    plt.close(fig)
    _, diverged, _ = train_playground(width=32, depth=4, activation="relu", lr=10.0, data="xor",
                                      steps=200, rng=0)
    assert len(diverged) < 200 and np.isnan(diverged[-1])   # stops quietly, no exception
    playground = MLPPlayground(width=4, data="moons")
    playground.depth.value = 2
    assert playground.state() == {"width": 4, "depth": 2, "activation": "tanh", "lr": 0.3,
                                  "data": "moons"}
    with pytest.raises(ValueError, match="data must be one of"):
        MLPPlayground(data="circles")


# --------------------------------------------------------------------------
# The convolution figures and explorer (Chapter 3)
# --------------------------------------------------------------------------
def test_feature_map_is_conv2d_with_the_named_kernel():
    from scipy.signal import correlate2d

    image = np.random.default_rng(0).random((9, 11))
    for name, kernel in plotting.KERNELS.items():
        same = plotting.feature_map(image, name)
        assert same.shape == image.shape
        assert np.allclose(same, correlate2d(image, np.array(kernel), mode="same"))
    valid = plotting.feature_map(image, "sharpen", padding=0, relu_after=True, pool=2)
    expected = np.maximum(correlate2d(image, np.array(plotting.KERNELS["sharpen"]), mode="valid"), 0)
    assert np.allclose(valid, expected[:6, :8].reshape(3, 2, 4, 2).max(axis=(1, 3)))
    with pytest.raises(ValueError, match="kernel must be one of"):
        plotting.feature_map(image, "blurry")
    with pytest.raises(ValueError, match="image must be a 2-D array"):
        plotting.feature_map(image[None], "identity")
    with pytest.raises(ValueError, match="kernel must be a 2-D array"):
        plotting.feature_map(image, [1.0, 2.0])


def test_convolution_figures_draw():
    image = np.random.default_rng(1).random((12, 12))
    fig = plotting.plot_convolution(image, "Laplacian", relu_after=True, pool=2)
    assert len(fig.axes) == 3 and "6×6" in fig.axes[2].get_title()
    plt.close(fig)
    fig = plotting.plot_kernel_gallery(image)
    assert sum(ax.get_visible() and bool(ax.images) for ax in fig.axes) == len(plotting.KERNELS) + 1
    plt.close(fig)


def test_conv_explorer_presets_custom_edits_and_state():
    from mathdl.widgets import ConvExplorer

    images = {"a": np.eye(6), "b": np.ones((6, 6))}
    explorer = ConvExplorer(images=images, kernel="identity")
    assert np.array_equal(explorer.state()["kernel"], np.array(plotting.KERNELS["identity"]))
    explorer.preset.value = "Laplacian"                       # a preset fills the nine boxes
    assert np.array_equal(explorer.state()["kernel"], np.array(plotting.KERNELS["Laplacian"]))
    explorer.cells[4].value = -8.0                            # an edit makes the kernel custom
    assert explorer.preset.value == "custom" and explorer.state()["kernel"][1, 1] == -8.0
    explorer.image.value, explorer.pool.value, explorer.padding.value = "b", True, 0
    state = explorer.state()
    assert (state["image"], state["pool"], state["padding"]) == ("b", 2, 0)
    fig = explorer.draw()
    assert fig.axes[2].get_title().startswith("feature map 2×2")
    plt.close(fig)
    with pytest.raises(ValueError, match="give an image"):
        ConvExplorer()
    with pytest.raises(ValueError, match="must be 2-D"):
        ConvExplorer(np.ones(5))
    with pytest.raises(ValueError, match="3×3"):
        ConvExplorer(np.ones((5, 5)), kernel=np.ones((5, 5)))
