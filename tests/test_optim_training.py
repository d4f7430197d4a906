"""cross_entropy, SGD and the training loop."""

import numpy as np
import pytest

from mathdl import datasets
from mathdl.activations import ReLU, Tanh, softmax
from mathdl.gradcheck import check_gradient
from mathdl.layers import Linear, Sequential
from mathdl.losses import cross_entropy
from mathdl.optim import SGD
from mathdl.training import evaluate, fit

RNG = np.random.default_rng(0)


def test_cross_entropy_value_gradient_and_stability():
    z, t = RNG.standard_normal((5, 4)), np.array([0, 3, 1, 1, 2])
    value, grad = cross_entropy(z, t)
    assert value == pytest.approx(-np.mean(np.log(softmax(z)[np.arange(5), t])))
    onehot = np.eye(4)[t]
    np.testing.assert_allclose(grad, (softmax(z) - onehot) / 5, rtol=1e-14)
    assert check_gradient(lambda v: cross_entropy(v, t)[0], lambda v: cross_entropy(v, t)[1], z) < 1e-7
    big = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 0.0]])
    value, grad = cross_entropy(big, np.array([1, 1]))
    assert value == pytest.approx(1e4) and np.all(np.isfinite(grad))


def test_cross_entropy_bad_targets():
    z = np.zeros((2, 3))
    with pytest.raises(ValueError, match=r"class indices in \[0, 2\], got 3"):
        cross_entropy(z, np.array([0, 3]))
    with pytest.raises(ValueError, match=r"targets must have shape \(2,\)"):
        cross_entropy(z, np.array([0, 1, 2]))
    with pytest.raises(TypeError, match="integer class indices"):
        cross_entropy(z, np.array([0.5, 1.0]))
    with pytest.raises(ValueError, match="logits must have 2 dimension"):
        cross_entropy(np.zeros(3), np.array([0]))


def test_sgd_updates_in_place_and_checks_its_arguments():
    p = [np.array([1.0, 2.0]), np.array([[3.0]])]
    refs = list(p)
    SGD(0.5).step(p, [np.array([2.0, -2.0]), np.array([[1.0]])])
    assert p[0] is refs[0]
    np.testing.assert_array_equal(p[0], [0.0, 3.0])
    np.testing.assert_array_equal(p[1], [[2.5]])
    with pytest.raises(ValueError, match="lr must be > 0"):
        SGD(-0.1)
    with pytest.raises(ValueError, match="same length"):
        SGD(0.1).step(p, p[:1])
    with pytest.raises(ValueError, match=r"grads\[0\] must have the shape"):
        SGD(0.1).step(p, [np.zeros(3), np.zeros((1, 1))])
    with pytest.raises(TypeError, match=r"params\[0\] must be a float numpy array"):
        SGD(0.1).step([[1.0]], [np.zeros(1)])
    opt = SGD(0.1)
    opt.step(p, [np.zeros(2), np.zeros((1, 1))])
    assert opt.t == 1 and opt.reset().t == 0


def test_sgd_keeps_float32():
    p = [np.ones(3, np.float32)]
    SGD(0.1).step(p, [np.ones(3)])
    assert p[0].dtype == np.float32


def test_fit_learns_xor_and_is_seeded():
    X, y = datasets.make_xor(200, rng=0)

    def run():
        net = Sequential(Linear(2, 8, rng=1), Tanh(), Linear(8, 2, rng=2))
        return net, fit(net, cross_entropy, SGD(0.5), X, y, epochs=60, batch_size=20, rng=3,
                        validation=(X, y), progress=False)

    net, history = run()
    _, again = run()
    assert history.loss == again.loss
    assert history.accuracy[-1] >= 0.97 and history.val_accuracy[-1] >= 0.97
    assert len(history.loss) == 60 and history.loss[-1] < history.loss[0]
    assert not net.training   # fit leaves the model in evaluation mode
    loss, acc = evaluate(net, cross_entropy, X, y)
    assert acc == history.val_accuracy[-1] and loss == pytest.approx(history.val_loss[-1])


def test_fit_progress_bar_goes_to_stderr(capsys):
    X, y = datasets.make_xor(40, rng=0)
    net = Sequential(Linear(2, 4, rng=1), ReLU(), Linear(4, 2, rng=2))
    fit(net, cross_entropy, SGD(0.1), X, y, epochs=3, rng=0, progress=True)
    captured = capsys.readouterr()
    assert captured.out == "" and "epoch    3/3" in captured.err


def test_fit_bad_arguments():
    net = Sequential(Linear(2, 2, rng=0))
    with pytest.raises(ValueError, match="same number of samples"):
        fit(net, cross_entropy, SGD(0.1), np.zeros((3, 2)), np.zeros(2, int), progress=False)
    with pytest.raises(ValueError, match="batch_size must be a positive int"):
        fit(net, cross_entropy, SGD(0.1), np.zeros((3, 2)), np.zeros(3, int), batch_size=0,
            progress=False)


def test_accuracy_with_integer_valued_float_labels_and_checks_of_evaluate():
    X, y = datasets.make_xor(40, rng=0)
    net = Sequential(Linear(2, 4, rng=1), ReLU(), Linear(4, 2, rng=2))
    history = fit(net, cross_entropy, SGD(0.1), X, y.astype(float), epochs=1, rng=0, progress=False)
    assert 0.0 <= history.accuracy[0] <= 1.0
    with pytest.raises(ValueError, match="X is empty"):
        evaluate(net, cross_entropy, np.zeros((0, 2)), np.zeros(0, int))
    with pytest.raises(ValueError, match="same number of samples"):
        evaluate(net, cross_entropy, X, y[:3])
    with pytest.raises(ValueError, match="epochs must be a non-negative int"):
        fit(net, cross_entropy, SGD(0.1), X, y, epochs=True, progress=False)


def test_adam_first_two_steps_by_hand():
    from mathdl.optim import Adam

    p = [np.array([1.0, -2.0])]
    opt = Adam(lr=0.1, betas=(0.9, 0.99), eps=1e-8)
    g1, g2 = np.array([0.5, -1.0]), np.array([0.1, 2.0])
    opt.step(p, [g1])
    # step 1: m̂ = g1, v̂ = g1², so the step is lr·sign(g1) (up to eps)
    np.testing.assert_allclose(p[0], [1.0 - 0.1, -2.0 + 0.1], rtol=1e-7)
    p1 = np.array([1.0, -2.0]) - 0.1 * g1 / (np.abs(g1) + 1e-8)
    np.testing.assert_allclose(p[0], p1, rtol=1e-15)
    opt.step(p, [g2])
    m = 0.9 * 0.1 * g1 + 0.1 * g2
    v = 0.99 * 0.01 * g1**2 + 0.01 * g2**2
    m_hat, v_hat = m / (1 - 0.9**2), v / (1 - 0.99**2)
    np.testing.assert_allclose(p[0], p1 - 0.1 * m_hat / (np.sqrt(v_hat) + 1e-8), rtol=1e-12)
    assert opt.reset().t == 0 and opt.state == {}


def test_adam_rejects_bad_hyper_parameters_and_trains():
    from mathdl.optim import Adam

    with pytest.raises(ValueError, match=r"betas\[0\] must be < 1"):
        Adam(betas=(1.0, 0.999))
    with pytest.raises(ValueError, match=r"betas\[1\] must be ≥ 0"):
        Adam(betas=(0.9, -0.1))
    with pytest.raises(ValueError, match="eps must be > 0"):
        Adam(eps=0)
    with pytest.raises(TypeError, match="betas must be a pair"):
        Adam(betas=0.9)
    X, y = datasets.make_xor(200, rng=0)
    net = Sequential(Linear(2, 8, rng=1), Tanh(), Linear(8, 2, rng=2))
    history = fit(net, cross_entropy, Adam(lr=0.05), X, y, epochs=30, batch_size=20, rng=3,
                  progress=False)
    assert history.accuracy[-1] >= 0.97
    p = [np.ones(2, np.float32)]
    Adam().step(p, [np.ones(2)])
    assert p[0].dtype == np.float32
