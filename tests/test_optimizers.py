"""The optimizers of the optimizers chapter: first two steps by hand, state, bad input,
run(), second-order methods, the test surfaces and the explorer."""

import warnings

import numpy as np
import pytest

from mathdl import optim, surfaces
from mathdl.gradcheck import numeric_gradient, rel_error

G1, G2 = np.array([1.0, -2.0]), np.array([0.5, 4.0])       # the gradients of steps 1 and 2
X0 = np.array([0.3, 0.7])


def two_steps(opt):
    x = X0.copy()
    opt.step([x], [G1.copy()])
    first = x.copy()
    opt.step([x], [G2.copy()])
    return first, x


def test_momentum_first_two_steps_by_hand():
    lr, mu = 0.1, 0.9
    v1 = -lr * G1
    v2 = mu * v1 - lr * G2
    first, second = two_steps(optim.Momentum(lr, mu))
    np.testing.assert_allclose(first, X0 + v1, rtol=1e-15)
    np.testing.assert_allclose(second, X0 + v1 + v2, rtol=1e-15)


def test_nesterov_first_two_steps_by_hand():
    lr, mu = 0.1, 0.9
    v1 = -lr * G1
    x1 = X0 + mu * v1 - lr * G1
    v2 = mu * v1 - lr * G2
    x2 = x1 + mu * v2 - lr * G2
    first, second = two_steps(optim.Nesterov(lr, mu))
    np.testing.assert_allclose(first, x1, rtol=1e-15)
    np.testing.assert_allclose(second, x2, rtol=1e-15)


def test_nesterov_equals_sutskevers_look_ahead_form_on_a_quadratic():
    A = np.array([[3.0, 1.0], [1.0, 2.0]])
    lr, mu = 0.1, 0.8
    # Sutskever et al.: v ← μv − η∇f(θ + μv), θ ← θ + v; the stored form tracks φ = θ + μv
    theta, v = X0.copy(), np.zeros(2)
    path = optim.run(optim.Nesterov(lr, mu), lambda x: A @ x, X0 + mu * v, 20)
    for k in range(1, 21):
        v = mu * v - lr * A @ (theta + mu * v)
        theta = theta + v
        np.testing.assert_allclose(path[k], theta + mu * v, rtol=1e-12, atol=1e-15)


def test_adagrad_and_rmsprop_first_two_steps_by_hand():
    lr, eps = 0.1, 1e-10
    G = G1 ** 2
    x1 = X0 - lr * G1 / (np.sqrt(G) + eps)
    G = G + G2 ** 2
    x2 = x1 - lr * G2 / (np.sqrt(G) + eps)
    first, second = two_steps(optim.AdaGrad(lr, eps))
    np.testing.assert_allclose(first, x1, rtol=1e-15)
    np.testing.assert_allclose(second, x2, rtol=1e-15)

    rho, eps = 0.9, 1e-8
    s = (1 - rho) * G1 ** 2
    x1 = X0 - lr * G1 / (np.sqrt(s) + eps)
    s = rho * s + (1 - rho) * G2 ** 2
    x2 = x1 - lr * G2 / (np.sqrt(s) + eps)
    first, second = two_steps(optim.RMSProp(lr, rho, eps))
    np.testing.assert_allclose(first, x1, rtol=1e-14)
    np.testing.assert_allclose(second, x2, rtol=1e-14)


def test_adamw_decays_the_weights_then_takes_the_adam_step():
    lr, wd = 0.1, 0.5
    x_w, x_a = X0.copy(), X0 * (1 - lr * wd)
    optim.AdamW(lr, weight_decay=wd).step([x_w], [G1])
    optim.Adam(lr).step([x_a], [G1])
    np.testing.assert_allclose(x_w, x_a, rtol=1e-15)
    x = X0.copy()
    optim.AdamW(lr, weight_decay=0.0).step([x], [G1])
    y = X0.copy()
    optim.Adam(lr).step([y], [G1])
    np.testing.assert_array_equal(x, y)


@pytest.mark.parametrize("make", [lambda: optim.Momentum(0.1), lambda: optim.Nesterov(0.1),
                                  lambda: optim.AdaGrad(0.1), lambda: optim.RMSProp(0.1),
                                  lambda: optim.AdamW(0.1)])
def test_reset_forgets_the_state_and_float32_is_kept(make):
    opt = make()
    a, b = two_steps(opt)
    opt.reset()
    assert opt.state == {} and opt.t == 0
    np.testing.assert_array_equal(two_steps(opt)[1], b)          # same as a fresh optimizer
    x = X0.astype(np.float32)
    opt.reset().step([x], [G1.astype(np.float32)])
    assert x.dtype == np.float32


def test_bad_hyper_parameters_are_rejected_clearly():
    for bad in (lambda: optim.Momentum(-0.1), lambda: optim.Nesterov(0.0),
                lambda: optim.AdaGrad(lr=-1), lambda: optim.RMSProp(eps=0)):
        with pytest.raises(ValueError, match="lr|eps"):
            bad()
    for bad in (lambda: optim.Momentum(0.1, momentum=1.0), lambda: optim.Nesterov(0.1, momentum=-0.1),
                lambda: optim.RMSProp(0.1, rho=1.5)):
        with pytest.raises(ValueError, match="momentum|rho"):
            bad()
    with pytest.raises(ValueError, match="weight_decay"):
        optim.AdamW(weight_decay=-1)
    with pytest.raises(ValueError, match=r"betas\[1\]"):
        optim.Adam(betas=(0.9, 1.0))
    opt = optim.Momentum(0.1)
    opt.step([np.zeros(2)], [np.ones(2)])
    with pytest.raises(ValueError, match="changed shape"):
        opt.step([np.zeros(3)], [np.ones(3)])


def test_run_stops_at_the_first_non_finite_iterate_without_warnings():
    A = np.diag([1.0, 10.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        path = optim.run(optim.SGD(0.3), lambda x: A @ x, [1.0, 1.0], 5000)
    assert not np.all(np.isfinite(path[-1])) and np.all(np.isfinite(path[:-1]))
    # |1 − 0.3·10| = 2 per step: 2^k overflows float64 (≈ 1.8e308) after about 1024 steps
    assert 1020 < len(path) - 1 < 1030
    ok = optim.run(optim.SGD(0.1), lambda x: A @ x, [1.0, 1.0], 50)
    assert ok.shape == (51, 2)
    with pytest.raises(ValueError, match="steps"):
        optim.run(optim.SGD(0.1), lambda x: x, [1.0], -1)
    with pytest.raises(ValueError, match="needs the Hessian"):
        optim.run(optim.Newton(), lambda x: x, [1.0], 3)
    with pytest.raises(ValueError, match="x0 must be finite"):
        optim.run(optim.SGD(0.1), lambda x: x, [np.nan], 3)


def test_newton_solves_a_quadratic_in_one_step_and_cg_in_n():
    gen = np.random.default_rng(0)
    Q = np.linalg.qr(gen.standard_normal((5, 5)))[0]
    A = Q @ np.diag([1.0, 2.0, 5.0, 20.0, 100.0]) @ Q.T
    b = gen.standard_normal(5)
    x_star = np.linalg.solve(A, b)
    grad, hess = (lambda x: A @ x - b), (lambda x: A)
    newton = optim.run(optim.Newton(), grad, np.zeros(5), 1, hess_fn=hess)
    np.testing.assert_allclose(newton[1], x_star, rtol=1e-10)
    cg = optim.run(optim.ConjugateGradient(), grad, np.zeros(5), 5, hess_fn=hess)
    np.testing.assert_allclose(cg[5], x_star, rtol=1e-8)
    assert rel_error(cg[4], x_star) > 1e-6                      # not before the n-th step
    with pytest.raises(ValueError, match="one parameter vector"):
        optim.Newton().step([np.zeros((2, 2))], [np.zeros((2, 2))], np.eye(4))


@pytest.mark.parametrize("surface", [surfaces.quadratic(7.0, 0.4), surfaces.rosenbrock(),
                                     surfaces.saddle(), surfaces.himmelblau()])
def test_surfaces_gradients_and_hessians_match_finite_differences(surface):
    gen = np.random.default_rng(1)
    for _ in range(5):
        x = gen.uniform(-2, 2, size=2)
        f = lambda p: float(surface(p))
        assert rel_error(surface.grad(x), numeric_gradient(f, x.copy())) < 1e-7
        rows = [numeric_gradient(lambda p, i=i: float(surface.grad(p)[i]), x.copy()) for i in range(2)]
        assert rel_error(surface.hess(x), np.array(rows)) < 1e-6
    for m in surface.minima:
        assert np.linalg.norm(surface.grad(np.array(m))) < 1e-4
    grid = np.zeros((3, 4, 2))
    assert surface(grid).shape == (3, 4)


def test_quadratic_has_the_requested_condition_number():
    A = surfaces.quadratic(50.0, 1.0).hess(np.zeros(2))
    eig = np.linalg.eigvalsh(A)
    assert eig == pytest.approx([1.0, 50.0])
    with pytest.raises(ValueError, match="kappa"):
        surfaces.quadratic(0.5)


def test_optimizer_explorer_paths_figure_and_animation():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from mathdl.plotting import animate_optimizer_paths, optimizer_paths, plot_optimizer_paths
    from mathdl.widgets import OptimizerExplorer

    explorer = OptimizerExplorer(optimizers=("GD", "Newton"), lr=0.05, steps=20)
    paths = explorer.paths()
    assert set(paths) == {"GD", "Newton"} and paths["GD"].shape == (21, 2)
    np.testing.assert_allclose(paths["Newton"][1], [0, 0], atol=1e-12)
    explorer.lr.value = 0.5                  # > 2/κ = 0.2 on the default quadratic: diverges
    fig = explorer.draw()
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels[0].startswith("GD: diverged at step") and labels[1].startswith("Newton: f = 0")
    plt.close(fig)
    explorer.surface.value = "Rosenbrock"
    assert explorer.state()["start"] == surfaces.rosenbrock().start
    ros = surfaces.rosenbrock()
    anim = animate_optimizer_paths(ros, optimizer_paths(ros, ("GD",), lr=1e-3, steps=50), frames=5)
    assert "<img" in anim.to_jshtml()
    with pytest.raises(ValueError, match="surface must be one of"):
        OptimizerExplorer(surface="bowl")
    with pytest.raises(ValueError, match="optimizers must be among"):
        OptimizerExplorer(optimizers=("LBFGS",))
    fig = plot_optimizer_paths(surfaces.saddle(), optimizer_paths(surfaces.saddle(), ("GD",), lr=0.1))
    plt.close(fig)
