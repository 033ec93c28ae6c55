"""What a walk did, measured from the walk and the data: the quantities every verdict is chosen from.

One assessment for every story's walks (the parabola's in one dimension, the park's in two): where it ended, how
far that is from the minimum along each direction of the valley and how the excess loss splits between them,
the factor each direction was multiplied by over the last step (a zig-zag when negative), what grew, and so
the walk's state: converged (within the tolerance of the minimum), on its way, oscillating, or diverged. It
never looks at which story or flag is running. Plain data, no rich.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum

from kata.trace.maths import FLOOR, TOLERANCE, Point, Valley, finite, steps_to
from kata.trace.protocol import Track

# the excess loss at the end above the start's by more than this part of it: the walk grew
GROWTH = 1e-9
SWING = 1e-9  # a factor within this of −1: each step lands exactly as far on the other side


class State(Enum):
    """Where a walk stands at its end."""

    CONVERGED = "converged"  # every parameter within the tolerance of the minimum
    ON_ITS_WAY = "on its way"  # closer than it started, not there yet
    OSCILLATES = "oscillates"  # a direction swings to the other side exactly as far each step
    DIVERGED = "diverged"  # blew up, or ended further from the minimum than it started


@dataclass(frozen=True)
class Assessment:
    """A walk measured against its valley."""

    valley: Valley
    track: Track
    state: State
    end: Point  # the last point that floats could hold
    components: Point  # the gap to the minimum along each direction (steepest first), at the end
    start_components: Point
    split: Point  # the excess loss along each direction, at the end
    excess: float
    start_excess: float
    # each direction's gap over the last step: new / old (None: too small)
    factors: tuple[float | None, ...]
    rates: Point  # how much of its gap each direction keeps a step, from the settings (the theory)
    theory: Point  # plain descent's factor per direction, 1 − lr·λ (negative: a zig-zag), from the settings
    zigzag: tuple[bool, ...]  # the direction's gap changed sign over the last step
    grew: tuple[bool, ...]  # the direction's gap ended larger than it started

    @property
    def main(self) -> int:
        """The direction that matters most: the one that grew most (diverged), else the one holding most excess."""
        if self.state is State.DIVERGED and any(self.grew):
            return max((i for i, g in enumerate(self.grew) if g), key=lambda i: self.growth(i))
        return max(range(len(self.split)), key=lambda i: self.split[i])

    def growth(self, i: int) -> float:
        """How many times its start's gap direction i ended at (inf after a blow-up)."""
        start, end = abs(self.start_components[i]), abs(self.components[i])
        return end / start if start else (math.inf if end else 1.0)

    def flips(self, i: int) -> bool:
        """True when direction i jumps to the other side each step: as measured, else as the theory says."""
        factor = self.factors[i]
        if factor is not None and self.track.beta == 0:
            return factor < 0
        return self.zigzag[i] or (self.track.beta == 0 and self.theory[i] < 0)

    def rate(self, i: int) -> float:
        """The share of its gap direction i keeps a step: as measured over the last step, else from the theory."""
        factor = self.factors[i]
        return abs(factor) if factor is not None and self.track.beta == 0 else self.rates[i]

    @property
    def to_go(self) -> float:
        """About how many more steps the walk needs to be within TOLERANCE of the minimum (inf: never)."""
        return max(
            (steps_to(abs(c), self.rate(i)) for i, c in enumerate(self.components)),
            default=0.0,
        )

    @property
    def share(self) -> float:
        """The main direction's part of the excess loss."""
        return self.split[self.main] / self.excess if self.excess else 0.0


def last_finite(points: list[list[float]]) -> list[tuple[float, ...]]:
    """The consecutive points at the end of a tail that floats could hold."""
    kept: list[tuple[float, ...]] = []
    for point in reversed(points):
        if not finite(*point):
            if kept:
                break
            continue
        kept.insert(0, tuple(point))
    return kept


def factor(before: float, after: float, noise: float) -> float | None:
    """after / before, when before is more than rounding."""
    return after / before if abs(before) > noise else None


def assess(valley: Valley, track: Track) -> Assessment:
    """Measure a walk against its valley."""
    start = tuple(track.start)
    tail = last_finite(track.tail) or [start]
    end = tail[-1]
    components, start_components = valley.components(end), valley.components(start)
    split = valley.excess_split(end)
    excess, start_excess = valley.excess(end), valley.excess(start)
    noise = [max(TOLERANCE, 1e-12 * abs(c)) * 1e-3 for c in start_components]
    if len(tail) >= 2:
        before = valley.components(tail[-2])
        factors = tuple(factor(b, a, n) for b, a, n in zip(before, components, noise))
        zigzag = tuple(b * a < 0 and abs(b) > n for b, a, n in zip(before, components, noise))
    else:
        factors = tuple(None for _ in components)
        zigzag = tuple(False for _ in components)
    grew = tuple(
        abs(c) > abs(s) * (1 + GROWTH) + FLOOR for c, s in zip(components, start_components)
    )
    rates = valley.rates(track.lr, track.beta)
    blew = track.blew is not None or not finite(*track.end)
    if blew:
        state = State.DIVERGED
        grew = tuple(g or r >= 1 for g, r in zip(grew, rates)) if not any(grew) else grew
    elif valley.reached(end):
        state = State.CONVERGED
    elif excess > start_excess * (1 + GROWTH) + FLOOR:
        state = State.DIVERGED
    else:
        state = State.ON_ITS_WAY
        main = max(range(len(split)), key=lambda i: split[i])
        swing = factors[main]
        if track.beta == 0 and swing is not None and swing <= -1 + SWING:
            state = State.OSCILLATES
    return Assessment(
        valley,
        track,
        state,
        end,
        components,
        start_components,
        split,
        excess,
        start_excess,
        factors,
        rates,
        valley.factors(track.lr),
        zigzag,
        grew,
    )
