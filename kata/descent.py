"""The two descents of the article, one recorded row per gradient step, with the events worth telling."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

EXPLODED = 1e12  # a loss this many times the first one: the run is blowing up


class Row(NamedTuple):
    """One gradient step: where it started, the slope(s), the move lr·slope, where it landed, and the loss before."""

    step: int
    params: tuple[float, ...]
    gradient: tuple[float, ...]
    change: tuple[float, ...]
    new: tuple[float, ...]
    loss: float


@dataclass
class Events:
    """The first time something notable happened, by step number."""

    overshoot: int | None = None
    loss_increase: int | None = None
    non_finite: int | None = None
    exploded: int | None = None
    crossings: int = 0

    def as_dict(self) -> dict[str, int]:
        """Return the events that happened, by name."""
        named = {
            "first overshoot": self.overshoot,
            "first loss increase": self.loss_increase,
            "first non-finite value": self.non_finite,
            "loss exploded": self.exploded,
        }
        return {name: step for name, step in named.items() if step is not None}


@dataclass
class Run:
    """A whole descent: every row, the events, and how it ended."""

    story: str
    lr: float
    iterations: int
    rows: list[Row] = field(default_factory=list)
    events: Events = field(default_factory=Events)
    final_loss: float = math.nan
    interrupted: bool = False  # Ctrl-C
    stopped: bool = False  # the learner asked to stop (q in step mode)
    explodes_above: float = math.inf  # set from the first loss

    @property
    def diverged(self) -> bool:
        """True when the values blew up or the loss ended higher than it started."""
        if self.events.non_finite or self.events.exploded:
            return True
        finished = len(self.rows) == self.iterations and not (self.interrupted or self.stopped)
        return finished and not self.final_loss < self.rows[0].loss

    @property
    def last(self) -> tuple[float, ...]:
        """The parameters after the last finite step."""
        return self.rows[-1].new if self.rows else ()

    def note(self, row: Row, previous: Row | None, overshot: bool) -> bool:
        """Record the events of a new row; return False when the run must stop."""
        self.rows.append(row)
        if len(self.rows) == 1:
            self.explodes_above = EXPLODED * max(row.loss, 1.0)
        if overshot:
            self.events.crossings += 1
            if self.events.overshoot is None:
                self.events.overshoot = row.step
        if previous and row.loss > previous.loss and self.events.loss_increase is None:
            self.events.loss_increase = row.step
        if not math.isfinite(sum(row.new) + sum(row.gradient) + row.loss):  # inf or nan anywhere shows in the sum
            self.events.non_finite = row.step
            return False
        if row.loss > self.explodes_above:
            self.events.exploded = row.step
            return False
        return True


def descend_parabola(
    run: Run, f: Callable[[float], float], gradient: Callable[[float], float],
    step: Callable[[float, float], float], start: float,
) -> Iterator[Row]:
    """Walk down f from `start`, yielding each row as it is made; the minimum is at x = 3."""
    x, previous = start, None
    for number in range(1, run.iterations + 1):
        try:
            slope = gradient(x)
            row = Row(number, (x,), (slope,), (run.lr * slope,), (step(x, run.lr),), f(x))
        except OverflowError:
            run.events.non_finite = number
            return
        if not run.note(row, previous, (x - 3) * (row.new[0] - 3) < 0):
            return
        yield row
        x, previous = row.new[0], row
    run.final_loss = f(x)


def train_park(
    run: Run, X: list[float], Y: list[float],
    loss: Callable[..., float], gradient: Callable[..., tuple[float, float]],
) -> Iterator[Row]:
    """Train w and b from 0 as step 9 does, yielding each row; overshoot is a slope changing sign."""
    w = b = 0.0
    lr, previous = run.lr, None
    last_w_slope = last_b_slope = 0.0
    for number in range(1, run.iterations + 1):
        try:
            current = loss(X, Y, w, b)
            w_slope, b_slope = gradient(X, Y, w, b)
            w_change, b_change = lr * w_slope, lr * b_slope
            row = Row(number, (w, b), (w_slope, b_slope), (w_change, b_change), (w - w_change, b - b_change), current)
        except OverflowError:
            run.events.non_finite = number
            return
        flipped = w_slope * last_w_slope < 0 or b_slope * last_b_slope < 0
        if not run.note(row, previous, flipped):
            return
        yield row
        (w, b), previous = row.new, row
        last_w_slope, last_b_slope = w_slope, b_slope
    try:
        run.final_loss = loss(X, Y, w, b)
    except OverflowError:
        run.final_loss = math.inf


def sample(total: int, events: dict[str, int], first: int = 10, per_decade: int = 6, every: int = 0) -> list[int]:
    """Pick the step numbers to show: the first ones, then log-spaced (or every Nth), every event, and the last."""
    if total <= 0:
        return []
    if every:
        chosen = set(range(1, total + 1, every))
    else:
        chosen = set(range(1, min(first, total) + 1))
        exponent = math.log10(max(first, 1))
        while 10**exponent < total:
            chosen.add(round(10**exponent))
            exponent += 1 / per_decade
    chosen |= {step for step in events.values() if 1 <= step <= total}
    chosen.add(total)
    return sorted(step for step in chosen if 1 <= step <= total)
