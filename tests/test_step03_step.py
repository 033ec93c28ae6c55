"""Step 3 · One gradient step, x − lr·f′(x).   Your file: steps/step03_step.py"""

import pytest
from pytest import approx

from tests.support import function_under_test, lead, slip_in

step = function_under_test("step03_step", "step")


def slope(x):
    """The slope of step 2, written here so that this step's tests stand on their own."""
    return 2 * (x - 3)


# the usual slips as functions of (x, lr): several calls tell apart two that agree at one
SLIPS = {
    "That goes uphill: x + lr·f′(x). Subtract the gradient step: the slope points uphill, "
    "and we want to go down.": lambda x, lr: x + lr * slope(x),
    "That is the gradient step lr·f′(x) itself; step() returns x minus that.": lambda x, lr: (
        lr * slope(x)
    ),
    "That is x − f′(x): scale the slope by lr first.": lambda x, lr: x - slope(x),
    "That is x − lr·x: use the slope, gradient(x) from step 2, not x itself.": lambda x, lr: (
        x - lr * x
    ),
    "That is the step for lr = 0.1, whatever lr is given: use lr.": lambda x, lr: (
        x - 0.1 * slope(x)
    ),
    "That is the step for lr = 0.01, whatever lr is given: use lr.": lambda x, lr: (
        x - 0.01 * slope(x)
    ),
    "That is x − lr·f′(lr): the slope is taken at x, gradient(x).": lambda x, lr: (
        x - lr * slope(lr)
    ),
    "That is (x − lr)·f′(x): the step is x minus lr times the slope, x − lr·f′(x).": lambda x, lr: (
        (x - lr) * slope(x)
    ),
}
CALLS = [(6, 0.1), (6, 0.25), (0, 0.1), (10, 0.01)]


@pytest.mark.parametrize(
    ("x", "lr", "expected"),
    [(6, 0.1, 5.4), (6, 0.25, 4.5), (0, 0.1, 0.6), (4, 0.5, 3.0), (10, 0.01, 9.86)],
    ids=[
        "x = 6, lr = 0.1",
        "x = 6, lr = 0.25",
        "x = 0, lr = 0.1",
        "x = 4, lr = 0.5",
        "x = 10, lr = 0.01",
    ],
)
def test_one_step_is_x_minus_lr_times_the_slope(step, x, lr, expected):
    got = step(x, lr)
    slope = 2 * (x - 3)
    assert got == approx(expected), lead(
        slip_in(step, CALLS, SLIPS),
        f"step({x}, {lr}) returned {got!r}, expected {expected}. The slope at {x} is "
        f"{slope}, the gradient step is {lr} × {slope} = {lr * slope:g}, and {x} − {lr * slope:g} = {expected}.",
    )


@pytest.mark.parametrize("x", [6, 0, 3.5, -4], ids=lambda x: f"from x = {x}")
def test_a_small_step_goes_downhill_towards_3(step, x):
    got = step(x, 0.1)
    assert abs(got - 3) < abs(x - 3), (
        f"step({x}, 0.1) returned {got!r}, which is not closer to the minimum x = 3. "
        "Subtract the gradient step: the slope points uphill, and we want to go down."
    )


def test_at_the_minimum_a_step_stays_put(step):
    got = step(3, 0.1)
    assert got == approx(3), f"step(3, 0.1) returned {got!r}: the slope at 3 is 0, so x stays at 3."


def test_a_learning_rate_of_zero_does_not_move(step):
    got = step(6, 0)
    assert got == approx(6), f"step(6, 0) returned {got!r}: with lr = 0 the gradient step is 0."


def test_twice_the_learning_rate_makes_twice_the_step(step):
    small, large = step(6, 0.1) - 6, step(6, 0.2) - 6
    assert large == approx(2 * small), (
        f"step(6, 0.1) moved by {small!r} and step(6, 0.2) by {large!r}: the step is lr × slope, "
        "so doubling lr doubles it. Is lr used, and not a fixed number?"
    )
