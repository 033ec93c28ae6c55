"""The tracer's own mathematics: the oracle every story and `kata.bench` hold the learner's code to.

Pure Python on plain lists, no rich, no learner code. The loss of a line fitted by least squares is exactly
quadratic, so everything a verdict needs follows from the data's moments: the closed-form line, the loss's
Hessian 2·[[mean x², mean x], [mean x, 1]], its two curvatures (the steep one across the valley, the gentle one
along its floor) and their directions, the safe learning rates, and how a point's gap to the minimum splits
between the two directions. Every function is safe with numbers up to ±1e308: where a float cannot hold the
answer it raises Unmeasurable (a one-line reason), never OverflowError.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# converged: every parameter within this of the minimum (the closed-form line, x = 3)
TOLERANCE = 1e-6
FLOOR = 1e-12  # two numbers this close are equal, whatever their size: rounding near zero
EXPLODED = 1e12  # a loss this many times the first one (or past float range): the walk has blown up
# a float's rounding, relative: closer than this to the minimum cannot be asked of a walk
RELATIVE = 4e-16

Point = tuple[float, ...]


class Unmeasurable(ArithmeticError):
    """Numbers a float cannot hold (the data too large to square, say); the message is one line."""


def finite(*values: float) -> bool:
    """True when every value is a finite number."""
    return all(math.isfinite(v) for v in values)


def close(a: float, b: float, tolerance: float = 1e-9) -> bool:
    """True when two numbers agree to within `tolerance` of their size (or FLOOR, near zero)."""
    return a == b or abs(a - b) <= tolerance * max(abs(a), abs(b)) + FLOOR


def parting(a: Sequence[float], b: Sequence[float], tolerance: float = 1e-9) -> int | None:
    """The first index where two sequences of numbers part (or where the shorter one ends); None when they agree."""
    for i, (x, y) in enumerate(zip(a, b)):
        if not (close(x, y, tolerance) or (math.isnan(x) and math.isnan(y))):
            return i
    return None if len(a) == len(b) else min(len(a), len(b))


def relative_error(got: float, wanted: float) -> float:
    """|got − wanted| / max(|got|, |wanted|): cs231n's measure for one component of a gradient; 0 when both are 0."""
    size = max(abs(got), abs(wanted))
    return abs(got - wanted) / size if size else 0.0


def total(values: Iterable[float]) -> float:
    """math.fsum, but inf (or nan) where the sum leaves float range instead of OverflowError."""
    values = list(values)
    try:
        return math.fsum(values)
    except (OverflowError, ValueError):  # past float range, or inf − inf
        return sum(values)


def mean(values: Sequence[float]) -> float:
    """The mean, each value divided first: safe near ±1e308."""
    return total(v / len(values) for v in values)


def mse(X: Sequence[float], Y: Sequence[float], w: float, b: float) -> float:
    """The mean squared error of the line y = w·x + b: inf when it overflows, never OverflowError."""
    errors = [w * x + b - y for x, y in zip(X, Y)]
    if not all(math.isfinite(e) for e in errors):
        return math.inf
    return total(e * e / len(errors) for e in errors)


def slopes(X: Sequence[float], Y: Sequence[float], w: float, b: float) -> tuple[float, float]:
    """The exact slopes of the mean squared error: (2·mean(error·x), 2·mean(error))."""
    errors = [w * x + b - y for x, y in zip(X, Y)]
    n = len(errors)
    return 2 * total(e * x / n for e, x in zip(errors, X)), 2 * total(e / n for e in errors)


def spread(values: Sequence[float]) -> float:
    """The population standard deviation (divided by n, as statistics.pstdev): safe near ±1e308."""
    centre = mean(values)
    scale = max((abs(v - centre) for v in values), default=0.0)
    if scale == 0 or not math.isfinite(scale):
        if not math.isfinite(scale):
            raise Unmeasurable("the numbers are too far apart to subtract in floating point")
        return 0.0
    return scale * math.sqrt(mean([((v - centre) / scale) ** 2 for v in values]))


def standardise(X: Sequence[float]) -> tuple[list[float], float, float]:
    """(scaled, mean, spread): X shifted to mean 0 and scaled to spread 1."""
    centre, size = mean(X), spread(X)
    if size == 0:
        raise Unmeasurable("every x is the same: there is no spread to scale by")
    return [(x - centre) / size for x in X], centre, size


def closed_form(X: Sequence[float], Y: Sequence[float]) -> tuple[float, float]:
    """The least-squares line (w, b): w = Σ(x − x̄)(y − ȳ) / Σ(x − x̄)², b = ȳ − w·x̄."""
    mean_x, mean_y = mean(X), mean(Y)
    size = spread(X)
    if size == 0:
        raise Unmeasurable("every x is the same, so no line can be fitted")
    # scaled by the spread first: (x − x̄)² of numbers near 1e200 would overflow
    w = total(((x - mean_x) / size) * (y - mean_y) for x, y in zip(X, Y)) / len(X) / size
    b = mean_y - w * mean_x
    if not finite(w, b):
        raise Unmeasurable("the best line's slope or intercept is too large for a float")
    return w, b


@dataclass(frozen=True)
class Valley:
    """A quadratic loss: its minimum, its floor value, and its curvatures (steepest first) with their directions.

    The loss is exactly L(θ) = floor + ½ Σ λᵢ cᵢ², where cᵢ is the gap θ − best along direction i: so the excess
    loss and the gap split between the directions, and plain descent multiplies each cᵢ by 1 − lr·λᵢ a step.
    """

    best: Point
    floor: float
    curvatures: tuple[float, ...]
    directions: tuple[Point, ...]
    names: tuple[str, ...]

    @classmethod
    def parabola(cls, minimum: float = 3.0, height: float = 2.0) -> Valley:
        """The valley of f(x) = (x − minimum)² + height: one curvature, 2."""
        return cls((minimum,), height, (2.0,), ((1.0,),), ("x",))

    @classmethod
    def of_data(cls, X: Sequence[float], Y: Sequence[float]) -> Valley:
        """The mean squared error of a line through (X, Y), over (w, b); Unmeasurable when floats cannot hold it."""
        best = closed_form(X, Y)
        mean_x, size = mean(X), spread(X)
        # the Hessian 2·[[mean x², mean x], [mean x, 1]], with mean x² = spread² + mean²
        a, c, off = 2 * (size * size + mean_x * mean_x), 2.0, 2 * mean_x
        if not finite(a, off):
            raise Unmeasurable("the temperatures are too large to square in floating point")
        middle, half = (a + c) / 2, math.hypot((a - c) / 2, off)
        steep = middle + half
        # the gentle curvature from the determinant, 4·spread², not as a difference: no cancellation
        gentle = 4 * size * size / steep
        # (H − steep·I) v = 0 from its better-conditioned row; the floor's direction is at right angles
        across = (steep - c, off) if a >= c else (off, steep - a)
        length = math.hypot(*across) or 1.0
        across = (across[0] / length, across[1] / length)
        if across[0] < 0 or (across[0] == 0 and across[1] < 0):
            across = (-across[0], -across[1])
        along = (-across[1], across[0])
        if along[1] < 0 or (along[1] == 0 and along[0] < 0):
            along = (-along[0], -along[1])
        floor = mse(X, Y, *best)
        if not math.isfinite(floor):
            raise Unmeasurable("the visitors are too large to square in floating point")
        return cls(best, floor, (steep, gentle), (across, along), ("w", "b"))

    @property
    def steepest(self) -> float:
        """λmax: the largest curvature."""
        return self.curvatures[0]

    @property
    def gentlest(self) -> float:
        """λmin: the smallest curvature."""
        return self.curvatures[-1]

    @property
    def ratio(self) -> float:
        """κ = λmax / λmin: how much narrower than long the valley is, squared (1 for a round bowl)."""
        return self.steepest / self.gentlest if self.gentlest > 0 else math.inf

    @property
    def narrow(self) -> bool:
        """True when its directions are worth naming: one curvature at least twice the other."""
        return len(self.curvatures) > 1 and self.ratio >= 2

    def tolerance(self, i: int) -> float:
        """How close parameter i must come to the minimum to count as converged: TOLERANCE, or a float's rounding."""
        return max(TOLERANCE, RELATIVE * abs(self.best[i]))

    def reached(self, point: Sequence[float]) -> bool:
        """True when every parameter is within its tolerance of the minimum."""
        return all(
            abs(p - q) <= self.tolerance(i) for i, (p, q) in enumerate(zip(point, self.best))
        )

    def gap(self, point: Sequence[float]) -> Point:
        """point − best, parameter by parameter."""
        return tuple(p - q for p, q in zip(point, self.best))

    def components(self, point: Sequence[float]) -> Point:
        """The gap along each direction (steepest first): cᵢ = gap · directionᵢ; inf or nan off the floats."""
        gap = self.gap(point)
        if not finite(*gap):
            return tuple(math.inf for _ in self.directions)
        return tuple(total(g * d for g, d in zip(gap, u)) for u in self.directions)

    def excess_split(self, point: Sequence[float]) -> Point:
        """The loss above the floor, direction by direction: ½·λᵢ·cᵢ² (inf past float range)."""
        return tuple(
            0.5 * lam * c * c if math.isfinite(c) else math.inf
            for lam, c in zip(self.curvatures, self.components(point))
        )

    def excess(self, point: Sequence[float]) -> float:
        """L(point) − L(best): the loss above the floor, exactly, from the split."""
        return total(self.excess_split(point))

    def loss(self, point: Sequence[float]) -> float:
        """The loss at a point, from the floor and the split (no pass over the data)."""
        return self.floor + self.excess(point)

    def safe_rate(self) -> float:
        """2/λmax: plain descent converges for every lr below it, and the steepest direction zig-zags outward above."""
        return 2 / self.steepest

    def momentum_bound(self, beta: float) -> float:
        """2(1 + β)/λmax: the heavy ball is stable for every lr below it."""
        return 2 * (1 + beta) / self.steepest

    def factors(self, lr: float) -> Point:
        """Plain descent's factor per direction: each step multiplies cᵢ by 1 − lr·λᵢ (negative: a zig-zag)."""
        return tuple(1 - lr * lam for lam in self.curvatures)

    def rates(self, lr: float, beta: float) -> Point:
        """How much of the gap each direction keeps per step: |1 − lr·λᵢ|, or the heavy ball's rate when β > 0."""
        return tuple(heavy_ball_rate(lr, beta, lam) for lam in self.curvatures)

    def tuned_momentum(self) -> tuple[float, float]:
        """(β*, lr*): critical damping at both ends, β* = ((√κ − 1)/(√κ + 1))², lr* = 4/(√λmax + √λmin)²."""
        root = math.sqrt(self.ratio)
        beta = ((root - 1) / (root + 1)) ** 2
        return beta, 4 / (math.sqrt(self.steepest) + math.sqrt(self.gentlest)) ** 2


def heavy_ball_rate(lr: float, beta: float, curvature: float) -> float:
    """The heavy ball's contraction per step along a direction of this curvature: the largest root of
    z² − (1 + β − lr·λ)·z + β (|1 − lr·λ| when β is 0, √β when the roots are complex: a swing)."""
    trace = 1 + beta - lr * curvature
    if not math.isfinite(trace * trace):
        return math.inf
    disc = trace * trace - 4 * beta
    if disc < 0:
        return math.sqrt(beta)
    root = math.sqrt(disc)
    return max(abs(trace + root), abs(trace - root)) / 2


def best_momentum_rate(valley: Valley, beta: float) -> float:
    """The lr at which the heavy ball with this beta contracts fastest in its slowest direction: the smallest of
    max(rate across, rate along), found on a log-spaced grid of rates below its bound, then narrowed."""
    bound = valley.momentum_bound(beta)

    def worst(lr: float) -> float:
        return max(valley.rates(lr, beta))

    grid = [bound * 10 ** (-6 * (1 - i / 600)) for i in range(600)]
    best = min(grid, key=worst)
    low, high = best / 1.03, min(best * 1.03, bound * (1 - 1e-12))
    for _ in range(60):  # golden-section search between the grid's neighbours
        a, b = high - (high - low) / 1.618, low + (high - low) / 1.618
        low, high = (low, b) if worst(a) <= worst(b) else (a, high)
    return (low + high) / 2


def day_limit(x: float) -> float:
    """One day's own safe rate: its loss (w·x + b − y)² curves 2(x² + 1) at most, so lr < 1/(x² + 1)."""
    return 1 / (x * x + 1)


def steps_to(distance: float, rate: float, tolerance: float = TOLERANCE) -> float:
    """About how many more steps a gap of `distance` needs to fall within `tolerance`, shrinking by `rate` a step."""
    if distance <= tolerance:
        return 0.0
    if not 0 < rate < 1:
        return math.inf
    return math.log(tolerance / distance) / math.log(rate)


def answer(line: Sequence[float], x: float) -> float:
    """The line's prediction w·x + b at x (inf past float range)."""
    w, b = line
    value = w * x + b
    return value if math.isfinite(value) else math.inf
