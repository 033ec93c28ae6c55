"""Step 4 · The descent: every position from x down to the minimum.   Your file: steps/step04_descend.py"""

import pytest
from pytest import approx

from tests.support import function_under_test

descend = function_under_test("step04_descend", "descend")


def exact_position(start, lr, k):
    """Where k steps land, worked out once by hand: each step shrinks x − 3 by the factor (1 − 2·lr)."""
    return 3 + (start - 3) * (1 - 2 * lr) ** k


def test_the_first_position_is_where_you_start(descend):
    positions = list(descend(6, 0.1, 5))
    assert positions and positions[0] == approx(6), (
        f"descend(6, 0.1, 5) returned {positions!r}: the list starts with the starting point 6."
    )


@pytest.mark.parametrize("iterations", [0, 1, 5, 100])
def test_there_is_one_position_more_than_there_are_iterations(descend, iterations):
    positions = list(descend(6, 0.1, iterations))
    assert len(positions) == iterations + 1, (
        f"descend(6, 0.1, {iterations}) returned {len(positions)} positions, expected {iterations + 1}: "
        f"the start, then one after each of the {iterations} steps. An iteration too many or too few?"
    )


@pytest.mark.parametrize(("start", "lr"), [(6, 0.1), (0, 0.1), (6, 0.25), (-2, 0.05)])
def test_every_position_is_one_step_on_from_the_one_before(descend, start, lr):
    positions = list(descend(start, lr, 10))
    expected = [exact_position(start, lr, k) for k in range(11)]
    assert positions == approx(expected), (
        f"descend({start}, {lr}, 10) returned {positions!r}, expected {expected!r}: each position is "
        "step(previous, lr), and the slope shrinks x − 3 by the factor 1 − 2·lr each time."
    )


def test_the_steps_get_smaller_as_the_slope_flattens(descend):
    positions = list(descend(6, 0.1, 8))
    sizes = [abs(b - a) for a, b in zip(positions, positions[1:])]
    assert all(later < earlier for earlier, later in zip(sizes, sizes[1:])), (
        f"the step sizes were {sizes!r}: they should shrink, because the slope shrinks near the minimum."
    )


@pytest.mark.parametrize("start", [6, 0, 100])
def test_the_descent_ends_at_the_minimum_x_equals_3(descend, start):
    last = list(descend(start, 0.1, 200))[-1]
    assert last == approx(3, abs=1e-6), (
        f"descend({start}, 0.1, 200) ended at {last!r}, expected 3: 200 steps reach the minimum."
    )
