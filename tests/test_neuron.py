"""Single-neuron models: the perceptron theorem, regression, logistic regression."""

import numpy as np
import pytest

from mathdl import datasets, neuron
from mathdl.gradcheck import check_gradient


@pytest.mark.parametrize("seed", range(5))
def test_perceptron_converges_within_its_mistake_bound(seed):
    X, y = datasets.make_separable(150, margin=0.25, rng=seed)
    y = 2 * y - 1
    model = neuron.Perceptron(rng=seed).fit(X, y)
    _, _, bound = neuron.mistake_bound(X, y, (1.0, -0.5), 0.2)
    assert model.converged_ and model.mistakes_ <= bound
    assert np.all(model.predict(X) == y)


def test_perceptron_learns_only_from_mistakes_and_equals_the_sequential_algorithm():
    X, y = datasets.make_separable(60, rng=4)
    y = 2 * y - 1
    model = neuron.Perceptron(shuffle=False, max_epochs=20).fit(X, y)
    w, b, mistakes = np.zeros(2), 0.0, 0            # the textbook loop, one sample at a time
    for _ in range(20):
        changed = False
        for xi, yi in zip(X, y):
            if yi * (xi @ w + b) <= 0:
                w, b, mistakes, changed = w + yi * xi, b + yi, mistakes + 1, True
        if not changed:
            break
    np.testing.assert_array_equal(model.coef_, w)
    assert model.intercept_ == b and model.mistakes_ == mistakes


def test_perceptron_learning_rate_only_rescales():
    X, y = datasets.make_separable(80, rng=5)
    y = 2 * y - 1
    a = neuron.Perceptron(lr=1.0, rng=1).fit(X, y)
    b = neuron.Perceptron(lr=0.01, rng=1).fit(X, y)
    np.testing.assert_allclose(b.coef_, 0.01 * a.coef_)
    assert a.mistakes_ == b.mistakes_


def test_perceptron_never_converges_on_xor():
    X, y = datasets.make_xor(200, rng=0)
    model = neuron.Perceptron(max_epochs=30, rng=0).fit(X, 2 * y - 1)
    assert not model.converged_ and min(model.mistakes_per_epoch_) > 0


def test_perceptron_is_seeded():
    X, y = datasets.make_separable(80, rng=2)
    a = neuron.Perceptron(rng=7).fit(X, 2 * y - 1)
    b = neuron.Perceptron(rng=7).fit(X, 2 * y - 1)
    np.testing.assert_array_equal(a.coef_, b.coef_)


def test_perceptron_rejects_01_labels_with_a_hint():
    X, y = datasets.make_blobs(20, rng=0)
    with pytest.raises(ValueError, match=r"labels -1 and \+1, got \[0.0, 1.0\] \(0/1 labels: use 2 \* y - 1\)"):
        neuron.Perceptron().fit(X, y)


def test_mistake_bound_rejects_a_non_separator():
    X, y = datasets.make_separable(50, rng=0)
    with pytest.raises(ValueError, match="does not separate"):
        neuron.mistake_bound(X, 2 * y - 1, (-1.0, 0.5), -0.2)


def test_linear_regression_normal_equations_and_gradient_descent_agree():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((200, 3))
    y = X @ np.array([1.5, -2.0, 0.5]) + 0.7 + 0.1 * rng.standard_normal(200)
    exact = neuron.LinearRegression().fit(X, y)
    gd = neuron.LinearRegression(method="gd", lr=0.1, epochs=2000).fit(X, y)
    np.testing.assert_allclose(gd.coef_, exact.coef_, atol=1e-8)
    assert gd.intercept_ == pytest.approx(exact.intercept_, abs=1e-8)
    np.testing.assert_allclose(exact.coef_, [1.5, -2.0, 0.5], atol=0.05)
    assert np.all(np.diff(gd.history_) <= 1e-15)       # the loss never goes up at this step size


def test_linear_regression_gradient_matches_finite_differences():
    rng = np.random.default_rng(1)
    X, y = rng.standard_normal((10, 2)), rng.standard_normal(10)
    model = neuron.LinearRegression()
    assert check_gradient(lambda t: model.loss_and_grad(X, y, t)[0],
                          lambda t: model.loss_and_grad(X, y, t)[1], rng.standard_normal(3)) < 1e-7


def test_gradient_descent_stops_quietly_when_it_diverges():
    rng = np.random.default_rng(2)
    X, y = 10 * rng.standard_normal((50, 2)), rng.standard_normal(50)
    with np.errstate(all="raise"):
        model = neuron.LinearRegression(method="gd", lr=1.0, epochs=5000).fit(X, y)
    assert model.diverged_ and len(model.history_) < 5000


def test_logistic_regression_separates_blobs_and_its_gradient_is_right():
    X, y = datasets.make_blobs(200, distance=4.0, rng=0)
    model = neuron.LogisticRegression(lr=0.5, epochs=500).fit(X, y)
    assert np.mean(model.predict(X) == y) >= 0.97
    p = model.predict_proba(X)
    assert p.shape == (200,) and np.all((p > 0) & (p < 1))
    rng = np.random.default_rng(3)
    assert check_gradient(lambda t: model.loss_and_grad(X, y, t)[0],
                          lambda t: model.loss_and_grad(X, y, t)[1], rng.standard_normal(3)) < 1e-7


def test_logistic_regression_rejects_pm1_labels():
    X, y = datasets.make_blobs(20, rng=0)
    with pytest.raises(ValueError, match=r"labels 0 and 1.*\(y \+ 1\) / 2"):
        neuron.LogisticRegression().fit(X, 2 * y - 1)


def test_models_check_their_input():
    with pytest.raises(RuntimeError, match="not fitted"):
        neuron.LogisticRegression().predict(np.zeros((2, 2)))
    model = neuron.LinearRegression().fit(np.zeros((3, 2)) + np.arange(3)[:, None], np.arange(3.0))
    with pytest.raises(ValueError, match="X must have 2 features"):
        model.predict(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="y must have one entry per row of X"):
        neuron.LinearRegression().fit(np.zeros((3, 2)), np.zeros(4))
    with pytest.raises(ValueError, match="X must have 2 dimension"):
        neuron.LinearRegression().fit(np.zeros(3), np.zeros(3))
    with pytest.raises(ValueError, match="lr must be > 0"):
        neuron.Perceptron(lr=0)
    with pytest.raises(ValueError, match="method must be"):
        neuron.LinearRegression(method="sgd")
    with pytest.raises(ValueError, match="max_epochs"):
        neuron.Perceptron(max_epochs=0)
