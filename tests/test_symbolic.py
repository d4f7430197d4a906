"""Executable derivations: right chains pass, every kind of wrong one fails."""

import numpy as np
import pytest
import sympy as sp

from mathdl import activations as act
from mathdl.symbolic import Derivation, exactly_equal, verify_derivative, verify_identity

x, t = sp.symbols("x t", real=True)
sigma = sp.Function("sigma")
DEFS = {sigma: sp.Lambda(t, 1 / (1 + sp.exp(-t)))}
TAILS = [-700, -40, -25, 25, 30, 40, 700, 800, 1e4]


def sigmoid_chain(flip_last=False):
    with sp.evaluate(False):
        d = Derivation(sp.Derivative(sigma(x), x), defs=DEFS)
        d.step(sp.Derivative((1 + sp.exp(-x)) ** -1, x), "definition")
        d.step(sp.exp(-x) / (1 + sp.exp(-x)) ** 2, "chain rule")
        d.step(sigma(x) * ((1 + sigma(x)) if flip_last else (1 - sigma(x))), "split")
    return d


def test_a_right_chain_prints_its_verification_line(capsys):
    result = sigmoid_chain().verify("eq-test", show=False)
    out = capsys.readouterr().out
    assert out == ("verified eq-test: derivation of 3 steps, each step symbolic exact; "
                   "numeric < 1e-12\n")
    assert result.line == out.strip() and result.errors["numeric"] < 1e-12


def test_a_flipped_sign_in_one_step_fails_and_names_the_step():
    with pytest.raises(AssertionError, match=r"eq-test: step 3 \(split\) is not equal"):
        sigmoid_chain(flip_last=True).verify("eq-test", show=False)


def test_the_chain_is_rendered_with_a_mark_per_step():
    d = sigmoid_chain()
    latex = d.latex([True, True, False])
    assert latex.startswith(r"\begin{gathered}\begin{aligned}") and latex.count(r"\checkmark") == 2
    assert r"\overset{(2)}{=}" in latex and r"\text{(2) chain rule}" in latex
    assert r"\boldsymbol{\times}\ \text{(3) split}" in latex


def test_first_step_is_checked_against_the_left_hand_side():
    d = Derivation(sp.Derivative(x ** 3, x)).step(2 * x ** 2, "wrong power rule")
    with pytest.raises(AssertionError, match="step 1"):
        d.verify("eq-test", show=False)


def test_matrix_steps_are_checked_element_by_element():
    a, b = sp.symbols("a b", real=True)
    M = sp.Matrix([[a, b], [b, a]])
    v = sp.Matrix([1, 2])
    Derivation(M * v).step(sp.Matrix([a + 2 * b, b + 2 * a]), "multiply out").verify("eq-m", show=False)
    with pytest.raises(AssertionError):
        Derivation(M * v).step(sp.Matrix([a + 2 * b, b - 2 * a]), "sign").verify("eq-m", show=False)


def test_reasons_and_labels_are_validated():
    with pytest.raises(ValueError, match="why"):
        Derivation(x).step(x, "")
    with pytest.raises(ValueError, match="plain text"):
        Derivation(x).step(x, r"uses \sigma")
    with pytest.raises(ValueError, match="label"):
        Derivation(x).step(x, "same").verify("has space", show=False)
    with pytest.raises(ValueError, match="at least one step"):
        Derivation(x).verify("eq-empty", show=False)


def test_exactly_equal_handles_absolute_values_by_cases():
    stable = sp.exp(-sp.Abs(x)) / (1 + sp.exp(-sp.Abs(x))) ** 2
    assert exactly_equal(sigma(x) * (1 - sigma(x)), stable, DEFS)
    assert not exactly_equal(sigma(x) * (1 - sigma(x)), 2 * stable, DEFS)


def test_verify_derivative_passes_the_real_sigmoid(capsys):
    result = verify_derivative("eq-s", sigma(x), x, sigma(x) * (1 - sigma(x)), defs=DEFS,
                               implementation=act.sigmoid_derivative, function=act.sigmoid,
                               saturation=TAILS, show=False)
    assert capsys.readouterr().out.startswith("verified eq-s: symbolic exact; numeric < 1e-7; tails < 1e-10")
    assert result.errors["mathdl vs finite difference"] < 1e-7


def test_verify_derivative_catches_a_wrong_stated_formula():
    with pytest.raises(AssertionError, match="is not the stated"):
        verify_derivative("eq-s", sigma(x), x, sigma(x) * (1 + sigma(x)), defs=DEFS,
                          implementation=act.sigmoid_derivative, function=act.sigmoid, show=False)


def test_verify_derivative_catches_a_wrong_implementation():
    with pytest.raises(AssertionError, match="numeric check failed"):
        verify_derivative("eq-s", sigma(x), x, sigma(x) * (1 - sigma(x)), defs=DEFS,
                          implementation=lambda v: -act.sigmoid_derivative(v),
                          function=act.sigmoid, show=False)


def test_verify_derivative_catches_the_textbook_formula_in_the_tails():
    def naive(v):
        s = act.sigmoid(v)
        return s * (1 - s)
    with pytest.raises(AssertionError, match="at x = -?[0-9]+"):
        verify_derivative("eq-s", sigma(x), x, sigma(x) * (1 - sigma(x)), defs=DEFS,
                          implementation=naive, function=act.sigmoid, saturation=TAILS, show=False)


def test_verify_derivative_catches_warnings_in_the_tails():
    def noisy(v):
        return np.exp(v) * 0 + act.sigmoid_derivative(v)  # exp overflows at 800
    with pytest.raises(RuntimeWarning):
        verify_derivative("eq-s", sigma(x), x, sigma(x) * (1 - sigma(x)), defs=DEFS,
                          implementation=noisy, function=act.sigmoid, saturation=TAILS, show=False)


def test_saturation_points_must_reach_the_interesting_range():
    with pytest.raises(ValueError, match="20 ≤ |x| ≤ 45"):
        verify_derivative("eq-s", sigma(x), x, sigma(x) * (1 - sigma(x)), defs=DEFS,
                          implementation=act.sigmoid_derivative, function=act.sigmoid,
                          saturation=[100, 700], show=False)


def test_verify_derivative_keeps_away_from_kinks():
    relu = sp.Piecewise((0, x < 0), (x, True))
    verify_derivative("eq-relu", relu, x, sp.Piecewise((0, x < 0), (1, True)),
                      implementation=act.relu_derivative, function=act.relu, kinks=[0.0], show=False)


def test_verify_identity(capsys):
    verify_identity("eq-i", sp.tanh(x), 2 * sigma(2 * x) - 1, defs=DEFS, show=False)
    assert capsys.readouterr().out == "verified eq-i: symbolic exact; numeric < 1e-12\n"
    with pytest.raises(AssertionError, match="not equal"):
        verify_identity("eq-i", sp.tanh(x), 2 * sigma(x) - 1, defs=DEFS, show=False)


def test_verify_gradient_of_a_least_squares_loss(capsys):
    from mathdl import neuron
    from mathdl.symbolic import verify_gradient

    w, b = sp.symbols("w b", real=True)
    xs, ys = [0.5, -1.0, 2.0], [1.0, 0.0, 3.0]
    J = sum((w * xi + b - yi) ** 2 for xi, yi in zip(xs, ys)) / 3
    stated = [sp.Rational(2, 3) * sum((w * xi + b - yi) * xi for xi, yi in zip(xs, ys)),
              sp.Rational(2, 3) * sum((w * xi + b - yi) for xi, yi in zip(xs, ys))]
    X, y = np.array(xs)[:, None], np.array(ys)
    model = neuron.LinearRegression()
    verify_gradient("eq-g", J, [w, b], stated, show=False,
                    implementation=lambda t: model.loss_and_grad(X, y, t)[1],
                    function=lambda t: model.loss_and_grad(X, y, t)[0])
    assert capsys.readouterr().out == ("verified eq-g: gradient in 2 variables, symbolic exact; "
                                       "numeric < 1e-7\n")
    with pytest.raises(AssertionError, match="is not the stated"):
        verify_gradient("eq-g", J, [w, b], [stated[0], -stated[1]], show=False,
                        implementation=lambda t: model.loss_and_grad(X, y, t)[1],
                        function=lambda t: model.loss_and_grad(X, y, t)[0])
    with pytest.raises(AssertionError, match="numeric check failed"):
        verify_gradient("eq-g", J, [w, b], stated, show=False,
                        implementation=lambda t: 2 * model.loss_and_grad(X, y, t)[1],
                        function=lambda t: model.loss_and_grad(X, y, t)[0])


def test_function_must_be_the_f_that_sympy_differentiates():
    with pytest.raises(AssertionError, match="`function` is not the f"):
        verify_derivative("eq-s", sigma(x), x, sigma(x) * (1 - sigma(x)), defs=DEFS,
                          implementation=act.sigmoid_derivative,
                          function=lambda v: act.sigmoid(v) + 7, show=False)


def test_points_at_infinity_are_compared_with_the_limit():
    softplus = sp.log(1 + sp.exp(x))

    def softplus_derivative(v):
        return act.sigmoid(v)

    def softplus_np(v):
        return np.logaddexp(0, v)

    verify_derivative("eq-sp", softplus, x, sigma(x), defs=DEFS, implementation=softplus_derivative,
                      function=softplus_np, saturation=[-30, 25, 40, np.inf, -np.inf], show=False)
    with pytest.raises(AssertionError, match="x = inf"):
        verify_derivative("eq-sp", softplus, x, sigma(x), defs=DEFS,
                          implementation=lambda v: np.where(np.isinf(v), 0.0, act.sigmoid(v)),
                          function=softplus_np, saturation=[-30, 25, np.inf], show=False)


def test_part_names_the_piece_of_an_equation(capsys):
    verify_identity("eq-i", sp.tanh(x), 2 * sigma(2 * x) - 1, defs=DEFS, part="tanh form", show=False)
    assert capsys.readouterr().out == "verified eq-i [tanh form]: symbolic exact; numeric < 1e-12\n"
    with pytest.raises(ValueError, match="part names"):
        verify_identity("eq-i", x, x, part="a: b", show=False)


def test_the_sign_split_is_only_for_real_symbols():
    z = sp.Symbol("z")                       # complex: sqrt(z**2) is not |z|
    assert not exactly_equal(sp.sqrt(z ** 2), sp.Abs(z))
    assert exactly_equal(sp.sqrt(x ** 2), sp.Abs(x))


def test_shown_as_prints_the_book_notation_with_powers_and_expands_in_any_order():
    import sympy as sp

    from mathdl.symbolic import shown_as, verify_identity

    z = sp.Symbol("z", real=True)
    p = shown_as("p_demo", "p_1")
    g = shown_as("g_demo", lambda arg: rf"g({arg})")
    assert sp.latex(p(z) ** 2) == "{p_1}^{2}"
    assert sp.latex(1 - g(z) ** 2) == "1 - {g(z)}^{2}"
    # p is defined through g, and g is listed after p: the expansion must still reach the end
    defs = {p: sp.Lambda(z, 2 * g(z)), g: sp.Lambda(z, sp.tanh(z))}
    verify_identity("eq-demo-shown-as", p(z) ** 2, 4 * sp.tanh(z) ** 2, defs=defs)
