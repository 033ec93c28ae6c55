"""Step 6 · The model y = w·x + b on a list of temperatures.   Your file: steps/step06_predict.py"""

import pytest
from pytest import approx

from tests.support import function_under_test

predict = function_under_test("step06_predict", "predict")


@pytest.mark.parametrize(
    ("X", "w", "b", "expected"),
    [([1, 2, 3], 2, 1, [3, 5, 7]), ([30], 14, 0, [420]), ([10.5, 0, -4], 0.5, -2, [3.25, -2, -4])],
)
def test_each_x_becomes_x_times_w_plus_b(predict, X, w, b, expected):
    got = predict(X, w, b)
    assert list(got) == approx(expected), (
        f"predict({X}, w={w}, b={b}) returned {got!r}, expected {expected}: one x·w + b per x, in order."
    )


def test_the_bias_lifts_every_prediction_by_the_same_amount(predict):
    low, high = list(predict([1, 2, 3], 2, 0)), list(predict([1, 2, 3], 2, 10))
    assert [h - lo for lo, h in zip(low, high)] == approx([10, 10, 10]), (
        f"with b = 0 predict gave {low!r}, with b = 10 {high!r}: b should add 10 to every prediction."
    )


def test_the_temperatures_are_left_unchanged(predict):
    X = [1.0, 2.0, 3.0]
    predict(X, 2, 1)
    assert X == [1.0, 2.0, 3.0], (
        f"after predict(X, 2, 1) the list X became {X!r}: build a new list, don't change the data."
    )


def test_the_predictions_are_a_new_list(predict):
    X = [1.0, 2.0, 3.0]
    assert predict(X, 1, 0) is not X, "predict returned X itself: return a new list of predictions."


def test_a_tuple_of_temperatures_works_too(predict):
    got = predict((1, 2), 3, 0)
    assert list(got) == approx([3, 6]), f"predict((1, 2), 3, 0) returned {got!r}, expected [3, 6]."


def test_no_temperatures_give_no_predictions(predict):
    got = predict([], 2, 1)
    assert list(got) == [], f"predict([], 2, 1) returned {got!r}, expected []."
