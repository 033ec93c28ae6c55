"""Step 12 · The least-squares line in closed form.   Your file: steps/step12_least_squares.py"""

import pytest
from pytest import approx

from kata.core.registry import ROOT
from tests.support import function_under_test, lead, slip

least_squares = function_under_test("step12_least_squares", "least_squares")


def park():
    """park.txt, read here by the test itself so that this step stands on its own."""
    rows = [
        line.split() for line in (ROOT / "park.txt").read_text().splitlines()[1:] if line.strip()
    ]
    return [float(x) for x, _ in rows], [float(y) for _, y in rows]


def shown(X):
    """X as the message shows it: X = [0.0, 1.0, 2.0], or its first values."""
    return f"X = {X!r}" if len(X) <= 5 else f"X = [{', '.join(map(repr, X[:5]))}, …]"


def fitted(least_squares, X, Y):
    """Call least_squares and return (w, b), failing kindly on another shape, or on a division by 0 where the x
    differ."""
    try:
        got = least_squares(X, Y)
    except ZeroDivisionError as error:
        pytest.fail(
            f"least_squares(X, Y) raised ZeroDivisionError ({error}) though the x differ ({shown(X)}): is the "
            "denominator Σ(x − x̄)², each distance squared and then summed? The distances summed first, Σ(x − x̄), "
            "are always 0.",
            pytrace=False,
        )
    except ValueError as error:
        pytest.fail(
            f"least_squares(X, Y) raised ValueError ({error}) though the x differ ({shown(X)}): a line can be "
            "fitted. Raise it only when every x is the same: check all of them (min(X) == max(X)), not two.",
            pytrace=False,
        )
    if not (isinstance(got, (tuple, list)) and len(got) == 2):
        pytest.fail(
            f"least_squares(X, Y) returned {got!r}; expected two numbers, (w, b).", pytrace=False
        )
    return tuple(got)


# X = [0, 1, 2], Y = [1, 2, 6]: x̄ = 1, ȳ = 3, Σ(x − x̄)(y − ȳ) = 5, Σ(x − x̄)² = 2, Σ(y − ȳ)² = 14
SLIPS = {
    "That is the best line through (0, 0), w = Σxy / Σx² with b = 0: b is a knob too.": (14 / 5, 0),
    "w is right, but b = ȳ: the line passes through the point of the means, so b = ȳ − w·x̄.": (
        2.5,
        3,
    ),
    "b has the wrong sign: b = ȳ − w·x̄.": (2.5, 5.5),
    "That is w = Σxy / Σx², without the means: take x − x̄ and y − ȳ.": (14 / 5, 3 - 14 / 5),
    "w is upside down: Σ(x − x̄)(y − ȳ) over Σ(x − x̄)², not the other way round.": (
        2 / 5,
        3 - 2 / 5,
    ),
    "That divides by Σ(y − ȳ)²: that is the slope for x given y. Divide by Σ(x − x̄)², x's own spread.": (
        5 / 14,
        3 - 5 / 14,
    ),
    "w and b are swapped: return (w, b), the slope first.": (0.5, 2.5),
    "That is w = 5 // 2 = 2: // divides and rounds down to a whole number; divide with /.": (
        2,
        3 - 2,
    ),
    "x̄ was taken over Y: x̄ is the mean of the temperatures X, ȳ the mean of Y.": (
        5 / 14,
        3 - 5 / 14 * 3,
    ),
    "w is n/(n − 1) times too large: statistics.covariance divides by n − 1, statistics.pvariance by n. Divide "
    "the two sums by the same count: covariance over variance, or Σ(x − x̄)(y − ȳ) over Σ(x − x̄)².": (
        15 / 4,
        3 - 15 / 4,
    ),
    "w is (n − 1)/n of the slope: the covariance was divided by n, the variance by n − 1 (statistics.variance). "
    "Divide the two sums by the same count.": (5 / 3, 3 - 5 / 3),
}


def test_a_small_case_worked_by_hand(least_squares):
    got = fitted(least_squares, [0.0, 1.0, 2.0], [1.0, 2.0, 6.0])
    assert got == approx((2.5, 0.5)), lead(
        slip(got, SLIPS),
        f"least_squares([0, 1, 2], [1, 2, 6]) returned {got!r}, expected (5/2, 1/2). By hand: "
        "x̄ = 1, ȳ = 3; Σ(x − x̄)(y − ȳ) = 2 + 0 + 3 = 5 and Σ(x − x̄)² = 2, so w = 5/2; b = 3 − 5/2 = 1/2.",
    )


def test_a_line_through_every_point_is_found_exactly(least_squares):
    got = fitted(least_squares, [0.0, 1.0, 2.0], [1.0, 3.0, 5.0])
    assert got == approx((2, 1)), (
        f"least_squares([0, 1, 2], [1, 3, 5]) returned {got!r}: every point lies on y = 2x + 1, so the best "
        "line is w = 2, b = 1, with no loss at all."
    )


# worked by hand: [1, 2, 1] has x̄ = 4/3, Σ(x − x̄)² = 2/3; with Y = [1, 3, 2], ȳ = 2 and Σ(x − x̄)(y − ȳ) = 1, so w = 3/2
# and b = 2 − 3/2·4/3 = 0. [1, 1, 2] with Y = [1, 2, 4]: ȳ = 7/3, Σ(x − x̄)(y − ȳ) = 5/3, so w = 5/2, b = −1
@pytest.mark.parametrize(
    "X, Y, line",
    [
        ([1.0, 2.0, 1.0], [1.0, 3.0, 2.0], (1.5, 0.0)),
        ([1.0, 1.0, 2.0], [1.0, 2.0, 4.0], (2.5, -1.0)),
    ],
    ids=["first and last x equal", "first two x equal"],
)
def test_some_equal_temperatures_still_have_a_line(least_squares, X, Y, line):
    got = fitted(least_squares, X, Y)
    assert got == approx(line), (
        f"least_squares({X}, {Y}) returned {got!r}; expected w = {line[0]:g}, b = {line[1]:g} (worked by hand)."
    )


def test_the_park_residuals_add_up_to_zero(least_squares):
    X, Y = park()
    w, b = fitted(least_squares, X, Y)
    total = sum(y - (w * x + b) for x, y in zip(X, Y))
    assert total == approx(0, abs=1e-6), (
        f"on park.txt the line w = {w:.6g}, b = {b:.6g} leaves residuals y − (w·x + b) that add up to {total:.6g}, "
        "not 0. If they added up to r, moving b by r/n would lower the loss: the b slope 2·mean(p − y) is 0 "
        "only when they cancel. Is b = ȳ − w·x̄?"
    )


def test_the_park_residuals_are_uncorrelated_with_the_temperature(least_squares):
    X, Y = park()
    w, b = fitted(least_squares, X, Y)
    mean_x = sum(X) / len(X)
    together = sum((y - (w * x + b)) * (x - mean_x) for x, y in zip(X, Y))
    assert together == approx(0, abs=1e-6), (
        f"on park.txt the residuals of the line w = {w:.6g}, b = {b:.6g} still move with the temperature: "
        f"Σ residual·(x − x̄) = {together:.6g}, not 0. A tilt of the line would then lower the loss: the w slope "
        "is 0 only when nothing of x is left in the residuals. Is w = Σ(x − x̄)(y − ȳ) / Σ(x − x̄)²?"
    )


ALL_EQUAL = [([20.0, 20.0, 20.0], [100.0, 150.0, 200.0]), ([0.1, 0.1, 0.1], [1.0, 2.0, 3.0])]


@pytest.mark.parametrize(("X", "Y"), ALL_EQUAL, ids=["x = 20 three times", "x = 0.1 three times"])
def test_when_every_temperature_is_the_same_no_line_can_be_fitted(least_squares, X, Y):
    call = f"least_squares({X}, {Y})"
    try:
        got = least_squares(X, Y)
    except ValueError:
        return
    except ZeroDivisionError as error:
        pytest.fail(
            f"{call} raised ZeroDivisionError ({error}): with every x the same, Σ(x − x̄)² is 0. Check for that "
            "first, on the temperatures themselves (min(X) == max(X)), and raise ValueError yourself, saying that no "
            "line can be fitted when every x is the same.",
            pytrace=False,
        )
    mean = sum(X) / len(X)
    if mean != X[0]:
        pytest.fail(
            f"{call} returned {got!r}, but every x is the same: no line can be fitted, so raise ValueError. To see it, "
            "compare the temperatures themselves (min(X) == max(X)), not their spread: rounding leaves 1e-17, not 0 "
            f"(sum(X) / {len(X)} is {mean!r}, so each x − x̄ is {X[0] - mean:.2g}).",
            pytrace=False,
        )
    pytest.fail(
        f"{call} returned {got!r}: with every x the same, every slope through ({X[0]:g}, {sum(Y) / len(Y):g}) fits "
        "equally well, so there is no one best line. Raise ValueError, saying so.",
        pytrace=False,
    )


def test_the_data_is_left_unchanged(least_squares):
    X, Y = [0.0, 1.0, 2.0], [1.0, 2.0, 6.0]
    least_squares(X, Y)
    assert (X, Y) == ([0.0, 1.0, 2.0], [1.0, 2.0, 6.0]), (
        f"least_squares changed the data: X = {X!r}, Y = {Y!r}."
    )
