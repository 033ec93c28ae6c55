"""Step 4 · The descent: every position from x down to the minimum.   Your file: steps/step04_descend.py"""

import pytest
from pytest import approx

from kata.core.look import counted
from tests.support import a_list, function_under_test, lead

descend = function_under_test("step04_descend", "descend")


def exact_position(start, lr, k):
    """Where k steps land, worked out once by hand: each step shrinks x − 3 by the factor (1 − 2·lr)."""
    return 3 + (start - 3) * (1 - 2 * lr) ** k


def positions_of(descend, x, lr, iterations):
    """Call descend and insist on a list of numbers: a generator would be used up by the first look."""
    call = f"descend({x}, {lr}, {iterations})"
    positions = a_list(descend(x, lr, iterations), call, "the tests and the tracer")
    odd = next(
        (p for p in positions if isinstance(p, bool) or not isinstance(p, (int, float))), None
    )
    if odd is not None:
        what = "the function step itself" if callable(odd) else f"{odd!r}"
        pytest.fail(
            f"{call} returned a list with {what} in it: each entry is a position, a number. Append the x that "
            "step(x, lr) gave back, not the function.",
            pytrace=False,
        )
    return positions


def shown(positions):
    """The first positions, as a person reads them: [6, 5.4, 4.92, 4.536, …]."""
    first = ", ".join(f"{p:.6g}" for p in positions[:4])
    return f"[{first}{', …' if len(positions) > 4 else ''}]"


def swapped_positions(start, lr, count):
    """Where each step lands when step's arguments are swapped, step(lr, x): lr − x·2·(lr − 3)."""
    positions = [start]
    for _ in range(count):
        positions.append(lr - positions[-1] * 2 * (lr - 3))
    return positions


def test_the_positions_come_back_as_a_list(descend):
    positions = positions_of(descend, 6, 0.1, 3)
    assert len(positions) > 0, (
        "descend(6, 0.1, 3) returned an empty list: it starts with the starting point 6."
    )


def test_the_first_position_is_where_you_start(descend):
    positions = positions_of(descend, 6, 0.1, 5)
    said = (
        " That is where the first step lands: put the start in the list before any step, positions = [x]."
        if positions and positions[0] == approx(5.4)
        else ""
    )
    assert positions and positions[0] == approx(6), (
        f"descend(6, 0.1, 5) returned {positions!r}: the list should start with the starting point 6.{said}"
    )


@pytest.mark.parametrize("iterations", [0, 1, 5, 100], ids=lambda n: counted(n, "iteration"))
def test_there_is_one_position_more_than_there_are_iterations(descend, iterations):
    positions = positions_of(descend, 6, 0.1, iterations)
    extra = len(positions) - (iterations + 1)
    started = bool(positions) and positions[0] == approx(6)
    said = {
        1: " One too many: range(iterations) runs the loop exactly `iterations` times.",
        -1: " One too few: range(iterations) runs the loop exactly `iterations` times."
        if started
        else " One too few: is the starting point in the list?",
    }.get(extra, "")
    assert extra == 0, (
        f"descend(6, 0.1, {iterations}) returned {counted(len(positions), 'position')}, expected "
        f"{iterations + 1}: the start, then one after each step ({counted(iterations, 'step')}).{said}"
    )


@pytest.mark.parametrize(
    ("start", "lr"),
    [(6, 0.1), (0, 0.1), (6, 0.25), (-2, 0.05)],
    ids=["from 6, lr = 0.1", "from 0, lr = 0.1", "from 6, lr = 0.25", "from -2, lr = 0.05"],
)
def test_every_position_is_one_step_on_from_the_one_before(descend, start, lr):
    positions = positions_of(descend, start, lr, 10)
    expected = [exact_position(start, lr, k) for k in range(11)]
    stuck = len(positions) > 2 and all(p == approx(positions[1]) for p in positions[1:])
    said = (
        " Every step starts from the same x: give step() the position you just reached, x = step(x, lr)."
        if stuck
        else ""
    )
    if positions == approx(swapped_positions(start, lr, 10)):
        said = " step's arguments are swapped: it takes the position first, then the learning rate, step(x, lr)."
    assert positions == approx(expected), lead(
        said,
        f"descend({start}, {lr}, 10) returned {shown(positions)}, expected {shown(expected)}. Each position "
        "is step(previous, lr), and the slope shrinks x − 3 by the factor 1 − 2·lr each time.",
    )


def test_the_steps_get_smaller_as_the_slope_flattens(descend):
    positions = positions_of(descend, 6, 0.1, 8)
    sizes = [abs(b - a) for a, b in zip(positions, positions[1:])]
    assert all(later < earlier for earlier, later in zip(sizes, sizes[1:])), (
        f"the step sizes were {sizes!r}: they should shrink, because the slope shrinks near the minimum."
    )


@pytest.mark.parametrize("start", [6, 0, 100], ids=lambda x: f"from {x}")
def test_the_descent_ends_at_the_minimum_x_equals_3(descend, start):
    last = positions_of(descend, start, 0.1, 200)[-1]
    assert last == approx(3, abs=1e-6), (
        f"descend({start}, 0.1, 200) ended at {last!r}, expected 3: 200 steps reach the minimum."
    )
