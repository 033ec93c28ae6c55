"""Step 9 · Training w and b by gradient descent.   Your file: steps/step09_train.py"""

import re

import pytest
from pytest import approx

from kata.core.look import counted
from tests.support import function_under_test, lead, slip

train = function_under_test("step09_train", "train")

X, Y = [1.0, 2.0, 3.0], [2.0, 4.0, 6.0]


def mse(X, Y, w, b):
    """The loss of step 7, written here so that this step's tests stand on their own."""
    return sum((x * w + b - y) ** 2 for x, y in zip(X, Y)) / len(X)


def slopes(X, Y, w, b):
    """The gradient of step 8, written here so that this step's tests stand on their own."""
    errors = [x * w + b - y for x, y in zip(X, Y)]
    return 2 * sum(e * x for e, x in zip(errors, X)) / len(X), 2 * sum(errors) / len(X)


def trained(train, X, Y, iterations, lr):
    """Call train and return (w, b, losses), naming the slip when it returns another shape."""
    call = f"train(X, Y, {iterations}, {lr})"
    try:
        result = train(X, Y, iterations, lr)
    except UnboundLocalError as error:
        found = re.search(r"local variable '(\w+)'", str(error))
        name = found.group(1) if found else ""
        if name in ("w", "b", ""):
            fix = (
                "set w = b = 0 before the loop, so that they exist even with 0 iterations and keep their values "
                "from one iteration to the next."
            )
        elif name == "losses":
            fix = (
                "make the list once, before the loop, losses = [], so that it exists even with 0 iterations; "
                "inside the loop, append to it (made there, it would be made again in each iteration)."
            )
        else:
            fix = f"give {name} its first value before the loop, so that it exists even with 0 iterations."
        pytest.fail(f"{call} raised UnboundLocalError ({error}): {fix}", pytrace=False)
    except TypeError as error:
        if "can't multiply sequence" in str(error) or "unsupported operand" in str(error):
            pytest.fail(
                f"{call} raised TypeError ({error}): gradient() gives two slopes at once, (w slope, b slope). Unpack "
                "them first, w_gradient, b_gradient = gradient(X, Y, w, b), then move each parameter by its own.",
                pytrace=False,
            )
        raise
    if result is None:
        pytest.fail(
            f"{call} returned None; expected (w, b, losses). Is the `return` missing, or indented inside the "
            "for loop? It comes after the loop, level with the `for`.",
            pytrace=False,
        )
    if isinstance(result, (tuple, list)) and len(result) == 2:
        pytest.fail(
            f"{call} returned two values, {result!r}; the kata's train returns three, (w, b, losses): the "
            "losses too, so that you can watch the loss fall (step 10 and the tracer unpack three). The "
            "article's train returns w, b, but its last listing unpacks three.",
            pytrace=False,
        )
    if not (
        isinstance(result, (tuple, list))
        and len(result) == 3
        and isinstance(result[2], (list, tuple))
    ):
        pytest.fail(
            f"{call} returned {result!r}; expected (w, b, losses), losses a list.", pytrace=False
        )
    w, b, losses = result
    return w, b, list(losses)


def one_step_slips():
    """Where one iteration at lr = 0.1 lands with the usual slips, and what to say about each."""
    w_slope, b_slope = slopes(X, Y, 0, 0)
    two = (0.1 * -w_slope, 0.1 * -b_slope)
    w2_slope, b2_slope = slopes(X, Y, *two)
    return {
        "w and b moved uphill: subtract lr × slope (w -= lr * w_slope), the slope points uphill.": (
            0.1 * w_slope,
            0.1 * b_slope,
        ),
        "That is lr = 0.001 whatever lr is given: use lr.": (-0.001 * w_slope, -0.001 * b_slope),
        "That is lr = 0.01 whatever lr is given: use lr.": (-0.01 * w_slope, -0.01 * b_slope),
        "The slopes were not scaled by lr: w -= lr * w_slope.": (-w_slope, -b_slope),
        "b never moved: move b too, against its own slope.": (-0.1 * w_slope, 0),
        "w never moved: move w too, against its own slope.": (0, -0.1 * b_slope),
        "That is two iterations: one too many (range(iterations) runs it exactly `iterations` times).": (
            two[0] - 0.1 * w2_slope,
            two[1] - 0.1 * b2_slope,
        ),
    }


def test_train_returns_w_b_and_the_losses(train):
    w, b, losses = trained(train, X, Y, 1, 0.1)
    assert all(isinstance(v, (int, float)) for v in (w, b)), (
        f"train returned w = {w!r}, b = {b!r}: two numbers."
    )


def test_zero_iterations_leave_w_and_b_at_zero(train):
    w, b, losses = trained(train, X, Y, 0, 0.1)
    said = ""
    if losses and (w, b) == approx(
        (0, 0)
    ):  # no update, yet a loss: it was recorded outside the loop
        said = " A loss was recorded though no iteration ran: record one loss in each iteration, inside the loop."
    elif losses:
        said = " An iteration ran: range(iterations) runs the loop 0 times for 0."
    assert (w, b) == approx((0, 0)) and losses == [], (
        f"train(X, Y, 0, 0.1) returned ({w!r}, {b!r}, {losses!r}); expected (0, 0, []): training starts "
        f"at w = b = 0 and no iteration ran.{said}"
    )


def test_both_slopes_are_taken_before_either_parameter_moves(train):
    _, b, _ = trained(train, X, Y, 1, 0.1)
    assert b != approx(0.8 / 15, rel=1e-3), (
        f"after one iteration b = {b!r}: that is the b slope computed after w had already moved. "
        "Compute both slopes at the same (w, b) first, then update w and b."
    )


def test_one_iteration_worked_by_hand(train):
    w, b, _ = trained(train, X, Y, 1, 0.1)
    # at w = b = 0 the errors are −2, −4, −6: slopes 2·mean(error·x) = −56/3 and 2·mean(error) = −8
    assert (w, b) == approx((56 / 30, 0.8)), lead(
        slip((w, b), one_step_slips()),
        f"one iteration at lr = 0.1 on X = [1, 2, 3], Y = [2, 4, 6] gave w = {w!r}, b = {b!r}; expected "
        "w = 0 − 0.1·(−56/3) ≈ 1.867 and b = 0 − 0.1·(−8) = 0.8.",
    )


@pytest.mark.parametrize("iterations", [1, 2, 10], ids=lambda n: counted(n, "iteration"))
def test_there_is_one_loss_per_iteration(train, iterations):
    _, _, losses = trained(train, X, Y, iterations, 0.01)
    said = " An iteration too many or too few?"
    if len(losses) == 1 and iterations > 1:
        said = (
            " The one loss kept is the last iteration's: the list is made again in each iteration "
            "(losses = [...] inside the loop). Make it once, before the loop, and append to it inside."
            if losses[0] != approx(mse(X, Y, 0, 0))
            else " It is the loss at the start: record one loss in each iteration, inside the loop."
        )
    assert len(losses) == iterations, (
        f"train(X, Y, {iterations}, 0.01) recorded {len(losses)} {'loss' if len(losses) == 1 else 'losses'}, "
        f"expected {iterations}: one per iteration.{said}"
    )


def test_each_loss_is_measured_before_its_update(train):
    w1, b1, _ = trained(train, X, Y, 1, 0.1)
    _, _, losses = trained(train, X, Y, 2, 0.1)
    expected = [mse(X, Y, 0, 0), mse(X, Y, w1, b1)]
    late = (
        " Each loss was measured after its update: append it before you move w and b."
        if (len(losses) == 2 and losses[0] == approx(expected[1]))
        else ""
    )
    assert losses == approx(expected), (
        f"two iterations recorded the losses {losses!r}, expected {expected!r}: losses[0] is the loss at "
        f"the start (w = b = 0, so the mean of y²) and losses[1] the loss after the first update.{late}"
    )


def test_the_loss_falls_at_a_safe_learning_rate(train):
    _, _, losses = trained(train, X, Y, 50, 0.05)
    assert all(later < earlier for earlier, later in zip(losses, losses[1:])), (
        f"at lr = 0.05 every iteration should lower the loss; it went {[round(v, 4) for v in losses[:6]]} …"
    )


def test_twice_the_learning_rate_makes_twice_the_first_step(train):
    w_small, b_small, _ = trained(train, X, Y, 1, 0.05)
    w_large, b_large, _ = trained(train, X, Y, 1, 0.1)
    assert (w_large, b_large) == approx((2 * w_small, 2 * b_small)), (
        f"one iteration moved (w, b) to ({w_small!r}, {b_small!r}) at lr = 0.05 and to ({w_large!r}, "
        f"{b_large!r}) at lr = 0.1: the first step is lr × slope, so it should double. Is lr used?"
    )


def test_training_long_enough_finds_the_least_squares_line(train):
    X4, Y4 = [-1.0, 0.0, 1.0, 2.0], [1.0, 2.0, 4.0, 4.0]
    n = len(X4)
    mean_x, mean_y = sum(X4) / n, sum(Y4) / n
    w_best = sum((x - mean_x) * (y - mean_y) for x, y in zip(X4, Y4)) / sum(
        (x - mean_x) ** 2 for x in X4
    )
    b_best = mean_y - w_best * mean_x  # the best line in closed form: w = 1.1, b = 2.2
    w, b, _ = trained(train, X4, Y4, 2000, 0.1)
    assert (w, b) == approx((w_best, b_best), abs=1e-6), (
        f"2000 iterations at lr = 0.1 ended at w = {w!r}, b = {b!r}; the best line is w = {w_best:g}, "
        f"b = {b_best:g}. Gradient descent should walk all the way down to it."
    )


def test_the_data_is_left_unchanged(train):
    X2, Y2 = [1.0, 2.0], [3.0, 5.0]
    trained(train, X2, Y2, 3, 0.1)
    assert (X2, Y2) == ([1.0, 2.0], [3.0, 5.0]), (
        f"training changed the data: X = {X2!r}, Y = {Y2!r}."
    )
