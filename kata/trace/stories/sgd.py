"""Mini-batches (steps 6–9, 17): the learner's train_sgd on standardised temperatures, for several batch sizes and
rates, the loss against epochs and against updates, the noise floor each batch size settles on, each day's own
limit, and a decaying rate; the learner's train_sgd watched batch by batch and checked against the walk it makes."""

from __future__ import annotations

import math
import sys
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kata.trace.checking import AGREE, file, number_of, triple
from kata.trace.maths import Valley, close, day_limit, standardise
from kata.trace.probes import Code
from kata.trace.stories import Job, Story

if TYPE_CHECKING:
    from rich.console import RenderableType

    from kata.trace.data import Dataset
    from kata.trace.descent import Run
    from kata.trace.parts import Settings

DECAY = 10.0  # the decaying rate: lr / (1 + epoch / DECAY)
SLOWER = 5.0  # batches of 1 are also run at lr / SLOWER


@dataclass(frozen=True)
class Batches:
    """One run of train_sgd: its batch size and rate, the loss before each epoch, and where it ended."""

    size: int
    lr: float
    updates: int  # per epoch
    losses: list[float]
    end: list[float]
    decaying: bool = False


@dataclass(frozen=True)
class Mini:
    """The sgd story's result: the runs, and the standardised days' mean and spread."""

    mean: float
    spread: float
    runs: list[Batches] = field(default_factory=list)


def sizes(n: int) -> list[int]:
    """A few batch sizes from one day to all of them."""
    return sorted({1, min(2, n), max(1, n // 4), n})


def decayed(
    gradient: Any,
    Z: list[float],
    Y: list[float],
    epochs: int,
    lr: float,
    size: int,
    seed: int,
    valley: Valley,
) -> Batches:
    """The tracer's own mini-batch loop with the learner's gradient and a rate that shrinks each epoch; shuffled as
    step 17 asks (one random.Random(seed), the indices shuffled in place each epoch)."""
    import random

    shuffler, order = random.Random(seed), list(range(len(Z)))
    w = b = 0.0
    losses = []
    for epoch in range(epochs):
        losses.append(valley.loss((w, b)))
        shuffler.shuffle(order)
        rate = lr / (1 + epoch / DECAY)
        for start in range(0, len(order), size):
            batch = order[start : start + size]
            gw, gb = gradient([Z[i] for i in batch], [Y[i] for i in batch], w, b)
            w, b = w - rate * gw, b - rate * gb
    return Batches(size, lr, math.ceil(len(Z) / size), losses, [w, b], True)


class Sgd(Story):
    title = "Mini-batches"
    about = "train_sgd() on standardised temperatures, for several batch sizes and rates, from w = b = 0"
    takes = frozenset({"lr", "iterations", "data"})
    instead = {"start": "starts at w = b = 0"}
    defaults = {"lr": 0.1, "iterations": 100}  # kata: not the article's (epochs)
    most = {"iterations": 5000}
    sends = Mini

    def work(self, days: int) -> float:
        return 1e-6 * days * self.iterations * 12

    def details(self, data: Dataset | None) -> str:
        from kata.core.look import counted
        from kata.trace.text import exact

        return f"{self.on_data(data)}, lr {exact(self.lr)}, {counted(self.iterations, 'epoch')}, seed 0."

    def screen(
        self, run: Run, result: Mini, data: Dataset | None, settings: Settings
    ) -> list[RenderableType]:
        from kata.trace.plots import Curves, NumberTable, sci
        from kata.trace.text import Words, exact

        assert data is not None
        Z = standardise(data.X)[0]
        valley = Valley.of_data(Z, data.Y)
        n = len(Z)

        def name(r: Batches) -> str:
            kind = ", decaying" if r.decaying else ""
            return f"batch {r.size}{' (all)' if r.size == n else ''}, lr {exact(r.lr)}{kind}"

        def above(v: float) -> float:
            return v - valley.floor

        per_epoch = Curves(
            [
                (name(r), [(i + 1, above(v)) for i, v in enumerate(r.losses) if above(v) > 0])
                for r in result.runs
            ],
            "loss above its floor before each epoch (log-log)",
            "log10 epoch",
            log_x=True,
        )
        per_update = Curves(
            [
                (
                    name(r),
                    [(i * r.updates + 1, above(v)) for i, v in enumerate(r.losses) if above(v) > 0],
                )
                for r in result.runs
            ],
            "the same against updates (log-log)",
            "log10 update",
            log_x=True,
        )
        rows = [
            [
                name(r),
                str(r.updates),
                sci(above(valley.loss(tuple(r.end)))),
                sci(floor_of(r, valley)),
            ]
            for r in result.runs
        ]
        table = NumberTable(["run", "updates/epoch", "above floor", "noise floor"], rows)
        text = Words()
        from kata.trace.verdicts import cause

        blamed = cause(run, text)
        away = [r for r in result.runs if not finite_run(r, valley)]
        run.failed = bool(away)
        if not blamed:
            text.mark(("✗ ", "X ") if away else ("✓ ", "OK "), style="bold red" if away else "bold")
        text.append(sgd_words(result, valley, Z, data, self.lr, self.iterations))
        return [per_epoch, per_update, table, text]

    @classmethod
    def compute(cls, job: Job) -> None:
        code, X, Y, request = job.code, job.X, job.Y, job.request
        problems = job.park_problems()
        job.problems(problems)
        Z, mean, spread = standardise(X)
        bowl = Valley.of_data(Z, Y)
        epochs, lr, seed = request.iterations, request.lr, request.seed
        train = code["step17_sgd"]
        runs = []
        settings = [(size, lr) for size in sizes(len(Z))] + [(1, lr / SLOWER)]
        for size, rate in settings:
            call = f"train_sgd(Z, Y, {epochs}, {rate:g}, {size}, {seed})"
            try:
                w, b, losses = triple(train(Z, Y, epochs, rate, size, seed), "step17_sgd", call)
            except OverflowError:
                w, b, losses = math.inf, math.inf, [math.inf]
            runs.append(Batches(size, rate, math.ceil(len(Z) / size), losses, [w, b]))
            job.phase(file("step17_sgd"))
        try:
            runs.append(decayed(code["step08_gradient"], Z, Y, epochs, lr, 1, seed, bowl))
        except OverflowError:
            runs.append(Batches(1, lr, len(Z), [math.inf], [math.inf, math.inf], True))
        if job.mine and not problems:
            watch_sgd(job, code, Z, Y)
        job.result(Mini(mean, spread, runs))


def finite_run(r: Batches, valley: Valley) -> bool:
    """True when a run ended within float range, no higher than it started."""
    end = valley.loss(tuple(r.end))
    return math.isfinite(end) and end <= valley.loss((0.0, 0.0))


def floor_of(r: Batches, valley: Valley) -> float:
    """The noise floor a run settled on: its mean loss above the floor over the last half of its epochs."""
    tail = r.losses[len(r.losses) // 2 :]
    values = [max(v - valley.floor, 0.0) for v in tail if math.isfinite(v)]
    return sum(values) / len(values) if values and len(values) == len(tail) else math.inf


SETTLED = 0.7  # a run has settled when its last quarter of epochs is, on average, no lower than this part of the third


def settled(r: Batches, valley: Valley) -> bool:
    """True when the run was measured to have stopped falling: at least 8 epochs, and its loss above the floor over
    the last quarter of them, on average, no less than SETTLED of the quarter before (noise, not a descent), or on
    the floor itself."""
    values = [v - valley.floor for v in r.losses]
    if len(values) < 8 or not all(map(math.isfinite, values)):
        return False
    n = len(values)
    third, fourth = values[n // 2 : 3 * n // 4], values[3 * n // 4 :]
    late, before = sum(fourth) / len(fourth), sum(third) / len(third)
    return late >= SETTLED * before or late <= 1e-9 * values[0]  # or it is on the floor itself


def swings(r: Batches, valley: Valley, days: int) -> bool:
    """True for a full-batch run at exactly the bound 2/λmax: each step lands on the other side as far."""
    return r.size >= days and not r.decaying and abs(max(valley.rates(r.lr, 0.0)) - 1) < 1e-9


def called(r: Batches) -> str:
    """A run in words: 'batch 2 at lr 0.1', 'batch 1 at a decaying lr from 0.1'."""
    from kata.trace.text import exact

    return f"batch {r.size} at {'a decaying lr from ' if r.decaying else 'lr '}{exact(r.lr)}"


def sgd_words(
    result: Mini, valley: Valley, Z: list[float], data: Dataset, lr: float, epochs: int
) -> str:
    """What the runs showed, every claim measured on them: the first epoch, the end, the noise floors, each day's own
    limit, the decaying rate, and what ran away."""
    from kata.trace.text import exact, join_words, num

    n = len(Z)
    fixed = [r for r in result.runs if not r.decaying and r.lr == lr]
    said = f"{epochs} epoch{'' if epochs == 1 else 's'} over {n} days, standardised (z = (x − {num(result.mean)}) / {num(result.spread)}). "
    away = [r for r in result.runs if not finite_run(r, valley)]
    alive = [r for r in fixed if finite_run(r, valley)]
    # noise needs days off the line: on days that lie on one line the floor is 0 and every batch's slope is 0 there
    noisy = valley.floor > 1e-12 * valley.loss((0.0, 0.0))
    hottest = max(range(n), key=lambda i: abs(Z[i]))
    limit = day_limit(Z[hottest])
    over = [i for i in range(n) if lr > day_limit(Z[i])]
    said += (
        f"One day alone curves 2(z² + 1): the day at {data.X[hottest]:g} °C (z = {Z[hottest]:.3g}) is stable only "
        f"below 1/(z² + 1) = {limit:.3g}, all {n} days together below 2/λmax = {valley.safe_rate():.3g}. "
    )
    if over:
        said += (
            f"lr {exact(lr)} is above the own limit of {len(over)} of the days, so a batch of one such day steps past "
            "its own best line every time it comes up. "
        )
    else:
        said += f"lr {exact(lr)} is below every day's own limit. "
    if away:
        said += f"Ran away: {join_words([called(r) for r in away])}. "
        kept = [r for r in fixed if r not in away and not swings(r, valley, n)]
        if kept:
            said += f"Did not: {join_words([called(r) for r in kept])}. "
    for r in fixed:
        if swings(r, valley, n) and r not in away:
            said += (
                f"{called(r)[0].upper()}{called(r)[1:]} oscillates: at lr = 2/λmax each full-batch step lands on the "
                "other side of the minimum exactly as far. "
            )
    if len(alive) >= 2:
        first = [
            (r, r.losses[1]) for r in alive if len(r.losses) > 1 and math.isfinite(r.losses[1])
        ]
        if first:
            r, v = min(first, key=lambda pair: pair[1])
            said += (
                f"After one epoch batches of {r.size} were lowest ({num(v - valley.floor)} above the floor, "
                f"{r.updates} update{'' if r.updates == 1 else 's'} an epoch). "
            )
        floors = sorted(alive, key=lambda r: r.size)
        if all(settled(r, valley) for r in floors) and noisy:
            values = [floor_of(r, valley) for r in floors]
            listed = join_words(
                [f"{num(v)} for batches of {r.size}" for r, v in zip(floors, values)]
            )
            said += f"Over the last half of the epochs the loss stayed, on average, {listed} above the floor"
            rising = all(a >= b for a, b in zip(values, values[1:]))
            said += (
                ": the smaller the batch, the higher the noise holds it (each update follows one batch's own "
                "gradient, and a fixed lr never lets the noise die down). "
                if rising and values[0] > values[-1]
                else ". "
            )
        else:
            ends = join_words(
                [
                    f"{num(valley.loss(tuple(r.end)) - valley.floor)} for batches of {r.size}"
                    for r in floors
                ]
            )
            said += (
                f"After {epochs} epoch{'' if epochs == 1 else 's'} the loss stood {ends} above the floor"
                + (
                    ": the days lie on one line, so no noise holds any run up. "
                    if not noisy
                    else f"; {'some runs' if any(settled(r, valley) for r in floors) else 'no run'} had run long "
                    "enough to say where the noise holds it (8 epochs at least). "
                )
            )
    slow = next((r for r in result.runs if not r.decaying and r.size == 1 and r.lr != lr), None)
    decay = next((r for r in result.runs if r.decaying), None)
    one = next((r for r in fixed if r.size == 1), None)
    if one and finite_run(one, valley) and settled(one, valley) and noisy:
        if slow and finite_run(slow, valley) and settled(slow, valley):
            said += (
                f"Batches of 1 at lr {exact(slow.lr)} settled at {num(floor_of(slow, valley))} above the floor, "
                f"against {num(floor_of(one, valley))} at lr {exact(lr)}. "
            )
        if decay and finite_run(decay, valley) and settled(decay, valley):
            lower = floor_of(decay, valley) < floor_of(one, valley)
            said += (
                f"With a rate that decays, lr/(1 + epoch/{DECAY:g}), they settled at {num(floor_of(decay, valley))}"
                + (
                    ": as the steps shrink, so does the noise."
                    if lower
                    else ", no lower than at a fixed lr here."
                )
            )
    return said


def watch_sgd(job: Job, code: Code, Z: list[float], Y: list[float]) -> None:
    """The learner's train_sgd watched batch by batch through their gradient (as step 17's tests watch it): each
    epoch must visit every day once, in a new order, one update per batch, each update lr times that batch's
    gradient; at the seed drawn and at a seeded random setting. A note when it agrees; the first slip otherwise."""
    module: Any = sys.modules.get("steps.step17_sgd")
    step08: Any = sys.modules.get("steps.step08_gradient")
    real = getattr(step08, "gradient", None)
    if module is None or not callable(real):
        return
    rng = job.random(17)
    n = len(Z)
    # a batch size that leaves a smaller last batch, where the data allows one; then a seeded random setting
    uneven = next((size for size in range(2, n) if n % size), 2)
    settings = [
        (3, 0.05, uneven, job.request.seed),
        (3, 0.05, rng.randint(1, max(1, n - 1)), rng.randint(1, 99)),
    ]
    for epochs, lr, size, seed in settings:
        calls: list[tuple[list[float], list[float], float, float]] = []

        def watched(Xb: Any, Yb: Any, w: float, b: float, calls: list[Any] = calls) -> Any:
            calls.append((list(Xb), list(Yb), float(w), float(b)))
            return real(Xb, Yb, w, b)

        names = [k for k, v in vars(module).items() if v is real or k == "gradient"]
        saved = {k: getattr(module, k) for k in names}
        try:
            for k in names:
                setattr(module, k, watched)
            step08.gradient = watched
            call = f"train_sgd(Z, Y, {epochs}, {lr:g}, {size}, {seed})"
            w, b, _ = triple(
                code["step17_sgd"](list(Z), list(Y), epochs, lr, size, seed), "step17_sgd", call
            )
        finally:
            for k, v in saved.items():
                setattr(module, k, v)
            step08.gradient = real
        if not calls:
            return  # their train_sgd does not call step 8's gradient: nothing to watch
        said = slip_in(calls, Z, Y, epochs, lr, size, (w, b), real)
        if said:
            job.problems([f"{said}: check {file('step17_sgd')}"])
            return
    job.note(
        True,
        f"your train_sgd() (step {number_of('train_sgd')}) agrees with the walk it makes, batch by batch: each epoch "
        f"visits every day once in a new order, one update per batch (watched at {len(settings)} settings).",
    )


def slip_in(
    calls: list[tuple[list[float], list[float], float, float]],
    Z: list[float],
    Y: list[float],
    epochs: int,
    lr: float,
    size: int,
    end: tuple[float, float],
    gradient: Any,
) -> str:
    """The first way the watched batches part from mini-batch descent, in words; '' when they do not."""
    n = len(Z)
    per_epoch = math.ceil(n / size)
    call = f"train_sgd(…, {epochs}, {lr:g}, {size}, …)"
    if len(calls) != epochs * per_epoch:
        return (
            f"your {call} made {len(calls)} updates in {epochs} epochs; batches of {size} from {n} days are "
            f"{per_epoch} an epoch (the last may be smaller)"
        )
    days = Counter(zip(Z, Y))
    orders = []
    for e in range(epochs):
        batches = calls[e * per_epoch : (e + 1) * per_epoch]
        pairs = [pair for Xb, Yb, _, _ in batches for pair in zip(Xb, Yb)]
        if size < n and all(len(Xb) == n for Xb, _, _, _ in batches):
            return (
                f"in epoch {e + 1} your {call} took each update's gradient on all {n} days, not on its batch of "
                f"{size}: that is full-batch descent {per_epoch} times an epoch (pass the batch's days, X_batch and "
                "Y_batch, to gradient)"
            )
        if Counter(pairs) != days:
            return (
                f"in epoch {e + 1} your {call} did not use every day exactly once with its own y (a day left out, "
                "used twice, or x and y shuffled apart)"
            )
        orders.append(pairs)
    if n > 2 and all(order == orders[0] for order in orders[1:]):
        return (
            f"your {call} visits the days in the same order every epoch: make one random.Random(seed) before the "
            "loop and shuffle with it at each epoch (reseeding it each epoch, or shuffling once, repeats the order)"
        )
    w = b = 0.0
    for i, (Xb, Yb, cw, cb) in enumerate(calls):
        if not (close(cw, w, AGREE) and close(cb, b, AGREE)):
            return (
                f"update {i + 1} of your {call} starts from w = {cw:.6g}, b = {cb:.6g}, where the updates before it "
                f"lead to w = {w:.6g}, b = {b:.6g}: each update is lr times that batch's gradient"
            )
        gw, gb = gradient(Xb, Yb, w, b)
        w, b = w - lr * gw, b - lr * gb
    if not (close(end[0], w, AGREE) and close(end[1], b, AGREE)):
        return f"your {call} returns w = {end[0]:.6g}, b = {end[1]:.6g}; its updates lead to w = {w:.6g}, b = {b:.6g}"
    return ""


STORY = Sgd
