"""Checks the tracer's child makes of the learner's functions, for every story: a slope against a finite difference
of the learner's own loss at seeded random points (named in words: uphill, half, twice), lists of numbers that
agree, and the learner's other steps against the walk the story draws. Runs in the child: no rich."""

from __future__ import annotations

import math
import os
import random
import sys
from collections.abc import Callable, Sequence
from typing import Any

from kata.core.loading import StepNotLoaded, load_function
from kata.core.registry import FACTS, Step, step_by_stem, step_named
from kata.trace.maths import close, mse, parting, relative_error
from kata.trace.probes import Code, LearnerCodeError, is_written

POINTS = 4  # seeded random points at which a gradient is checked, besides w = b = 0
AGREE = 1e-6  # two runs of the same walk agree to this part of their size (summation order aside)


def file(stem: str) -> str:
    """The learner's file for a step, named by its stem."""
    return step_by_stem(stem).learner_file


def learner(stem: str) -> tuple[Step, Callable[..., Any]] | None:
    """The learner's function for a step (named by its stem) when it is written; else None."""
    step = step_by_stem(stem)
    try:
        function = load_function(step, "steps")
    except StepNotLoaded:
        return None
    if not is_written(step, function):
        return None
    return step, function


def ratio_words(got: float, numeric: float, of: str) -> str:
    """Name how a slope differs from the finite difference: the sign, a factor 2, or just the numbers."""
    if numeric != 0 and close(got / numeric, -1, 1e-3):
        return "your gradient points uphill"
    if numeric != 0 and close(got / numeric, 0.5, 1e-3):
        return f"your gradient is half the slope of your {of}"
    if numeric != 0 and close(got / numeric, 2, 1e-3):
        return f"your gradient is twice the slope of your {of}"
    return f"your gradient disagrees with the slope of your {of}"


def slope_problem(
    names: tuple[str, ...],
    got: Sequence[float],
    numeric: Sequence[float],
    where: str,
    of: str,
    file: str,
    tolerance: float = 1e-4,
    source: str = "",
    rounding: Sequence[float] = (),
) -> str | None:
    """One line when the traced gradient disagrees with a central finite difference of the traced loss, per
    component, with the relative error of each that parts. `rounding` bounds each difference's own error (the
    loss's rounding divided by h): a part no larger than that is no evidence, so it is not called wrong."""
    bounds = list(rounding) or [0.0] * len(got)
    wrong = [
        i
        for i in range(len(got))
        if not close(got[i], numeric[i], tolerance)
        and not abs(got[i] - numeric[i]) <= bounds[i]  # a NaN or an infinite bound proves nothing
    ]
    if not wrong:
        return None
    words = {ratio_words(got[i], numeric[i], of) for i in wrong}
    said = (
        words.pop() if len(words) == 1 else f"your gradient disagrees with the slope of your {of}"
    )
    parts = ", ".join(
        f"{names[i]} = {got[i]:.6g} where {source or f'a finite difference of your {of}'} gives {numeric[i]:.6g}, relative "
        f"error {relative_error(got[i], numeric[i]):.1e}"
        for i in wrong
    )
    hint = (
        "check the sign"
        if "uphill" in said
        else "check the factor 2"
        if "half" in said or "twice" in said
        else "check"
    )
    return f"{said} at {where} ({parts}): {hint} {'in ' if hint != 'check' else ''}{file}"


def rounding(loss_values: Sequence[float], days: int, h: float) -> float:
    """How far a central difference (a − b) / 2h can be off from rounding alone: each loss is a sum of `days`
    squares, good to about (days + 2)·eps of its size, so the difference is good to that over h (inf when a loss is
    not finite: nothing can be said)."""
    size = max((abs(v) for v in loss_values), default=0.0)
    if not math.isfinite(size) or h <= 0:
        return math.inf
    return (days + 2) * sys.float_info.epsilon * size / h


def nudges(X: Sequence[float], Y: Sequence[float], w: float, b: float) -> tuple[float, float]:
    """The nudges of w and b for a central difference, scaled to the data: a thousandth of the size that moves the
    line as far as the visitors lie (the loss is a parabola in each knob, so a central difference has no error but
    rounding, and a nudge too small for the data's size would be all rounding)."""
    reach_y = max((abs(y) for y in Y), default=0.0)
    reach_x = max((abs(x) for x in X), default=0.0)
    scale_w = max(abs(w), reach_y / reach_x if reach_x else 0.0)
    scale_b = max(abs(b), reach_y)
    return (1e-3 * scale_w or 1e-3, 1e-3 * scale_b or 1e-3)


def central(
    loss: Callable[..., float], X: list[float], Y: list[float], w: float, b: float, h: float
) -> tuple[float, float]:
    """Central differences of a loss of (w, b) on the data, each knob nudged by h (relative to its size)."""
    hw, hb = h * max(1.0, abs(w)), h * max(1.0, abs(b))
    return (
        (loss(X, Y, w + hw, b) - loss(X, Y, w - hw, b)) / (2 * hw),
        (loss(X, Y, w, b + hb) - loss(X, Y, w, b - hb)) / (2 * hb),
    )


def check_points(
    best: Sequence[float], rng: random.Random, count: int = POINTS
) -> list[tuple[float, float]]:
    """Where a gradient is checked: w = b = 0 (the walks' start), then seeded random lines around the minimum,
    as far out again, with b away from 0 (a b left out of the errors shows only there)."""
    points = [(0.0, 0.0)]
    reach = [2 * max(abs(v), 1.0) for v in best]
    for _ in range(count):
        w = round(best[0] + rng.uniform(-reach[0], reach[0]), 3)
        b = round(best[1] + rng.uniform(-reach[1], reach[1]), 3) or 1.0
        points.append((w, b))
    return points


def check_parabola(code: Code, start: float, lr: float) -> list[str]:
    """Check f′ against f and step against x − lr·f′, at the start (and one further on, in case the start is x = 3)."""
    f, gradient, step = code["step01_parabola"], code["step02_gradient"], code["step03_step"]
    file1, file2, file3 = (
        file(stem) for stem in ("step01_parabola", "step02_gradient", "step03_step")
    )
    # the curve first: a gradient can only match the f it is the slope of
    for x in (start, start + 1.0):
        if not close(f(x), (x - 3) ** 2 + 2, 1e-9):
            return [
                f"your f({x:g}) is {f(x):.6g}, but (x − 3)² + 2 is {(x - 3) ** 2 + 2:.6g} there: "
                f"check {file1}"
            ]
    for x in (start, start + 1.0):
        h = 1e-4 * max(1.0, abs(x))
        numeric = (f(x + h) - f(x - h)) / (2 * h)
        said = slope_problem(("f′(x)",), (gradient(x),), (numeric,), f"x = {x:g}", "f", file2)
        if said:
            return [said]
    slope = gradient(start)
    got, wanted = step(start, lr), start - lr * slope
    if close(got, wanted, 1e-9):
        return []
    if slope and close(got, start + lr * slope, 1e-9):
        return [
            f"your step() goes uphill: step({start:g}, {lr:g}) returned {got:.6g}, which is x + lr·f′(x); "
            f"downhill is x − lr·f′(x) = {wanted:.6g}: check the sign in {file3}"
        ]
    return [
        f"your step({start:g}, {lr:g}) returned {got:.6g}, but x − lr·f′(x) is {wanted:.6g}: check {file3}"
    ]


def check_line(code: Code, X: list[float], Y: list[float]) -> list[str]:
    """The learner's predict (step 6), then loss (step 7) against the line and the mean squared error."""
    predict, loss = code["step06_predict"], code["step07_loss"]
    got = predict(X, 2.0, 1.0)
    parted = parting(got, [2.0 * x + 1.0 for x in X], AGREE)
    # the line first, then the loss built on it, then the slopes of that loss
    if parted is not None:
        shown = f"{got[parted]:.6g}" if parted < len(got) else "nothing"
        return [
            f"your predict(X, 2, 1) gives {shown} for x = {X[parted]:g}, but 2·x + 1 is {2 * X[parted] + 1:.6g}: "
            f"check {file('step06_predict')}"
        ]
    for w, b in ((1.0, 0.0), (2.0, 1.0)):
        if not close(loss(X, Y, w, b), mse(X, Y, w, b), 1e-9):
            return [
                f"your loss(X, Y, {w:g}, {b:g}) is {loss(X, Y, w, b):.6g}, but the mean squared error there is "
                f"{mse(X, Y, w, b):.6g}: check {file('step07_loss')}"
            ]
    return []


def check_gradient(
    code: Code, X: list[float], Y: list[float], points: Sequence[tuple[float, float]]
) -> list[str]:
    """The learner's gradient (step 8) against central differences of their loss, at each point, per component."""
    loss, gradient = code["step07_loss"], code["step08_gradient"]
    for w, b in points:
        hw, hb = nudges(X, Y, w, b)
        ends = [
            loss(X, Y, w + hw, b),
            loss(X, Y, w - hw, b),
            loss(X, Y, w, b + hb),
            loss(X, Y, w, b - hb),
        ]
        said = slope_problem(
            ("∂w", "∂b"),
            tuple(gradient(X, Y, w, b)),
            ((ends[0] - ends[1]) / (2 * hw), (ends[2] - ends[3]) / (2 * hb)),
            f"w = {w:g}, b = {b:g}",
            "loss",
            file("step08_gradient"),
            rounding=(rounding(ends[:2], len(X), hw), rounding(ends[2:], len(X), hb)),
        )
        if said:
            return [said]
    return []


def check_park(
    code: Code, X: list[float], Y: list[float], best: Sequence[float], rng: random.Random
) -> list[str]:
    """The learner's line, loss and gradient: the first that is wrong, named with its file (the reference: none)."""
    if not code.mine:
        return []
    return check_line(code, X, Y) or check_gradient(code, X, Y, check_points(best, rng))


def read_with_learner_load(
    note: Callable[[bool, str], None],
    phase: Callable[[str], None],
    data: str,
    header: bool,
    X: list[float],
    Y: list[float],
) -> bool:
    """Read the data with the learner's load() (step 5) when written, and say whether it read what the kata read;
    False when it did not (raised or read other days), so that the steps built on it are not blamed for it."""
    found = learner("step05_load")
    if not found or not data:
        return True
    step, load = found
    name = os.path.basename(data)
    shown = "".join(c if c.isprintable() else repr(c)[1:-1] for c in name)
    if not header:
        note(
            True,
            f"{shown} has no header line, so your load() (step {step.number}), which skips the first line as the "
            "step asks, would lose a day: the tracer read the file itself.",
        )
        return True
    phase(step.learner_file)
    try:
        theirs = load(data)
        got_X, got_Y = [float(x) for x in theirs[0]], [float(y) for y in theirs[1]]
    except Exception as error:  # learner code
        note(
            False,
            f"your load() raised {type(error).__name__}: {error} ({step.learner_file}); the tracer read {shown} itself.",
        )
        return False
    if parting(got_X, X, AGREE) is None and parting(got_Y, Y, AGREE) is None:
        note(
            True,
            f"The data: {shown} as read by your load() (step {step.number}), {len(got_X)} days.",
        )
        return True
    else:
        note(
            False,
            f"your load() read {len(got_X)} days from {shown} where there are {len(X)}, or other numbers: "
            f"check {step.learner_file}; the tracer used its own reading.",
        )
    return False


def check_descend(
    note: Callable[[bool, str], None],
    phase: Callable[[str], None],
    start: float,
    lr: float,
    path: list[float],
) -> None:
    """Run the learner's descend() (step 4) for the steps drawn and say whether it agrees."""
    found = learner("step04_descend")
    if not found or len(path) < 2:
        return
    step, descend = found
    phase(step.learner_file)
    count = len(path) - 1
    try:
        positions = [float(p) for p in descend(start, lr, count)]
    except Exception as error:  # learner code
        note(
            False,
            f"your descend({start:g}, {lr:g}, {count}) raised {type(error).__name__}: {error} ({step.learner_file})",
        )
        return
    parted = parting(positions, path, AGREE)
    if parted is None:
        note(
            True,
            f"your descend() (step {step.number}) agrees with the {count} step{'' if count == 1 else 's'} drawn.",
        )
    elif len(positions) != len(path):
        note(
            False,
            f"your descend({start:g}, {lr:g}, {count}) returned {len(positions)} positions, not {count + 1} "
            f"(the start, then one per step): check {step.learner_file}",
        )
    else:
        note(
            False,
            f"your descend() parts from the steps drawn at position {parted}: {positions[parted]:.6g} "
            f"where the steps drawn are at {path[parted]:.6g}: check {step.learner_file}",
        )


def triple(result: Any, stem: str, call: str) -> tuple[float, float, list[float]]:
    """Check a (w, b, losses) answer and return it as floats; a wrong kind raises LearnerCodeError naming the file."""
    try:
        w, b, losses = result
        return float(w), float(b), [float(v) for v in losses]
    except (TypeError, ValueError):
        raise LearnerCodeError(
            f"{file(stem)} (step {step_by_stem(stem).number}): {call} returned {str(result)[:80]}, "
            "not (w, b, losses). Is a `return` missing?"
        ) from None


def against_walk(
    stem: str,
    call: str,
    result: Any,
    losses: Sequence[float],
    end: Sequence[float],
    what: str = "the steps drawn",
) -> tuple[bool, str]:
    """A (w, b, losses) answer of the learner's against a walk: its losses (before each step) and where it ended.
    Returns (agrees, the words)."""
    step = step_by_stem(stem)
    w, b, theirs = triple(result, stem, call)
    parted = parting(theirs, losses, AGREE)
    if parted is not None and len(theirs) != len(losses):
        return False, (
            f"your {call} returned {len(theirs)} loss{'' if len(theirs) == 1 else 'es'}, not one per iteration "
            f"({len(losses)}): "
            f"check {step.learner_file}"
        )
    if parted is not None:
        return False, (
            f"your {step.function}() parts from {what} at iteration {parted + 1}: its loss {theirs[parted]:.6g}, "
            f"{what} {losses[parted]:.6g}: check {step.learner_file}"
        )
    if not (close(w, end[0], AGREE) and close(b, end[1], AGREE)):
        return False, (
            f"your {step.function}() ends at w = {w:.6g}, b = {b:.6g}; {what} reach w = {end[0]:.6g}, "
            f"b = {end[1]:.6g}: check what it returns in {step.learner_file}"
        )
    return True, ""


def check_forecast(
    note: Callable[[bool, str], None],
    phase: Callable[[str], None],
    data: str,
    line: Sequence[float],
) -> None:
    """Run the learner's forecast(33) (step 10) and compare it with the line drawn (the article's run only)."""
    found = learner("step10_forecast")
    if not found:
        return
    step, forecast = found
    phase(step.learner_file)
    drawn = FACTS.temperature * line[0] + line[1]
    try:
        said = float(forecast(FACTS.temperature, data))
    except Exception as error:  # learner code
        note(
            False,
            f"your forecast({FACTS.temperature:g}) raised {type(error).__name__}: {error} ({step.learner_file})",
        )
        return
    if close(said, drawn, AGREE):
        note(
            True,
            f"your forecast({FACTS.temperature:g}) (step {step.number}) says {said:.0f}, as the line drawn does.",
        )
    else:
        note(
            False,
            f"your forecast({FACTS.temperature:g}) says {said:.6g}; the line drawn says {drawn:.6g}: check {step.learner_file}",
        )


def number_of(function: str, story: str | None = None) -> int:
    """A step's number, by its function's name (and story, where two share one)."""
    return step_named(function, story).number
