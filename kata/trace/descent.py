"""The two descents of the article, walked one gradient step at a time, and what the drawing side keeps of them.

The walks (`walk_parabola`, `walk_park`) run the learner's functions, so they run
in the tracer's child process (kata/trace/child.py); they hand each row worth
showing to `emit`. `Run` is the drawing side's record: a bounded number of rows,
whatever the number of iterations.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

EXPLODED = 1e12  # a loss this many times the first one: the run is blowing up
NOISE = 1e-9  # a loss that rises by less than this fraction of itself is rounding, not an event
DENSE = 200  # the first steps are all sent: the path's start, where everything happens
CURVE_POINTS = 1000  # about this many more rows, evenly spaced, draw the curve and the path
# seconds between progress rows, so the live view moves and the watchdog knows all is well
HEARTBEAT = 0.1

Emit = Callable[[dict[str, Any]], None]


class Row(NamedTuple):
    """One gradient step: where it started, the slope(s), the move lr·slope, where it landed, the loss before and after."""

    step: int
    params: tuple[float, ...]
    gradient: tuple[float, ...]
    change: tuple[float, ...]
    new: tuple[float, ...]
    loss: float  # before the step
    after: float  # after the step: the next row's `loss`

    def to_list(self) -> list[Any]:
        """The row as JSON-ready lists."""
        return [
            self.step,
            list(self.params),
            list(self.gradient),
            list(self.change),
            list(self.new),
            self.loss,
            self.after,
        ]

    @classmethod
    def from_list(cls, data: list[Any]) -> Row:
        """The row back from its JSON lists."""
        step, params, gradient, change, new, loss, after = data
        return cls(
            int(step),
            tuple(map(float, params)),
            tuple(map(float, gradient)),
            tuple(map(float, change)),
            tuple(map(float, new)),
            float(loss),
            float(after),
        )


@dataclass
class Events:
    """The first time something notable happened, each by the number of the step that caused it."""

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

    def to_dict(self) -> dict[str, Any]:
        """The events as a JSON-ready dict."""
        return {
            "overshoot": self.overshoot,
            "loss_increase": self.loss_increase,
            "non_finite": self.non_finite,
            "exploded": self.exploded,
            "crossings": self.crossings,
        }


def rose(before: float, after: float) -> bool:
    """True when the loss went up by more than rounding noise."""
    return after - before > NOISE * abs(before)


def finite(*values: float) -> bool:
    """True when every value is a finite number."""
    return all(math.isfinite(v) for v in values)


@dataclass
class Run:
    """The drawing side's record of a descent: rows kept for the table and the pictures, bounded in number."""

    story: str
    lr: float
    iterations: int
    # the steps the table will show, asked of the child in advance
    planned: frozenset[int] = frozenset()
    kept: dict[int, Row] = field(default_factory=dict)
    first: Row | None = None
    latest: Row | None = None
    count: int = 0  # steps taken so far
    events: Events = field(default_factory=Events)
    ended: str = ""  # done, non_finite, exploded; empty while running or when stopped
    interrupted: bool = False  # Ctrl-C
    stopped: bool = False  # the learner asked to stop (q in step mode)
    # the learner's code disagrees with itself: the cause to name first
    problems: list[str] = field(default_factory=list)
    # the learner's other steps against the run
    notes: list[tuple[bool, str]] = field(default_factory=list)
    red: list[str] = field(default_factory=list)  # steps traced while their tests fail

    def take(self, row: Row, keep: bool) -> None:
        """Receive a row from the walk."""
        if self.first is None:
            self.first = row
        if keep:
            self.kept[row.step] = row
        if self.latest is None or row.step >= self.latest.step:
            self.latest = row
            self.count = row.step

    @property
    def faulty(self) -> bool:
        """True when the learner's code disagrees with itself, fails its tests, or another step parts from the run."""
        return bool(self.problems or self.red or any(not ok for ok, _ in self.notes))

    @property
    def rows(self) -> list[Row]:
        """The kept rows in step order (a bounded sample, not every step)."""
        return [self.kept[n] for n in sorted(self.kept)]

    @property
    def finished(self) -> bool:
        """True when the walk ran to its end or to a blow-up, not stopped by the learner."""
        return bool(self.ended) and not (self.interrupted or self.stopped)

    @property
    def start_loss(self) -> float:
        """The loss before the first step."""
        return self.first.loss if self.first else math.nan

    @property
    def final_loss(self) -> float:
        """The loss after the last step taken."""
        return self.latest.after if self.latest else math.nan

    @property
    def diverged(self) -> bool:
        """True when the values went non-finite, or the loss ended above where it started."""
        if self.events.non_finite or self.events.exploded:
            return True
        return self.latest is not None and (
            not math.isfinite(self.final_loss) or rose(self.start_loss, self.final_loss)
        )

    @property
    def last(self) -> tuple[float, ...]:
        """The parameters after the last step taken."""
        return self.latest.new if self.latest else ()

    def shown(self) -> list[int]:
        """The steps the table shows: the planned ones reached, every event, and the last."""
        numbers = {n for n in self.planned if n <= self.count} | set(self.events.as_dict().values())
        if self.count:
            numbers.add(self.count)
        return sorted(n for n in numbers if n in self.kept)


class Walk:
    """The child side of a descent: decides which rows to send and notes the events as they happen."""

    def __init__(
        self,
        iterations: int,
        planned: Iterable[int],
        emit: Emit,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.iterations = iterations
        self.planned = set(planned)
        self.stride = max(1, iterations // CURVE_POINTS)
        self.emit = emit
        self.clock = clock
        self.events = Events()
        self.explodes_above = math.inf
        self.sent = clock()
        self.previous: tuple[int, tuple[Any, ...], float, float] | None = None
        self.lr = 0.0

    def start(self, loss: float, lr: float) -> None:
        """Note the loss before the first step (a blow-up is measured against it) and the learning rate."""
        self.explodes_above = EXPLODED * max(abs(loss), 1.0)
        self.lr = lr

    def send(self, row: Row, keep: bool, event: bool = False) -> None:
        """Hand a row to the drawing side; `event` when something notable happened at it (step mode pauses there)."""
        self.emit({"kind": "row", "row": row.to_list(), "keep": keep, "event": event})
        self.sent = self.clock()

    def row(self, step: int, values: tuple[Any, ...], before: float, after: float) -> Row:
        """The row of a step, made from the walk's raw values only when it is sent."""
        if len(values) == 4:  # the parabola's: already one-value tuples
            return Row(step, *values, before, after)
        w, b, w_slope, b_slope, new_w, new_b = values
        return Row(
            step,
            (w, b),
            (w_slope, b_slope),
            (self.lr * w_slope, self.lr * b_slope),
            (new_w, new_b),
            before,
            after,
        )

    def note(
        self,
        step: int,
        values: tuple[Any, ...],
        before: float,
        after: float,
        total: float,
        overshot_by: int | None,
    ) -> bool:
        """Look at a new step: note its events, send its row if worth showing; False when the walk must stop.

        The row is made only when it is sent, and `total` is the sum of the new values and slopes: inf or nan
        anywhere shows in the sum. Most steps are neither, and cost a few comparisons.
        """
        events = self.events
        event = False
        if overshot_by is not None:
            events.crossings += 1
            if events.overshoot is None:
                events.overshoot, event = overshot_by, True
                if overshot_by != step and self.previous is not None:
                    # the step that overshot, kept now that we know
                    self.send(self.row(*self.previous), True, True)
        if events.loss_increase is None and after - before > NOISE * abs(before):
            events.loss_increase, event = step, True
        go_on = True
        if not math.isfinite(total + after):
            events.non_finite, event, go_on = step, True, False
        elif after > self.explodes_above:
            events.exploded, event, go_on = step, True, False
        keep = (
            event
            or step <= DENSE
            or step % self.stride == 0
            or step in self.planned
            or step == self.iterations
        )
        if keep or not go_on or (step & 255 == 0 and self.clock() - self.sent > HEARTBEAT):
            self.send(self.row(step, values, before, after), keep or not go_on, event)
        self.previous = (step, values, before, after)
        return go_on

    def end(self, steps: int, reason: str) -> None:
        """Say how the walk ended."""
        self.emit(
            {"kind": "end", "reason": reason, "steps": steps, "events": self.events.to_dict()}
        )


def walk_parabola(
    f: Callable[[float], float],
    gradient: Callable[[float], float],
    step: Callable[[float, float], float],
    start: float,
    lr: float,
    walk: Walk,
    keep_path: int = 0,
) -> list[float]:
    """Walk down f from `start`; return the first `keep_path` + 1 positions (for checking the learner's descend())."""
    x, before = start, f(start)
    walk.start(before, lr)
    path = [x]
    for number in range(1, walk.iterations + 1):
        try:
            slope = gradient(x)
            new = step(x, lr)
            after = f(new)
        except OverflowError:
            slope, new, after = math.nan, math.inf, math.inf
        crossed = (x - 3) * (new - 3) < 0  # jumped over the minimum, by this very step
        if not walk.note(
            number,
            ((x,), (slope,), (lr * slope,), (new,)),
            before,
            after,
            new + slope,
            number if crossed else None,
        ):
            walk.end(number, "non_finite" if walk.events.non_finite else "exploded")
            return path
        if number <= keep_path:
            path.append(new)
        x, before = new, after
    walk.end(walk.iterations, "done")
    return path


def walk_park(
    X: list[float],
    Y: list[float],
    loss: Callable[..., float],
    gradient: Callable[..., tuple[float, float]],
    lr: float,
    walk: Walk,
    keep_losses: int = 0,
) -> tuple[list[float], tuple[float, float]]:
    """Train w and b from 0 as step 9 does; return the first `keep_losses` losses and (w, b) after that many steps."""
    w = b = 0.0
    before = loss(X, Y, w, b)
    walk.start(before, lr)
    losses: list[float] = []
    at = (0.0, 0.0)
    last_w_slope = last_b_slope = 0.0
    for number in range(1, walk.iterations + 1):
        if number <= keep_losses:
            losses.append(before)
        try:
            w_slope, b_slope = gradient(X, Y, w, b)
            new_w, new_b = w - lr * w_slope, b - lr * b_slope
            after = loss(X, Y, new_w, new_b)
        except OverflowError:
            w_slope = b_slope = math.nan
            new_w, new_b, after = math.inf, math.inf, math.inf
        # a slope that changes sign means the step before this one jumped over the bottom along that parameter
        flipped = number > 1 and (w_slope * last_w_slope < 0 or b_slope * last_b_slope < 0)
        if not walk.note(
            number,
            (w, b, w_slope, b_slope, new_w, new_b),
            before,
            after,
            new_w + new_b + w_slope + b_slope,
            number - 1 if flipped else None,
        ):
            walk.end(number, "non_finite" if walk.events.non_finite else "exploded")
            return losses, at
        if number == keep_losses:
            at = (new_w, new_b)
        w, b, before = new_w, new_b, after
        last_w_slope, last_b_slope = w_slope, b_slope
    walk.end(walk.iterations, "done")
    return losses, at


def sample(
    total: int, events: dict[str, int], first: int = 10, per_decade: int = 6, every: int = 0
) -> list[int]:
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
