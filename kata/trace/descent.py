"""Walks down a valley, one gradient step at a time, and what each side keeps of them.

`walk` runs in the tracer's child (it calls the learner's functions through a stepper): every story's descent is
this one loop, so the same settings give the same steps, the same events and the same Track (a walk's summary,
which its verdict reads) in every story. Streamed walks also send rows worth showing as they go. `Run` is the
drawing side's record of a streamed walk: a bounded number of rows, whatever the number of iterations.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from kata.trace.maths import EXPLODED, Point, Valley
from kata.trace.protocol import Ended, RowSent, Track

NOISE = 1e-9  # a loss that rises by less than this fraction of itself is rounding, not an event
DENSE = 200  # the first steps are all sent: the path's start, where everything happens
CURVE_POINTS = (
    300  # about this many more rows, evenly spaced, draw the loss curve (140 dots across at most)
)
PATH_POINTS = 400  # points of a walk's path kept for its pictures: the first ones, then log-spaced
# a long walk calls alive() every 16384 steps: the watchdog hears it is busy, not stuck
ALIVE = (1 << 14) - 1
LOSS_POINTS = 300  # (step, loss) pairs kept for a loss curve: evenly spaced
# seconds between progress rows, so the live view moves and the watchdog knows all is well
HEARTBEAT = 0.1

# the learner's step: from a point, (the gradient there, the new point); it keeps its own velocity
Stepper = Callable[[Point], tuple[Point, Point]]
Emit = Callable[[Any], None]


class Row(NamedTuple):
    """One gradient step: where it started, the slope(s), the move, where it landed, the loss before and after."""

    step: int
    params: tuple[float, ...]
    gradient: tuple[float, ...]
    change: tuple[float, ...]
    new: tuple[float, ...]
    loss: float  # before the step
    after: float  # after the step: the next row's `loss`

    def sent(self, keep: bool, event: bool) -> RowSent:
        """The row as a message."""
        return RowSent(
            self.step,
            list(self.params),
            list(self.gradient),
            list(self.change),
            list(self.new),
            self.loss,
            self.after,
            keep,
            event,
        )

    @classmethod
    def of(cls, message: RowSent) -> Row:
        """The row a message carries."""
        return cls(
            message.step,
            tuple(message.params),
            tuple(message.gradient),
            tuple(message.change),
            tuple(message.new),
            message.loss,
            message.after,
        )


@dataclass
class Events:
    """The first time something notable happened, each by the number of the step that caused it."""

    overshoot: int | None = None
    loss_increase: int | None = None
    non_finite: int | None = None
    exploded: int | None = None
    reached: int | None = None
    crossings: int = 0

    def as_dict(self) -> dict[str, int]:
        """Return the events that happened, by name."""
        named = {
            "first overshoot": self.overshoot,
            "first loss increase": self.loss_increase,
            "first non-finite value": self.non_finite,
            "loss exploded": self.exploded,
            "within 1e-6 of the minimum": self.reached,
        }
        return {name: step for name, step in named.items() if step is not None}


def finite(*values: float) -> bool:
    """True when every value is a finite number."""
    return all(math.isfinite(v) for v in values)


@dataclass
class Run:
    """The drawing side's record of a streamed walk: rows kept for the table and the pictures, bounded in number."""

    story: str
    lr: float
    iterations: int
    # the steps the table will show, asked of the child in advance
    planned: frozenset[int] = frozenset()
    names: tuple[str, ...] = ("w", "b")  # the parameters' names: ("x",) on the parabola
    kept: dict[int, Row] = field(default_factory=dict)
    first: Row | None = None
    latest: Row | None = None
    count: int = 0  # steps taken so far
    events: Events = field(default_factory=Events)
    track: Track | None = None  # the walk's summary, once it ended
    ended: str = ""  # done, non_finite, exploded; empty while running or when stopped
    interrupted: bool = False  # Ctrl-C
    stopped: bool = False  # the learner asked to stop (q in step mode)
    # the learner's code disagrees with itself: the cause to name first
    problems: list[str] = field(default_factory=list)
    # the learner's other steps against the run
    notes: list[tuple[bool, str]] = field(default_factory=list)
    red: list[str] = field(default_factory=list)  # steps traced while their tests fail
    mine: bool = False  # the learner's code runs (else the reference)
    # the story's own verdict is that the walk went wrong (diverged): exit status 1
    failed: bool = False

    @property
    def one(self) -> bool:
        """True for a walk of one parameter (the parabola's x)."""
        return len(self.names) == 1

    def take(self, row: Row, keep: bool) -> None:
        """Receive a row from the walk."""
        if self.first is None:
            self.first = row
        if keep:
            self.kept[row.step] = row
        if self.latest is None or row.step >= self.latest.step:
            self.latest = row
            self.count = row.step

    def end(self, message: Ended) -> None:
        """Receive the walk's end: its events and its summary."""
        self.events = Events(
            message.overshoot,
            message.loss_increase,
            message.non_finite,
            message.exploded,
            message.reached,
            message.crossings,
        )
        self.track = message.track
        self.ended = message.reason

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
        """True when the walk blew up (past float range, or far above where it started)."""
        return bool(self.events.non_finite or self.events.exploded or self.failed)

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


Gauge = Callable[[Sequence[float]], tuple[float, float, bool]]


def gauge(valley: Valley) -> Gauge:
    """A fast measure for the walk's hot loop: (the gap along the steepest direction, the loss, whether every
    parameter is within its tolerance of the minimum) at a point."""
    best, floor = valley.best, valley.floor
    if len(best) == 1:
        (b0,), (lam,), t0 = best, valley.curvatures, valley.tolerance(0)

        def one(point: Sequence[float]) -> tuple[float, float, bool]:
            c = point[0] - b0
            return c, floor + 0.5 * lam * c * c, abs(c) <= t0

        return one
    (b0, b1), ((u00, u01), (u10, u11)) = best, valley.directions
    (l0, l1), t0, t1 = valley.curvatures, valley.tolerance(0), valley.tolerance(1)

    def two(point: Sequence[float]) -> tuple[float, float, bool]:
        d0, d1 = point[0] - b0, point[1] - b1
        c0, c1 = d0 * u00 + d1 * u01, d0 * u10 + d1 * u11
        return c0, floor + 0.5 * (l0 * c0 * c0 + l1 * c1 * c1), abs(d0) <= t0 and abs(d1) <= t1

    return two


def log_spaced(count: int, most: int) -> set[int]:
    """Up to `most` indices from 0 to count − 1: the first third one by one, then log-spaced, the last kept."""
    if count <= most:
        return set(range(count))
    dense = most // 3
    picked = set(range(dense)) | {count - 1}
    spread = most - dense
    for i in range(spread):
        picked.add(min(count - 1, round(dense * (count / dense) ** (i / max(spread - 1, 1)))))
    return picked


@dataclass
class Walked:
    """A walk's end, as the child keeps it: its settings, events, last points, and the path and losses kept."""

    lr: float
    beta: float
    iterations: int
    start: Point
    steps: int
    events: Events
    tail: list[Point]
    path: list[list[float]]
    losses: list[list[float]]

    def track(self) -> Track:
        """The walk's summary."""
        path = self.path
        if path[-1] != list(self.tail[-1]):
            path = [*path, list(self.tail[-1])]
        return Track(
            self.lr,
            self.beta,
            self.iterations,
            self.steps,
            list(self.start),
            [list(p) for p in self.tail],
            self.events.non_finite or self.events.exploded,
            self.events.reached,
            [path[i] for i in sorted(log_spaced(len(path), PATH_POINTS))],
            self.losses,
        )

    def ended(self) -> Ended:
        """How the walk ended, as a message."""
        e = self.events
        reason = "non_finite" if e.non_finite else "exploded" if e.exploded else "done"
        return Ended(
            reason,
            self.steps,
            self.track(),
            e.overshoot,
            e.loss_increase,
            e.non_finite,
            e.exploded,
            e.reached,
            e.crossings,
        )


def plain(
    gradient: Callable[..., tuple[float, float]],
    X: list[float],
    Y: list[float],
    lr: float,
    beta: float = 0.0,
) -> Stepper:
    """A step of descent on the park's data with the learner's gradient: plain, or the heavy ball when beta > 0."""
    velocity = [0.0, 0.0]

    def step(point: Point) -> tuple[Point, Point]:
        w, b = point
        gw, gb = gradient(X, Y, w, b)
        if beta:
            velocity[0], velocity[1] = beta * velocity[0] + gw, beta * velocity[1] + gb
            return (gw, gb), (w - lr * velocity[0], b - lr * velocity[1])
        return (gw, gb), (w - lr * gw, b - lr * gb)

    return step


def walk(
    step: Stepper,
    valley: Valley,
    start: Sequence[float],
    lr: float,
    iterations: int,
    beta: float = 0.0,
    loss: Callable[[Point], float] | None = None,
    emit: Emit | None = None,
    planned: Iterable[int] = (),
    alive: Callable[[], None] | None = None,
    until_reached: bool = False,
    clock: Callable[[], float] = time.monotonic,
) -> Walked:
    """Walk from `start` for `iterations` steps (fewer when it blows up, or, `until_reached`, once it is within the
    tolerance of the minimum); note its events, keep its last points, a thinned path and loss curve, and (`emit`)
    send the rows worth showing, with the learner's `loss` before and after each step. `alive` is called every so
    often, so that the watchdog knows a long walk is busy, not stuck.

    Every story's descent is this one loop. Most steps are uneventful and cost a few comparisons beyond the
    learner's own functions: a row is made only when it is sent, and the loop keeps its state in local names.
    """
    measure = gauge(valley)
    point: Point = tuple(float(v) for v in start)
    across, first_loss, _ = measure(point)
    explodes = EXPLODED * max(abs(first_loss), 1.0)
    stride, loss_stride = max(1, iterations // CURVE_POINTS), max(1, iterations // LOSS_POINTS)
    wanted = set(planned)
    path, losses = [list(point)], [[0.0, first_loss]]
    next_path, sent = float(DENSE), clock()
    overshoot = increase = non_finite = exploded = reached = None
    crossings = steps = 0
    older: Point | None = None
    previous: Point | None = None
    before = loss(point) if loss is not None else math.nan
    inf, nan = math.inf, math.nan
    for number in range(1, iterations + 1):
        try:
            gradient, new = step(point)
            after = loss(new) if loss is not None else nan
        except OverflowError:  # numbers too large to hold: the walk has left float range
            gradient, new, after = (nan,) * len(point), (inf,) * len(point), inf
        event, go_on = False, True
        total = sum(new) + sum(gradient)
        # `after` is nan where the learner's loss is not measured (a walk not streamed): only inf counts there
        if total - total != 0 or after == inf or after == -inf:  # inf or nan somewhere
            non_finite, event, go_on = number, True, False
            here, value = inf, inf
        else:
            here, value, near = measure(new)
            if value > explodes:
                exploded, event, go_on = number, True, False
            elif near and reached is None:
                reached, event = number, True
        if here * across < 0:  # crossed the valley's floor (or jumped over x = 3)
            crossings += 1
            if overshoot is None:
                overshoot, event = number, True
        across = here
        if increase is None and after - before > NOISE * abs(before):
            increase, event = number, True
        steps, older, previous, point = number, previous, point, new
        if number <= DENSE or number >= next_path:
            path.append(list(new))
            next_path = max(next_path, number) * 1.02
        if not go_on or number % loss_stride == 0:
            losses.append([float(number), value])
        if emit is not None:
            keep = (
                event
                or not go_on
                or number <= DENSE
                or number % stride == 0
                or number >= iterations - 1  # the last two: the verdict reads the last steps
                or number in wanted
            )
            if keep or (number & 255 == 0 and clock() - sent > HEARTBEAT):
                change = tuple(lr * g for g in gradient)
                emit(Row(number, previous, gradient, change, new, before, after).sent(keep, event))
                sent = clock()
        if not go_on or (until_reached and reached is not None):
            break
        if alive is not None and number & ALIVE == 0:  # a sign of life now and then
            alive()
        before = after
    events = Events(overshoot, increase, non_finite, exploded, reached, crossings)
    tail = [p for p in (older, previous, point) if p is not None]
    return Walked(
        lr, beta, iterations, tuple(float(v) for v in start), steps, events, tail, path, losses
    )


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


def shown_steps(total: int, every: int, size: int) -> list[int]:
    """The step numbers a table of `total` steps shows (and step mode pauses at): all, or about `size`, or every
    `every`th (with the last)."""
    if not every and total <= max(size, 50):
        return list(range(1, total + 1))
    first = min(10, max(size // 3, 1))
    decades = max(math.log10(max(total / first, 10)), 1)
    per_decade = max(1, round((size - first) / decades))
    return sample(total, {}, first, per_decade, every)
