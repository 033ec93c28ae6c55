"""The tracer's child, act II: runs the learner's steps 11–17 (and those they build on) and sends one result each.

Called by kata/trace/child.py's run() for the stories check, sweep, scaling,
momentum and sgd. Each story checks the learner's code against the data first
(the cause before the symptom), then computes what the parent draws: only
numbers, sampled to the pictures' resolution, never the learner's objects.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from kata.core.registry import step_by_stem, step_named
from kata.trace.probes import Code, LearnerCodeError
from kata.trace.verdicts import learner, slope_problem

Emit = Callable[[dict[str, Any]], None]
POINTS = 240  # points per curve sent to the parent: more than a picture's columns of dots
SWEEP = (
    0.02,
    0.05,
    0.1,
    0.2,
    0.3,
    0.4,
    0.5,
    0.6,
    0.7,
    0.8,
    0.9,
    0.95,
    0.99,
    1.01,
    1.05,
    1.1,
    1.25,
)  # × the safe bound
OVERLAID = (0.1, 0.5, 0.99, 1.01)  # the rates whose loss curves are drawn, × the safe bound
FAR = 1e12  # |w| + |b| past this has run away: a walk stops there
STOP_LR, STOP_TOLERANCE, STOP_LIMIT = (
    0.001,
    0.01,
    1_000_000,
)  # the stopping rule's run: the article's lr
CHANGE = 1e-6  # the rule learners reach for first: stop when the loss falls by less than this part of itself
KEEP_ALL = 2000  # points of a walk kept one by one: the momentum check compares this many losses
ACROSS = 60  # iterations of the swing across the valley sent for the momentum story


def file(stem: str) -> str:
    """The learner's file for a step, named by its stem."""
    return step_by_stem(stem).learner_file


def mse(X: list[float], Y: list[float], w: float, b: float) -> float:
    """The tracer's own mean squared error: the oracle the learner's code is held to."""
    return math.fsum((w * x + b - y) ** 2 for x, y in zip(X, Y)) / len(X)


def exact_gradient(X: list[float], Y: list[float], w: float, b: float) -> tuple[float, float]:
    """The tracer's own slopes of the mean squared error, from the formula."""
    errors = [w * x + b - y for x, y in zip(X, Y)]
    return 2 * math.fsum(e * x for e, x in zip(errors, X)) / len(X), 2 * math.fsum(errors) / len(X)


def closed_form(X: list[float], Y: list[float]) -> tuple[float, float]:
    """The tracer's own least-squares line."""
    mean_x, mean_y = math.fsum(X) / len(X), math.fsum(Y) / len(Y)
    w = math.fsum((x - mean_x) * (y - mean_y) for x, y in zip(X, Y)) / math.fsum(
        (x - mean_x) ** 2 for x in X
    )
    return w, mean_y - w * mean_x


def close(a: float, b: float, tolerance: float = 1e-6) -> bool:
    """True when two numbers agree to within a small part of their size."""
    return abs(a - b) <= tolerance * max(abs(a), abs(b)) + 1e-12


def relative(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    """‖a − b‖ / max(‖a‖, ‖b‖): the relative error cs231n's gradient check reads."""
    size = max(math.hypot(*a), math.hypot(*b))
    return math.hypot(*(p - q for p, q in zip(a, b))) / size if size else 0.0


def thin(values: list[float], count: int = POINTS) -> list[list[float]]:
    """(index, value) pairs, at most `count` of them, evenly spread, the first and the last kept."""
    if len(values) <= count:
        return [[i, v] for i, v in enumerate(values)]
    picked = sorted({round(i * (len(values) - 1) / (count - 1)) for i in range(count)})
    return [[i, values[i]] for i in picked]


def finite(value: float) -> float | None:
    """A number JSON carries; None for inf and NaN (the parent says 'out of range')."""
    return value if math.isfinite(value) else None


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


def first_parting(a: list[float], b: list[float]) -> int | None:
    """The first index where two lists of losses part, or None when they agree."""
    for i, (x, y) in enumerate(zip(a, b)):
        if not (close(x, y) or x == y or (math.isnan(x) and math.isnan(y))):
            return i
    return None if len(a) == len(b) else min(len(a), len(b))


def check_loss(code: Code, X: list[float], Y: list[float]) -> list[str]:
    """The learner's loss (step 7) against the mean squared error, at two lines."""
    loss = code["step07_loss"]
    for w, b in ((1.0, 0.0), (2.0, 1.0)):
        if not close(loss(X, Y, w, b), mse(X, Y, w, b), 1e-9):
            return [
                f"your loss(X, Y, {w:g}, {b:g}) is {loss(X, Y, w, b):.6g}, but the mean squared error there is "
                f"{mse(X, Y, w, b):.6g}: check {file('step07_loss')}"
            ]
    return []


def check_gradient(code: Code, X: list[float], Y: list[float]) -> list[str]:
    """The learner's gradient (step 8) against the slopes of the mean squared error."""

    for w, b in ((0.0, 0.0), (1.0, 1.0)):
        said = slope_problem(
            ("∂w", "∂b"),
            tuple(code["step08_gradient"](X, Y, w, b)),
            exact_gradient(X, Y, w, b),
            f"w = {w:g}, b = {b:g}",
            "loss",
            file("step08_gradient"),
        )
        if said:
            return [said]
    return []


def causes(code: Code, X: list[float], Y: list[float]) -> list[str]:
    """The learner's loss, then their gradient: the first that is wrong, named with its file."""
    if not code.mine:
        return []
    return check_loss(code, X, Y) or check_gradient(code, X, Y)


def story_check(
    code: Code, X: list[float], Y: list[float], request: dict[str, Any], emit: Emit
) -> None:
    """Forward and central differences of the learner's loss against h, and the learner's gradient against them."""
    loss, gradient, numerical = (
        code["step07_loss"],
        code["step08_gradient"],
        code["step11_gradient_check"],
    )
    w, b = request.get("w", 0.0), request.get("b", 0.0)
    problems = check_loss(code, X, Y) if code.mine else []
    truth = exact_gradient(X, Y, w, b)
    rows = []
    for k in range(13):
        h = 10.0**-k
        at = loss(X, Y, w, b)
        forward = ((loss(X, Y, w + h, b) - at) / h, (loss(X, Y, w, b + h) - at) / h)
        central = tuple(numerical(X, Y, w, b, h))
        rows.append([h, relative(forward, truth), relative(central, truth)])
    h = request.get("h", 1e-4)
    theirs = tuple(numerical(X, Y, w, b, h))
    if code.mine and not problems:
        problems = check_numerical(code, X, Y, w, b)
    mine = tuple(gradient(X, Y, w, b))
    error = relative(mine, theirs)
    if code.mine and not problems and error > 1e-6:
        said = slope_problem(
            ("∂w", "∂b"), mine, theirs, f"w = {w:g}, b = {b:g}", "loss", file("step08_gradient")
        )
        problems = [
            (
                said
                or f"your gradient disagrees with your numerical_gradient at w = {w:g}, b = {b:g}: "
                f"check {file('step08_gradient')}"
            )
            + f" (relative error {error:.1e})"
        ]
    emit({"kind": "problems", "said": problems})
    emit(
        {
            "kind": "result",
            "rows": rows,
            "point": [w, b],
            "h": h,
            "gradient": list(mine),
            "numerical": list(theirs),
            "relative": error,
            "truth": list(truth),
        }
    )


def check_numerical(code: Code, X: list[float], Y: list[float], w: float, b: float) -> list[str]:
    """The learner's numerical_gradient (step 11) against central and forward differences of their loss."""
    loss, numerical = code["step07_loss"], code["step11_gradient_check"]
    h = 1e-3
    theirs = tuple(numerical(X, Y, w, b, h))
    central = (
        (loss(X, Y, w + h, b) - loss(X, Y, w - h, b)) / (2 * h),
        (loss(X, Y, w, b + h) - loss(X, Y, w, b - h)) / (2 * h),
    )
    if relative(theirs, central) <= 1e-6:
        return []
    at = loss(X, Y, w, b)
    forward = ((loss(X, Y, w + h, b) - at) / h, (loss(X, Y, w, b + h) - at) / h)
    if relative(theirs, forward) <= 1e-6:
        return [
            f"your numerical_gradient is a forward difference, (loss(w + h) − loss(w)) / h: its error falls only like h. "
            f"Central is (loss(w + h) − loss(w − h)) / 2h: check {file('step11_gradient_check')}"
        ]
    return [
        f"your numerical_gradient(X, Y, {w:g}, {b:g}, {h:g}) gives ({theirs[0]:.6g}, {theirs[1]:.6g}), but central differences "
        f"of your loss give ({central[0]:.6g}, {central[1]:.6g}): check {file('step11_gradient_check')}"
    ]


def safe_bound(X: list[float]) -> float:
    """2 / the largest curvature of the mean squared error on X."""
    n = len(X)
    sxx, sx = math.fsum(x * x for x in X) / n, math.fsum(X) / n
    return 2 / ((sxx + 1) + math.sqrt((sxx - 1) ** 2 + 4 * sx * sx))


def trained(code: Code, stem: str, X: list[float], Y: list[float], *args: Any) -> dict[str, Any]:
    """Run one of the learner's training functions; its line, losses (thinned) and final loss, or where it overflowed."""
    call = f"{step_by_stem(stem).function}(X, Y, {', '.join(f'{a:g}' for a in args)})"
    try:
        w, b, losses = triple(code[stem](X, Y, *args), stem, call)
    except OverflowError:
        return {"w": None, "b": None, "losses": [], "final": None, "overflow": True, "count": 0}
    final = (
        mse(X, Y, w, b)
        if math.isfinite(w) and math.isfinite(b) and abs(w) < 1e150 and abs(b) < 1e150
        else math.inf
    )
    return {
        "w": finite(w),
        "b": finite(b),
        "losses": [[i, finite(v)] for i, v in thin(losses)],
        "final": finite(final),
        "overflow": False,
        "count": len(losses),
        "first": finite(losses[0]) if losses else None,
    }


def check_closed_form(
    code: Code, X: list[float], Y: list[float]
) -> tuple[list[str], tuple[float, float]]:
    """The learner's least_squares (step 12) against the tracer's; the line the story uses (theirs when right)."""
    best = closed_form(X, Y)
    if not code.mine:
        return [], best
    w, b = code["step12_least_squares"](X, Y)
    if close(w, best[0], 1e-6) and close(b, best[1], 1e-6):
        return [], (w, b)
    return [
        f"your least_squares gives w = {w:.6g}, b = {b:.6g}, but the closed form from the data is w = {best[0]:.6g}, "
        f"b = {best[1]:.6g}: check {file('step12_least_squares')}"
    ], best


def story_sweep(
    code: Code, X: list[float], Y: list[float], request: dict[str, Any], emit: Emit
) -> None:
    """The learner's train (step 9) at rates on both sides of the safe bound: final losses, and a few curves."""
    problems = causes(code, X, Y)
    more, best = check_closed_form(code, X, Y)
    emit({"kind": "problems", "said": problems + more})
    bound, iterations = safe_bound(X), request["iterations"]
    runs = []
    for factor in SWEEP:
        lr = float(f"{bound * factor:.3g}")  # a rate a learner could type
        run = trained(code, "step09_train", X, Y, iterations, lr)
        if factor not in OVERLAID:
            run["losses"] = []
        runs.append({"factor": factor, "lr": lr, **run})
        # alive: the watchdog counts time per run, not per sweep
        emit({"kind": "phase", "file": file("step09_train")})
    # a wrong gradient: no honest stop to find
    stopping = when_to_stop(code, X, Y, emit) if not problems else None
    emit(
        {
            "kind": "result",
            "bound": bound,
            "runs": runs,
            "best": list(best),
            "floor": mse(X, Y, *best),
            "iterations": iterations,
            "stopping": stopping,
        }
    )


def own_stops(
    gradient: Callable[..., Any], X: list[float], Y: list[float], emit: Emit
) -> dict[str, Any]:
    """The tracer's own loop with the learner's gradient: where the gradient's length, its square, and the loss's
    relative change first fall below their tolerances."""
    w = b = 0.0
    found: dict[str, Any] = {}
    previous = math.inf
    for i in range(STOP_LIMIT + 1):
        gw, gb = gradient(X, Y, w, b)
        length, loss = math.hypot(gw, gb), mse(X, Y, w, b)
        if "squared" not in found and length * length < STOP_TOLERANCE:
            found["squared"] = i
        if "change" not in found and previous - loss < CHANGE * loss:
            found["change"], found["change_line"] = i, [w, b]
        if length < STOP_TOLERANCE:
            found["length"], found["line"] = i, [w, b]
            return found
        if i % 20000 == 19999:  # kata: not the article's (a word to the parent every so often)
            emit({"kind": "phase", "file": file("step08_gradient")})
        previous = loss
        w, b = w - STOP_LR * gw, b - STOP_LR * gb
    return found


def when_to_stop(code: Code, X: list[float], Y: list[float], emit: Emit) -> dict[str, Any] | None:
    """train_until (step 13): the learner's when written (else the reference's) against the tracer's own loop."""
    from kata.core.loading import load_function

    found = learner("step13_stopping") if code.mine else None
    mine = found is not None
    function = found[1] if found else load_function(step_by_stem("step13_stopping"), "solutions")
    emit({"kind": "phase", "file": file("step13_stopping") if mine else "kata/solutions"})
    own = own_stops(code["step08_gradient"], X, Y, emit)
    call = f"train_until(X, Y, {STOP_LR:g}, {STOP_TOLERANCE:g}, {STOP_LIMIT})"
    said: dict[str, Any] = {
        "mine": mine,
        "own": own,
        "lr": STOP_LR,
        "tolerance": STOP_TOLERANCE,
        "change": CHANGE,
        "limit": STOP_LIMIT,
        "flat": curvatures_of(X)[1],
    }
    try:
        w, b, count = function(X, Y, STOP_LR, STOP_TOLERANCE, STOP_LIMIT)
        said.update(w=float(w), b=float(b), count=int(count))
    except RuntimeError as error:
        said["raised"] = f"RuntimeError: {error}"
    except Exception as error:  # learner code: a note, not the end of the story
        said["raised"] = f"{type(error).__name__}: {error}"
    said["call"] = call
    return said


def curvatures_of(X: list[float]) -> tuple[float, float]:
    """The loss's curvature across its valley and along its floor."""
    n = len(X)
    a, c, off = 2 * math.fsum(x * x for x in X) / n, 2.0, 2 * math.fsum(X) / n
    middle, spread = (a + c) / 2, math.hypot((a - c) / 2, off)
    return middle + spread, middle - spread


def walk(
    gradient: Callable[..., Any],
    X: list[float],
    Y: list[float],
    lr: float,
    beta: float,
    iterations: int,
    stop: Callable[[float, float], bool] | None = None,
    alive: Callable[[], None] = lambda: None,
) -> tuple[list[tuple[float, float]], int | None, int]:
    """Heavy-ball descent (plain when beta is 0) with the learner's gradient, from w = b = 0: the path (every point of
    the first KEEP_ALL, then log-spaced, so that memory does not grow with the iterations), when `stop` held, the steps."""
    w = b = vw = vb = 0.0
    path, keep = [(w, b)], float(KEEP_ALL)
    steps = 0
    for i in range(iterations):
        if stop and stop(w, b):
            return kept_last(path, (w, b)), i, i
        if i % 20000 == 19999:  # kata: not the article's (a word to the parent every so often)
            alive()  # the watchdog times each stretch of the learner's code, not the whole walk
        gw, gb = gradient(X, Y, w, b)
        vw, vb = (
            beta * vw + gw,
            beta * vb + gb,
        )  # the velocity remembers; with beta 0 it is the slope itself
        w, b = w - lr * vw, b - lr * vb
        # ran away (or went non-finite): nothing further to draw or count
        if not abs(w) + abs(b) < FAR:
            break
        steps = i + 1
        if steps <= KEEP_ALL or steps >= keep:
            path.append((w, b))
            keep = max(keep, steps) * 1.01
    return (
        kept_last(path, (w, b) if steps else path[0]),
        (steps if stop and stop(w, b) else None),
        steps,
    )


def kept_last(
    path: list[tuple[float, float]], last: tuple[float, float]
) -> list[tuple[float, float]]:
    """The path with its last point, once."""
    return path if path[-1] == last else [*path, last]


def near_start(
    path: list[tuple[float, float]], best: tuple[float, float]
) -> list[tuple[float, float]]:
    """A path up to where it got three times further from the bottom than it started: a map of a run-away is all sky."""
    reach = 3 * max(math.dist(path[0], best), 1e-9)
    for i, p in enumerate(path):
        if math.dist(p, best) > reach:
            return path[: max(i, 2)]
    return path


def thin_path(path: list[tuple[float, float]], count: int = POINTS) -> list[list[float]]:
    """Points of a path, the early ones densely (where the turns are) and the long tail sparsely."""
    if len(path) <= count:
        return [list(p) for p in path]
    picked = sorted(
        {0, len(path) - 1}
        | {min(len(path) - 1, int((len(path) ** (i / count)) - 1)) for i in range(count + 1)}
        | set(range(min(count // 3, len(path))))
    )
    return [list(path[i]) for i in picked]


def story_scaling(
    code: Code, X: list[float], Y: list[float], request: dict[str, Any], emit: Emit
) -> None:
    """Plain descent on raw and on standardised temperatures (the learner's step 14): iterations to the closed form."""
    problems = causes(code, X, Y)
    more, best = check_closed_form(code, X, Y)
    problems += more
    scaled, mean, spread = standardised(code, X, problems)
    emit({"kind": "problems", "said": problems})
    tolerance, gradient = request["tolerance"], code["step08_gradient"]

    def near(w: float, b: float) -> bool:
        return abs(w - best[0]) < tolerance and abs(b - best[1]) < tolerance

    def near_scaled(w: float, b: float) -> bool:
        return near(w / spread, b - w * mean / spread)

    def alive() -> None:
        emit({"kind": "phase", "file": file("step08_gradient")})

    raw, raw_reached, raw_steps = walk(
        gradient, X, Y, request["lr"], 0.0, request["iterations"], near, alive
    )
    emit({"kind": "phase", "file": file("step14_standardise")})
    fast, fast_reached, fast_steps = walk(
        gradient, scaled, Y, request["scaled_lr"], 0.0, request["iterations"], near_scaled, alive
    )
    mapped = (fast[-1][0] / spread, fast[-1][1] - fast[-1][0] * mean / spread)
    notes = []
    if code.mine and not problems:
        notes = check_train_scaled(code, X, Y, min(fast_steps, 2000), request["scaled_lr"], scaled)
    emit(
        {
            "kind": "result",
            "best": list(best),
            "mean": mean,
            "spread": spread,
            "raw": thin_path(near_start(raw, best)),
            "scaled": thin_path(near_start(fast, (best[0] * spread, best[1] + best[0] * mean))),
            "raw_away": raw_steps < request["iterations"] and raw_reached is None,
            "scaled_away": fast_steps < request["iterations"] and fast_reached is None,
            "bound": safe_bound(X),
            "raw_reached": raw_reached,
            "scaled_reached": fast_reached,
            "raw_count": raw_steps,
            "scaled_count": fast_steps,
            "raw_end": list(raw[-1]),
            "scaled_end": list(mapped),
            "notes": notes,
        }
    )


def standardised(
    code: Code, X: list[float], problems: list[str]
) -> tuple[list[float], float, float]:
    """The learner's standardise (step 14), checked against mean 0 and population spread 1; the tracer's own when wrong."""
    mean = math.fsum(X) / len(X)
    spread = math.sqrt(math.fsum((x - mean) ** 2 for x in X) / len(X))
    own = [(x - mean) / spread for x in X]
    if not code.mine:
        return own, mean, spread
    result = code["step14_standardise"](X)
    try:
        scaled, their_mean, their_spread = (
            [float(v) for v in result[0]],
            float(result[1]),
            float(result[2]),
        )
    except (TypeError, ValueError, IndexError):
        raise LearnerCodeError(
            f"{file('step14_standardise')} (step {step_named('standardise').number}): standardise(X) returned {str(result)[:80]}, not (scaled, mean, spread)."
        ) from None
    sample = math.sqrt(math.fsum((x - mean) ** 2 for x in X) / (len(X) - 1))
    if close(their_spread, sample, 1e-9) and not close(sample, spread, 1e-9):
        problems.append(
            f"your standardise divides by n − 1 (spread {their_spread:.6g}); the population spread, divided by n, "
            f"is {spread:.6g}: check {file('step14_standardise')}"
        )
    elif not (
        close(their_mean, mean, 1e-9)
        and close(their_spread, spread, 1e-9)
        and first_parting(scaled, own) is None
    ):
        problems.append(
            f"your standardise gives mean {their_mean:.6g} and spread {their_spread:.6g} (or other numbers); the data's "
            f"are {mean:.6g} and {spread:.6g}, and (x − mean) / spread: check {file('step14_standardise')}"
        )
    else:
        return scaled, their_mean, their_spread
    return own, mean, spread


def check_train_scaled(
    code: Code, X: list[float], Y: list[float], iterations: int, lr: float, scaled: list[float]
) -> list[list[Any]]:
    """The learner's train_scaled (step 15) against plain descent on the standardised data, mapped back to °C."""
    if iterations < 1:
        return []
    w, b, _ = triple(
        code["step15_train_scaled"](X, Y, iterations, lr),
        "step15_train_scaled",
        f"train_scaled(X, Y, {iterations}, {lr:g})",
    )
    ws, bs, _ = triple(
        code["step09_train"](scaled, Y, iterations, lr),
        "step09_train",
        f"train(scaled, Y, {iterations}, {lr:g})",
    )
    mean = math.fsum(X) / len(X)
    spread = math.sqrt(math.fsum((x - mean) ** 2 for x in X) / len(X))
    wanted = (ws / spread, bs - ws * mean / spread)
    if close(w, wanted[0], 1e-6) and close(b, wanted[1], 1e-6):
        return [
            [
                True,
                f"your train_scaled() (step {step_named('train_scaled').number}) agrees: after {iterations} iterations it gives the line the scaled "
                f"descent maps back to, w = {w:.6g}, b = {b:.6g}.",
            ]
        ]
    hint = " (b needs its correction too: b − w·mean/spread)" if close(w, wanted[0], 1e-6) else ""
    return [
        [
            False,
            f"your train_scaled(X, Y, {iterations}, {lr:g}) gives w = {w:.6g}, b = {b:.6g}; training on the standardised "
            f"days and mapping back gives w = {wanted[0]:.6g}, b = {wanted[1]:.6g}{hint}: check {file('step15_train_scaled')}",
        ]
    ]


def across_valley(X: list[float]) -> tuple[float, float]:
    """The direction (w, b) in which the loss curves most: across the valley."""
    n = len(X)
    a, c, off = 2 * math.fsum(x * x for x in X) / n, 2.0, 2 * math.fsum(X) / n
    steep = (a + c) / 2 + math.hypot((a - c) / 2, off)
    direction = (off, steep - a)  # (H − steep·I) v = 0, from its first row
    size = math.hypot(*direction)
    return direction[0] / size, direction[1] / size


def story_momentum(
    code: Code, X: list[float], Y: list[float], request: dict[str, Any], emit: Emit
) -> None:
    """Heavy-ball and plain descent with the learner's gradient; the learner's train_momentum (step 16) checked against it."""
    problems = causes(code, X, Y)
    emit({"kind": "problems", "said": problems})
    lr, beta, iterations = request["lr"], request["beta"], request["iterations"]
    best = closed_form(X, Y)
    heavy, _, heavy_steps = walk(code["step08_gradient"], X, Y, lr, beta, iterations)
    plain, _, _ = walk(code["step08_gradient"], X, Y, lr, 0.0, iterations)
    dw, db = across_valley(X)
    swing = {
        name: [(w - best[0]) * dw + (b - best[1]) * db for w, b in path[: ACROSS + 1]]
        for name, path in (("momentum", heavy), ("plain", plain))
    }
    emit({"kind": "phase", "file": file("step16_momentum")})
    mine = trained(code, "step16_momentum", X, Y, iterations, lr, beta)
    plain_run = trained(code, "step09_train", X, Y, iterations, lr)
    notes = (
        overflowing(lambda: check_momentum(code, X, Y, heavy, iterations, lr, beta))
        if code.mine and not problems
        else []
    )
    emit(
        {
            "kind": "result",
            "best": list(best),
            "swing": swing,
            "mine": mine,
            "plain": plain_run,
            "notes": notes,
            "heavy_end": list(heavy[-1]),
            "plain_end": list(plain[-1]),
            "bound": safe_bound(X),
            "count": heavy_steps,
        }
    )


def overflowing(check: Callable[[], list[list[Any]]]) -> list[list[Any]]:
    """A check of the learner's step, or none when its run overflowed: the story tells that divergence itself."""
    try:
        return check()
    except OverflowError:
        return []


def check_momentum(
    code: Code,
    X: list[float],
    Y: list[float],
    heavy: list[tuple[float, float]],
    iterations: int,
    lr: float,
    beta: float,
) -> list[list[Any]]:
    """The learner's losses against heavy-ball descent's, and against plain descent's (a velocity that never carries over)."""
    count = min(iterations, 2000)
    _, _, theirs = triple(
        code["step16_momentum"](X, Y, count, lr, beta),
        "step16_momentum",
        f"train_momentum(X, Y, {count}, {lr:g}, {beta:g})",
    )
    wanted = [mse(X, Y, w, b) for w, b in heavy[:count]]
    parted = first_parting(theirs, wanted)
    if parted is None:
        return [
            [
                True,
                f"your train_momentum() (step {step_named('train_momentum').number}) agrees with heavy-ball descent over {count} iterations.",
            ]
        ]
    _, _, plain = triple(
        code["step09_train"](X, Y, count, lr), "step09_train", f"train(X, Y, {count}, {lr:g})"
    )
    if first_parting(theirs, plain) is None:
        return [
            [
                False,
                f"your train_momentum() gives the same losses as plain descent: the velocity does not carry over from one "
                f"iteration to the next (is it set to 0 inside the loop?): check {file('step16_momentum')}",
            ]
        ]
    if len(theirs) != len(wanted):
        return [
            [
                False,
                f"your train_momentum(X, Y, {count}, …) returned {len(theirs)} losses, not one per iteration: check {file('step16_momentum')}",
            ]
        ]
    return [
        [
            False,
            f"your train_momentum() parts from heavy-ball descent (v = beta·v + gradient, step by lr·v) at iteration "
            f"{parted + 1}: its loss {theirs[parted]:.6g}, heavy-ball's {wanted[parted]:.6g}: check {file('step16_momentum')}",
        ]
    ]


def batch_sizes(n: int) -> list[int]:
    """A few batch sizes from one day to all of them."""
    return sorted({1, min(2, n), max(1, n // 4), n})


def story_sgd(
    code: Code, X: list[float], Y: list[float], request: dict[str, Any], emit: Emit
) -> None:
    """The learner's train_sgd (step 17) for several batch sizes, a full batch checked against train (step 9)."""
    problems = causes(code, X, Y)
    emit({"kind": "problems", "said": problems})
    epochs, lr, seed = request["iterations"], request["lr"], request["seed"]
    runs = []
    for size in batch_sizes(len(X)):
        runs.append(
            {
                "size": size,
                **trained(code, "step17_sgd", X, Y, epochs, lr, size, seed),
            }
        )
        emit({"kind": "phase", "file": file("step17_sgd")})
    notes = (
        overflowing(lambda: check_sgd(code, X, Y, min(epochs, 500), lr, seed))
        if code.mine and not problems
        else []
    )
    emit(
        {
            "kind": "result",
            "runs": runs,
            "notes": notes,
            "best": list(closed_form(X, Y)),
            "bound": safe_bound(X),
            "floor": mse(X, Y, *closed_form(X, Y)),
        }
    )


def check_sgd(
    code: Code, X: list[float], Y: list[float], epochs: int, lr: float, seed: int
) -> list[list[Any]]:
    """A full batch must be train() exactly; the same seed must give the same run."""
    call = f"train_sgd(X, Y, {epochs}, {lr:g}, {len(X)}, {seed})"
    full = triple(code["step17_sgd"](X, Y, epochs, lr, len(X), seed), "step17_sgd", call)
    plain = triple(
        code["step09_train"](X, Y, epochs, lr), "step09_train", f"train(X, Y, {epochs}, {lr:g})"
    )
    parted = first_parting(full[2], plain[2])
    if parted is not None:
        return [
            [
                False,
                f"with one batch of all {len(X)} days your train_sgd() parts from train() at epoch {parted + 1} "
                f"(loss {full[2][parted] if parted < len(full[2]) else 'missing'}; train's "
                f"{plain[2][parted] if parted < len(plain[2]) else 'missing'}): one batch of everything is plain "
                f"descent: check {file('step17_sgd')}",
            ]
        ]
    counted = check_batches(code)
    if counted:
        return counted
    small = max(1, len(X) // 4)
    once = triple(code["step17_sgd"](X, Y, epochs, lr, small, seed), "step17_sgd", call)
    again = triple(code["step17_sgd"](X, Y, epochs, lr, small, seed), "step17_sgd", call)
    if first_parting(once[2], again[2]) is not None or once[:2] != again[:2]:
        return [
            [
                False,
                f"two runs of train_sgd with the same seed ({seed}) differ: shuffle with random.Random(seed), "
                f"a generator of your own, not the random module's shared one: check {file('step17_sgd')}",
            ]
        ]
    return [
        [
            True,
            f"your train_sgd() (step {step_named('train_sgd').number}) with one batch of all {len(X)} days is train() exactly, and the same seed "
            "gives the same run.",
        ]
    ]


def check_batches(code: Code) -> list[list[Any]]:
    """On 5 identical days, batches of 2 are 2, 2 and 1 days: three equal updates an epoch, whatever the shuffle."""
    ones = [1.0] * 5
    w, b, _ = triple(
        code["step17_sgd"](ones, ones, 1, 0.05, 2, 0),
        "step17_sgd",
        "train_sgd([1.0] * 5, [1.0] * 5, 1, 0.05, 2, 0)",
    )

    def after(updates: int) -> tuple[float, float]:
        u = v = 0.0
        for _ in range(updates):  # on identical days every batch has the same slopes
            gu, gv = code["step08_gradient"](ones[:1], ones[:1], u, v)
            u, v = u - 0.05 * gu, v - 0.05 * gv
        return u, v

    if close(w, after(3)[0], 1e-9) and close(b, after(3)[1], 1e-9):
        return []
    made = next(
        (k for k in (2, 1, 4, 5) if close(w, after(k)[0], 1e-9) and close(b, after(k)[1], 1e-9)),
        None,
    )
    hint = " (the last, smaller batch is dropped)" if made == 2 else ""
    return [
        [
            False,
            f"on 5 identical days, batches of 2 are 2, 2 and 1 days: three updates an epoch, but your train_sgd made "
            f"{made if made else 'other'} update{'' if made == 1 else 's'}{hint}: check {file('step17_sgd')}",
        ]
    ]


STORIES: dict[str, Callable[[Code, list[float], list[float], dict[str, Any], Emit], None]] = {
    "check": story_check,
    "sweep": story_sweep,
    "scaling": story_scaling,
    "momentum": story_momentum,
    "sgd": story_sgd,
}
