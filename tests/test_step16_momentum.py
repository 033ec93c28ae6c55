"""Step 16 · Momentum: heavy-ball descent.   Your file: steps/step16_momentum.py"""

import math
import re

import pytest
from pytest import approx

from kata.core.look import counted
from kata.core.registry import ROOT
from tests.support import a_list, function_under_test, lead, slip_in

train_momentum = function_under_test("step16_momentum", "train_momentum")

X, Y = [1.0, 2.0, 3.0], [2.0, 4.0, 6.0]


def park():
    """park.txt, read here by the test itself so that this step stands on its own."""
    rows = [
        line.split() for line in (ROOT / "park.txt").read_text().splitlines()[1:] if line.strip()
    ]
    return [float(x) for x, _ in rows], [float(y) for _, y in rows]


def slopes(X, Y, w, b):
    """The gradient of step 8, written here so that this step's tests stand on their own."""
    errors = [x * w + b - y for x, y in zip(X, Y)]
    return 2 * sum(e * x for e, x in zip(errors, X)) / len(X), 2 * sum(errors) / len(X)


def mse(X, Y, w, b):
    """The loss of step 7, written here so that this step's tests stand on their own."""
    return sum((x * w + b - y) ** 2 for x, y in zip(X, Y)) / len(X)


def heavy_ball(X, Y, iterations, lr, beta, kind="right"):
    """Heavy-ball descent from w = b = 0, written here, right or with one of the usual slips: (w, b, losses)."""
    w = b = vw = vb = 0.0
    losses = []
    for _ in range(iterations):
        losses.append(mse(X, Y, w, b))
        if kind == "nesterov":  # the slope where the velocity is about to carry us
            gw, gb = slopes(X, Y, w - lr * beta * vw, b - lr * beta * vb)
        else:
            gw, gb = slopes(X, Y, w, b)
        if kind == "old velocity":  # stepped before the velocity took in this slope
            w, b = w - lr * vw, b - lr * vb
        share = {"average": 1 - beta, "lr twice": lr, "beta on both": beta}.get(kind, 1)
        vw, vb = (0.0, 0.0) if kind == "forgets" else (vw, vb)
        if (
            kind == "one velocity"
        ):  # both slopes pushed on one velocity, both parameters stepped by it
            gw = gb = gw + gb
        if kind == "beta on the slope":
            vw, vb = vw + beta * gw, vb + beta * gb
        else:
            vw, vb = beta * vw + share * gw, beta * vb + share * gb
        if kind == "uphill":  # stepped along the velocity, not against it
            w, b = w + lr * vw, b + lr * vb
        elif kind != "old velocity":
            w, b = w - lr * vw, b - lr * vb
    return w, b, losses


def trained(train_momentum, X, Y, iterations, lr, beta):
    """Call train_momentum and return (w, b, losses), failing kindly on another shape."""
    call = f"train_momentum(X, Y, {iterations}, {lr}, {beta})"
    try:
        got = train_momentum(X, Y, iterations, lr, beta)
    except UnboundLocalError as error:
        named = re.search(r"'(\w+)'", str(error))
        name = named.group(1) if named else "a variable"
        start = (
            "start w and b at 0 before the loop (w = b = 0.0)"
            if name in ("w", "b")
            else "start both velocities at 0 before the loop (w_velocity = b_velocity = 0.0), once, so that each "
            "iteration builds on the last"
        )
        pytest.fail(
            f"{call} raised UnboundLocalError ({error}): {name} is read before it is ever set: {start}.",
            pytrace=False,
        )
    if not (isinstance(got, (tuple, list)) and len(got) == 3):
        pytest.fail(
            f"{call} returned {got!r}; expected (w, b, losses), as train does.", pytrace=False
        )
    w, b, losses = got
    return w, b, a_list(losses, call, "the tracer and the tests")


def slips(lr, beta):
    """The usual slips (heavy_ball's kinds) and what to say about each, at this lr and beta."""
    return {
        "That steps along the velocity, uphill: the velocity piles up the slopes, which point uphill, so the "
        "line moves against it, w −= lr·velocity, as train moves against the slope.": "uphill",
        "That is plain descent: the velocity must start at 0 once, before the loop, and carry over from one "
        "iteration to the next.": "forgets",
        f"That is the averaged velocity v = beta·v + (1 − beta)·gradient, the other common convention: the same "
        f"method with lr·(1 − beta) = {lr * (1 - beta):g} in place of lr = {lr:g}. This step asks for the heavy "
        "ball's v = beta·v + gradient, so that beta = 0 is plain descent at the same lr.": "average",
        "That steps with the velocity before it takes in this iteration's slope: update the velocity first, "
        "then w -= lr * velocity.": "old velocity",
        "That is Nesterov's momentum (the slope taken ahead, where the velocity carries): the heavy ball takes "
        "it at w, b.": "nesterov",
        "lr is taken twice: once in the velocity (beta·v + lr·gradient) and again in the step. Keep it in one "
        "place: velocity = beta·velocity + gradient, then w -= lr * velocity.": "lr twice",
        "w and b share one velocity: each parameter needs its own, pushed by its own slope.": "one velocity",
        f"beta multiplies the slope too, velocity = beta·(velocity + gradient): the same method with lr·beta = "
        f"{lr * beta:g} in place of lr = {lr:g}. Only the old velocity is scaled by beta: velocity = beta·velocity "
        "+ gradient.": "beta on both",
        "beta multiplies the slope instead of the velocity: velocity = beta·velocity + gradient, beta keeps a "
        "share of the old velocity.": "beta on the slope",
    }


def slip_of(train_momentum, iterations, lr, beta):
    """The words for the usual slip that answers as train_momentum does at this beta and at another (' ' + words),
    or '': at beta = 0.5 the averaged velocity and beta·(velocity + gradient) land on the same line."""
    other = 0.9 if beta != 0.9 else 0.5
    return slip_in(
        lambda b: tuple(trained(train_momentum, X, Y, iterations, lr, b)[:2]),
        [(beta,), (other,)],
        {
            words: (lambda b, kind=kind: heavy_ball(X, Y, iterations, lr, b, kind)[:2])
            for words, kind in slips(lr, beta).items()
        },
    )


def test_two_iterations_worked_by_hand(train_momentum):
    w, b, _ = trained(train_momentum, X, Y, 2, 0.1, 0.5)
    expected = heavy_ball(X, Y, 2, 0.1, 0.5)[:2]
    assert (w, b) == approx(expected), lead(
        slip_of(train_momentum, 2, 0.1, 0.5),
        f"train_momentum([1, 2, 3], [2, 4, 6], 2, lr=0.1, beta=0.5) returned w = {w!r}, b = {b!r}; expected "
        f"w = {expected[0]:.6g}, b = {expected[1]:.6g}. By hand: the first "
        "slopes are (−56/3, −8), so the velocity is (−56/3, −8) and the line moves against it, by 0.1 times it, to (1.867, 0.8); there the "
        "slopes are (1.956, 1.067), the velocity 0.5·(−56/3, −8) + (1.956, 1.067) = (−7.378, −2.933), and the line "
        "moves to (2.604, 1.093).",
    )


@pytest.mark.parametrize(
    "iterations", [1, 5, 50], ids=lambda n: counted(n, "iteration", "iterations")
)
def test_with_beta_0_it_is_plain_gradient_descent(train_momentum, iterations):
    got = trained(train_momentum, X, Y, iterations, 0.05, 0.0)
    expected = heavy_ball(X, Y, iterations, 0.05, 0.0)
    after = heavy_ball(X, Y, iterations + 1, 0.05, 0.0)[2][1:]  # the loss after each update instead
    said = (
        " Those are the losses after each update: each loss is measured before its update (append it first)."
        if got[2] != approx(expected[2], rel=1e-12) and got[2] == approx(after, rel=1e-12)
        else ""
    )
    shown = [round(v, 4) for v in got[2][:3]]
    assert got[:2] == approx(expected[:2], rel=1e-12) and got[2] == approx(
        expected[2], rel=1e-12
    ), (
        f"with beta = 0 the velocity is just the gradient, so train_momentum(X, Y, {iterations}, 0.05, 0) must be "
        f"train exactly: expected w = {expected[0]!r}, b = {expected[1]!r} and {counted(len(expected[2]), 'loss', 'losses')}, "
        f"the first {expected[2][0]:.4g}; got w = {got[0]!r}, b = {got[1]!r} and "
        f"{counted(len(got[2]), 'loss', 'losses')}: {shown}{' …' if len(got[2]) > 3 else ''}.{said}"
    )


def closed_form(X, Y):
    """The least-squares line, written here so that this step's tests stand on their own."""
    mean_x, mean_y = sum(X) / len(X), sum(Y) / len(Y)
    w = sum((x - mean_x) * (y - mean_y) for x, y in zip(X, Y)) / sum((x - mean_x) ** 2 for x in X)
    return w, mean_y - w * mean_x


def test_on_the_park_it_arrives_where_plain_descent_crawls(train_momentum):
    Xp, Yp = park()
    best = closed_form(Xp, Yp)
    w, b, _ = trained(train_momentum, Xp, Yp, 2000, 0.001, 0.98)
    plain = heavy_ball(Xp, Yp, 2000, 0.001, 0.0)
    distance, crawled = (
        math.hypot(w - best[0], b - best[1]),
        math.hypot(plain[0] - best[0], plain[1] - best[1]),
    )
    assert distance < 1e-2 < crawled, (
        f"2000 iterations at the article's lr 0.001 with beta 0.98 ended {distance:.3g} away from the best line "
        f"(w = {best[0]:.4f}, b = {best[1]:.2f}); plain descent, the same 2000 iterations, is still {crawled:.3g} away. "
        "The velocity should pile up the small steady slope along the valley floor and carry the line there."
    )


def steepest_curvature(X):
    """How sharply the loss bends across the valley: the larger eigenvalue of [[2·mean(x²), 2·mean(x)], [2·mean(x), 2]]."""
    a, c, d = 2 * sum(x * x for x in X) / len(X), 2 * sum(X) / len(X), 2.0
    return (a + d) / 2 + math.sqrt(((a - d) / 2) ** 2 + c * c)


CASES = [(beta, factor) for beta in (0.0, 0.5, 0.9) for factor in (0.9, 1.1)]


@pytest.mark.parametrize(
    ("beta", "factor"),
    CASES,
    ids=[f"beta {beta}, lr {'below' if f < 1 else 'above'} the bound" for beta, f in CASES],
)
def test_it_is_stable_below_the_bound_and_runs_away_above_it(train_momentum, beta, factor):
    bound = 2 * (1 + beta) / steepest_curvature(X)
    lr, iterations = factor * bound, 300 if factor < 1 else 100
    _, _, losses = trained(train_momentum, X, Y, iterations, lr, beta)
    where = f"at lr = {factor} × 2·(1 + {beta}) / {steepest_curvature(X):.4g} = {lr:.4g}"
    if factor < 1:
        assert all(math.isfinite(v) for v in losses) and losses[-1] < losses[0] / 1000, (
            f"{where}, just below the bound, {iterations} iterations should bring the loss down from {losses[0]:.4g} "
            f"by far more than 1000 times; the last loss is {losses[-1]:.4g}."
        )
    else:
        assert not losses[-1] < losses[0] * 1000, (
            f"{where}, just above the bound, the loss should run away; after {iterations} iterations it is "
            f"{losses[-1]:.4g}, from {losses[0]:.4g}. Is the step lr·velocity, with velocity = beta·velocity + gradient?"
        )


def test_the_data_is_left_unchanged(train_momentum):
    X2, Y2 = [1.0, 2.0], [3.0, 5.0]
    trained(train_momentum, X2, Y2, 3, 0.1, 0.9)
    assert (X2, Y2) == ([1.0, 2.0], [3.0, 5.0]), (
        f"training changed the data: X = {X2!r}, Y = {Y2!r}."
    )
