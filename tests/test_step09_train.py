"""Step 9 · Training w and b by gradient descent.   Your file: steps/step09_train.py"""

import pytest
from pytest import approx

from tests.support import function_under_test

train = function_under_test("step09_train", "train")

X, Y = [1.0, 2.0, 3.0], [2.0, 4.0, 6.0]


def mse(X, Y, w, b):
    """The loss of step 7, written here so that this step's tests stand on their own."""
    return sum((x * w + b - y) ** 2 for x, y in zip(X, Y)) / len(X)


def test_zero_iterations_leave_w_and_b_at_zero(train):
    w, b, losses = train(X, Y, 0, 0.1)
    assert (w, b) == approx((0, 0)) and list(losses) == [], (
        f"train(X, Y, 0, 0.1) returned ({w!r}, {b!r}, {losses!r}); expected (0, 0, []): training starts "
        "at w = b = 0 and no iteration ran."
    )


def test_both_slopes_are_taken_before_either_parameter_moves(train):
    _, b, _ = train(X, Y, 1, 0.1)
    assert b != approx(0.8 / 15, rel=1e-3), (
        f"after one iteration b = {b!r}: that is the b slope computed after w had already moved. "
        "Compute both slopes at the same (w, b) first, then update w and b."
    )
    assert b == approx(0.8), f"after one iteration b = {b!r}, expected 0.8 = 0 − 0.1·(−8)."


def test_one_iteration_worked_by_hand(train):
    w, b, losses = train(X, Y, 1, 0.1)
    # at w = b = 0 the errors are −2, −4, −6: slopes 2·mean(error·x) = −56/3 and 2·mean(error) = −8
    assert (w, b) == approx((56 / 30, 0.8)), (
        f"one iteration at lr = 0.1 on X = [1, 2, 3], Y = [2, 4, 6] gave w = {w!r}, b = {b!r}; expected "
        "w = 0 − 0.1·(−56/3) ≈ 1.867 and b = 0 − 0.1·(−8) = 0.8."
    )


@pytest.mark.parametrize("iterations", [1, 2, 10])
def test_there_is_one_loss_per_iteration(train, iterations):
    _, _, losses = train(X, Y, iterations, 0.01)
    assert len(losses) == iterations, (
        f"train(X, Y, {iterations}, 0.01) recorded {len(losses)} losses, expected {iterations}: "
        "one per iteration. An iteration too many or too few?"
    )


def test_each_loss_is_measured_before_its_update(train):
    w1, b1, _ = train(X, Y, 1, 0.1)
    _, _, losses = train(X, Y, 2, 0.1)
    expected = [mse(X, Y, 0, 0), mse(X, Y, w1, b1)]
    assert list(losses) == approx(expected), (
        f"two iterations recorded the losses {losses!r}, expected {expected!r}: losses[0] is the loss at "
        "the start (w = b = 0, so the mean of y²) and losses[1] the loss after the first update."
    )


def test_the_loss_falls_at_a_safe_learning_rate(train):
    _, _, losses = train(X, Y, 50, 0.05)
    assert all(later < earlier for earlier, later in zip(losses, losses[1:])), (
        f"at lr = 0.05 every iteration should lower the loss; it went {[round(v, 4) for v in losses[:6]]} …"
    )


def test_twice_the_learning_rate_makes_twice_the_first_step(train):
    w_small, b_small, _ = train(X, Y, 1, 0.05)
    w_large, b_large, _ = train(X, Y, 1, 0.1)
    assert (w_large, b_large) == approx((2 * w_small, 2 * b_small)), (
        f"one iteration moved (w, b) to ({w_small!r}, {b_small!r}) at lr = 0.05 and to ({w_large!r}, "
        f"{b_large!r}) at lr = 0.1: the first step is lr × slope, so it should double. Is lr used?"
    )


def test_training_long_enough_finds_the_least_squares_line(train):
    X4, Y4 = [-1.0, 0.0, 1.0, 2.0], [1.0, 2.0, 4.0, 4.0]
    n = len(X4)
    mean_x, mean_y = sum(X4) / n, sum(Y4) / n
    w_best = sum((x - mean_x) * (y - mean_y) for x, y in zip(X4, Y4)) / sum((x - mean_x) ** 2 for x in X4)
    b_best = mean_y - w_best * mean_x  # the best line in closed form: w = 1.1, b = 1.95
    w, b, _ = train(X4, Y4, 2000, 0.1)
    assert (w, b) == approx((w_best, b_best), abs=1e-6), (
        f"2000 iterations at lr = 0.1 ended at w = {w!r}, b = {b!r}; the best line is w = {w_best:g}, "
        f"b = {b_best:g}. Gradient descent should walk all the way down to it."
    )


def test_the_data_is_left_unchanged(train):
    X2, Y2 = [1.0, 2.0], [3.0, 5.0]
    train(X2, Y2, 3, 0.1)
    assert (X2, Y2) == ([1.0, 2.0], [3.0, 5.0]), f"training changed the data: X = {X2!r}, Y = {Y2!r}."
