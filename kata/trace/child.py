"""The tracer's child process: it runs the learner's functions and streams what will be shown, one JSON line each.

Run by kata/trace/tracer.py (never by hand): the request arrives as one JSON document on
stdin, rows leave on the original stdout, and everything the learner's code prints
goes to stderr, which the parent caps. The parent only draws, and it kills this
process's whole group when it goes quiet for too long or prints too much.
"""

from __future__ import annotations

import faulthandler
import json
import math
import os
import signal
import sys
import traceback
from collections.abc import Callable
from typing import IO, Any

from kata.core.loading import StepNotLoaded
from kata.core.registry import FACTS, STORIES, step_by_stem, step_named
from kata.trace import act2_child as act2
from kata.trace.descent import Walk, walk_parabola, walk_park
from kata.trace.probes import Code, LearnerCodeError, choose
from kata.trace.verdicts import close, learner, ratio_words, slope_problem  # noqa: F401 (ratio_words: its own too)

# iterations of the learner's train() compared with the walk: the article's run, no more
TRAIN_CHECKED = FACTS.iterations
CHECK_BUDGET = 2_000_000  # data rows × iterations for that check: a second or two, whatever the size of the data


class Emitter:
    """Write one JSON message per line to the parent, flushed at once so that the watchdog sees progress."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def __call__(self, message: dict[str, Any]) -> None:
        self.stream.write(json.dumps(message) + "\n")
        self.stream.flush()


def check_parabola(code: Code, start: float, lr: float) -> list[str]:
    """Check f′ against f and step against x − lr·f′, at the start (and one further on, in case the start is x = 3)."""
    f, gradient, step = code["step01_parabola"], code["step02_gradient"], code["step03_step"]
    file1, file2, file3 = (
        step_by_stem(stem).learner_file
        for stem in ("step01_parabola", "step02_gradient", "step03_step")
    )
    problems = []
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
            problems.append(said)
            break
    slope = gradient(start)
    got, wanted = step(start, lr), start - lr * slope
    if not close(got, wanted, 1e-9):
        if slope and close(got, start + lr * slope, 1e-9):
            problems.append(
                f"your step() goes uphill: step({start:g}, {lr:g}) returned {got:.6g}, which is x + lr·f′(x); "
                f"downhill is x − lr·f′(x) = {wanted:.6g}: check the sign in {file3}"
            )
        else:
            problems.append(
                f"your step({start:g}, {lr:g}) returned {got:.6g}, but x − lr·f′(x) is {wanted:.6g}: check {file3}"
            )
    return problems


def check_park(code: Code, X: list[float], Y: list[float]) -> list[str]:
    """Check ∂w and ∂b against a central finite difference of the learner's loss, at the start and one line further on."""
    predict, loss, gradient = code["step06_predict"], code["step07_loss"], code["step08_gradient"]
    file6, file7, file8 = (
        step_by_stem(stem).learner_file
        for stem in ("step06_predict", "step07_loss", "step08_gradient")
    )
    got = predict(X, 2.0, 1.0)
    parted = agree(got, [2.0 * x + 1.0 for x in X])
    # the line first, then the loss built on it, then the slopes of that loss
    if parted is not None:
        return [
            f"your predict(X, 2, 1) gives {got[parted]:.6g} for x = {X[parted]:g}, but 2·x + 1 is {2 * X[parted] + 1:.6g}: "
            f"check {file6}"
        ]
    mse = math.fsum((y - 1.0 * x) ** 2 for x, y in zip(X, Y)) / len(X)
    if not close(loss(X, Y, 1.0, 0.0), mse, 1e-9):
        return [
            f"your loss(X, Y, 1, 0) is {loss(X, Y, 1.0, 0.0):.6g}, but the mean squared error there is {mse:.6g}: "
            f"check {file7}"
        ]
    for w, b in ((0.0, 0.0), (1.0, 1.0)):
        hw, hb = 1e-3 * max(1.0, abs(w)), 1e-3 * max(1.0, abs(b))
        numeric = (
            (loss(X, Y, w + hw, b) - loss(X, Y, w - hw, b)) / (2 * hw),
            (loss(X, Y, w, b + hb) - loss(X, Y, w, b - hb)) / (2 * hb),
        )
        said = slope_problem(
            ("∂w", "∂b"),
            tuple(gradient(X, Y, w, b)),
            numeric,
            f"w = {w:g}, b = {b:g}",
            "loss",
            file8,
        )
        if said:
            return [said]
    return []


def agree(a: list[float], b: list[float]) -> int | None:
    """The first index where two lists of numbers part, or None when they agree."""
    for i, (x, y) in enumerate(zip(a, b)):
        if not (close(x, y, 1e-6) or (math.isnan(x) and math.isnan(y)) or x == y):
            return i
    return None if len(a) == len(b) else min(len(a), len(b))


def note(emit: Callable[[dict[str, Any]], None], ok: bool, said: str) -> None:
    """Tell the parent how one of the learner's other steps compares with the run."""
    emit({"kind": "note", "ok": ok, "said": said})


def check_descend(
    emit: Callable[[dict[str, Any]], None], start: float, lr: float, path: list[float]
) -> None:
    """Run the learner's descend() (step 4) for the steps drawn and say whether it agrees."""
    found = learner("step04_descend")
    if not found:
        return
    step, descend = found
    emit({"kind": "phase", "file": step.learner_file})
    count = len(path) - 1
    try:
        positions = list(descend(start, lr, count))
    except Exception as error:  # learner code
        note(
            emit,
            False,
            f"your descend({start:g}, {lr:g}, {count}) raised {type(error).__name__}: {error} ({step.learner_file})",
        )
        return
    parted = agree([float(p) for p in positions], path)
    if parted is None:
        note(
            emit,
            True,
            f"your descend() (step {step_named('descend').number}) agrees with the {count} steps drawn.",
        )
    elif len(positions) != len(path):
        note(
            emit,
            False,
            f"your descend({start:g}, {lr:g}, {count}) returned {len(positions)} positions, not {count + 1} "
            f"(the start, then one per step): check {step.learner_file}",
        )
    else:
        note(
            emit,
            False,
            f"your descend() parts from the steps drawn at position {parted}: {positions[parted]:.6g} "
            f"where the steps drawn are at {path[parted]:.6g}: check {step.learner_file}",
        )


def read_with_learner_load(emit: Callable[[dict[str, Any]], None], request: dict[str, Any]) -> None:
    """Read the data with the learner's load() (step 5) when written, and say whether it read what the kata read."""
    found = learner("step05_load")
    if not found:
        return
    step, load = found
    name = os.path.basename(request["data"])
    if not request["header"]:
        note(
            emit,
            True,
            f"{name} has no header line, so your load() (step {step_named('load').number}), which skips the first line as the step "
            "asks, would lose a day: the tracer read the file itself.",
        )
        return
    emit({"kind": "phase", "file": step.learner_file})
    try:
        X, Y = load(request["data"])
        X, Y = [float(x) for x in X], [float(y) for y in Y]
    except Exception as error:  # learner code
        note(
            emit,
            False,
            f"your load() raised {type(error).__name__}: {error} ({step.learner_file}); the tracer read {name} itself.",
        )
        return
    if agree(X, request["X"]) is None and agree(Y, request["Y"]) is None:
        note(
            emit,
            True,
            f"The data: {name} as read by your load() (step {step_named('load').number}), {len(X)} days.",
        )
    else:
        note(
            emit,
            False,
            f"your load() read {len(X)} days from {name} where there are {len(request['X'])}, or other numbers: "
            f"check {step.learner_file}; the tracer used its own reading.",
        )


def check_train(
    emit: Callable[[dict[str, Any]], None],
    request: dict[str, Any],
    losses: list[float],
    at: tuple[float, float],
) -> None:
    """Run the learner's train() (step 9) for the iterations checked and say whether it agrees with the walk."""
    found = learner("step09_train")
    if not found or not losses:
        return
    step, train = found
    emit({"kind": "phase", "file": step.learner_file})
    count, lr = len(losses), request["lr"]
    try:
        w, b, theirs = train(request["X"], request["Y"], count, lr)
        w, b, theirs = float(w), float(b), [float(v) for v in theirs]
    except Exception as error:  # learner code
        note(
            emit,
            False,
            f"your train(X, Y, {count}, {lr:g}) raised {type(error).__name__}: {error} ({step.learner_file})",
        )
        return
    parted = agree(theirs, losses)
    if parted is not None and len(theirs) != len(losses):
        note(
            emit,
            False,
            f"your train(X, Y, {count}, {lr:g}) returned {len(theirs)} losses, not one per iteration ({count}): "
            f"check {step.learner_file}",
        )
    elif parted is not None:
        note(
            emit,
            False,
            f"your train() parts from the steps drawn at iteration {parted + 1}: its loss {theirs[parted]:.6g}, "
            f"the steps drawn {losses[parted]:.6g}: check {step.learner_file}",
        )
    elif not (close(w, at[0], 1e-6) and close(b, at[1], 1e-6)):
        note(
            emit,
            False,
            f"your train() ends at w = {w:.6g}, b = {b:.6g} after {count} iterations; the steps drawn reach "
            f"w = {at[0]:.6g}, b = {at[1]:.6g}: check what it returns in {step.learner_file}",
        )
    else:
        note(
            emit,
            True,
            f"your train() (step {step_named('train').number}) agrees with the steps drawn, over {count} iterations.",
        )
        check_forecast(emit, request, count, at)


def check_forecast(
    emit: Callable[[dict[str, Any]], None],
    request: dict[str, Any],
    count: int,
    at: tuple[float, float],
) -> None:
    """Run the learner's forecast(33) (step 10) when the run is the article's, and compare it with the line drawn."""
    if count != FACTS.iterations or request["lr"] != FACTS.lr or not request["header"]:
        return
    found = learner("step10_forecast")
    if not found:
        return
    step, forecast = found
    emit({"kind": "phase", "file": step.learner_file})
    drawn = FACTS.temperature * at[0] + at[1]
    try:
        said = float(forecast(FACTS.temperature, request["data"]))
    except Exception as error:  # learner code
        note(
            emit,
            False,
            f"your forecast({FACTS.temperature:g}) raised {type(error).__name__}: {error} ({step.learner_file})",
        )
        return
    if close(said, drawn, 1e-6):
        note(
            emit,
            True,
            f"your forecast({FACTS.temperature:g}) (step {step.number}) says {said:.0f}, as the line drawn does.",
        )
    else:
        note(
            emit,
            False,
            f"your forecast({FACTS.temperature:g}) says {said:.6g}; the line drawn says {drawn:.6g}: check {step.learner_file}",
        )


def run(request: dict[str, Any], emit: Callable[[dict[str, Any]], None]) -> None:
    """Load the code, check it against itself, walk, and check the learner's other steps against the walk."""
    story, lr, iterations = request["story"], request["lr"], request["iterations"]
    if story in act2.STORIES:
        run_act2(request, emit)
        return
    needs = STORIES[story].needs  # the content's stories (act2.STORIES: act II's code for its own)
    code = choose(
        needs,
        request["target"],
        lambda step: emit({"kind": "phase", "file": step.learner_file}),
    )
    emit(
        {
            "kind": "code",
            "mine": code.mine,
            "said": code.said,
            "steps": [step.stem for step in needs],
        }
    )
    if code.mine:
        emit({"kind": "phase", "file": "your steps"})
    walk = Walk(iterations, request["planned"], emit)
    if story == "parabola":
        start = request["start"]
        if code.mine:
            emit({"kind": "problems", "said": check_parabola(code, start, lr)})
        path = walk_parabola(
            code["step01_parabola"],
            code["step02_gradient"],
            code["step03_step"],
            start,
            lr,
            walk,
            min(iterations, 1000) if code.mine else 0,
        )
        if code.mine and len(path) > 1:
            check_descend(emit, start, lr, path)
    else:
        X, Y = request["X"], request["Y"]
        if code.mine:
            read_with_learner_load(emit, request)
            emit({"kind": "problems", "said": check_park(code, X, Y)})
        checked = min(iterations, TRAIN_CHECKED, max(1, CHECK_BUDGET // len(X)))
        losses, at = walk_park(
            X,
            Y,
            code["step07_loss"],
            code["step08_gradient"],
            lr,
            walk,
            checked if code.mine else 0,
        )
        if code.mine and len(losses) == checked:
            check_train(emit, request, losses, at)
    emit({"kind": "done"})


def run_act2(request: dict[str, Any], emit: Callable[[dict[str, Any]], None]) -> None:
    """An act II story: the same choice of code and first message as act I, then the story's one result."""
    story = request["story"]
    needs, optional = STORIES[story].needs, STORIES[story].optional
    code = choose(
        needs, request["target"], lambda step: emit({"kind": "phase", "file": step.learner_file})
    )
    used = [
        step for step in optional if code.mine and learner(step.stem)
    ]  # also run when written: tested too
    emit(
        {
            "kind": "code",
            "mine": code.mine,
            "said": code.said,
            "steps": [step.stem for step in (*needs, *used)],
        }
    )
    if code.mine:
        emit({"kind": "phase", "file": "your steps"})
        read_with_learner_load(emit, request)

    def emit_whose(message: dict[str, Any]) -> None:
        emit({**message, "learners": code.mine} if message["kind"] == "result" else message)

    act2.STORIES[story](code, request["X"], request["Y"], request, emit_whose)
    emit({"kind": "done"})


def what_it_did(error: BaseException) -> str:
    """One line: what the learner's code raised, and where, from the innermost frame in steps/."""
    frames = [
        f
        for f in traceback.extract_tb(error.__traceback__)
        if "/steps/" in f.filename.replace(os.sep, "/")
    ]
    where = (
        f" ({'steps/' + f.filename.replace(os.sep, '/').split('/steps/')[-1]}, line {f.lineno}, in {f.name})"
        if (f := frames[-1] if frames else None)
        else ""
    )
    if not frames and not isinstance(error, (MemoryError, SystemExit, KeyboardInterrupt)):
        return f"the tracer itself failed ({type(error).__name__}: {error}), not your code: please report it."
    if isinstance(error, SystemExit):
        return f"your code called sys.exit({error.code!r}){where}: a step's function must return a value, not end the program."
    if isinstance(error, MemoryError):
        return f"your code ran out of memory{where}: the tracer's limit stopped it."
    if isinstance(error, RecursionError):
        return f"your code calls itself without end (RecursionError){where}."
    shown = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    return f"your code raised {shown}{where}."


def main() -> None:
    """Read the request, run it, and report whatever the learner's code does as one message; never a traceback."""
    rows = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1 << 16)
    # the learner's prints (and os.write(1, …)) go to the captured, capped stderr, never to the rows
    os.dup2(2, 1)
    emit = Emitter(rows)
    request = json.loads(sys.stdin.read())
    # Ctrl-C is the parent's to handle; it ends this process
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # not on Windows
    if request.get("dump") and hasattr(faulthandler, "register") and hasattr(signal, "SIGUSR1"):
        dump = open(request["dump"], "w")  # noqa: SIM115 (open for the life of the process)
        # the parent asks where a hung call is
        faulthandler.register(signal.SIGUSR1, file=dump, all_threads=False)
    # started: from here on the time is the learner code's
    emit({"kind": "phase", "file": "your steps"})
    try:
        run(request, emit)
    except (LearnerCodeError, StepNotLoaded) as problem:
        emit({"kind": "error", "said": str(problem)})
    except BaseException as error:  # learner code: exit, KeyboardInterrupt, anything at all
        emit({"kind": "error", "said": what_it_did(error)})
    rows.flush()
    os._exit(0)  # no atexit or lingering threads of the learner's can keep this process alive


if __name__ == "__main__":
    main()
