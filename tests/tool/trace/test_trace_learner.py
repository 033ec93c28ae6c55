"""The tracer on the learner's own mistakes: it names the step and the problem first, and never shows a tick."""

from __future__ import annotations

import itertools
from pathlib import Path

from kata.core.checks import Check, StepResult
from kata.core.stubs import checkpoint_sources
from kata.trace.tracer import run_trace
from tests.tool.conftest import Traced, capture_console, edit, traced_fixtures

# each test's tracer run, in a copy of the kata with every step written as the reference does, then its edits
TRACED = Traced(solved=10)

traced, done = traced_fixtures(TRACED)


def flat(text: str) -> str:
    """The words with line breaks folded."""
    return " ".join(text.split())


def marked(said: str) -> bool:
    """True when the walk's verdict carries a symbol of its own (it must not, after a named cause)."""
    return any(mark in said for mark in ("✓ CONVERGED", "→ ON ITS WAY", "↔ OSCILLATES"))


@TRACED.after(
    "parabola",
    edits=[("steps/step03_step.py", "return x - lr * gradient(x)", "return x + lr * gradient(x)")],
)
def test_an_uphill_step_is_named_before_the_learning_rate_is_blamed(done):
    said = flat(done.stdout)
    assert done.returncode == 1
    assert done.stdout.splitlines()[0] == "step 3 does not pass its tests yet: traced anyway."
    assert (
        "✗ Your step() goes uphill: step(6, 0.1) returned 6.6, which is x + lr·f′(x); downhill is x − lr·f′(x) = 5.4: "
        "check the sign in steps/step03_step.py."
    ) in said
    assert (
        "the learning rate is not the cause" in said and "try --lr" not in said and not marked(said)
    )


@TRACED.after("park", edits=[("steps/step08_gradient.py", "p - y for", "y - p for")])
def test_a_gradient_with_its_sign_flipped_points_uphill(done):
    said = flat(done.stdout)
    assert done.returncode == 1 and done.stdout.startswith(
        "step 8 does not pass its tests yet: traced anyway.\n"
    )
    assert (
        "✗ Your gradient points uphill at w = 0, b = 0" in said
        and "check the sign in steps/step08_gradient.py" in said
    )
    assert (
        "the article's 0.001 is safe" not in said and "the learning rate is not the cause" in said
    )


@TRACED.after(
    "park",
    edits=[
        ("steps/step08_gradient.py", "w_gradient = 2 * sum", "w_gradient = sum"),
        ("steps/step08_gradient.py", "b_gradient = 2 * sum", "b_gradient = sum"),
    ],
)
def test_a_gradient_missing_its_factor_2_gets_no_tick(done):
    said = flat(done.stdout)
    assert (
        done.returncode == 1 and "step 8 does not pass its tests yet: traced anyway." in done.stdout
    )
    assert (
        "✗ Your gradient is half the slope of your loss" in said
        and "check the factor 2 in steps/step08_gradient.py" in said
    )
    assert "step 8 does not pass its tests yet: run python -m kata" in said
    assert "✓" not in done.stdout


@TRACED.after(
    "park",
    edits=[
        (
            "steps/step09_train.py",
            "w -= lr * w_gradient\n        b -= lr * b_gradient",
            "w -= lr * w_gradient\n        b -= lr * gradient(X, Y, w, b)[1]",
        )
    ],
)
def test_a_broken_train_is_caught_against_the_steps_drawn(done):
    said = flat(done.stdout)
    assert done.returncode == 1 and not marked(said)
    assert (
        "✗ Your train() parts from the steps drawn at iteration 2" in said
        and "check steps/step09_train.py" in said
    )
    # r2 trace 14: the verdict's first line names the file, not only the last lines
    assert "✗ Your steps/step09_train.py parts from this run: see the last lines." in said


@TRACED.after("park")
def test_when_everything_is_right_the_other_steps_agree(done):
    said = flat(done.stdout)
    assert done.returncode == 0 and "→ ON ITS WAY: at 33 °C about 543 visitors" in said
    assert "✓ The data: park.txt as read by your load() (step 5), 14 days." in said
    assert "✓ Your train() (step 9) agrees with the steps drawn, over 20000 iterations." in said
    assert "✓ Your forecast(33) (step 10) says 543, as the line drawn does." in said


@TRACED.after(
    "parabola",
    edits=[("steps/step01_parabola.py", "return (x - 3) ** 2 + 2", "return (x + 3) ** 2 + 2")],
)
def test_a_wrong_curve_is_named_before_its_slope_is_blamed(done):
    said = flat(done.stdout)
    assert done.returncode == 1 and done.stdout.startswith(
        "step 1 does not pass its tests yet: traced anyway."
    )
    assert (
        "✗ Your f(6) is 83, but (x − 3)² + 2 is 11 there: check steps/step01_parabola.py." in said
    )
    assert "step02" not in said


@TRACED.after(
    "park",
    edits=[("steps/step07_loss.py", "return sum(squares) / len(squares)", "return sum(squares)")],
)
def test_a_loss_that_sums_instead_of_averaging_is_named_before_the_gradient(done):
    said = flat(done.stdout)
    assert (
        done.returncode == 1
        and "✗ Your loss(X, Y, 1, 0) is 1.48782e+06, but the mean squared error there is 106272"
        in said
    )
    assert "check steps/step07_loss.py" in said and not marked(said)


@TRACED.after("parabola", edits=[("steps/step04_descend.py", "positions = [x]", "positions = []")])
def test_a_descend_that_forgets_the_start_is_caught_against_the_steps_drawn(done):
    said = flat(done.stdout)
    assert done.returncode == 1 and not marked(said)
    assert (
        "✗ Your descend(6, 0.1, 40) returned 40 positions, not 41 (the start, then one per step): "
        "check steps/step04_descend.py"
    ) in said


def test_the_tracer_traces_and_checks_the_kata_it_is_given(kata_copy):
    """In-process, against a copy (as `run(..., root=copy)` is for the loop): the copy's steps, not the kata's own."""
    solved = kata_copy
    for path, text in checkpoint_sources(11).items():
        (solved / path).write_text(text)
    edit(
        solved, "steps/step03_step.py", "return x - lr * gradient(x)", "return x + lr * gradient(x)"
    )
    asked: list[Path] = []

    def check(root: Path, steps) -> Check:
        asked.append(root)
        return Check([StepResult(s, "red" if s.number == 3 else "green") for s in steps], 0.1)

    console = capture_console(100)
    ticks = itertools.count(step=0.001)
    status = run_trace(
        ["parabola"],
        console=console,
        clock=lambda: next(ticks),
        keys=lambda timeout: None,
        check=check,
        root=solved,
    )
    said = flat(console.export_text())
    assert asked == [solved]
    assert status == 1 and said.startswith("step 3 does not pass its tests yet: traced anyway.")
    assert "✗ Your step() goes uphill: step(6, 0.1) returned 6.6" in said


@TRACED.after("park", edits=[("steps/step05_load.py", "readlines()[1:]", "readlines()[2:]")])
def test_a_forecast_built_on_a_broken_load_is_not_blamed(done):
    # r2 trace 4: load() drops the first day; forecast() (step 10) is right, it reads the data with that load()
    said = flat(done.stdout)
    assert "✗ Your load() read 13 days from park.txt where there are 14" in said
    assert "check steps/step10_forecast.py" not in said
    assert (
        "· Your forecast(33) (step 10) is not checked: it reads the data with your load() (step 5)"
        in said
    )
    assert "✓" not in done.stdout
