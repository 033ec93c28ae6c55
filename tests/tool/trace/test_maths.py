"""The tracer's maths (kata/trace/maths.py) against oracles of the tests' own: the normal equations solved by hand,
the Hessian's eigen-equation, the loss computed pass by pass, one step of descent taken by hand."""

from __future__ import annotations

import math
import random

import pytest
from pytest import approx

from kata.core.registry import ROOT
from kata.trace.maths import (
    Unmeasurable,
    Valley,
    close,
    closed_form,
    day_limit,
    heavy_ball_rate,
    mse,
    parting,
    relative_error,
    slopes,
    standardise,
    steps_to,
)


def park() -> tuple[list[float], list[float]]:
    rows = [
        line.split() for line in (ROOT / "park.txt").read_text().splitlines()[1:] if line.strip()
    ]
    return [float(x) for x, _ in rows], [float(y) for _, y in rows]


def loss(X: list[float], Y: list[float], w: float, b: float) -> float:
    return sum((w * x + b - y) ** 2 for x, y in zip(X, Y)) / len(X)


def gradient(X: list[float], Y: list[float], w: float, b: float) -> tuple[float, float]:
    errors = [w * x + b - y for x, y in zip(X, Y)]
    return 2 * sum(e * x for e, x in zip(errors, X)) / len(X), 2 * sum(errors) / len(X)


def hessian(X: list[float]) -> tuple[float, float, float]:
    """2·[[mean x², mean x], [mean x, 1]] as (a, off, c)."""
    return 2 * sum(x * x for x in X) / len(X), 2 * sum(X) / len(X), 2.0


DATA = [park(), ([1.0, 2.0, 3.0, 4.0], [2.0, 5.0, 5.0, 8.0]), ([-3.0, 0.5, 7.0], [1.0, -2.0, 4.0])]


@pytest.mark.parametrize("X, Y", DATA)
def test_the_closed_form_solves_the_normal_equations(X, Y):
    n = len(X)
    sx, sxx, sy, sxy = sum(X), sum(x * x for x in X), sum(Y), sum(x * y for x, y in zip(X, Y))
    # Cramer's rule on [[sxx, sx], [sx, n]]·(w, b) = (sxy, sy)
    det = sxx * n - sx * sx
    assert closed_form(X, Y) == approx(
        ((sxy * n - sx * sy) / det, (sxx * sy - sx * sxy) / det), rel=1e-12
    )


@pytest.mark.parametrize("X, Y", DATA)
def test_the_curvatures_and_directions_are_the_hessians_eigenpairs(X, Y):
    valley = Valley.of_data(X, Y)
    a, off, c = hessian(X)
    for lam, (u, v) in zip(valley.curvatures, valley.directions):
        assert (a * u + off * v, off * u + c * v) == approx(
            (lam * u, lam * v), rel=1e-9, abs=1e-9 * lam
        )
        assert math.hypot(u, v) == approx(1)
    assert valley.curvatures[0] >= valley.curvatures[1]
    assert sum(p * q for p, q in zip(*valley.directions)) == approx(0, abs=1e-12)
    assert valley.curvatures[0] + valley.curvatures[1] == approx(a + c)
    assert valley.curvatures[0] * valley.curvatures[1] == approx(a * c - off * off, rel=1e-9)


def test_the_park_valley_is_narrow_with_the_article_s_figures():
    valley = Valley.of_data(*park())
    assert valley.curvatures == approx((1167.05, 0.0924), rel=1e-3)
    assert valley.safe_rate() == approx(0.0017137, rel=1e-4)
    assert valley.tuned_momentum() == approx((0.96503, 0.0033673), rel=1e-4)
    assert valley.momentum_bound(0.9) == approx(2 * 1.9 / 1167.05, rel=1e-4)


@pytest.mark.parametrize("X, Y", DATA)
def test_the_excess_loss_splits_exactly_between_the_directions(X, Y):
    valley, rng = Valley.of_data(X, Y), random.Random(3)
    best = closed_form(X, Y)
    for _ in range(20):
        point = (best[0] + rng.uniform(-50, 50), best[1] + rng.uniform(-500, 500))
        wanted = loss(X, Y, *point) - loss(X, Y, *best)
        assert valley.excess(point) == approx(wanted, rel=1e-9, abs=1e-9)
        assert sum(valley.excess_split(point)) == approx(wanted, rel=1e-9, abs=1e-9)
        assert valley.loss(point) == approx(loss(X, Y, *point), rel=1e-12)


@pytest.mark.parametrize("lr", [0.0005, 0.001, 0.0017, 0.002])
def test_one_step_of_descent_multiplies_each_direction_by_its_factor(lr):
    X, Y = park()
    valley = Valley.of_data(X, Y)
    point = (3.0, -40.0)
    g = gradient(X, Y, *point)
    new = (point[0] - lr * g[0], point[1] - lr * g[1])
    for before, after, factor in zip(
        valley.components(point), valley.components(new), valley.factors(lr)
    ):
        assert after == approx(before * factor, rel=1e-9)


@pytest.mark.parametrize(
    ("lr", "beta"), [(0.001, 0.9), (0.0033, 0.965), (0.0005, 0.5), (0.0001, 0.99)]
)
def test_the_heavy_ball_rate_is_how_fast_its_gap_shrinks_in_the_long_run(lr, beta):
    # the heavy ball on one direction of curvature lam: c ← c − lr·v, v ← beta·v + lam·c
    for lam in (1167.05, 0.0924):
        c, v, history = 1.0, 0.0, []
        while len(history) < 4000 and (len(history) < 400 or history[-1] > 1e-250):
            v = beta * v + lam * c
            c -= lr * v
            history.append(abs(c))
        measured = (max(history[-200:]) / max(history[-400:-200])) ** (1 / 200)
        assert measured == approx(heavy_ball_rate(lr, beta, lam), rel=2e-3)


def test_the_mean_squared_error_and_its_slopes_are_the_formulas():
    X, Y = park()
    assert mse(X, Y, 2.0, -3.0) == approx(loss(X, Y, 2.0, -3.0), rel=1e-12)
    assert slopes(X, Y, 2.0, -3.0) == approx(gradient(X, Y, 2.0, -3.0), rel=1e-12)


def test_standardise_gives_mean_0_and_population_spread_1():
    scaled, mean, spread = standardise(park()[0])
    assert sum(scaled) / len(scaled) == approx(0, abs=1e-12)
    assert math.sqrt(sum(z * z for z in scaled) / len(scaled)) == approx(1)
    assert spread == approx(5.1922, rel=1e-4) and mean == approx(23.5714, rel=1e-4)


def test_one_day_s_own_limit_is_one_over_x_squared_plus_one():
    assert day_limit(31.0) == approx(1 / (31 * 31 + 1))


def test_steps_to_counts_the_steps_a_shrinking_gap_needs():
    assert steps_to(3.0, 0.8) == approx(math.log(1e-6 / 3) / math.log(0.8))
    assert steps_to(1e-7, 0.8) == 0 and steps_to(1.0, 1.0) == math.inf


@pytest.mark.parametrize(
    ("X", "Y"),
    [
        ([1e100, -1e100, 0.0], [1.0, 2.0, 3.0]),
        ([1e150, 2e150, 3e150], [1.0, 2.0, 3.0]),
        ([1.0, 2.0], [1e150, 0.0]),
    ],
)
def test_numbers_near_the_float_range_never_overflow(X, Y):
    valley = Valley.of_data(X, Y)  # no OverflowError
    assert all(math.isfinite(c) for c in valley.curvatures)
    assert mse(X, Y, 1e300, 1e300) == math.inf
    assert valley.excess((1e300, -1e300)) in (math.inf, valley.excess((1e300, -1e300)))


@pytest.mark.parametrize(
    ("X", "Y"),
    [
        ([1e200, -1e200, 0.0], [1.0, 2.0, 3.0]),
        ([1e308, -1e308], [0.0, 1.0]),
        ([1.0, 2.0, 3.0], [1e200, -1e200, 1e200]),
    ],
)
def test_numbers_a_float_cannot_square_are_unmeasurable_not_an_overflow(X, Y):
    with pytest.raises(Unmeasurable):
        Valley.of_data(X, Y)


def test_one_closeness_with_one_floor():
    assert close(1.0, 1.0 + 1e-10) and not close(1.0, 1.0 + 1e-6)
    assert close(0.0, 1e-13) and not close(0.0, 1e-11)
    assert close(math.inf, math.inf)
    assert relative_error(2.0, 1.0) == 0.5 and relative_error(0.0, 0.0) == 0


def test_parting_finds_the_first_place_two_runs_part():
    assert parting([1.0, 2.0, 3.0], [1.0, 2.0, 3.0]) is None
    assert parting([1.0, 2.0, 3.0], [1.0, 2.5, 3.0]) == 1
    assert parting([1.0, 2.0], [1.0, 2.0, 3.0]) == 2
    assert parting([math.nan], [math.nan]) is None
