"""Dropout, BatchNorm1d, the L1/L2 penalties, and fit's penalty and early stopping."""

import warnings

import numpy as np
import pytest

from mathdl.gradcheck import check_layer, numeric_gradient, rel_error
from mathdl.layers import Linear, Sequential
from mathdl.activations import ReLU
from mathdl.losses import cross_entropy, mse
from mathdl.optim import SGD
from mathdl.regularization import (BatchNorm1d, Dropout, l1_penalty, l2_penalty,
                                   soft_threshold, weight_penalty)
from mathdl.training import fit

RNG = np.random.default_rng(0)


# -- Dropout -----------------------------------------------------------------
@pytest.mark.parametrize("p", [0.1, 0.5, 0.9])
def test_dropout_gradient_check_with_the_mask_held_fixed(p):
    layer = Dropout(p, rng=1)
    errors = check_layer(layer, RNG.standard_normal((4, 7)), rng=2)
    assert max(errors.values()) < 1e-7
    assert layer.reuse_mask is False  # check_layer put the flag back


def test_dropout_in_a_network_passes_the_gradient_check():
    net = Sequential(Linear(5, 6, rng=0), ReLU(), Dropout(0.3, rng=1), Linear(6, 3, rng=2))
    x = RNG.standard_normal((8, 5))
    x[np.abs(x) < 1e-3] = 0.5  # keep away from ReLU's kink
    assert max(check_layer(net, x, rng=3).values()) < 1e-7


def test_dropout_keeps_the_expectation_and_drops_at_rate_p():
    p = 0.3
    layer = Dropout(p, rng=4)
    x = np.ones((2000, 500))
    y = layer(x)
    assert set(np.unique(y)) <= {0.0, 1 / (1 - p)}
    assert abs(np.mean(y == 0) - p) < 0.005            # 1e6 Bernoulli draws: sd 4.6e-4
    assert abs(y.mean() - 1.0) < 0.01


def test_dropout_draws_a_new_mask_every_forward_unless_asked_to_reuse():
    layer = Dropout(0.5, rng=5)
    x = np.ones((10, 10))
    a, b = layer(x), layer(x)
    assert not np.array_equal(a, b)
    layer.reuse_mask = True
    assert np.array_equal(layer(x), b)


def test_dropout_is_the_identity_in_evaluation_and_at_p_zero():
    x = RNG.standard_normal((3, 4))
    layer = Dropout(0.5, rng=0).eval()
    assert np.array_equal(layer(x), x)
    assert np.array_equal(layer.backward(np.ones((3, 4))), np.ones((3, 4)))
    assert np.array_equal(Dropout(0.0, rng=0)(x), x)


def test_dropout_p_one_gives_zeros_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = Dropout(1.0, rng=0)(np.ones((2, 3)))
    assert np.array_equal(y, np.zeros((2, 3)))


def test_dropout_is_reproducible_from_the_seed_and_keeps_float32():
    x = np.ones((5, 6), dtype=np.float32)
    a, b = Dropout(0.4, rng=7)(x), Dropout(0.4, rng=7)(x)
    assert np.array_equal(a, b) and a.dtype == np.float32
    layer = Dropout(0.4, rng=7)
    layer(x)
    assert layer.backward(np.ones_like(x)).dtype == np.float32


def test_dropout_bad_arguments_are_named():
    with pytest.raises(ValueError, match="p must be"):
        Dropout(1.5)
    with pytest.raises(TypeError, match="p must be a real number"):
        Dropout("half")
    with pytest.raises(TypeError, match="rng"):
        Dropout(0.5, rng="seed")
    with pytest.raises(RuntimeError, match="before forward"):
        Dropout(0.5, rng=0).backward(np.ones(3))


# -- BatchNorm1d -------------------------------------------------------------
@pytest.mark.parametrize("shape", [(5, 3), (3, 4), (4, 3, 6)])
def test_batchnorm_training_gradient_check(shape):
    layer = BatchNorm1d(shape[1])
    layer.params["gamma"][...] = RNG.uniform(0.5, 2, shape[1])
    layer.params["beta"][...] = RNG.standard_normal(shape[1])
    errors = check_layer(layer, RNG.standard_normal(shape) * 3 + 1, rng=1)
    assert max(errors.values()) < 1e-7


def test_batchnorm_evaluation_gradient_check():
    layer = BatchNorm1d(3)
    for _ in range(5):
        layer(RNG.standard_normal((6, 3)) * 2 + 1)
    layer.eval()
    errors = check_layer(layer, RNG.standard_normal((4, 3)), rng=2)
    assert max(errors.values()) < 1e-7


def test_batchnorm_in_a_network_passes_the_gradient_check():
    net = Sequential(Linear(4, 5, bias=False, rng=0), BatchNorm1d(5), ReLU(), Linear(5, 2, rng=1))
    x = RNG.standard_normal((7, 4))
    errors = check_layer(net, x, rng=3)
    assert max(errors.values()) < 1e-7


def test_a_bias_before_batchnorm_gets_no_gradient():
    # BN subtracts the batch mean, so a bias added before it cancels: its gradient is 0
    net = Sequential(Linear(4, 5, rng=0), BatchNorm1d(5), Linear(5, 2, rng=1))
    net(RNG.standard_normal((7, 4)))
    net.backward(RNG.standard_normal((7, 2)))
    assert np.max(np.abs(net[0].grads["b"])) < 1e-14


def test_batchnorm_of_two_samples_is_plus_minus_one():
    # with N = 2 each feature becomes ±√(d²/4 / (d²/4 + ε)), almost ±1 whatever x is
    y = BatchNorm1d(3)(RNG.standard_normal((2, 3)) * 10)
    assert np.allclose(np.abs(y), 1, atol=1e-5) and np.allclose(y.sum(axis=0), 0)


def test_batchnorm_normalises_each_feature_of_the_batch():
    x = RNG.standard_normal((64, 3)) * np.array([0.1, 5.0, 100.0]) + np.array([3.0, -2.0, 50.0])
    y = BatchNorm1d(3, eps=1e-12)(x)
    assert np.allclose(y.mean(axis=0), 0, atol=1e-12)
    assert np.allclose(y.var(axis=0), 1, atol=1e-9)          # biased variance normalises


def test_batchnorm_running_statistics_follow_pytorchs_convention():
    layer = BatchNorm1d(2, momentum=0.1)
    batches = [RNG.standard_normal((5, 2)) * 3 + 1 for _ in range(3)]
    mean, var = np.zeros(2), np.ones(2)
    for xb in batches:
        layer(xb)
        mean = 0.9 * mean + 0.1 * xb.mean(axis=0)
        var = 0.9 * var + 0.1 * xb.var(axis=0, ddof=1)      # unbiased for the running var
    assert np.allclose(layer.running_mean, mean) and np.allclose(layer.running_var, var)
    layer.eval()
    x = RNG.standard_normal((3, 2))
    assert np.allclose(layer(x), (x - mean) / np.sqrt(var + 1e-5))
    assert np.allclose(layer.running_mean, mean)             # evaluation does not update them


def test_batchnorm_gradient_sums_to_zero_over_the_batch():
    # the output is invariant to shifting all inputs of a feature, so Σ_n ∂L/∂x_n = 0
    layer = BatchNorm1d(3)
    layer(RNG.standard_normal((6, 3)))
    dx = layer.backward(RNG.standard_normal((6, 3)))
    assert np.allclose(dx.sum(axis=0), 0, atol=1e-12)


def test_batchnorm_constant_feature_is_finite_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        layer = BatchNorm1d(2)
        y = layer(np.array([[1.0, 2.0], [1.0, 3.0], [1.0, 4.0]]))
        dx = layer.backward(np.ones((3, 2)))
    assert np.all(np.isfinite(y)) and np.all(np.isfinite(dx))
    assert np.allclose(y[:, 0], 0)


def test_batchnorm_float32_and_bad_input():
    layer = BatchNorm1d(3, dtype=np.float32)
    y = layer(np.ones((4, 3), dtype=np.float32) + np.arange(4, dtype=np.float32)[:, None])
    assert y.dtype == np.float32 and layer.backward(np.ones_like(y)).dtype == np.float32
    with pytest.raises(TypeError, match="float32"):
        layer(np.ones((4, 3)))
    with pytest.raises(ValueError, match=r"\(N, 3\)"):
        BatchNorm1d(3)(np.ones((4, 2)))
    with pytest.raises(ValueError, match="more than one value"):
        BatchNorm1d(3)(np.ones((1, 3)))
    with pytest.raises(ValueError, match="num_features"):
        BatchNorm1d(0)
    with pytest.raises(ValueError, match="eps"):
        BatchNorm1d(3, eps=0)
    with pytest.raises(ValueError, match="momentum"):
        BatchNorm1d(3, momentum=1.5)
    assert BatchNorm1d(3).eval()(np.ones((1, 3))).shape == (1, 3)  # one sample is fine in eval


# -- penalties ---------------------------------------------------------------
def test_l2_penalty_value_and_gradient():
    W = RNG.standard_normal((3, 4))
    value, grad = l2_penalty(W, 0.3)
    assert np.isclose(value, 0.3 * np.sum(W ** 2))
    numeric = numeric_gradient(lambda w: l2_penalty(w, 0.3)[0], W.copy())
    assert rel_error(grad, numeric) < 1e-7


def test_l1_penalty_value_and_subgradient():
    W = RNG.standard_normal((3, 4))
    W[np.abs(W) < 1e-3] = 0.1
    value, grad = l1_penalty([W, 2 * W], 0.5)
    assert np.isclose(value, 0.5 * 3 * np.sum(np.abs(W)))
    numeric = numeric_gradient(lambda w: l1_penalty(w, 0.5)[0], W.copy())
    assert rel_error(grad[0], numeric) < 1e-7
    assert l1_penalty(np.zeros(3), 1.0)[1].tolist() == [0.0, 0.0, 0.0]


def test_soft_threshold_is_the_proximal_step():
    w = np.array([-3.0, -0.5, 0.0, 0.2, 1.5])
    u = soft_threshold(w, 1.0)
    assert u.tolist() == [-2.0, 0.0, 0.0, 0.0, 0.5]
    # it minimises ½(u − w)² + t|u| elementwise: compare with a fine grid
    grid = np.linspace(-4, 4, 80001)
    best = grid[np.argmin(0.5 * (grid[:, None] - w) ** 2 + np.abs(grid[:, None]), axis=0)]
    assert np.allclose(u, best, atol=1e-4)


def test_penalty_bad_arguments():
    with pytest.raises(ValueError, match="lam"):
        l2_penalty(np.ones(2), -1)
    with pytest.raises(ValueError, match="kind"):
        weight_penalty(0.1, "l3")
    with pytest.raises(ValueError, match="NaN"):
        l1_penalty(np.array([np.nan]), 0.1)
    with pytest.raises(ValueError, match="t must be"):
        soft_threshold(np.ones(2), -0.1)


def test_weight_penalty_touches_only_weight_matrices():
    net = Sequential(Linear(3, 4, rng=0), BatchNorm1d(4), Linear(4, 2, rng=1))
    value, grads = weight_penalty(0.1)(net)
    names = [name for name, _, _ in net.named_parameters()]
    assert names == ["0.W", "0.b", "1.gamma", "1.beta", "2.W", "2.b"]
    for name, p, g in zip(names, net.parameters(), grads):
        expected = 0.2 * p if name.endswith("W") else np.zeros_like(p)
        assert np.allclose(g, expected)
    assert np.isclose(value, 0.1 * (np.sum(net[0].params["W"] ** 2) + np.sum(net[2].params["W"] ** 2)))


# -- fit: penalty and early stopping -------------------------------------------
def test_fit_with_l2_penalty_is_sgd_weight_decay():
    X, y = RNG.standard_normal((20, 3)), RNG.standard_normal((20, 1))
    lam, lr = 0.05, 0.1
    a, b = Linear(3, 1, rng=0), Linear(3, 1, rng=0)
    fit(a, mse, SGD(lr), X, y, epochs=3, batch_size=20, rng=0,
        penalty=weight_penalty(lam), progress=False)
    for _ in range(3):   # by hand: W ← (1 − 2ηλ) W − η ∇L, b ← b − η ∂L/∂b
        _, g = mse(b(X), y)
        b.backward(g)
        b.params["W"][...] = (1 - 2 * lr * lam) * b.params["W"] - lr * b.grads["W"]
        b.params["b"][...] -= lr * b.grads["b"]
    assert np.allclose(a.params["W"], b.params["W"]) and np.allclose(a.params["b"], b.params["b"])


def test_fit_early_stopping_restores_the_best_epoch():
    rng = np.random.default_rng(1)
    X, y = rng.standard_normal((30, 10)), rng.integers(0, 3, 30)
    Xv, yv = rng.standard_normal((30, 10)), rng.integers(0, 3, 30)   # pure noise: over-fits
    net = Sequential(Linear(10, 64, rng=2), ReLU(), Linear(64, 3, rng=3))
    W = net[0].params["W"]
    h = fit(net, cross_entropy, SGD(0.2), X, y, epochs=200, batch_size=10, rng=4,
            validation=(Xv, yv), patience=5, progress=False)
    assert h.best_epoch is not None and len(h.val_loss) == h.best_epoch + 5 < 200
    assert h.val_loss[h.best_epoch - 1] == min(h.val_loss)
    from mathdl.training import evaluate
    assert np.isclose(evaluate(net, cross_entropy, Xv, yv)[0], min(h.val_loss))
    assert net[0].params["W"] is W                                   # restored in place


def test_fit_patience_needs_validation():
    with pytest.raises(ValueError, match="validation"):
        fit(Linear(2, 1), mse, SGD(0.1), np.ones((3, 2)), np.ones((3, 1)), patience=2,
            progress=False)
    with pytest.raises(ValueError, match="patience"):
        fit(Linear(2, 1), mse, SGD(0.1), np.ones((3, 2)), np.ones((3, 1)), patience=0,
            validation=(np.ones((3, 2)), np.ones((3, 1))), progress=False)


# -- ridge polynomials and the over-fitting explorer ---------------------------
def test_ridge_fit_solves_the_penalised_normal_equations():
    from mathdl.datasets import make_sine
    from mathdl.regularization import polynomial_features, ridge_fit

    x, y = make_sine(12, rng=0)
    X = polynomial_features(x, 6)
    assert X.shape == (12, 7) and np.allclose(X[:, 0], 1) and np.allclose(X[:, 3], x ** 3)
    for lam in (1e-6, 0.1, 10.0):
        w = ridge_fit(X, y, lam)
        assert np.allclose((X.T @ X + lam * np.eye(7)) @ w, X.T @ y, atol=1e-9)
        numeric = numeric_gradient(lambda v: np.sum((X @ v - y) ** 2) + lam * np.sum(v ** 2), w.copy())
        assert np.max(np.abs(numeric)) < 1e-6                      # a stationary point
    assert np.allclose(ridge_fit(X, y), np.linalg.lstsq(X, y, rcond=None)[0])
    with pytest.raises(ValueError, match="degree"):
        polynomial_features(x, -1)
    with pytest.raises(ValueError, match="one entry per row"):
        ridge_fit(X, y[:5])


def test_overfitting_errors_training_error_never_rises_with_the_degree():
    from mathdl.plotting import overfitting_errors

    errors = overfitting_errors(10, 0.0)
    assert np.all(np.diff(errors["train"]) <= 1e-9)               # nested models
    assert errors["train"][9] < 1e-6                               # 10 points, 10 coefficients
    assert errors["val"][9] > 10 * errors["val"][3]                # interpolation over-fits
    ridge = overfitting_errors(10, 1e-3)
    assert ridge["val"][9] < errors["val"][9] / 10                 # the penalty tames it


def test_overfitting_explorer_state_and_draw():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from mathdl.widgets import OverfittingExplorer

    explorer = OverfittingExplorer()
    assert explorer.state() == {"n": 10, "degree": 9, "lam": 0.0}
    explorer.log10_lam.value = -3.0
    explorer.n.value = 40
    assert explorer.state() == {"n": 40, "degree": 9, "lam": 1e-3}
    fig = explorer.draw()
    assert len(fig.axes) == 2
    plt.close(fig)
