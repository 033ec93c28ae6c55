"""Step 7 · The mean squared error of the line.   Your file: steps/step07_loss.py"""

from pathlib import Path

import pytest
from pytest import approx

from kata.core.registry import ROOT
from tests.support import function_under_test, lead, slip

loss = function_under_test("step07_loss", "loss")

# X = [1, 2, 3], Y = [2, 4, 6] and the line y = 1·x + 0: the errors p − y are −1, −2, −3
SLIPS = {
    "14 is the sum of the squares: take their mean, divide by how many there are.": 14,
    "−2 is the mean of the errors without squaring: square each error first, so that too high and "
    "too low cannot cancel.": -2,
    "2.16 is the root of the mean: the mean squared error stops before the root.": (14 / 3) ** 0.5,
    "2 is the mean absolute error: square each error instead of taking its size.": 2,
    "4 is the square of the mean error (−2)²: square each error first, then take the mean.": 4,
    "12 is the square of the sum of the errors divided by 3: square each error first.": 12,
    "7 is the sum divided by 2 (one less than the count): the mean divides by all 3.": 7,
    "7/3 is half the mean: some books halve it to tidy the slope, the article does not.": 7 / 3,
    "14/9 divides by 3² = 9: the mean divides the sum of the squares by how many there are, 3.": 14
    / 9,
}


def test_a_line_through_every_point_has_no_loss(loss):
    got = loss([1, 2, 3], [3, 5, 7], 2, 1)
    with_x = {
        "29/3 is the mean of (x − y)²: the temperatures x stand where the predictions p belong.": 29
        / 3
    }
    assert got == approx(0), (
        f"loss([1, 2, 3], [3, 5, 7], w=2, b=1) returned {got!r}: y = 2x + 1 hits every point.{slip(got, with_x)}"
    )


def test_a_small_case_worked_by_hand(loss):
    got = loss([1, 2, 3], [2, 4, 6], 1, 0)
    assert got == approx(14 / 3), lead(
        slip(got, SLIPS),
        f"loss([1, 2, 3], [2, 4, 6], w=1, b=0) returned {got!r}, expected 14/3 ≈ 4.667. "
        "The errors are −1, −2, −3, their squares 1, 4, 9, and the mean of those is 14/3.",
    )


def test_errors_above_and_below_the_line_both_count(loss):
    got = loss([0, 0], [1, -1], 0, 0)
    assert got == approx(1), (
        f"loss([0, 0], [1, -1], w=0, b=0) returned {got!r}, expected 1: one point is 1 above the line, "
        "one 1 below. Squared, both count as 1 and cannot cancel."
    )


def test_the_bias_moves_the_line(loss):
    got = loss([1, 2], [1, 2], 1, 3)
    assert got == approx(9), (
        f"loss([1, 2], [1, 2], w=1, b=3) returned {got!r}, expected 9: every prediction is 3 too high."
    )


def test_the_loss_is_one_number(loss):
    got = loss([1, 2, 3], [2, 4, 6], 1, 0)
    assert isinstance(got, (int, float)), (
        f"loss(...) returned {got!r}: the mean is one number, not a list."
    )


def test_the_data_is_left_unchanged(loss):
    X, Y = [1.0, 2.0], [3.0, 4.0]
    loss(X, Y, 2, 1)
    assert (X, Y) == ([1.0, 2.0], [3.0, 4.0]), (
        f"after loss(X, Y, 2, 1) the data became X = {X!r}, Y = {Y!r}."
    )


def park() -> tuple[list[float], list[float]]:
    """park.txt, read here by the test itself so that this step stands on its own."""
    rows = [
        line.split()
        for line in Path(ROOT / "park.txt").read_text().splitlines()[1:]
        if line.strip()
    ]
    return [float(x) for x, _ in rows], [float(y) for _, y in rows]


@pytest.mark.parametrize("w", [10, 12, 16, 18], ids=lambda w: f"w = {w}")
def test_with_b_0_the_park_loss_is_smallest_near_w_14(loss, w):
    X, Y = park()
    near, far = loss(X, Y, 14, 0), loss(X, Y, w, 0)
    assert near < far, (
        f"on park.txt with b = 0, loss at w = 14 is {near!r} and at w = {w} it is {far!r}: "
        "the article finds the loss smallest near w ≈ 14."
    )
