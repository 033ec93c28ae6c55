"""The learner's loop as commands: check, list, hint, solution, reset, goto, restore, status, watch, doctor."""

from __future__ import annotations

import functools
import json

from rich.text import Text

from kata.core.checks import run_check
from kata.core.cli import UsageError, confirm
from kata.core.registry import STEPS, Step, step_by_number
from kata.core.stubs import checkpoint_sources, reference_source, stub_source
from kata.core.workspace import Progress, backup_texts, list_backups
from kata.loop import doctor, screens
from kata.loop.app import Context, checked, replace_files


def cmd_check(context: Context) -> int:
    check, memory = checked(context)
    context.console.print(screens.StatusScreen(check, memory))
    return 0 if check.current is None else 1


def cmd_list(context: Context) -> int:
    check, _ = checked(context)
    context.console.print(screens.Headline(check))
    context.console.print(screens.ListScreen(check))
    return 0 if check.current is None else 1


def current_step(context: Context) -> Step:
    """The step to work on, from the last check (checking now if there was none)."""
    states = Progress.load(context.root).states
    if not states:
        states = checked(context)[0].states()
    return next((step for step in STEPS if states.get(step.number) != "green"), STEPS[-1])


def cmd_hint(context: Context, number: int | None, level: int | None = None) -> int:
    step = step_by_number(number) if number else current_step(context)
    progress = Progress.load(context.root)
    if level is None:
        level = progress.next_hint(context.root, step)
    elif level > len(step.hints):
        raise UsageError(f"step {step.number} has hints 1 to {len(step.hints)}, not {level}")
    else:
        progress.seen_hint(context.root, step, level)
    context.console.print(
        screens.hint_screen(step, level, seen=progress.hints.get(step.number, level))
    )
    return 0


def cmd_solution(context: Context, number: int, force: bool, yes: bool) -> int:
    step = step_by_number(number)
    results = context.check(context.root, [s for s in STEPS if s.number <= number]).steps
    result = results[-1]
    if result.state != "green":
        if not force:
            earlier = next((r for r in results[:-1] if r.state != "green"), None)
            if earlier is not None:  # step N's tests run the learner's earlier steps too
                context.errors.print(
                    f"Step {number} does not pass yet, and it builds on step {earlier.step.number}, which does not pass "
                    f"either: start there ({earlier.step.learner_file}; python -m kata says why). Or add --force to peek.",
                    markup=False,
                )
            else:
                context.errors.print(
                    f"Step {number} does not pass yet: make it pass first (python -m kata hint {number} "
                    "helps), or add --force to peek.",
                    markup=False,
                )
            return 1
        if not confirm(
            f"Step {number} does not pass yet. Show the reference anyway?", yes, context.read
        ):
            context.console.print("Not shown.")
            return 1
    context.console.print(
        Text(
            f"The reference for step {number}, {step.title} (kata/solutions/{step.stem}.py):",
            "bold",
        )
    )
    if context.console.is_terminal:  # numbered and wrapped where it must be, never cut
        context.console.print(screens.code(reference_source(step)))
    else:  # piped: the file as it is, to copy
        context.console.out(reference_source(step), highlight=False, end="")
    return 0


def cmd_reset(context: Context, number: int | None, every: bool, yes: bool) -> int:
    if every == (number is not None):
        raise UsageError("say which step to reset (python -m kata reset 3) or --all")
    steps = STEPS if every else [step_by_number(number)]  # type: ignore[arg-type]
    what = "Reset of every step" if every else f"Reset of step {number}"
    return replace_files(
        context,
        {s.learner_file: stub_source(s) for s in steps},
        "reset",
        yes,
        what,
        act=1 if every else None,  # every stub back: the kata starts again at act I
    )


def cmd_goto(context: Context, number: int, yes: bool) -> int:
    status = replace_files(
        context,
        checkpoint_sources(number),
        f"goto-{number}",
        yes,
        f"Go to step {number}",
        act=step_by_number(number).act,  # goto 11 opens act II: its stubs are the work now
    )
    if status == 0:
        solved = {1: "No step holds the reference", 2: "Step 1 holds the reference"}.get(
            number, f"Steps 1 to {number - 1} hold the reference"
        )
        context.console.print(f"{solved}; step {number} is yours: python -m kata")
    return status


def cmd_restore(context: Context, name: str | None, yes: bool) -> int:
    backups = list_backups(context.root)
    if not name:
        if not backups:
            context.console.print(
                "No backups yet: reset, goto and restore make one before they overwrite your work."
            )
            return 0
        context.console.print(
            Text("Backups, oldest first (python -m kata restore NAME brings one back):", "bold")
        )
        for backup in backups:
            context.console.print(
                f"  {backup.name}   {backup.made}   {backup.reason}: {', '.join(backup.files)}",
                markup=False,
                highlight=False,
            )
        return 0
    chosen = next((b for b in backups if b.name == name), None)
    if chosen is None:
        raise UsageError(f"there is no usable backup {name!r}; python -m kata restore lists them")
    return replace_files(context, backup_texts(chosen), "restore", yes, f"Restore of {chosen.name}")


def cmd_status(context: Context, as_json: bool) -> int:
    if not as_json:
        return cmd_check(context)
    check, memory = checked(context)
    regressions = memory.regressions
    progress = Progress.load(context.root)
    current = check.current
    done, total, counting = screens.progress(check)
    data = {
        # what the headline counts: the steps of the act in view, or every step once every act passes
        "done": done,
        "total": total,
        "counting": counting,
        "act": check.act,
        "acts": [
            {
                "act": act,
                "done": sum(r.state == "green" for r in check.in_act(act)),
                "total": len(check.in_act(act)),
            }
            for act in sorted({step.act for step in STEPS})
        ],
        "current": None
        if current is None
        else {
            "number": current.step.number,
            "file": current.step.learner_file,
            "state": current.state,
            "stub": current.stub,
            "test": current.failure.nodeid if current.failure else "",
            "message": screens.why_red(current),
            "where": current.failure.where if current.failure else "",
        },
        "steps": [
            {
                "number": r.step.number,
                "act": r.step.act,
                "title": r.step.title,
                "section": r.step.section,
                "file": r.step.learner_file,
                "state": r.state,
                "passed": r.passed,
                "tests": r.total,
            }
            for r in check.steps
        ],
        "regressions": [r.step.number for r in regressions],
        "hints_used": {str(k): v for k, v in sorted(progress.hints.items())},
        "seconds": round(check.seconds, 3),
    }
    context.console.print(json.dumps(data, indent=1), markup=False, highlight=False, soft_wrap=True)
    return 0


def cmd_watch(context: Context) -> int:
    from kata.loop.watch import watch  # watch mode's keys and polling load only when asked for

    return watch(context)


def cmd_doctor(context: Context) -> int:
    # the doctor runs step 1's tests even on the stub: it checks that pytest itself works here
    probe = (
        functools.partial(run_check, run_stubs=True)
        if context.check is run_check
        else context.check
    )
    return doctor.run(context.root, context.console, probe)
