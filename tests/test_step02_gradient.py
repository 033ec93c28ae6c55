"""Step 2 · The slope f′(x) = 2·(x − 3) of the parabola.   Your file: steps/step02_gradient.py"""

import pytest
from pytest import approx

from tests.support import function_under_test, lead, slip_in

gradient = function_under_test("step02_gradient", "gradient")

WHY = (
    "Why 2·(x − 3): nudge x by a small h and f changes by (x + h − 3)² − (x − 3)² = 2·(x − 3)·h + h², "
    "so per unit of nudge the curve rises by about 2·(x − 3)."
)


def parabola(x):
    """The curve from step 1, written here so that this step's tests stand on their own."""
    return (x - 3) ** 2 + 2


# the usual slips as functions of x: several calls tell apart two that agree at one x ((x − 3)² and 2·x − 3 at 6)
SLIPS = {
    "The factor 2 is missing: the slope of (x − 3)² is 2·(x − 3).": lambda x: x - 3,
    "The sign is flipped: it is 2·(x − 3), x minus 3: positive right of 3.": lambda x: 2 * (3 - x),
    "That is 2·x − 3: the brackets are missing, it is 2 * (x - 3).": lambda x: 2 * x - 3,
    "The + 2 has no slope: a constant only lifts the curve, so it drops out.": lambda x: (
        2 * (x - 3) + 2
    ),
    "That is the height f(x) from step 1, not its slope.": parabola,
    "That is (x − 3)², the height without its + 2, not its slope 2·(x − 3).": lambda x: (
        (x - 3) ** 2
    ),
    "That is 2·x: the − 3 inside the brackets is missing.": lambda x: 2 * x,
    "That is 2·(x + 3): it is x minus 3, 2·(x − 3).": lambda x: 2 * (x + 3),
    "That is (x − 3) / 2: the 2 multiplies, 2·(x − 3).": lambda x: (x - 3) / 2,
}
CALLS = [(6,), (4,), (3,), (0,), (7.5,)]


@pytest.mark.parametrize(
    ("x", "expected"), [(6, 6), (4, 2), (3, 0)], ids=["x = 6", "x = 4", "x = 3"]
)
def test_the_slope_matches_the_examples_in_the_article(gradient, x, expected):
    got = gradient(x)
    assert got == approx(expected), lead(
        slip_in(gradient, CALLS, SLIPS),
        f"gradient({x}) returned {got!r}, expected {expected}: 2·({x} − 3) = {expected}. "
        "The article draws tangents with slope 6 at x = 6, 2 at x = 4 and 0 at the minimum.",
    )


@pytest.mark.parametrize("x", [-2, 0, 1.5, 3.25, 7, 12], ids=lambda x: f"x = {x}")
def test_the_slope_agrees_with_a_finite_difference(gradient, x):
    h = 1e-5
    measured = (parabola(x + h) - parabola(x - h)) / (2 * h)
    got = gradient(x)
    assert got == approx(measured, rel=1e-6, abs=1e-6), (
        f"gradient({x}) returned {got!r}, but the curve rises by {measured:.6g} per unit at x = {x} "
        f"(measured by stepping a tiny bit left and right).{slip_in(gradient, CALLS, SLIPS)} {WHY}"
    )


@pytest.mark.parametrize("x", [-1, 0, 2.5], ids=lambda x: f"x = {x}")
def test_left_of_the_minimum_the_slope_is_negative(gradient, x):
    got = gradient(x)
    assert got < 0, (
        f"gradient({x}) returned {got!r}: left of x = 3 the curve goes down as x grows, "
        "so its slope is negative. Check the sign: 2·(x − 3), not 2·(3 − x)."
    )


@pytest.mark.parametrize("x", [3.5, 4, 10], ids=lambda x: f"x = {x}")
def test_right_of_the_minimum_the_slope_is_positive(gradient, x):
    got = gradient(x)
    assert got > 0, (
        f"gradient({x}) returned {got!r}: right of x = 3 the curve goes up, so its slope is positive."
    )
