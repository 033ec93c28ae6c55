"""Step 1 · The parabola f(x) = (x − 3)² + 2.   Your file: steps/step01_parabola.py"""

import pytest
from pytest import approx

from tests.support import function_under_test, lead, slip_in

f = function_under_test("step01_parabola", "f")


# the usual slips as functions of x: several calls tell apart two that agree at one x
SLIPS = {
    "(x + 3)? The lowest point is at x = 3, so it is (x − 3): x minus 3.": lambda x: (
        (x + 3) ** 2 + 2
    ),
    "The + 2 is missing: it lifts the whole curve by 2.": lambda x: (x - 3) ** 2,
    # (x - 3) ^ 2 + 2 adds first, then takes the xor: for whole numbers only (floats raise)
    "In Python ^ is not 'squared' (it is bitwise xor): write ** 2.": lambda x: (x - 3) ^ 2 + 2,
    "That is (x − 3) · 2, not squared: write ** 2, or (x − 3) * (x − 3).": lambda x: (
        (x - 3) * 2 + 2
    ),
    "** goes first: x - 3 ** 2 squares only the 3. Write (x - 3) ** 2.": lambda x: x - 3**2 + 2,
    "That is x² − 3 + 2: the − 3 goes inside the bracket, squared with x: (x − 3)².": lambda x: (
        x**2 - 3 + 2
    ),
    "That is (x − 3)² times 2: add the 2, do not multiply by it.": lambda x: (x - 3) ** 2 * 2,
}
CALLS = [(3,), (6,), (4,), (0,), (-1,)]


def test_the_lowest_point_is_2_at_x_equals_3(f):
    got = f(3)
    assert got == approx(2), lead(
        slip_in(f, CALLS, SLIPS),
        f"f(3) returned {got!r}, expected 2. At x = 3 the square (3 − 3)² is 0, so only the + 2 is left.",
    )


@pytest.mark.parametrize(
    ("x", "expected"),
    [(6, 11), (4, 3), (0, 11), (-1, 18), (4.5, 4.25), (3.0, 2.0)],
    ids=["x = 6", "x = 4", "x = 0", "x = -1", "x = 4.5", "x = 3.0"],
)
def test_the_height_matches_the_formula_worked_by_hand(f, x, expected):
    got = f(x)
    assert got == approx(expected), lead(
        slip_in(f, CALLS, SLIPS),
        f"f({x}) returned {got!r}, expected {expected}. ({x} − 3)² + 2 = {(x - 3) ** 2} + 2.",
    )


@pytest.mark.parametrize("distance", [0.5, 1, 2.5, 10], ids=lambda d: f"{d} either side")
def test_the_curve_is_the_same_on_both_sides_of_the_minimum(f, distance):
    left, right = f(3 - distance), f(3 + distance)
    assert left == approx(right), (
        f"f({3 - distance}) = {left!r} but f({3 + distance}) = {right!r}: a parabola centred on "
        "x = 3 has the same height at the same distance left and right. Is it (x − 3), not (x + 3)?"
    )


def test_no_point_lies_below_the_minimum(f):
    for x in (-5, 0, 2.9, 3.1, 8):
        got = f(x)
        assert got > 2, f"f({x}) returned {got!r}: nothing on the curve is lower than f(3) = 2."
