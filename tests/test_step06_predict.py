"""Step 6 · The model y = w·x + b on a list of temperatures.   Your file: steps/step06_predict.py"""

import ast
import inspect
import textwrap

import pytest
from pytest import approx

from tests.support import a_list, function_under_test, slip

predict = function_under_test("step06_predict", "predict")


def predictions(predict, X, w, b):
    """Call predict and insist on a list: steps 7 and 8 read the predictions more than once."""
    try:
        got = predict(X, w, b)
    except TypeError as error:
        if "concatenate list" in str(error) and not multiplies_the_list(predict):
            pytest.fail(
                f"predict({X}, {w}, {b}) raised TypeError ({error}): + b was added to the whole list of products. "
                "A plain list does not add a number to each item (a numpy array would): add b to each prediction, "
                "inside, [x * w + b for x in X].",
                pytrace=False,
            )
        if "concatenate list" in str(error) or "can't multiply sequence" in str(error):
            pytest.fail(
                f"predict({X}, {w}, {b}) raised TypeError ({error}): X * w is numpy's way, where * multiplies each "
                "x. With a plain list, * repeats the list (or fails for a decimal w): go one x at a time, "
                "[x * w + b for x in X].",
                pytrace=False,
            )
        raise
    return a_list(got, f"predict({X}, {w}, {b})", "steps 7 and 8")


def multiplies_the_list(predict):
    """Whether the learner's predict multiplies a whole list, numpy's way: X * w or w * X (X its first argument)."""
    try:
        source = inspect.getsource(getattr(predict, "__wrapped__", predict))
        tree = ast.parse(textwrap.dedent(source))
    except (OSError, TypeError, SyntaxError):
        return True  # the source cannot be read: the words for the commoner slip
    first = next(
        (node.args.args[0].arg for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)), "X"
    )
    return any(
        isinstance(node, ast.BinOp)
        and isinstance(node.op, ast.Mult)
        and any(isinstance(side, ast.Name) and side.id == first for side in (node.left, node.right))
        for node in ast.walk(tree)
    )


def slips(X, w, b):
    """What the usual slips give, and what to say about each."""
    return {
        "The bias b is missing: each prediction is x·w + b.": [x * w for x in X],
        "w and b are swapped: the weight w multiplies x, the bias b is added.": [
            x * b + w for x in X
        ],
        "That is x + w·b: multiply x by w, then add b.": [x + w * b for x in X],
        "That is (x + b)·w: multiply first, then add b.": [(x + b) * w for x in X],
        "That uses the positions 0, 1, 2, … (range(len(X))), not the temperatures: go through X itself.": [
            i * w + b for i in range(len(X))
        ],
    }


def test_the_predictions_come_back_as_a_list(predict):
    got = predictions(predict, [1, 2, 3], 2, 1)
    said = (
        " Is the `return` indented inside the for loop? It comes after the loop."
        if len(got) == 1
        else ""
    )
    assert len(got) == 3, (
        f"predict([1, 2, 3], 2, 1) returned {got!r}: one prediction per temperature, 3 in all.{said}"
    )


@pytest.mark.parametrize(
    ("X", "w", "b", "expected"),
    [([1, 2, 3], 2, 1, [3, 5, 7]), ([30], 14, 0, [420]), ([10.5, 0, -4], 0.5, -2, [3.25, -2, -4])],
    ids=[
        "X = [1, 2, 3], w = 2, b = 1",
        "X = [30], w = 14, b = 0",
        "X = [10.5, 0, -4], w = 0.5, b = -2",
    ],
)
def test_each_x_becomes_x_times_w_plus_b(predict, X, w, b, expected):
    got = predictions(predict, X, w, b)
    assert got == approx(expected), (
        f"predict({X}, w={w}, b={b}) returned {got!r}, expected {expected}: one x·w + b per x, in order."
        f"{slip(got, slips(X, w, b))}"
    )


def test_the_bias_lifts_every_prediction_by_the_same_amount(predict):
    low, high = predictions(predict, [1, 2, 3], 2, 0), predictions(predict, [1, 2, 3], 2, 10)
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
    got = predictions(predict, (1, 2), 3, 0)
    assert got == approx([3, 6]), f"predict((1, 2), 3, 0) returned {got!r}, expected [3, 6]."


def test_no_temperatures_give_no_predictions(predict):
    got = predictions(predict, [], 2, 1)
    assert got == [], f"predict([], 2, 1) returned {got!r}, expected []."
