"""Step 8 · The two partial derivatives of the loss.   Your file: steps/step08_gradient.py"""

import pytest
from pytest import approx

from tests.support import function_under_test, lead, slip

gradient = function_under_test("step08_gradient", "gradient")

X_SMALL, Y_SMALL = [1.0, 2.0, 3.0], [2.0, 4.0, 6.0]
X_PARK = [18.0, 29.0, 31.0, 25.0, 27.0, 21.0, 30.0, 26.0, 16.0, 15.0, 28.0, 24.0, 17.0, 23.0]
Y_PARK = [
    100.0,
    458.0,
    503.0,
    208.0,
    424.0,
    212.0,
    620.0,
    376.0,
    161.0,
    150.0,
    394.0,
    340.0,
    201.0,
    286.0,
]

WHY = (
    "Why: nudge w by a small h and each prediction moves by h·x, so each squared error (p − y)² "
    "changes by about 2·(p − y)·x·h: per unit of nudge, the mean changes by 2·mean((p − y)·x). "
    "Nudge b instead and each prediction moves by h: 2·mean(p − y), with no x."
)


def mse(X, Y, w, b):
    """The loss of step 7, written here so that this step's tests stand on their own."""
    return sum((x * w + b - y) ** 2 for x, y in zip(X, Y)) / len(X)


def slips(X, Y, w, b):
    """What the usual slips give at (w, b), and what to say about each."""
    n = len(X)
    errors = [x * w + b - y for x, y in zip(X, Y)]
    w_slope, b_slope = 2 * sum(e * x for e, x in zip(errors, X)) / n, 2 * sum(errors) / n
    no_b = [x * w - y for x, y in zip(X, Y)]
    return {
        "Both slopes have the opposite sign: the error is p − y (prediction minus label), not y − p.": (
            -w_slope,
            -b_slope,
        ),
        "Both slopes are half the right size: the factor 2 (from the square) is missing.": (
            w_slope / 2,
            b_slope / 2,
        ),
        f"Both slopes are {n} times too large: that is the sum, not the mean (divide by {n}, the number of points).": (
            w_slope * n,
            b_slope * n,
        ),
        "That is the sum without the factor 2: take the mean, and double it.": (
            w_slope * n / 2,
            b_slope * n / 2,
        ),
        "The b slope has an x in it: ∂loss/∂b is 2·mean(p − y), with no x.": (w_slope, w_slope),
        "The w slope is missing its x: ∂loss/∂w is 2·mean((p − y)·x).": (b_slope, b_slope),
        "The two slopes are swapped: return the w slope first, then the b slope.": (
            b_slope,
            w_slope,
        ),
        "The w slope multiplies each error by y, the visitors: ∂loss/∂w is 2·mean((p − y)·x), each error "
        "times its own x, the temperature that w multiplies.": (
            2 * sum(e * y for e, y in zip(errors, Y)) / n,
            b_slope,
        ),
        "The w slope multiplies each error by p, the prediction: ∂loss/∂w is 2·mean((p − y)·x), each error "
        "times its own x, the temperature that w multiplies.": (
            2 * sum(e * (x * w + b) for e, x in zip(errors, X)) / n,
            b_slope,
        ),
        "The b slope is the sum, not the mean (the w slope is right): divide it by "
        f"{n}, the number of points, too.": (w_slope, b_slope * n),
        "The w slope is the sum, not the mean (the b slope is right): divide it by "
        f"{n}, the number of points, too.": (w_slope * n, b_slope),
        "predict's w and b are swapped: predict(X, w, b), the weight first.": (
            2 * sum((x * b + w - y) * x for x, y in zip(X, Y)) / n,
            2 * sum(x * b + w - y for x, y in zip(X, Y)) / n,
        ),
        "The predictions leave b out: compute them with this b, predict(X, w, b).": (
            2 * sum(e * x for e, x in zip(no_b, X)) / n,
            2 * sum(no_b) / n,
        ),
    }


def slopes_of(gradient, X, Y, w, b):
    """Call gradient and return its two slopes, naming the slip when it raises on a list or gives another shape."""
    call = f"gradient(X, Y, {w}, {b})"
    try:
        got = gradient(X, Y, w, b)
    except TypeError as error:
        if "can't multiply sequence" in str(error):
            pytest.fail(
                f"{call} raised TypeError ({error}): a list times a number. Multiply each error by its own x, "
                "going through the errors and X together (zip), not by the whole list X.",
                pytrace=False,
            )
        raise
    if not (isinstance(got, (tuple, list)) and len(got) == 2):
        pytest.fail(
            f"{call} returned {got!r}; expected two numbers, (∂loss/∂w, ∂loss/∂b): the w slope, then the b slope.",
            pytrace=False,
        )
    return tuple(got)


def test_a_small_case_worked_by_hand(gradient):
    w_slope, b_slope = slopes_of(gradient, X_SMALL, Y_SMALL, 1, 0)
    assert (w_slope, b_slope) == approx((-28 / 3, -4)), lead(
        slip((w_slope, b_slope), slips(X_SMALL, Y_SMALL, 1, 0)),
        f"gradient([1, 2, 3], [2, 4, 6], w=1, b=0) returned ({w_slope!r}, {b_slope!r}), expected "
        "(−28/3, −4). The errors p − y are −1, −2, −3; 2·mean(error·x) = 2·(−14/3) and 2·mean(error) = 2·(−2).",
    )


@pytest.mark.parametrize(
    ("X", "Y", "w", "b"),
    [
        (X_SMALL, Y_SMALL, 0.5, 1.5),
        (X_PARK, Y_PARK, 0, 0),
        (X_PARK, Y_PARK, 14, 0),
        (X_PARK, Y_PARK, 20, -150),
    ],
    ids=["small data", "park at w = 0, b = 0", "park at w = 14, b = 0", "park at w = 20, b = -150"],
)
def test_both_slopes_agree_with_finite_differences(gradient, X, Y, w, b):
    h = 1e-4
    by_w = (mse(X, Y, w + h, b) - mse(X, Y, w - h, b)) / (2 * h)
    by_b = (mse(X, Y, w, b + h) - mse(X, Y, w, b - h)) / (2 * h)
    w_slope, b_slope = slopes_of(gradient, X, Y, w, b)
    said = slip((w_slope, b_slope), slips(X, Y, w, b))
    assert w_slope == approx(by_w, rel=1e-5, abs=1e-6), (
        f"∂loss/∂w at w = {w}, b = {b} came back as {w_slope!r}, but nudging w changes the loss at a rate "
        f"of {by_w:.6g}.{said or ' Is b used in the predictions? Is it p − y (not y − p), times x?'} {WHY}"
    )
    assert b_slope == approx(by_b, rel=1e-5, abs=1e-6), (
        f"∂loss/∂b at w = {w}, b = {b} came back as {b_slope!r}, but nudging b changes the loss at a rate "
        f"of {by_b:.6g}.{said or ' It is 2·mean(p − y), with no x in it.'} {WHY}"
    )


def test_both_slopes_are_zero_at_the_best_line(gradient):
    n = len(X_PARK)
    mean_x, mean_y = sum(X_PARK) / n, sum(Y_PARK) / n
    w = sum((x - mean_x) * (y - mean_y) for x, y in zip(X_PARK, Y_PARK)) / sum(
        (x - mean_x) ** 2 for x in X_PARK
    )
    b = mean_y - w * mean_x  # the least-squares line, in closed form
    w_slope, b_slope = gradient(X_PARK, Y_PARK, w, b)
    assert (w_slope, b_slope) == approx((0, 0), abs=1e-6), (
        f"at the best line for park.txt (w = {w:.4f}, b = {b:.2f}) the gradient came back as "
        f"({w_slope!r}, {b_slope!r}); at the bottom of the loss both slopes are 0."
    )


def test_stepping_against_the_gradient_lowers_the_loss(gradient):
    w, b = 10, 0
    w_slope, b_slope = gradient(X_PARK, Y_PARK, w, b)
    before, after = (
        mse(X_PARK, Y_PARK, w, b),
        mse(X_PARK, Y_PARK, w - 1e-4 * w_slope, b - 1e-4 * b_slope),
    )
    assert after < before, (
        f"a small step against your gradient ({w_slope!r}, {b_slope!r}) raised the loss from {before:.1f} "
        f"to {after:.1f}: the gradient points uphill, so its signs must be those of the slopes. "
        "The opposite sign? The error is p − y, not y − p."
    )
