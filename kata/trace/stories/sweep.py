"""The learning-rate sweep (steps 6–9, 12, 13): train() at rates on both sides of the safe bound 2/λmax, each walk
checked against the learner's train() and judged by the same words as every walk; the final losses drawn as a
learning-rate finder draws them, clipped at the starting loss; then when to stop (step 13)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kata.core.loading import load_function
from kata.core.registry import FACTS, step_by_stem
from kata.trace.checking import against_walk, file, learner
from kata.trace.descent import gauge, plain, walk
from kata.trace.maths import close, closed_form, mse, steps_to
from kata.trace.probes import Code, LearnerCodeError
from kata.trace.protocol import Track
from kata.trace.stories import Job, Story

if TYPE_CHECKING:
    from rich.console import RenderableType

    from kata.trace.data import Dataset
    from kata.trace.descent import Run
    from kata.trace.parts import Settings

# × the safe bound 2/λmax
BELOW = (0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99)
FACTORS = (*BELOW, 1.01, 1.05, 1.1, 1.25)
OVERLAID = (0.1, 0.5, 0.99)  # the rates whose loss curves are drawn, × the safe bound
# the stopping rule's run: the article's lr
STOP_LR, STOP_TOLERANCE, STOP_LIMIT = 0.001, 0.01, 1_000_000
STOP_BUDGET = 20_000_000  # days × iterations of the stopping rule's run at most: large data gets fewer iterations


def stop_rate(bound: float) -> float:
    """The stopping rule's lr: the article's 0.001 where the data's safe bound 2/λmax allows it (park.txt: 0.00171),
    else half the bound, as a learner would type it: a walk that diverges never stops, and that is no fault of theirs."""
    return STOP_LR if STOP_LR < 0.9 * bound else float(f"{bound / 2:.2g}")


def stop_limit(days: int) -> int:
    """The stopping rule's iterations at most, on this many days."""
    return min(STOP_LIMIT, max(10_000, STOP_BUDGET // max(days, 1)))


PLURAL = {"on its way": "on their way", "oscillates": "oscillate"}
CHANGE = 1e-6  # the rule learners reach for first: stop when the loss falls by less than this part of itself


@dataclass(frozen=True)
class Rate:
    """One rate of the sweep: its multiple of the bound, the lr, and its walk."""

    factor: float
    lr: float
    track: Track


@dataclass(frozen=True)
class Stopping:
    """When to stop (step 13): the tracer's own loop with the learner's gradient, and their train_until."""

    mine: bool
    # the first iteration where the gradient's length fell below the tolerance
    length: int | None = None
    line: list[float] | None = None
    squared: int | None = None  # the same for its square (a usual slip)
    change: int | None = None  # where the loss first fell by less than CHANGE of itself
    change_line: list[float] | None = None
    count: int | None = None  # what train_until returned
    raised: str = ""
    call: str = ""
    # the rate it ran at: the article's, or half the safe bound where that is past it
    lr: float = 0.001
    needed: float | None = (
        None  # set when not run: about how many iterations the theory says it would take
    )


@dataclass(frozen=True)
class Swept:
    """The sweep's result."""

    bound: float
    iterations: int
    rates: list[Rate]
    stopping: Stopping | None


def check_closed_form(code: Code, X: list[float], Y: list[float]) -> list[str]:
    """The learner's least_squares (step 12) against the tracer's closed form."""
    if not code.mine:
        return []
    best = closed_form(X, Y)
    w, b = code["step12_least_squares"](X, Y)
    if close(w, best[0], 1e-6) and close(b, best[1], 1e-6):
        return []
    return [
        f"your least_squares gives w = {w:.6g}, b = {b:.6g}, but the closed form from the data is w = {best[0]:.6g}, "
        f"b = {best[1]:.6g}: check {file('step12_least_squares')}"
    ]


class Sweep(Story):
    title = "The learning-rate sweep"
    about = "train() at rates on both sides of the safe bound, from w = b = 0, then when to stop"
    takes = frozenset({"iterations", "data"})
    instead = {
        "lr": "sweeps the learning rates itself, from the data's safe bound",
        "start": "starts at w = b = 0",
    }
    defaults = {"iterations": 2000}
    most = {"iterations": FACTS.iterations}
    sends = Swept

    def work(self, days: int) -> float:
        # every rate twice (the walk and the learner's train), then the stopping rule's run, at its longest
        return 0.5e-6 * days * (2 * len(FACTORS) * self.iterations + stop_limit(days))

    def details(self, data: Dataset | None) -> str:
        from kata.core.look import counted

        return f"{self.on_data(data)}, {counted(self.iterations, 'iteration')} each."

    def screen(
        self, run: Run, result: Swept, data: Dataset | None, settings: Settings
    ) -> list[RenderableType]:
        from kata.core.look import counted
        from kata.trace.assess import State, assess
        from kata.trace.plots import Curves, NumberTable, sci
        from kata.trace.text import Words, exact, num
        from kata.trace.verdicts import blames, cause, walk_words

        assert data is not None
        valley = data.valley
        if result.stopping is not None:
            # before the verdict: a wrong step 13 takes its tick away
            stopping_notes(run, result.stopping)
        judged = [(r, assess(valley, r.track)) for r in result.rates]
        start = valley.loss((0.0, 0.0))
        rows = []
        for r, a in judged:
            final = valley.loss(a.end)
            rows.append(
                [
                    exact(r.lr),
                    f"{r.factor:g}",
                    sci(final),
                    a.state.value,
                ]
            )
        table = NumberTable(["lr", ("× bound", "x bound"), "final loss", "state"], rows)
        finals = [
            (r.lr, min(valley.loss(a.end) - valley.floor, start - valley.floor)) for r, a in judged
        ]
        cliff = Curves(
            [("loss above its floor at the end, clipped at the start's", finals)],
            f"after {counted(result.iterations, 'iteration')}, against lr",
            "log10 lr",
            log_x=True,
            wall=(result.bound, f"2/λmax = {result.bound:.3g}"),
        )
        overlaid = [
            (
                f"lr {exact(r.lr)}",
                [(i, v - valley.floor) for i, v in r.track.losses if v - valley.floor > 0],
            )
            for r, a in judged
            if r.factor in OVERLAID and a.state is not State.DIVERGED
        ]
        lines = Curves(
            overlaid, "loss above its floor over the iterations (log scale)", "iteration"
        )
        text = Words()
        faulty = cause(run, text)
        blamed = faulty and blames(run)
        if not faulty:
            text.mark(("✓ ", "OK "), style="bold")
        # compared only when the learner's code runs and nothing before it is wrong (else the cause is named)
        agreed = (
            " Your train() walked every rate as the tracer did."
            if run.mine and not run.problems
            else ""
        )
        text.append(
            f"The safe bound from {data.name}: lr < 2/λmax = 2/{valley.steepest:.4g} = {result.bound:.3g} (λmax, the "
            f"loss's steepest curvature).{agreed} "
        )
        text.append(sweep_words(judged, result.bound, valley.floor))
        pieces: list[RenderableType] = [table, cliff, lines, text]
        for r, a in judged:  # the walk just past the bound, in the words every walk gets
            if r.factor > 1 and a.state is State.DIVERGED:
                said = Words(f"At lr {exact(r.lr)}: ")
                walk_words(a, said, blamed, advise=False, faulty=faulty)
                pieces.append(said)
                break
        if result.stopping is not None:
            pieces.append(stopping_words(result.stopping, data, num))
        return pieces

    @classmethod
    def compute(cls, job: Job) -> None:
        code, X, Y, valley, request = job.code, job.X, job.Y, job.park, job.request
        problems = job.park_problems() + check_closed_form(code, X, Y)
        job.problems(problems)
        gradient, measure = code["step08_gradient"], gauge(valley)
        bound, iterations = valley.safe_rate(), request.iterations
        rates = []
        for factor in FACTORS:
            lr = float(f"{bound * factor:.3g}")  # a rate a learner could type
            losses: list[float] = []

            def loss(point: Any, losses: list[float] = losses) -> float:
                value = measure(point)[1]
                losses.append(value)
                return value

            walked = walk(plain(gradient, X, Y, lr), valley, (0.0, 0.0), lr, iterations, loss=loss)
            track = walked.track()
            rates.append(Rate(factor, lr, track))
            # alive: the watchdog counts time per rate, not per sweep
            job.phase(file("step09_train"))
            if job.mine and not problems and track.blew is None:
                said = train_against(code, X, Y, iterations, lr, losses[:iterations], track.end)
                if said:
                    problems = [said]
                    job.problems(problems)
        stopping = when_to_stop(job, code, X, Y) if not problems else None
        job.result(Swept(bound, iterations, rates, stopping))


def train_against(
    code: Code,
    X: list[float],
    Y: list[float],
    iterations: int,
    lr: float,
    losses: list[float],
    end: Any,
) -> str:
    """The learner's train (step 9) against the tracer's walk at one rate: '' when they agree."""
    call = f"train(X, Y, {iterations}, {lr:g})"
    try:
        result = code["step09_train"](X, Y, iterations, lr)
    except OverflowError:
        return ""
    agrees, said = against_walk("step09_train", call, result, losses, end, f"the walk at lr {lr:g}")
    return "" if agrees else said


def sweep_words(judged: list[tuple[Rate, Any]], bound: float, floor: float) -> str:
    """What the sweep showed, from the walks' states: how many rates converged, were on their way or diverged, and
    where the lowest loss came."""
    from kata.trace.assess import State
    from kata.trace.text import exact, join_words, num

    by_state: dict[Any, list[Rate]] = {}
    for r, a in judged:
        by_state.setdefault(a.state, []).append(r)
    parts = [
        f"{len(rates)} {state.value if len(rates) == 1 else PLURAL.get(state.value, state.value)}"
        + f" ({exact(min(r.lr for r in rates))} to {exact(max(r.lr for r in rates))})"
        for state, rates in by_state.items()
    ]
    said = f"Of the {len(judged)} rates, {join_words(parts)}. "
    below = [(r, a) for r, a in judged if r.lr < bound]
    above = [(r, a) for r, a in judged if r.lr > bound]
    if below and all(a.state is not State.DIVERGED for _, a in below):
        said += "Every rate below the bound came closer to the minimum"
        said += (
            "; every rate above it diverged. "
            if above and all(a.state is State.DIVERGED for _, a in above)
            else ". "
        )
    alive = [(r, a) for r, a in judged if a.state is not State.DIVERGED]
    if alive:
        r, a = min(alive, key=lambda pair: pair[1].excess)
        highest = max(r2.lr for r2, _ in alive)
        edge = (
            ", the largest rate that did not diverge: just below the cliff"
            if r.lr == highest
            else ""
        )
        said += (
            f"The lowest loss, {num(a.valley.loss(a.end))} ({num(a.excess)} above the floor {num(floor)}), came at lr "
            f"{exact(r.lr)}{edge}."
        )
    return said


def own_stops(job: Job, gradient: Any, X: list[float], Y: list[float], lr: float) -> dict[str, Any]:
    """The tracer's own loop with the learner's gradient: where the gradient's length, its square, and the loss's
    relative change first fall below their tolerances."""
    w = b = 0.0
    found: dict[str, Any] = {}
    previous = math.inf
    for i in range(stop_limit(len(X)) + 1):
        gw, gb = gradient(X, Y, w, b)
        length, loss = math.hypot(gw, gb), mse(X, Y, w, b)
        if not math.isfinite(length + loss):  # the walk left float range: it will not stop
            return found
        if "squared" not in found and length * length < STOP_TOLERANCE:
            found["squared"] = i
        if "change" not in found and previous - loss < CHANGE * loss:
            found["change"], found["change_line"] = i, [w, b]
        if length < STOP_TOLERANCE:
            found["length"], found["line"] = i, [w, b]
            return found
        if i % 20000 == 19999:  # kata: not the article's (a word to the parent every so often)
            job.phase(file("step08_gradient"))
        previous = loss
        w, b = w - lr * gw, b - lr * gb
    return found


def when_to_stop(job: Job, code: Code, X: list[float], Y: list[float]) -> Stopping:
    """train_until (step 13): the learner's when written (else the reference's) against the tracer's own loop."""
    found = learner("step13_stopping") if code.mine else None
    function = found[1] if found else load_function(step_by_stem("step13_stopping"), "solutions")
    job.phase(file("step13_stopping") if found else "kata/solutions")
    valley, most = job.park, stop_limit(len(X))
    lr = stop_rate(valley.safe_rate())
    # the gradient along the valley's floor shrinks by |1 − lr·λmin| a step: where that needs far more iterations
    # than the limit, the loop is not run (it would only run out the clock), and the estimate is said instead
    along = abs(valley.curvatures[-1] * valley.components((0.0, 0.0))[-1])
    needed = steps_to(along, abs(1 - lr * valley.curvatures[-1]), STOP_TOLERANCE)
    if needed > 2 * most:
        return Stopping(found is not None, lr=lr, needed=needed)
    own = own_stops(job, code["step08_gradient"], X, Y, lr)
    call = f"train_until(X, Y, {lr:g}, {STOP_TOLERANCE:g}, {most})"
    count, raised = None, ""
    # where the gradient never got short enough there is nothing to compare with, and the call would run silent to
    # its limit: it is not made
    if own.get("length") is not None:
        try:
            answer = function(X, Y, lr, STOP_TOLERANCE, most)
            count = int(answer[2])
        except (TypeError, ValueError, IndexError):
            raise LearnerCodeError(
                f"{file('step13_stopping')}: {call} returned {str(answer)[:80]}, not (w, b, iterations)."
            ) from None
        except Exception as error:  # learner code: a note, not the end of the story
            raised = f"{type(error).__name__}: {error}"
    return Stopping(
        found is not None,
        own.get("length"),
        own.get("line"),
        own.get("squared"),
        own.get("change"),
        own.get("change_line"),
        count,
        raised,
        call,
        lr,
    )


def stopping_notes(run: Run, said: Stopping) -> None:
    """The learner's train_until against the tracer's own loop: a note either way (the reference's: none)."""
    from kata.trace.checking import number_of

    where = file("step13_stopping")
    if not said.mine or said.length is None:
        return
    if said.raised:
        run.notes.append(
            (
                False,
                f"your {said.call} raised {said.raised}, but the gradient's length falls below "
                f"{STOP_TOLERANCE:g} after {said.length} iterations: check {where}",
            )
        )
    elif said.count != said.length:
        squared = (
            " (that is where the squared length ∂w² + ∂b² falls below it: take its square root, math.hypot)"
            if said.count == said.squared
            else ""
        )
        run.notes.append(
            (
                False,
                f"your {said.call} stopped after {said.count} iterations; the gradient's length first "
                f"falls below {STOP_TOLERANCE:g} after {said.length}{squared}: check {where}",
            )
        )
    else:
        run.notes.append(
            (
                True,
                f"your train_until() (step {number_of('train_until')}) stops where the gradient's length first falls "
                f"below {STOP_TOLERANCE:g}: after {said.count} iterations.",
            )
        )


def stopping_words(said: Stopping, data: Dataset, num: Any) -> Any:
    """When to stop: the gradient's length against the loss's relative change, in visitors at 33 °C."""
    from rich.text import Text

    from kata.trace.checking import number_of
    from kata.trace.text import apart, exact, power, spaced

    valley, at = data.valley, FACTS.temperature
    best = valley.best[0] * at + valley.best[1]
    text = Text()
    rate = (
        exact(said.lr)
        if said.lr == STOP_LR
        else f"{exact(said.lr)} (half the safe bound {valley.safe_rate():.3g}: the article's {exact(STOP_LR)} is past "
        "it on this data)"
    )
    if said.needed is not None:
        keeps = 1 - said.lr * valley.gentlest
        when = (
            f"would fall below {STOP_TOLERANCE:g} only after about {said.needed:.2g} iterations (along the valley's floor it keeps 1 − lr·λmin = "
            f"{apart(keeps, 1.0, 6)} of itself a step), more than the {spaced(stop_limit(len(data.X)))} the tracer "
            "runs: not run."
            if math.isfinite(said.needed) and keeps < 1
            else f"would never fall below {STOP_TOLERANCE:g}: along the valley's floor 1 − lr·λmin is 1 to a float, "
            "so it keeps all of itself each step. Not run."
        )
        text.append(f"When to stop: at lr {rate} the gradient's length {when}")
        return text
    if said.length is None or said.line is None:
        text.append(
            f"When to stop: at lr {rate} the gradient's length stayed above {STOP_TOLERANCE:g} for "
            f"{spaced(stop_limit(len(data.X)))} iterations."
        )
        return text
    w, b = said.line
    answer = w * at + b
    text.append(
        f"When to stop (step {number_of('train_until')}): at lr {rate} the gradient's length falls below "
        f"{STOP_TOLERANCE:g} after {spaced(said.length)} iterations, at {answer:.0f} {FACTS.unit} at {at:g} °C: "
        f"{num(abs(answer - best))} {FACTS.unit} from the closed form's {best:.0f}. (A gradient that short keeps the line within "
        f"tolerance/λmin = {STOP_TOLERANCE:g}/{valley.gentlest:.3g} = {STOP_TOLERANCE / valley.gentlest:.3g} of the "
        f"minimum, w and b together.) "
    )
    if said.change is not None and said.change_line is not None and said.change < said.length:
        cw, cb = said.change_line
        early = cw * at + cb
        text.append(
            f"Stopping when the loss falls by less than {power(CHANGE)} of itself would have stopped at iteration "
            f"{spaced(said.change)}: {early:.0f} {FACTS.unit}, {abs(early - best):.0f} short of the closed form's: "
            "on the valley's nearly flat floor the loss hardly changes long before the bottom."
        )
    return text


STORY = Sweep
