"""Step 13 · Stopping when the gradient is short enough.   Your file: steps/step13_stopping.py"""

import math

import pytest
from pytest import approx

from kata.core.look import counted
from kata.core.registry import ROOT
from tests.support import function_under_test, slip

train_until = function_under_test("step13_stopping", "train_until")

# a small valley: its best line is w = 1.8, b = 0.5, and lr = 0.1 is safe on it
X, Y = [1.0, 2.0, 3.0, 4.0], [2.0, 5.0, 5.0, 8.0]


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


def descend_until(X, Y, lr, stop, max_iterations=100_000):
    """Plain descent from w = b = 0 until stop(slopes, loss before, loss now) says so: (w, b, updates made)."""
    w = b = 0.0
    before = math.inf
    for iterations in range(max_iterations + 1):
        now = mse(X, Y, w, b)
        w_slope, b_slope = slopes(X, Y, w, b)
        if stop(w_slope, b_slope, before, now):
            return w, b, iterations
        before = now
        w, b = w - lr * w_slope, b - lr * b_slope
    return None


def stopped(train_until, X, Y, lr, tolerance, max_iterations):
    """Call train_until and return (w, b, iterations), failing kindly on another shape."""
    try:
        got = train_until(X, Y, lr, tolerance, max_iterations)
    except NotImplementedError:
        raise  # a RuntimeError too, but the stub's: not written yet
    except RuntimeError as error:
        needed = descend_until(
            X, Y, lr, lambda gw, gb, _, __: math.hypot(gw, gb) < tolerance, max_iterations
        )
        if needed is None:
            raise
        if needed[2] == max_iterations and converges_with_one_more(
            train_until, X, Y, lr, tolerance, max_iterations
        ):
            pytest.fail(
                f"train_until(X, Y, {lr}, {tolerance}, {max_iterations}) raised RuntimeError ({error}), but it converges "
                f"after exactly {counted(max_iterations, 'update')}, which max_iterations = {max_iterations} allows: after the "
                f"{ordinal(max_iterations)} update, check once more before giving up (for example range(max_iterations + 1), "
                "checking first).",
                pytrace=False,
            )
        pytest.fail(
            f"train_until(X, Y, {lr}, {tolerance}, {max_iterations}) raised RuntimeError ({error}), but plain descent "
            f"gets the gradient's length √(∂w² + ∂b²) below {tolerance} after {counted(needed[2], 'update')}. Is it the "
            "gradient's length you compare with the tolerance (not the loss), and w and b that you update?",
            pytrace=False,
        )
    if not (isinstance(got, (tuple, list)) and len(got) == 3):
        pytest.fail(
            f"train_until(X, Y, {lr}, {tolerance}, {max_iterations}) returned {got!r}; expected "
            "(w, b, iterations).",
            pytrace=False,
        )
    return tuple(got)


def ordinal(n):
    """1st, 2nd, 3rd, 4th, …, 11th, 12th, 13th, …, 21st."""
    suffix = "th" if n % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def converges_with_one_more(train_until, X, Y, lr, tolerance, max_iterations):
    """True when train_until, allowed one more update, stops after exactly max_iterations: it gave up one check early."""
    try:
        got = train_until(X, Y, lr, tolerance, max_iterations + 1)
    except Exception:  # noqa: BLE001 - learner code: anything may go wrong; then it is another slip
        return False
    return isinstance(got, (tuple, list)) and len(got) == 3 and got[2] == max_iterations


def slips(lr, tolerance):
    """Where the usual slips stop on the small valley, and what to say about each."""
    w, b, n = descend_until(X, Y, lr, lambda gw, gb, _, __: math.hypot(gw, gb) < tolerance)
    w_slope, b_slope = slopes(X, Y, w, b)
    return {
        "That counts the checks, not the updates: the first check comes before any update, so it is 0 updates.": (
            w,
            b,
            n + 1,
        ),
        "That is one update too many: check the gradient, and return before updating when it is short enough.": (
            w - lr * w_slope,
            b - lr * b_slope,
            n + 1,
        ),
        "That stops on ∂w² + ∂b², the squared length: take its root, math.hypot(w_gradient, b_gradient).": (
            descend_until(X, Y, lr, lambda gw, gb, _, __: gw * gw + gb * gb < tolerance)
        ),
        "It stopped at once, before any update: the test runs the other way. Stop when the length is below the "
        "tolerance (<), and go on while it is larger.": (0.0, 0.0, 0),
        "That stops on |∂w| + |∂b|, the sizes added up: the length is √(∂w² + ∂b²), math.hypot(∂w, ∂b).": (
            descend_until(X, Y, lr, lambda gw, gb, _, __: abs(gw) + abs(gb) < tolerance)
        ),
        "That stops when each slope alone is below tolerance: the length √(∂w² + ∂b²) of both together must be.": (
            descend_until(X, Y, lr, lambda gw, gb, _, __: max(abs(gw), abs(gb)) < tolerance)
        ),
        "That stops when the loss barely changes: on a flat valley floor the loss changes little while the "
        "line is still far from the bottom. Stop on the gradient's length.": (
            descend_until(X, Y, lr, lambda gw, gb, before, now: before - now < tolerance)
        ),
    }


def test_it_stops_where_an_independent_loop_stops(train_until):
    got = stopped(train_until, X, Y, 0.1, 1e-3, 10_000)
    expected = descend_until(X, Y, 0.1, lambda gw, gb, _, __: math.hypot(gw, gb) < 1e-3)
    assert got[2] == expected[2] and got[:2] == approx(expected[:2], rel=1e-9), (
        f"train_until([1, 2, 3, 4], [2, 5, 5, 8], lr=0.1, tolerance=0.001, max_iterations=10000) returned "
        f"{got!r}; descending from w = b = 0 and checking √(∂w² + ∂b²) < 0.001 before each update stops at "
        f"w = {expected[0]:.6g}, b = {expected[1]:.6g} after {counted(expected[2], 'update')}.{slip(got, slips(0.1, 1e-3))}"
    )


def test_already_at_the_bottom_it_makes_no_update(train_until):
    got = stopped(train_until, [1.0, 2.0, 3.0], [0.0, 0.0, 0.0], 0.1, 1e-6, 100)
    assert got == approx((0, 0, 0)), (
        f"with every y = 0, the line w = b = 0 is already the best one and its gradient is (0, 0); "
        f"train_until returned {got!r}, expected (0, 0, 0): check before the first update, and count updates."
    )


def smallest_curvature(X):
    """How gently the loss bends along the valley floor: the smaller eigenvalue of [[2·mean(x²), 2·mean(x)], [2·mean(x), 2]]."""
    a, c, d = 2 * sum(x * x for x in X) / len(X), 2 * sum(X) / len(X), 2.0
    return (a + d) / 2 - math.sqrt(((a - d) / 2) ** 2 + c * c)


def closed_form(X, Y):
    """The least-squares line, written here so that this step's tests stand on their own."""
    mean_x, mean_y = sum(X) / len(X), sum(Y) / len(Y)
    w = sum((x - mean_x) * (y - mean_y) for x, y in zip(X, Y)) / sum((x - mean_x) ** 2 for x in X)
    return w, mean_y - w * mean_x


CASES = [("small", 0.1, 1e-1), ("small", 0.1, 1e-3), ("small", 0.1, 1e-6), ("park", 0.001, 10.0)]


@pytest.mark.parametrize(
    ("data", "lr", "tolerance"), CASES, ids=[f"{d}, tolerance {t:g}" for d, _, t in CASES]
)
def test_the_distance_to_the_best_line_is_at_most_tolerance_over_the_smallest_curvature(
    train_until, data, lr, tolerance
):
    Xs, Ys = (X, Y) if data == "small" else park()
    w, b, _ = stopped(train_until, Xs, Ys, lr, tolerance, 100_000)
    length = math.hypot(*slopes(Xs, Ys, w, b))
    best = closed_form(Xs, Ys)
    distance, bound = math.hypot(w - best[0], b - best[1]), tolerance / smallest_curvature(Xs)
    assert length < tolerance, (
        f"train_until stopped at w = {w!r}, b = {b!r}, where the gradient is {length:.3g} long: not below the "
        f"tolerance {tolerance:g}. Stop only once √(∂w² + ∂b²) < tolerance."
    )
    assert distance <= bound, (
        f"train_until stopped {distance:.3g} away from the best line {best[0]:.6g}, {best[1]:.6g}; with a gradient "
        f"shorter than {tolerance:g} and a gentlest curvature of {smallest_curvature(Xs):.3g}, it cannot be more "
        f"than {tolerance:g} / {smallest_curvature(Xs):.3g} = {bound:.3g} away."
    )


def test_max_iterations_is_the_number_of_updates_allowed(train_until):
    needed = descend_until(X, Y, 0.1, lambda gw, gb, _, __: math.hypot(gw, gb) < 1e-3)[2]
    got = stopped(train_until, X, Y, 0.1, 1e-3, needed)
    assert got[2] == needed, (
        f"this descent needs {needed} updates; with max_iterations = {needed}, exactly enough, train_until returned "
        f"{got!r}. The gradient is checked once more after the last update allowed."
    )
    try:
        got = train_until(X, Y, 0.1, 1e-3, needed - 1)
    except NotImplementedError:
        raise  # a RuntimeError too, but the stub's: not written yet
    except RuntimeError:
        return
    pytest.fail(
        f"this descent needs {needed} updates, but with max_iterations = {needed - 1} train_until returned {got!r}, "
        f"a line whose gradient is not yet below the tolerance. Raise RuntimeError saying it did not converge in "
        f"{needed - 1} iterations.",
        pytrace=False,
    )


@pytest.mark.parametrize(
    ("lr", "why"), [(0.001, "crawls"), (0.2, "runs away")], ids=["lr too small", "lr too large"]
)
def test_when_it_does_not_converge_it_raises_runtime_error(train_until, lr, why):
    try:
        got = train_until(X, Y, lr, 1e-6, 100)
    except NotImplementedError:
        raise  # a RuntimeError too, but the stub's: not written yet
    except RuntimeError:
        return  # whatever it says: "did not converge in 100 iterations" is kind, not required
    except (OverflowError, ZeroDivisionError) as error:
        pytest.fail(
            f"train_until(X, Y, {lr}, 1e-6, 100) raised {type(error).__name__} ({error}); after 100 updates "
            "without converging, raise RuntimeError yourself.",
            pytrace=False,
        )
    pytest.fail(
        f"train_until(X, Y, {lr}, 1e-6, 100) returned {got!r}, but at lr = {lr} descent {why}: after 100 updates the "
        "gradient is not below 1e-6. Raise RuntimeError saying it did not converge in 100 iterations, instead of "
        "returning a line that is not the answer.",
        pytrace=False,
    )
