"""Executable derivations: every formula on the page checked twice (DESIGN §5).

Three helpers, each tied to the MyST label of the equation it verifies, each
asserting both of its checks and printing one line that the verification index
collects (``make index``)::

    verified <label>: symbolic exact; numeric < 1e-7

* :class:`Derivation` – a chain of equalities, each step a sympy expression
  with a one-line reason. Every ``=`` is checked exactly (the two sides
  simplify to the same expression for all values of the symbols, element by
  element for matrices) and, as a second check, numerically at random points.
  The chain is shown as aligned LaTeX with every step marked.
* :func:`verify_derivative` – sympy differentiates a function; the result must
  equal the formula stated on the page exactly, and agree numerically with the
  ``mathdl`` implementation and a central difference, and, in the tails, with
  sympy evaluated at 50 digits.
* :func:`verify_identity` – an identity with no code behind it, checked
  exactly and at random points.

A failed check raises ``AssertionError``, so a wrong step fails the notebook,
the book build and ``make test``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import mpmath
import numpy as np
import sympy as sp

from ._validation import as_generator
from .gradcheck import TOLERANCE, numeric_derivative, rel_error

__all__ = ["Derivation", "verify_derivative", "verify_gradient", "verify_identity", "exactly_equal",
           "shown_as", "CheckResult", "IDENTITY_TOLERANCE", "SATURATION_TOLERANCE"]

#: numeric agreement required of two exact-arithmetic-equal formulas in float64
IDENTITY_TOLERANCE = 1e-12
#: plain relative error required against 50-digit sympy in the saturated tails
SATURATION_TOLERANCE = 1e-10
_TINY = float(np.finfo(np.float64).tiny)  # smallest normal float64


@dataclass
class CheckResult:
    """What a check found. ``line`` is what it printed; ``errors`` the measured figures."""

    label: str
    line: str
    errors: dict[str, float] = field(default_factory=dict)

    def _ipython_display_(self):
        """Show nothing as a cell's last value: the check already printed its line."""


def _bound(value: float) -> str:
    """1e-07 -> '1e-7': how a tolerance is printed in the verification lines."""
    mantissa, exponent = f"{value:.0e}".split("e")
    return f"{mantissa}e{int(exponent)}"


def _report(label: str, summary: str, errors: dict[str, float], part: str | None = None) -> CheckResult:
    line = f"verified {label}{f' [{part}]' if part else ''}: {summary}"
    print(line)
    return CheckResult(label, line, errors)


def _check_label(label, part=None):
    if not isinstance(label, str) or not label or any(c.isspace() for c in label):
        raise ValueError(f"label must be the MyST label of the equation, a non-empty string "
                         f"without spaces, got {label!r}")
    if part is not None and (not isinstance(part, str) or not part.strip() or any(c in part for c in "[]:\n")):
        raise ValueError(f"part names which piece of the equation is checked, a short text "
                         f"without brackets or colons, got {part!r}")


# --------------------------------------------------------------------------
# Exact equality
# --------------------------------------------------------------------------
def shown_as(name: str, latex):
    """A sympy function that pages print in the book's notation, not as ``name(...)``.

    ``latex`` is a string (``"p_1"``) or a function of the arguments' LaTeX
    (``lambda z: rf"f'({z})"``). Powers print as ``{p_1}^{2}``. The checks of this
    module replace such a function by its definition, given in ``defs``
    (``{p1: sp.Lambda(z, ...)}``), before comparing anything.
    """
    def _latex(self, printer, *args, exp=None, **kwargs):
        text = latex(*map(printer._print, self.args)) if callable(latex) else latex
        return rf"{{{text}}}^{{{exp}}}" if exp is not None else text

    return type(name, (sp.Function,), {"_latex": _latex})


def _expand(expr, defs):
    """Replace named functions by their definitions (repeatedly, so a definition may use
    another named function, in any order) and evaluate derivatives."""
    expr = sp.sympify(expr)
    defs = defs or {}
    for _ in range(len(defs) + 1):
        before = expr
        for func, body in defs.items():
            expr = expr.replace(func, body)
        if expr == before:
            break
    return expr.doit()


def _is_zero(d) -> bool:
    if d == 0:
        return True
    if d.has(sp.Abs, sp.sign) and d.free_symbols and all(s.is_real for s in d.free_symbols):
        return _is_zero_by_sign(d)
    attempts = (
        sp.simplify,
        lambda e: sp.simplify(e.rewrite(sp.exp)),
        lambda e: sp.cancel(sp.together(sp.expand(e.rewrite(sp.exp)))),
        lambda e: sp.trigsimp(sp.expand_trig(e)),
    )
    for attempt in attempts:
        try:
            if attempt(d) == 0:
                return True
        except (TypeError, ValueError, NotImplementedError, AttributeError):
            continue
    return False


def _is_zero_by_sign(d) -> bool:
    """Zero on every sign pattern of the (real) symbols: s > 0, s < 0 and s = 0 for each.

    sympy cannot simplify |x| without knowing the sign of x; splitting the real
    line into x > 0, x < 0 and x = 0 and simplifying each case is exact.
    """
    cases = [d]
    for symbol in sorted(d.free_symbols, key=str):
        positive = sp.Symbol(f"{symbol.name}_pos", positive=True)
        cases = [c.subs(symbol, value) for c in cases for value in (positive, -positive, 0)]
    # After the split |x| has become x or -x; an Abs that is left (|x - 1|, say)
    # gets one plain simplify, so that this cannot recurse for ever.
    return all(sp.simplify(c) == 0 if c.has(sp.Abs, sp.sign) else _is_zero(c) for c in cases)


def exactly_equal(a, b, defs=None) -> bool:
    """True when ``a − b`` simplifies to 0 (each entry, for matrices).

    ``defs`` maps sympy function symbols to their definitions (``Lambda``), so a
    step can be written with σ(x) and checked with 1/(1 + e^{−x}).
    """
    a, b = _expand(a, defs), _expand(b, defs)
    if isinstance(a, sp.MatrixBase) or isinstance(b, sp.MatrixBase):
        if not (isinstance(a, sp.MatrixBase) and isinstance(b, sp.MatrixBase)) or a.shape != b.shape:
            return False
        return all(_is_zero(sp.expand(u - v)) or _is_zero(u - v) for u, v in zip(a, b))
    return _is_zero(a - b)


def _numeric(expr, symbols, defs):
    """A float64 function of the symbols, for the second (numeric) check."""
    return sp.lambdify(symbols, _expand(expr, defs), modules="numpy")


def _as_float_array(value) -> np.ndarray:
    return np.asarray(np.array(value, dtype=np.float64), dtype=np.float64)


# --------------------------------------------------------------------------
# Derivation chains
# --------------------------------------------------------------------------
def _plain_text(text: str) -> str:
    """A reason goes into LaTeX ``\\text{...}``, where MathJax shows it literally."""
    if any(c in text for c in "\\{}$"):
        raise ValueError(f"why is shown as plain text; write it without \\, braces or $: {text!r}")
    return text


class Derivation:
    r"""A derivation written as a chain of equalities, every step checked.

    >>> x = sp.Symbol("x")
    >>> d = Derivation(sp.Derivative(x**2 * x, x))
    >>> d = d.step(sp.Derivative(x**3, x), "x²·x = x³").step(3 * x**2, "power rule")
    >>> d.verify("eq-example")           # doctest: +SKIP
    verified eq-example: derivation of 2 steps, each step symbolic exact; numeric < 1e-12

    Build the steps inside ``with sympy.evaluate(False):`` when sympy would
    otherwise tidy them into the next step. ``defs`` maps function symbols to
    their definitions (``{sigma: sp.Lambda(t, 1/(1 + sp.exp(-t)))}``); the
    page shows σ(x), the check uses the definition.
    """

    def __init__(self, lhs, *, defs=None, domain=(-3.0, 3.0)):
        self.lhs = sp.sympify(lhs)
        self.defs = dict(defs or {})
        self.domain = (float(domain[0]), float(domain[1]))
        if not self.domain[0] < self.domain[1]:
            raise ValueError(f"domain must be an interval (low, high) with low < high, got {domain}")
        self.steps: list[tuple[sp.Basic, str]] = []

    def step(self, expr, why: str) -> "Derivation":
        """Append ``= expr`` with its justification; returns the derivation."""
        if not isinstance(why, str) or not why.strip():
            raise ValueError("why must say, in a few words, why this step holds")
        self.steps.append((sp.sympify(expr), _plain_text(why.strip())))
        return self

    def latex(self, marks=None) -> str:
        """The chain as LaTeX: step i's "=" carries the number (i), and the reasons
        are listed under the chain, each marked ✓ (or ✗) once checked. Keeping the
        reasons out of the chain's own lines keeps it narrow enough for a phone."""
        rows = []
        for i, (expr, _) in enumerate(self.steps, 1):
            left = sp.latex(self.lhs, order="none") if i == 1 else ""
            rows.append(rf"{left} &\overset{{({i})}}{{=}} {sp.latex(expr, order='none')}")
        reasons = []
        for i, (_, why) in enumerate(self.steps, 1):
            mark = "" if marks is None else (r"\checkmark\ " if marks[i - 1] else r"\boldsymbol{\times}\ ")
            reasons.append(rf"&{mark}\text{{({i}) {why}}}")
        return (r"\begin{gathered}\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}"
                + r" \\[6pt] {\small\begin{aligned}" + r" \\ ".join(reasons)
                + r"\end{aligned}}\end{gathered}")

    def verify(self, label: str, *, part: str | None = None, rng=0, n: int = 24,
               show: bool = True) -> CheckResult:
        """Check every ``=``, show the chain, print the verification line.

        Raises ``AssertionError`` naming the first wrong step (after showing the
        chain with that step marked ✗).
        """
        _check_label(label, part)
        if not self.steps:
            raise ValueError("a derivation needs at least one step")
        exprs = [self.lhs] + [e for e, _ in self.steps]
        marks = [exactly_equal(prev, cur, self.defs) for prev, cur in zip(exprs, exprs[1:])]
        if show:
            from IPython.display import Math, display
            display(Math(self.latex(marks)))
        if not all(marks):
            i = marks.index(False)
            raise AssertionError(
                f"{label}: step {i + 1} ({self.steps[i][1]}) is not equal to the line before it:\n"
                f"  {sp.latex(exprs[i])}\n  ≠ {sp.latex(exprs[i + 1])}")
        # Second check: every line evaluated at random points agrees with the first.
        symbols = sorted(set().union(*(_expand(e, self.defs).free_symbols for e in exprs)), key=str)
        gen = as_generator(rng)
        points = gen.uniform(*self.domain, size=(n, len(symbols)))
        funcs = [_numeric(e, symbols, self.defs) for e in exprs]
        values = [np.array([_as_float_array(fn(*p)) for p in points]) for fn in funcs]
        err = max(rel_error(values[0], v) for v in values[1:])
        if not err < IDENTITY_TOLERANCE:
            raise AssertionError(f"{label}: the lines of the derivation differ numerically "
                                 f"(relative error {err:.2e})")
        steps = f"{len(self.steps)} step" + ("s" if len(self.steps) != 1 else "")
        return _report(label, f"derivation of {steps}, each step symbolic exact; "
                              f"numeric < {_bound(IDENTITY_TOLERANCE)}", {"numeric": err}, part)


# --------------------------------------------------------------------------
# Derivatives of one variable
# --------------------------------------------------------------------------
def _check_function_is_f(label, f_err):
    """The finite differences must be taken of the function sympy differentiated."""
    if not f_err < IDENTITY_TOLERANCE:
        raise AssertionError(f"{label}: `function` is not the f that sympy differentiated "
                             f"(relative error {f_err:.2e})")


def _three_way(label, ours, exact, fd) -> dict[str, float]:
    """mathdl, sympy and central differences must agree pairwise below 1e-7."""
    errors = {"mathdl vs sympy": rel_error(ours, exact),
              "mathdl vs finite difference": rel_error(ours, fd),
              "sympy vs finite difference": rel_error(exact, fd)}
    bad = {k: v for k, v in errors.items() if not v < TOLERANCE}
    if bad:
        raise AssertionError(f"{label}: numeric check failed: " +
                             ", ".join(f"{k} {v:.2e}" for k, v in bad.items()))
    return errors


def _sample_away_from(gen, domain, n, kinks):
    points = gen.uniform(*domain, size=n)
    for _ in range(100):
        near = np.zeros(n, dtype=bool)
        for k in kinks:
            near |= np.abs(points - k) < 1e-3
        if not near.any():
            return points
        points[near] = gen.uniform(*domain, size=int(near.sum()))
    raise ValueError("could not sample points 1e-3 away from the kinks; widen the domain")


def verify_derivative(label: str, f, var, stated, *, implementation, function, defs=None,
                      domain=(-8.0, 8.0), n: int = 200, kinks=(), saturation=None,
                      part: str | None = None, rng=0, show: bool = True) -> CheckResult:
    """Check a derivative formula symbolically, numerically and in the tails.

    Parameters
    ----------
    label : the MyST label of the equation on the page.
    f : sympy expression of ``var`` (may use function symbols defined in ``defs``).
    stated : the derivative as the page states it (sympy).
    implementation : ``mathdl`` derivative, a numpy function of x.
    function : ``mathdl`` function f, for the central difference.
    domain, n, kinks : the random test points (seeded by ``rng``) lie in
        ``domain`` and at least 1e-3 away from every kink.
    saturation : optional list of points in the tails. Where the exact
        derivative (sympy at 50 digits) is a normal float64, ``implementation``
        must match it to a plain relative error below 1e-10; beyond, it must be
        finite, 0 or subnormal. At least one point must lie in 20 ≤ |x| ≤ 45.
        No point may raise a warning.

    Symbolic: ``simplify(sympy.diff(f) − stated) == 0``. Numeric: the
    implementation, the lambdified sympy derivative and a central difference
    agree pairwise to a relative error below 1e-7; and ``function`` must be
    ``f`` (compared at the same points, relative error below 1e-12), so the
    central difference is taken of the function that sympy differentiated.
    ``part`` names the piece of the labelled equation checked, when one
    equation holds several formulas.
    """
    _check_label(label, part)
    derived = sp.diff(_expand(f, defs), var)
    stated_x = _expand(stated, defs)
    symbolic_ok = exactly_equal(derived, stated_x)
    if show:
        from IPython.display import Math, display
        lhs = sp.latex(sp.Derivative(f, var))
        verdict = "0" if symbolic_ok else r"\neq 0"
        display(Math(rf"\begin{{aligned}}\text{{sympy: }}\ & {lhs} = {sp.latex(sp.simplify(derived))}"
                     rf" \\ \text{{page: }}\ & {lhs} = {sp.latex(stated, order='none')}"
                     rf" \\ \text{{difference: }}\ & {verdict}\end{{aligned}}"))
    if not symbolic_ok:
        raise AssertionError(f"{label}: sympy's derivative {sp.latex(sp.simplify(derived))} "
                             f"is not the stated {sp.latex(stated)}")

    gen = as_generator(rng)
    points = _sample_away_from(gen, domain, n, kinks)
    sym = sp.lambdify(var, derived, modules="numpy")
    f_sym = sp.lambdify(var, _expand(f, defs), modules="numpy")
    f_err = rel_error(np.asarray(function(points), dtype=np.float64),
                      np.broadcast_to(np.asarray(f_sym(points), dtype=np.float64), points.shape))
    _check_function_is_f(label, f_err)
    ours = np.asarray(implementation(points), dtype=np.float64)
    exact = np.broadcast_to(np.asarray(sym(points), dtype=np.float64), points.shape)
    fd = numeric_derivative(function, points)
    errors = _three_way(label, ours, exact, fd)
    summary = f"symbolic exact; numeric < {_bound(TOLERANCE)}"

    if saturation is not None:
        worst, max_normal_x = _check_saturation(label, derived, var, implementation, saturation)
        errors["tails vs 50 digits"] = worst
        summary += (f"; tails < {_bound(SATURATION_TOLERANCE)} vs 50 digits up to |x| = {max_normal_x:g}"
                    f", finite and silent up to |x| = {max(abs(float(p)) for p in saturation):g}")
    return _report(label, summary, errors, part)


def _at_50_digits(fn, p):
    """fn(p) correct to 50 significant digits.

    Working at 50 digits is not enough where the formula cancels (1 − tanh²(x)
    at x = 300 needs about 260 digits before anything is left), so the working
    precision doubles until two evaluations agree to 50 digits.
    """
    previous = None
    for dps in (60, 120, 240, 480, 960, 1920):
        with mpmath.workdps(dps):
            value = fn(mpmath.mpf(p))
            # Two zeros agree too, but only because everything cancelled: go on.
            if previous is not None and value != 0 and \
                    abs(value - previous) <= mpmath.mpf(10) ** -50 * abs(value):
                return +value
            previous = value
    if previous == 0:
        return previous  # still 0 at 1920 digits: it is 0 as far as float64 can tell
    raise AssertionError(f"could not evaluate the exact derivative at x = {p:g} to 50 digits")


def _check_saturation(label, derived, var, implementation, points):
    points = [float(p) for p in points]
    if not any(20 <= abs(p) <= 45 for p in points):
        raise ValueError("saturation points must include some with 20 ≤ |x| ≤ 45 "
                         "(where the naive formulas visibly fail)")
    exact_fn = sp.lambdify(var, derived, modules="mpmath")
    worst, max_normal_x = 0.0, 0.0
    for p in points:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            ours = float(np.asarray(implementation(np.array([p])))[0])
        if np.isfinite(p):
            exact = _at_50_digits(exact_fn, p)
        else:  # at ±inf the exact value is sympy's limit
            exact = mpmath.mpf(str(sp.N(sp.limit(derived, var, sp.oo if p > 0 else -sp.oo), 60)))
        with mpmath.workdps(50):
            if abs(exact) >= _TINY:
                err = float(abs(mpmath.mpf(ours) - exact) / abs(exact))
                worst = max(worst, err)
                max_normal_x = max(max_normal_x, abs(p))
                if not err < SATURATION_TOLERANCE:
                    raise AssertionError(f"{label}: at x = {p:g} the implementation gives {ours!r}, "
                                         f"50-digit sympy {mpmath.nstr(exact, 17)} "
                                         f"(relative error {err:.2e})")
            elif not (np.isfinite(ours) and abs(ours) < _TINY):
                raise AssertionError(f"{label}: at x = {p:g} the exact value underflows float64, "
                                     f"so the result must be 0 or subnormal; got {ours!r}")
    return worst, max_normal_x


# --------------------------------------------------------------------------
# Gradients of several variables
# --------------------------------------------------------------------------
def verify_gradient(label: str, f, variables, stated, *, implementation, function, defs=None,
                    domain=(-2.0, 2.0), n: int = 20, part: str | None = None, rng=0,
                    show: bool = True) -> CheckResult:
    """Check a gradient formula ∇f = ``stated`` symbolically and numerically.

    Parameters
    ----------
    f : sympy expression of ``variables`` (a list of symbols).
    stated : the gradient as the page states it, one expression per variable.
    implementation : ``mathdl`` gradient, a numpy function of a vector of the
        variables' values returning the gradient vector.
    function : the ``mathdl`` scalar function of that vector, for central
        differences.

    Symbolic: ``simplify(∂f/∂v − stated_v) == 0`` for every variable.
    Numeric: at ``n`` random points of ``domain``ⁿ, the implementation, the
    lambdified sympy gradient and central differences agree pairwise to a
    relative error below 1e-7; ``function`` must equal ``f`` at those points.
    """
    from .gradcheck import numeric_gradient

    _check_label(label, part)
    variables = list(variables)
    stated = list(stated)
    if len(stated) != len(variables):
        raise ValueError(f"stated must have one entry per variable ({len(variables)}), got {len(stated)}")
    expanded = _expand(f, defs)
    derived = [sp.diff(expanded, v) for v in variables]
    ok = [exactly_equal(d, st, defs) for d, st in zip(derived, stated)]
    if show:
        from IPython.display import Math, display
        marks = [r"\checkmark" if good else r"\boldsymbol{\times}" for good in ok]
        rows = [rf"\frac{{\partial f}}{{\partial {sp.latex(v)}}} &= {sp.latex(st, order='none')} "
                rf"&& {mark}\ \text{{sympy agrees}}"
                for v, st, mark in zip(variables, stated, marks)]
        display(Math(r"\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}"))
    if not all(ok):
        bad = variables[ok.index(False)]
        raise AssertionError(f"{label}: ∂f/∂{bad} is not the stated "
                             f"{sp.latex(stated[ok.index(False)])}")
    gen = as_generator(rng)
    points = gen.uniform(*domain, size=(n, len(variables)))
    sym = sp.lambdify(variables, [_expand(st, defs) for st in stated], modules="numpy")
    f_sym = sp.lambdify(variables, expanded, modules="numpy")
    f_err = rel_error([float(function(p.copy())) for p in points], [float(f_sym(*p)) for p in points])
    _check_function_is_f(label, f_err)
    ours, exact, fd = [], [], []
    for p in points:
        ours.append(np.asarray(implementation(p.copy()), dtype=np.float64))
        exact.append(np.asarray(sym(*p), dtype=np.float64))
        fd.append(numeric_gradient(lambda v: float(function(v)), p.copy()))
    ours, exact, fd = np.array(ours), np.array(exact), np.array(fd)
    errors = _three_way(label, ours, exact, fd)
    return _report(label, f"gradient in {len(variables)} variables, symbolic exact; "
                          f"numeric < {_bound(TOLERANCE)}", errors, part)


# --------------------------------------------------------------------------
# Identities
# --------------------------------------------------------------------------
def verify_identity(label: str, lhs, rhs, *, defs=None, domain=(-5.0, 5.0), n: int = 200,
                    part: str | None = None, rng=0, show: bool = True) -> CheckResult:
    """Check ``lhs = rhs`` exactly and at random points (relative error < 1e-12)."""
    _check_label(label, part)
    ok = exactly_equal(lhs, rhs, defs)
    if show:
        from IPython.display import Math, display
        display(Math(rf"{sp.latex(lhs, order='none')} = {sp.latex(rhs, order='none')} \qquad "
                     rf"\text{{{'difference simplifies to 0' if ok else 'NOT EQUAL'}}}"))
    if not ok:
        raise AssertionError(f"{label}: {sp.latex(lhs)} and {sp.latex(rhs)} are not equal")
    symbols = sorted(_expand(lhs, defs).free_symbols | _expand(rhs, defs).free_symbols, key=str)
    gen = as_generator(rng)
    points = gen.uniform(*domain, size=(n, len(symbols)))
    fl, fr = _numeric(lhs, symbols, defs), _numeric(rhs, symbols, defs)
    a = np.array([_as_float_array(fl(*p)) for p in points])
    b = np.array([_as_float_array(fr(*p)) for p in points])
    err = rel_error(a, b)
    if not err < IDENTITY_TOLERANCE:
        raise AssertionError(f"{label}: the two sides differ numerically (relative error {err:.2e})")
    return _report(label, f"symbolic exact; numeric < {_bound(IDENTITY_TOLERANCE)}", {"numeric": err},
                   part)
