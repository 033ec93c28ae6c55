"""Step 11 · Measuring the gradient by nudging: central differences.   Your file: steps/step11_gradient_check.py"""

import math
import sys

import pytest
from pytest import approx

from tests.support import function_under_test, lead, slip, slip_in

numerical_gradient = function_under_test("step11_gradient_check", "numerical_gradient")

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


def mse(X, Y, w, b):
    """The loss of step 7, written here so that this step's tests stand on their own."""
    return sum((x * w + b - y) ** 2 for x, y in zip(X, Y)) / len(X)


def slopes(X, Y, w, b):
    """The gradient of step 8 by its formula, written here: the answer a central difference must match."""
    errors = [x * w + b - y for x, y in zip(X, Y)]
    return 2 * sum(e * x for e, x in zip(errors, X)) / len(X), 2 * sum(errors) / len(X)


def slips(X, Y, w, b, h):
    """What the usual slips give with this nudge h, and what to say about each."""

    def L(w, b):
        return mse(X, Y, w, b)

    central = ((L(w + h, b) - L(w - h, b)) / (2 * h), (L(w, b + h) - L(w, b - h)) / (2 * h))
    both = (L(w + h, b + h) - L(w - h, b - h)) / (2 * h)  # w and b nudged together
    return {
        "That is a forward difference (loss(w + h) − loss(w)) / h: off by about h/2 times the curvature; "
        "use central differences, (loss(w + h) − loss(w − h)) / (2h).": (
            (L(w + h, b) - L(w, b)) / h,
            (L(w, b + h) - L(w, b)) / h,
        ),
        "That is a backward difference (loss(w) − loss(w − h)) / h: off by about h/2 times the curvature; "
        "use central differences, (loss(w + h) − loss(w − h)) / (2h).": (
            (L(w, b) - L(w - h, b)) / h,
            (L(w, b) - L(w, b - h)) / h,
        ),
        "Both are twice the slope: divide the change in the loss by the distance between the two nudges, which is "
        "2h for w − h and w + h.": (2 * central[0], 2 * central[1]),
        "The b slope is twice the slope (the w slope is right): divide the change by 2h there too.": (
            central[0],
            2 * central[1],
        ),
        "The w slope is twice the slope (the b slope is right): divide the change by 2h there too.": (
            2 * central[0],
            central[1],
        ),
        "Both lost their sign: abs() keeps the size of the change and drops its direction; a slope is negative "
        "where the loss falls as w grows.": (abs(central[0]), abs(central[1])),
        "That is the change times h/2: `/ 2 * h` divides by 2, then multiplies by h. Write / (2 * h).": (
            central[0] * h * h,
            central[1] * h * h,
        ),
        "Both have the opposite sign: go from w − h up to w + h, loss(w + h) − loss(w − h).": (
            -central[0],
            -central[1],
        ),
        "Both knobs were nudged at once: nudge w with b held still, then b with w held still.": (
            both,
            both,
        ),
        "The two slopes are swapped: the w slope first, then the b slope.": (
            central[1],
            central[0],
        ),
        "∂b equals ∂w: the b line nudges w; nudge b (b ± h), with w held still.": (
            central[0],
            central[0],
        ),
    }


def measured(numerical_gradient, X, Y, w, b, h):
    """Call numerical_gradient and return its two numbers, failing kindly on another shape."""
    got = numerical_gradient(X, Y, w, b, h)
    if not (isinstance(got, (tuple, list)) and len(got) == 2):
        pytest.fail(
            f"numerical_gradient(X, Y, {w}, {b}, {h}) returned {got!r}; expected two numbers, "
            "(∂loss/∂w, ∂loss/∂b).",
            pytrace=False,
        )
    return tuple(got)


# the usual slips on the small data with h = 0.5, as functions of (w, b): a sign lost (abs) and a sign flipped agree
# where both slopes are negative, and part where they are not
SMALL_SLIPS = {
    words: (lambda w, b, words=words: slips(X_SMALL, Y_SMALL, w, b, 0.5)[words])
    for words in slips(X_SMALL, Y_SMALL, 1, 0, 0.5)
}


def test_a_small_case_worked_by_hand(numerical_gradient):
    got = measured(numerical_gradient, X_SMALL, Y_SMALL, 1, 0, 0.5)

    def at(w, b):
        return tuple(numerical_gradient(X_SMALL, Y_SMALL, w, b, 0.5))

    assert got == approx((-28 / 3, -4)), lead(
        slip_in(at, [(1, 0), (3, 1), (2, -1)], SMALL_SLIPS),
        f"numerical_gradient([1, 2, 3], [2, 4, 6], w=1, b=0, h=0.5) returned {got!r}, expected (−28/3, −4). "
        "By hand: loss(w=1.5, b=0) = 7/6 and loss(w=0.5, b=0) "
        "= 21/2, so (7/6 − 21/2) / (2 · 0.5) = −28/3; loss(w=1, b=0.5) = 35/12 and loss(w=1, b=−0.5) = 83/12, "
        "so (35/12 − 83/12) / 1 = −4.",
    )


@pytest.mark.parametrize("h", [1e-3, 0.1, 2.0, 10.0], ids=lambda h: f"h = {h:g}")
def test_central_differences_are_exact_for_the_kata_loss_at_any_h(numerical_gradient, h):
    got = measured(numerical_gradient, X_PARK, Y_PARK, 20, -150, h)
    exact = slopes(X_PARK, Y_PARK, 20, -150)
    assert got == approx(exact, rel=1e-6), lead(
        slip(got, slips(X_PARK, Y_PARK, 20, -150, h)),
        f"on the park's days at w = 20, b = −150 with h = {h:g}, numerical_gradient returned {got!r}; the "
        f"slopes by their formula are ({exact[0]:.6g}, {exact[1]:.6g}). "
        "The loss is a parabola in each knob, and for a parabola the central difference is exact for any h: "
        "the curvature adds the same amount on both sides, and the difference cancels it.",
    )


def test_the_answer_does_not_depend_on_the_size_of_the_nudge(numerical_gradient):
    small = measured(numerical_gradient, X_SMALL, Y_SMALL, 0.5, 1.5, 0.01)
    large = measured(numerical_gradient, X_SMALL, Y_SMALL, 0.5, 1.5, 3.0)
    assert small == approx(large, rel=1e-6), (
        f"at w = 0.5, b = 1.5, numerical_gradient gave {small!r} with h = 0.01 and {large!r} with h = 3: "
        "for the kata's loss a central difference gives the same slopes for every h. A one-sided difference "
        "drifts by h/2 times the curvature (2·mean(x²) along w, 2 along b). Is h used, both ways?"
    )


def relative_error(analytic, numerical):
    """How far apart two gradients are, as a share of the larger: 0 agree, 1e-7 rounding, near 1 unrelated."""
    difference = math.hypot(analytic[0] - numerical[0], analytic[1] - numerical[1])
    return difference / max(math.hypot(*analytic), math.hypot(*numerical))


def planted(bug, X, Y, w, b):
    """Step 8's gradient at (w, b), right or with one bug planted in it."""
    w_slope, b_slope = slopes(X, Y, w, b)
    n = len(X)
    return {
        "none": (w_slope, b_slope),
        "the factor 2 missing": (w_slope / 2, b_slope / 2),
        "the sum for the mean": (n * w_slope, n * b_slope),
        "the sign flipped": (-w_slope, -b_slope),
    }[bug]


# a missing 2 is half off (error 1/2), a sum is n times too large (1 − 1/n), a flipped sign points away (2)
BUGS = [
    ("none", 0.0),
    ("the factor 2 missing", 0.5),
    ("the sum for the mean", 1 - 1 / 14),
    ("the sign flipped", 2.0),
]


@pytest.mark.parametrize(("bug", "expected"), BUGS, ids=[f"bug: {bug}" for bug, _ in BUGS])
def test_a_planted_bug_in_a_gradient_shows_in_the_relative_error(numerical_gradient, bug, expected):
    numerical = measured(numerical_gradient, X_PARK, Y_PARK, 20, -150, 1e-4)
    error = relative_error(planted(bug, X_PARK, Y_PARK, 20, -150), numerical)
    assert error == approx(expected, abs=1e-6), (
        f"checked against your numerical_gradient on the park's days, a gradient with {bug} has a relative "
        f"error of {error:.3g}; expected {expected:.3g} (below 1e-7 means the two agree). A gradient check "
        "trusts the nudges: if the right gradient does not agree, the nudges are off."
    )


def bowl(X, Y, w, b):
    """A loss other than step 7's, (w − 1)² + 3·(b + 2)²: its slopes are 2·(w − 1) and 6·(b + 2)."""
    return (w - 1) ** 2 + 3 * (b + 2) ** 2


def test_it_measures_the_loss_it_is_given(numerical_gradient, monkeypatch):
    module = sys.modules[numerical_gradient.__module__]
    step07 = sys.modules.get(f"{module.__name__.rpartition('.')[0]}.step07_loss")
    original = getattr(step07, "loss", None)
    for name, value in list(vars(module).items()):  # `loss`, or step 7's loss under another name
        if name == "loss" or (original is not None and value is original):
            monkeypatch.setattr(module, name, bowl)
    if step07 is not None:
        monkeypatch.setattr(step07, "loss", bowl)
    got = measured(numerical_gradient, X_SMALL, Y_SMALL, 4, 1, 0.1)
    assert got == approx((6, 18)), (
        f"with step 7's loss replaced by (w − 1)² + 3·(b + 2)², numerical_gradient([1, 2, 3], [2, 4, 6], w=4, b=1, "
        f"h=0.1) returned {got!r}; that loss's slopes there are 2·(4 − 1) = 6 and 6·(1 + 2) = 18. It does not measure "
        "the loss: it must nudge w and b in step 7's loss, loss(X, Y, w ± h, b) and loss(X, Y, w, b ± h), not "
        "compute step 8's formula."
    )
