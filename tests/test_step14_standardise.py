"""Step 14 · Standardising X: mean 0, spread 1.   Your file: steps/step14_standardise.py"""

import statistics

import pytest
from pytest import approx

from kata.core.registry import ROOT
from tests.support import a_list, function_under_test, lead, same, slip

standardise = function_under_test("step14_standardise", "standardise")

# mean 5; the squared distances from it add up to 32, so the population spread is √(32/8) = 2
X_HAND = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]


def park():
    """park.txt, read here by the test itself so that this step stands on its own."""
    rows = [
        line.split() for line in (ROOT / "park.txt").read_text().splitlines()[1:] if line.strip()
    ]
    return [float(x) for x, _ in rows], [float(y) for _, y in rows]


def standardised(standardise, X):
    """Call standardise and return (scaled as a list, mean, spread), failing kindly on another shape, or on a
    division by 0 where the x differ."""
    try:
        got = standardise(X)
    except ZeroDivisionError as error:
        pytest.fail(
            f"standardise(X) raised ZeroDivisionError ({error}) though the x differ: is the spread the root of the "
            "mean of the squared distances, each distance x − mean squared first? The distances themselves add up "
            "to 0.",
            pytrace=False,
        )
    if not (isinstance(got, (tuple, list)) and len(got) == 3):
        pytest.fail(
            f"standardise(X) returned {got!r}; expected (scaled, mean, spread).", pytrace=False
        )
    lists = [i for i, part in enumerate(got) if isinstance(part, (list, tuple))]
    if lists and lists != [0]:
        true_mean = sum(X) / len(X)
        true_spread = (sum((x - true_mean) ** 2 for x in X) / len(X)) ** 0.5
        names = [
            "a list"
            if isinstance(part, (list, tuple))
            else "the mean"
            if same(part, true_mean)
            else "the spread"
            if same(part, true_spread)
            else repr(part)
            for part in got
        ]
        pytest.fail(
            f"standardise(X) returned ({', '.join(names)}), the list at place {lists[0] + 1} of 3; "
            "the order is (scaled, mean, spread): return scaled, mean, spread.",
            pytrace=False,
        )
    scaled, mean, spread = got
    return a_list(scaled, "standardise(X)", "step 15 and the tests"), mean, spread


def scaled_slips(X):
    """What the usual slips make of X, and what to say about each."""
    n, mean = len(X), sum(X) / len(X)
    squares = sum((x - mean) ** 2 for x in X)
    sample, population = (squares / (n - 1)) ** 0.5, (squares / n) ** 0.5
    return {
        f"That divides by the sample spread √(Σ(x − mean)² / (n − 1)) = {sample:.4g} (statistics.stdev), another "
        f"convention: this step asks for the spread of these very numbers, divided by n, {population:.4g} "
        "(statistics.pstdev), so that the scaled values have mean(x²) = 1 exactly.": [
            (x - mean) / sample for x in X
        ],
        "That divides by the variance mean((x − mean)²): the spread is its square root.": [
            (x - mean) / (squares / n) for x in X
        ],
        "That only divides by the spread: subtract the mean first, (x − mean) / spread.": [
            x / population for x in X
        ],
        "That only subtracts the mean: divide by the spread too.": [x - mean for x in X],
        "That divides by the mean distance from the mean, mean(|x − mean|): the spread is √(mean((x − mean)²)).": [
            (x - mean) / (sum(abs(x - mean) for x in X) / n) for x in X
        ],
        "That scales to between 0 and 1 ((x − min) / (max − min)): standardising centres on the mean and divides by "
        "the spread.": [(x - min(X)) / (max(X) - min(X)) for x in X],
        "That divides by the range max − min: the spread is √(mean((x − mean)²)), the root of the mean squared "
        "distance.": [(x - mean) / (max(X) - min(X)) for x in X],
    }


def test_a_small_case_worked_by_hand(standardise):
    scaled, mean, spread = standardised(standardise, X_HAND)
    expected = [-1.5, -0.5, -0.5, -0.5, 0.0, 0.0, 1.0, 2.0]
    assert scaled == approx(expected), lead(
        slip(scaled, scaled_slips(X_HAND)),
        f"standardise({X_HAND}) scaled them to {[round(v, 4) for v in scaled]}, expected {expected}. "
        "By hand: the mean is 5; the squared distances from it, 9 + 1 + 1 + 1 + 0 + 0 + 4 + 16 = 32, have the mean "
        "32/8 = 4, so the spread is √4 = 2, and each x becomes (x − 5) / 2.",
    )
    swapped = (
        " The mean and spread swapped: return (scaled, mean, spread)."
        if (mean, spread) == approx((2, 5))
        else ""
    )
    assert (mean, spread) == approx((5, 2)), (
        f"standardise({X_HAND}) returned mean = {mean!r} and spread = {spread!r}, expected 5 and 2: the two "
        f"numbers used, so that step 15 can map its line back to °C.{swapped}"
    )


def test_the_park_temperatures_come_out_with_mean_0_and_spread_1(standardise):
    X, _ = park()
    scaled, _, _ = standardised(standardise, X)
    mean, spread = statistics.fmean(scaled), statistics.pstdev(scaled)
    assert (mean, spread) == approx((0, 1), abs=1e-9), (
        f"the park's temperatures came out with mean {mean:.6g} and spread {spread:.6g} "
        f"(statistics.fmean, statistics.pstdev), expected 0 and 1.{slip(scaled, scaled_slips(X))}"
    )


def test_the_mean_and_spread_returned_are_those_of_the_park_temperatures(standardise):
    X, _ = park()
    _, mean, spread = standardised(standardise, X)
    expected = (statistics.fmean(X), statistics.pstdev(X))
    said = (
        " That is the sample spread (n − 1, statistics.stdev), another convention: this step asks for the "
        "spread of these very numbers, divided by n."
        if spread == approx(statistics.stdev(X))
        else ""
    )
    assert (mean, spread) == approx(expected), (
        f"for the park's temperatures standardise returned mean = {mean!r}, spread = {spread!r}; expected "
        f"statistics.fmean(X) = {expected[0]:.6g} and statistics.pstdev(X) = {expected[1]:.6g}.{said}"
    )


def test_the_temperatures_given_are_left_unchanged(standardise):
    X = [1.0, 2.0, 6.0]
    standardise(X)
    assert X == [1.0, 2.0, 6.0], (
        f"standardise changed its input to {X!r}: build a new list, leave X as it is."
    )


@pytest.mark.parametrize(
    "X", [[20.0, 20.0, 20.0], [0.1, 0.1, 0.1]], ids=["x = 20 three times", "x = 0.1 three times"]
)
def test_when_every_temperature_is_the_same_there_is_no_spread_to_scale_by(standardise, X):
    try:
        got = standardise(X)
    except ValueError:
        return
    except ZeroDivisionError as error:
        pytest.fail(
            f"standardise({X}) raised ZeroDivisionError ({error}): the spread is 0. Check for that first, on "
            "the temperatures themselves (min(X) == max(X)), and raise ValueError yourself, saying every x is "
            "the same.",
            pytrace=False,
        )
    mean = sum(X) / len(X)
    if mean != X[0]:
        pytest.fail(
            f"standardise({X}) returned {got!r}, but every x is the same: there is nothing to scale by, so "
            "raise ValueError. To see it, compare the temperatures themselves (min(X) == max(X)), not their "
            f"spread: rounding leaves 1e-17, not 0 (sum(X) / {len(X)} is {mean!r}, so each x − mean is "
            f"{X[0] - mean:.2g}).",
            pytrace=False,
        )
    pytest.fail(
        f"standardise({X}) returned {got!r}: with every x the same the spread is 0 and there is nothing to "
        "scale by. Raise ValueError, saying so.",
        pytrace=False,
    )
