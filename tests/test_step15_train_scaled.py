"""Step 15 · Training on standardised X, the line back in °C.   Your file: steps/step15_train_scaled.py"""

import statistics

import pytest
from pytest import approx

from kata.core.registry import ROOT
from tests.support import OneOf, a_list, function_under_test, lead, slip

train_scaled = function_under_test("step15_train_scaled", "train_scaled")


def park():
    """park.txt, read here by the test itself so that this step stands on its own."""
    rows = [
        line.split() for line in (ROOT / "park.txt").read_text().splitlines()[1:] if line.strip()
    ]
    return [float(x) for x, _ in rows], [float(y) for _, y in rows]


def descend(X, Y, iterations, lr):
    """Plain gradient descent from w = b = 0, written here: (w, b, the loss before each update)."""
    w = b = 0.0
    losses = []
    for _ in range(iterations):
        errors = [x * w + b - y for x, y in zip(X, Y)]
        losses.append(sum(e * e for e in errors) / len(X))
        w, b = (
            w - lr * 2 * sum(e * x for e, x in zip(errors, X)) / len(X),
            b - lr * 2 * sum(errors) / len(X),
        )
    return w, b, losses


def on_scaled(X, Y, iterations, lr):
    """Descent on X standardised with statistics.fmean and pstdev: (w_s, b_s, losses, mean, spread)."""
    mean, spread = statistics.fmean(X), statistics.pstdev(X)
    return (*descend([(x - mean) / spread for x in X], Y, iterations, lr), mean, spread)


def closed_form(X, Y):
    """The least-squares line, written here so that this step's tests stand on their own."""
    mean_x, mean_y = sum(X) / len(X), sum(Y) / len(Y)
    w = sum((x - mean_x) * (y - mean_y) for x, y in zip(X, Y)) / sum((x - mean_x) ** 2 for x in X)
    return w, mean_y - w * mean_x


def trained(train_scaled, X, Y, iterations, lr):
    """Call train_scaled and return (w, b, losses), failing kindly on another shape or on a call made out of
    order."""
    call = f"train_scaled(X, Y, {iterations}, {lr})"
    try:
        got = train_scaled(X, Y, iterations, lr)
    except ValueError as error:
        if "values to unpack" in str(error):
            pytest.fail(
                f"{call} raised ValueError ({error}): standardise returns three things, (scaled, mean, spread), "
                "and train three, (w, b, losses): unpack each into as many names.",
                pytrace=False,
            )
        raise
    except TypeError as error:
        if "cannot be interpreted as an integer" in str(error):
            pytest.fail(
                f"{call} raised TypeError ({error}): a count got a decimal number. Are train's arguments in its "
                "order, train(scaled, Y, iterations, lr)?",
                pytrace=False,
            )
        raise
    if not (isinstance(got, (tuple, list)) and len(got) == 3):
        pytest.fail(
            f"train_scaled(X, Y, {iterations}, {lr}) returned {got!r}; expected (w, b, losses).",
            pytrace=False,
        )
    w, b, losses = got
    return (
        w,
        b,
        a_list(losses, f"train_scaled(X, Y, {iterations}, {lr})", "the tracer and the tests"),
    )


def slips(X, Y, iterations, lr):
    """The lines the usual slips of mapping back give, and what to say about each."""
    ws, bs, _, mean, spread = on_scaled(X, Y, iterations, lr)
    sample = statistics.stdev(X)
    wx, bx, _ = descend(X, Y, iterations, lr)  # trained on the temperatures as they are
    return {
        "That line was trained on X, not on the standardised values: train on the scaled list standardise returned, "
        "then map back.": (wx / spread, bx - wx * mean / spread),
        "That is train's line on X itself: it was trained on X, not on the standardised values. Train on the scaled "
        "list standardise returned, then map back.": (wx, bx),
        "b was not corrected: the line w_s·(x − mean)/spread + b_s crosses x = 0 at b_s − w_s·mean/spread.": (
            ws / spread,
            bs,
        ),
        "That is the line on the scaled temperatures, not mapped back: w = w_s/spread, b = b_s − w_s·mean/spread.": (
            ws,
            bs,
        ),
        "w was not divided by the spread: w = w_s/spread.": (ws, bs - ws * mean / spread),
        "w was multiplied by the spread: standardising divided each x by the spread, so one °C moves the scaled "
        "temperature by 1/spread, and w in °C is w_s/spread: divide, do not multiply.": OneOf(
            (ws * spread, b)
            for b in (bs - ws * mean / spread, bs - ws * mean * spread, bs - ws * mean, bs)
        ),
        "The b correction has the wrong sign: b = b_s − w_s·mean/spread.": (
            ws / spread,
            bs + ws * mean / spread,
        ),
        "The b correction forgot to divide by the spread: b = b_s − w_s·mean/spread.": (
            ws / spread,
            bs - ws * mean,
        ),
        "That maps back with the sample spread (n − 1, statistics.stdev), but standardise divided by the population "
        "spread (n): use the spread standardise returned.": (ws / sample, bs - ws * mean / sample),
    }


def test_one_iteration_worked_by_hand(train_scaled):
    w, b, _ = trained(train_scaled, [0.0, 4.0], [1.0, 9.0], 1, 0.5)
    assert (w, b) == approx((2, 1)), lead(
        slip((w, b), slips([0.0, 4.0], [1.0, 9.0], 1, 0.5)),
        f"train_scaled([0, 4], [1, 9], 1, 0.5) returned w = {w!r}, b = {b!r}; expected the line y = 2x + 1. "
        "By hand: mean 2, spread 2, so X becomes [−1, 1]; "
        "at w = b = 0 the slopes are −8 and −10, so one step at lr 0.5 gives w_s = 4, b_s = 5: the line "
        "4·(x − 2)/2 + 5, which is 2x + 1.",
    )


def test_the_line_in_degrees_predicts_what_the_scaled_line_predicts(train_scaled):
    X, Y = park()
    w, b, _ = trained(train_scaled, X, Y, 5, 0.1)
    ws, bs, _, mean, spread = on_scaled(X, Y, 5, 0.1)
    got, expected = [w * x + b for x in X], [ws * (x - mean) / spread + bs for x in X]
    assert got == approx(expected, rel=1e-9), (
        f"after 5 iterations at lr 0.1 on the park's days, your line w = {w:.6g}, b = {b:.6g} predicts "
        f"{[round(p, 2) for p in got[:3]]} … for {X[:3]} °C, but the line trained on the standardised temperatures "
        f"predicts {[round(p, 2) for p in expected[:3]]} ….{slip((w, b), slips(X, Y, 5, 0.1))}"
    )


def test_the_losses_are_those_of_the_scaled_training(train_scaled):
    X, Y = park()
    _, _, losses = trained(train_scaled, X, Y, 5, 0.1)
    expected = on_scaled(X, Y, 5, 0.1)[2]
    assert losses == approx(expected, rel=1e-9), (
        f"5 iterations at lr 0.1 on the park's days recorded the losses {[round(v, 1) for v in losses]}; training "
        f"on the standardised temperatures records {[round(v, 1) for v in expected]}: return the losses train gave, "
        "the predictions (and so the loss) are the same in both units."
    )


@pytest.mark.parametrize(
    ("lr", "iterations"),
    [(0.5, 1), (0.1, 100)],
    ids=["lr 0.5, 1 iteration", "lr 0.1, 100 iterations"],
)
def test_on_the_park_it_reaches_the_closed_form_in_a_handful_of_iterations(
    train_scaled, lr, iterations
):
    X, Y = park()
    w, b, _ = trained(train_scaled, X, Y, iterations, lr)
    best = closed_form(X, Y)
    assert (w, b) == approx(best, abs=1e-6), (
        f"{iterations} iteration(s) at lr {lr} on the standardised park temperatures gave w = {w:.8g}, b = {b:.8g}; "
        f"the closed-form line is w = {best[0]:.8g}, b = {best[1]:.8g}. Scaled, the valley is a round bowl: each "
        f"slope is 2·(distance to the bottom), so lr 0.5 lands at the bottom in one step.{slip((w, b), slips(X, Y, iterations, lr))}"
    )


def test_the_data_is_left_unchanged(train_scaled):
    X, Y = [0.0, 4.0, 5.0], [1.0, 9.0, 10.0]
    trained(train_scaled, X, Y, 2, 0.1)
    assert (X, Y) == ([0.0, 4.0, 5.0], [1.0, 9.0, 10.0]), (
        f"train_scaled changed the data: X = {X!r}, Y = {Y!r}."
    )
