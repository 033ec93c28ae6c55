"""The one place where the tracer's verdicts are put into words: chosen from an assessment (kata/trace/assess.py),
never from which story or flag is running, so that the same walk gets the same words in every story.

The cause comes first: when the learner's code disagrees with itself, fails its tests, or parts from the run,
that is named (✗, with the file) and the walk's state follows without blaming the learning rate.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from rich.console import RenderableType

from kata.core.registry import FACTS, step_by_stem
from kata.trace.assess import Assessment, State
from kata.trace.maths import EXPLODED, TOLERANCE, answer
from kata.trace.text import (
    CROSS,
    ONWARD,
    SWINGS,
    TICK,
    Symbol,
    Words,
    apart,
    exact,
    join_words,
    num,
    power,
    spaced,
    steps,
)

HEADLINES: dict[State, tuple[Symbol, str, str]] = {
    State.CONVERGED: (TICK, "CONVERGED", "bold green"),
    State.ON_ITS_WAY: (ONWARD, "ON ITS WAY", "bold"),
    State.OSCILLATES: (SWINGS, "OSCILLATES", "bold yellow"),
    State.DIVERGED: (CROSS, "DIVERGED", "bold red"),
}


class Record(Protocol):
    """What a story's record says about the learner's code (a Run)."""

    problems: list[str]
    red: list[str]
    notes: list[tuple[bool, str]]


@dataclass(frozen=True)
class Answer:
    """The question a line answers: its prediction at `at` (33 °C), in `unit`, and the days the data covers."""

    at: float
    unit: str
    low: float
    high: float

    def of(self, line: Sequence[float]) -> float:
        """The line's answer."""
        return answer(line, self.at)

    def outside(self) -> str:
        """A sentence when the question lies outside the data: the line is stretched past it."""
        if self.low <= self.at <= self.high:
            return ""
        return (
            f" {self.at:g} °C lies outside the days measured ({self.low:g}{' to ' if self.low < 0 else '–'}"
            f"{self.high:g} °C): the line is "
            "stretched past the data."
        )

    def said(self, line: Sequence[float]) -> str:
        """The answer as a learner reads it: 543, or 0.4 when it is small."""
        value = self.of(line)
        return f"{value:.0f}" if abs(value) >= 10 or not math.isfinite(value) else num(value)


def park_answer(X: Sequence[float]) -> Answer:
    """The park's question, for a verdict: visitors at 33 °C (from the content), and the days the data covers."""
    return Answer(FACTS.temperature, FACTS.unit, min(X), max(X))


def cause(run: Record, text: Words) -> bool:
    """Name a problem in the learner's code before any symptom; True when there was one."""
    failed = [said for ok, said in run.notes if not ok]
    if not (run.problems or run.red or failed):
        return False
    if failed and not (run.problems or run.red):
        named = FILE.search(failed[0])
        text.mark(
            CROSS,
            f"Your {named[0] if named else 'other steps'} part{'s' if named else ''} from this run: see the last lines.",
            "bold red",
        )
    if run.problems:
        first = run.problems[0]
        text.mark(CROSS, first[0].upper() + first[1:] + ".", "bold red")
        for more in run.problems[1:]:
            text.append(f" Also: {more}.")
    if run.red:
        verb = "does" if len(run.red) == 1 else "do"
        said = (
            f"{join_words(run.red)} {verb} not pass {'its' if len(run.red) == 1 else 'their'} tests yet: "
            "run python -m kata to see which."
        )
        if run.problems:
            text.append("\n" + said, "bold")
        else:
            text.mark(CROSS, said, "bold red")
    text.append("\nWhat the run did with this code: ")
    return True


# the steps a walk on the park's data runs: the tracer's loop with the learner's line, loss and gradient
PARK_WALK = ("step06_predict", "step07_loss", "step08_gradient")
FILE = re.compile(r"steps/step\d\d_\w+\.py")
STEP = re.compile(r"\bstep ?(\d{1,2})\b|\bstep(\d\d)_")


def broken(run: Record) -> set[int] | None:
    """The numbers of the steps named wrong (red, a problem, a note that parts from the run); None when a problem
    names no step, so that no step can be ruled out."""
    numbers: set[int] = set()
    for said in [*run.red, *run.problems, *(said for ok, said in run.notes if not ok)]:
        found = {int(a or b) for a, b in STEP.findall(said)}
        if not found and said in run.problems:
            return None
        numbers |= found
    return numbers


def blames(run: Record, walk: Sequence[str] = PARK_WALK) -> bool:
    """True when a step the walk runs (named by its stem) is named wrong: only then is the walk's end put down to the
    code rather than the learning rate (a walk that runs none of the broken steps is judged as any walk)."""
    numbers = broken(run)
    return numbers is None or any(step_by_stem(stem).number in numbers for stem in walk)


def stopped(run: Any, text: Words) -> bool:
    """A run stopped before its end gets no verdict, only where it stood; True when so."""
    if not (run.stopped or run.interrupted) or not run.latest:
        return False
    where = ", ".join(f"{n} = {num(v)}" for n, v in zip(run.names, run.last))
    text.append(
        f"Stopped at step {run.count} of {run.iterations}: {where}, loss {num(run.final_loss)}. "
        "No verdict on a run cut short."
    )
    return True


def notes(run: Record) -> list[RenderableType]:
    """The learner's other steps, checked against the run: one line each; no tick beside code that is wrong elsewhere."""
    wrong = run.problems or run.red or any(not ok for ok, _ in run.notes)
    agreed: Symbol = ("· ", "· ") if wrong else TICK
    lines: list[RenderableType] = []
    for ok, said in run.notes:
        line = Words(style="" if ok else "bold")
        line.mark(agreed if ok else CROSS, said[0].upper() + said[1:])
        lines.append(line)
    return lines


def position(a: Assessment) -> str:
    """Where the walk ended: 'x = 3.0004' or 'w = 23.7901, b = -242.03'."""
    return ", ".join(f"{n} = {num(v)}" for n, v in zip(a.valley.names, a.end))


def curvature_name(a: Assessment, i: int = 0) -> str:
    """The name of direction i's curvature: f″ on the parabola, λmax and λmin on the park's valley."""
    if len(a.valley.curvatures) == 1:
        return "f″"
    return "λmax" if i == 0 else "λmin"


def where(a: Assessment, i: int) -> str:
    """Direction i in words, when the valley's directions are worth naming."""
    if not a.valley.narrow:
        return ""
    return "across the valley" if i == 0 else "along its floor"


def bound_words(a: Assessment, i: int = 0) -> str:
    """'2/f″ = 1' or '2/λmax = 2/1167 = 0.00171': the largest lr for direction i, from the data."""
    lam = a.valley.curvatures[i]
    if len(a.valley.curvatures) == 1:
        return f"2/f″ = {num(2 / lam)}"
    return f"2/{curvature_name(a, i)} = 2/{lam:.4g} = {apart(2 / lam, a.track.lr)}"


def keeps(a: Assessment, i: int) -> str:
    """How direction i moved over a step: 'keeps 0.8 of the distance', 'flips to the other side and keeps 0.996'."""
    rate = a.rate(i)
    flips = a.flips(i)
    moved = "jumps to the other side and keeps" if flips else "keeps"
    slow = (
        f" (it closes only {(1 - rate) * 100:.2g}% a step)"
        if 0.99 <= rate < 1 and not flips
        else ""
    )
    whole = "the distance" if len(a.valley.curvatures) == 1 else "its gap"
    return f"{moved} {exact(rate)} of {whole}{slow}"


def walk_words(
    a: Assessment,
    text: Words,
    blamed: bool,
    answer: Answer | None = None,
    advise: bool = True,
    faulty: bool = False,
) -> None:
    """The verdict on a walk, after the cause (if `blamed`: a step the walk runs is wrong): its state in a word and a
    symbol, where it is, and why. `advise=False` leaves out the "try --lr" advice, for a story that chooses its rates
    itself; `faulty` (code the walk does not run is wrong) takes the walk's symbol away, not its reasons."""
    symbol, label, style = HEADLINES[a.state]
    if blamed or faulty:  # the ✗ beside the cause is the verdict's one symbol
        text.append(f"{label}: ", style)
    else:
        text.mark(symbol, f"{label}: ", style)
    if a.state is State.DIVERGED:
        diverged(a, text, blamed, advise)
    elif a.state is State.CONVERGED:
        converged(a, text, answer)
    elif a.state is State.OSCILLATES:
        oscillates(a, text, blamed)
    else:
        on_its_way(a, text, blamed, answer)


def loss_of(a: Assessment) -> str:
    """The loss where the walk ended, named as the story names it."""
    name = "f(x)" if len(a.valley.curvatures) == 1 else "loss"
    return (
        f"{name} = {num(a.valley.loss(a.end))}"
        if name == "f(x)"
        else f"loss {num(a.valley.loss(a.end))}"
    )


def converged(a: Assessment, text: Words, answer: Answer | None) -> None:
    """Within the tolerance of the minimum: when, and what the line says."""
    track = a.track
    start = tuple(track.start)
    if track.steps == 0 or start == tuple(a.valley.best) or tuple(a.end) == start:
        text.append(
            f"{position(a)} is already the minimum: the slope there is 0, so no step moves it ({loss_of(a)})."
        )
        return
    if a.valley.reached(
        start
    ):  # near, not on it: the steps still move it, and the tolerance may be all there is
        best = ", ".join(f"{n} = {num(v)}" for n, v in zip(a.valley.names, a.valley.best))
        small = (
            f" ({power(TOLERANCE)} is more than the minimum's own size on this data: it cannot tell them apart)"
            if all(abs(v) < TOLERANCE for v in a.valley.best)
            else ""
        )
        text.append(
            f"the start {', '.join(f'{n} = {v:.8g}' for n, v in zip(a.valley.names, start))} already lies within "
            f"{power(TOLERANCE)} of the minimum {best}{small}; after {steps(track.steps)} {position(a)} "
            f"({loss_of(a)})."
        )
        return
    if track.reached == 1 and all(abs(f) < 1e-9 for f in a.theory) and track.beta == 0:
        lam = a.valley.curvatures[0]
        text.append(
            f"the first step landed exactly on the minimum {position(a)}: with lr = {exact(track.lr)} = 1/"
            f"{curvature_name(a) if len(a.valley.curvatures) == 1 else f'{lam:g}'}, lr times the slope is the whole "
            "distance, and every later step has slope 0 and stays."
        )
        return
    text.append(
        f"within {power(TOLERANCE)} of the minimum from step {spaced(track.reached or track.steps)} on; after "
        f"{steps(track.steps)} {position(a)} ({loss_of(a)})."
    )
    if answer:
        text.append(
            f" At {answer.at:g} °C: about {answer.said(a.end)} {answer.unit}, as the best line says."
            + answer.outside()
        )


def on_its_way(a: Assessment, text: Words, blamed: bool, answer: Answer | None) -> None:
    """Closer than it started, not there yet: how far, which direction holds what is left, and how long to go."""
    best = a.valley.best
    if answer:
        text.append(f"at {answer.at:g} °C about {answer.said(a.end)} {answer.unit}", "bold")
        gap = abs(answer.of(a.end) - answer.of(best))
        text.append(
            f" after {steps(a.track.steps)} ({position(a)}, {loss_of(a)}). The best line (closed form) says "
            f"{answer.said(best)}: {gap:.0f} {answer.unit} to go."
            if gap >= 0.5
            else f" after {steps(a.track.steps)} ({position(a)}, {loss_of(a)}). The best line (closed form) says "
            f"{answer.said(best)}: less than 1 to go ({num(gap)} {answer.unit}).",
        )
        text.append(answer.outside())
    else:
        distance = math.dist(a.end, best)
        text.append(
            f"after {steps(a.track.steps)} {position(a)} ({loss_of(a)}), {num(distance)} from the minimum "
            f"{', '.join(f'{n} = {num(v)}' for n, v in zip(a.valley.names, best))}."
        )
    if blamed:
        return
    to_go = a.to_go
    more = (
        f"about {spaced(math.ceil(to_go))} more steps would bring it within {power(TOLERANCE)}"
        if math.isfinite(to_go)
        else "at this rate it would not get there"
    )
    if len(a.valley.curvatures) == 1:
        overshoot = (
            f" (lr above 1/f″ = {num(0.5 * 2 / a.valley.curvatures[0])}: every step overshoots, yet each jump is "
            "shorter than the one before)"
            if (a.factors[0] or 0) < 0
            else ""
        )
        text.append(
            f" Each step {keeps(a, 0)} (1 − lr·f″ = {exact(1 - a.track.lr * a.valley.curvatures[0])}){overshoot}, so "
            f"{more}."
        )
        return
    if not a.valley.narrow:
        text.append(
            f" Every direction keeps {exact(a.rate(0))} of its gap a step: the valley is a round bowl. So {more}."
        )
        return
    steep, gentle = a.valley.curvatures
    beta = a.track.beta
    limit = (
        f"with beta {exact(beta)} the heavy ball is stable while lr < 2(1 + beta)/λmax = "
        f"{apart(a.valley.momentum_bound(beta), a.track.lr)}"
        if beta
        else f"lr {exact(a.track.lr)} must stay below {bound_words(a)} for the steep walls"
    )
    text.append(
        f"\nWhy: the loss is a long narrow valley: it curves {steep:.4g} across and only {gentle:.2g} along its floor "
        f"(a ratio near {ratio_words(a.valley.ratio)}); {limit}. "
    )
    clauses = [f"{where(a, i)} each step {keeps(a, i)}" for i in range(2)]
    if beta:
        clauses = [
            f"{where(a, i)} the heavy ball keeps {exact(a.rates[i])} of its gap a step"
            for i in range(2)
        ]
    text.append(f"{clauses[0][0].upper()}{clauses[0][1:]}; {clauses[1]}. ")
    main = a.main
    what = (
        "the zig-zag across the valley"
        if main == 0 and (a.zigzag[0] or (a.factors[0] or 0) < 0)
        else "across the valley"
        if main == 0
        else "the crawl along its floor"
    )
    text.append(
        f"Of the {num(a.excess)} excess loss left, {share(a, 0)} lies across the valley and {share(a, 1)} "
        f"along its floor: most of it is {what}"
    )
    if main == 0 and answer and a.zigzag[0]:
        text.append(", and the answer above is one moment of that swing")
    text.append(f"; {more}.")


def ratio_words(ratio: float) -> str:
    """A ratio to three figures: 12600, or 3.71e+298 (never three hundred digits)."""
    return f"{float(format(ratio, '.3g')):.0f}" if ratio < 1e7 else f"{ratio:.3g}"


def share(a: Assessment, i: int) -> str:
    """Direction i's part of the excess loss: a number, or next to nothing."""
    part = a.split[i]
    return num(part) if part >= 1e-9 * a.excess else f"next to nothing ({part:.1e})"


def oscillates(a: Assessment, text: Words, blamed: bool) -> None:
    """A direction swinging to the other side exactly as far each step."""
    i = a.main
    text.append(f"after {steps(a.track.steps)} {position(a)}: ")
    direction = where(a, i)
    start = a.track.start
    if len(start) == 1:
        mirror = 2 * a.valley.best[0] - start[0]
        text.append(
            f"each step jumps to the other side of {num(a.valley.best[0])} exactly as far, from {num(start[0])} to "
            f"{num(mirror)} and back (1 − lr·f″ = {exact(1 - a.track.lr * a.valley.curvatures[0])}): it gets "
            "neither closer nor further."
        )
    else:
        text.append(
            f"{direction + ', ' if direction else ''}each step lands on the other side exactly as far (factor "
            f"{exact(a.factors[i] or -1)}): neither closer nor further."
        )
    if not blamed:
        text.append(f" Below lr = {bound_words(a, i)} the jumps shrink.")


def diverged(a: Assessment, text: Words, blamed: bool, advise: bool = True) -> None:
    """Blew up or grew: where, which direction ran away and by how much a step, and the bound from the data."""
    track = a.track
    if track.blew is not None and not all(map(math.isfinite, track.tail[-1])):
        happened = f"the values went out of range at step {track.blew}"
    elif track.blew is not None:
        happened = f"the loss exploded at step {track.blew} (past {power(EXPLODED)} times where it started)"
    else:
        before, after = a.valley.loss(tuple(track.start)), a.valley.loss(a.end)
        rose = (
            (num(before), num(after))
            if num(before) != num(after)
            else (apart(before, after, 6), apart(after, before, 6))
        )
        happened = (
            f"the loss rose from {rose[0]} to {rose[1]} in {steps(track.steps)}"
            if rose[0] != rose[1]
            else f"the loss above its minimum {num(a.valley.floor)} rose from {a.valley.loss(tuple(track.start)) - a.valley.floor:.2g} "
            f"to {a.valley.loss(a.end) - a.valley.floor:.2g} in {steps(track.steps)}"
        )
    if blamed:
        text.append(f"{happened}. Fix the code above first: the learning rate is not the cause.")
        return
    i = a.main
    direction = where(a, i)
    factor = a.factors[i]
    flips = (factor is not None and factor < 0) or a.zigzag[i]
    grows = (
        f"{apart(abs(factor), 1.0)} times as far"
        if factor is not None and track.beta == 0
        else "further"
    )
    text.append(
        f"{happened}: {direction + ' ' if direction else ''}each step "
        f"{'jumped to the other side and ' if flips else ''}landed {grows}. "
    )
    lam = a.valley.curvatures[i]
    if track.beta:
        bound = a.valley.momentum_bound(track.beta)
        text.append(
            f"With beta {exact(track.beta)} the heavy ball is stable only while lr < 2·(1 + beta)/"
            f"{curvature_name(a, i)} = {apart(bound, track.lr)}{f'; try --lr {bound / 2:.2g}' if advise else ''}."
        )
        return
    limit = (
        ", the limit for the valley's steep walls (2 divided by the loss's steepest curvature, from the data)"
        if a.valley.narrow and i == 0
        else " (2 divided by the curvature)"
    )
    if track.lr > 2 / lam:
        text.append(
            f"The steps are too large: lr {exact(track.lr)} is above {bound_words(a, i)}{limit}"
            f"{f'; try --lr {1 / lam:.2g}' if advise else ''}."
        )
    else:
        text.append(
            f"lr {exact(track.lr)} is below {bound_words(a, i)}, so a right gradient would not grow here."
        )
