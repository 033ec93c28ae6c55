"""`python -m kata review`: the session afterwards. Traffic lights per driver and per step, the longest red
stretch, the cycles, the predictions, and any two runs' files side by side."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rich import box
from rich.console import Group, RenderableType
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text

from . import screens
from .registry import STEPS
from .runlog import Run, copy_text, read_runs


@dataclass(frozen=True)
class Logged:
    """A run with the log folder it came from and its number in the (merged) review."""

    number: int
    run: Run
    folder: Path


def gather(folders: Sequence[Path]) -> list[Logged]:
    """Read the logs of one or more machines, merge them in time order, and number the runs 1, 2, 3…"""
    everything = [(run, folder) for folder in folders for run in read_runs(folder)]
    everything.sort(key=lambda pair: (pair[0].when, pair[0].machine, pair[0].run))
    return [Logged(i, run, folder) for i, (run, folder) in enumerate(everything, start=1)]


def lights(runs: Sequence[Run], ascii: bool = False) -> Text:
    """A traffic-light strip: one symbol per run, coloured where colour is on."""
    strip = Text()
    for run in runs:
        unicode_symbol, ascii_symbol, _, style = screens.LOOK.get(run.state, screens.LOOK["unknown"])
        strip.append(ascii_symbol if ascii else unicode_symbol, style)
        if ascii:
            strip.append(" ")
    return strip


def minutes(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 60}m {seconds % 60:02d}s"


def time_per_step(runs: Sequence[Run]) -> dict[int, float]:
    """Seconds spent on each step: the time from each run to the next goes to the earlier run's step."""
    spent: dict[int, float] = {}
    for run, following in zip(runs, runs[1:]):
        spent[run.step] = spent.get(run.step, 0.0) + (following.when - run.when).total_seconds()
    return spent


def longest_red(runs: Sequence[Run]) -> tuple[list[Run], float]:
    """The longest run of checks that were not green, and how long it lasted until the next green."""
    best: list[Run] = []
    best_seconds = 0.0
    stretch: list[Run] = []
    for i, run in enumerate(runs + [None]):  # type: ignore[operator]
        if run is not None and run.state != "green":
            stretch.append(run)
            continue
        if stretch:
            end = run.when if run is not None else stretch[-1].when
            seconds = (end - stretch[0].when).total_seconds()
            if len(stretch) > len(best) or (len(stretch) == len(best) and seconds > best_seconds):
                best, best_seconds = stretch, seconds
        stretch = []
    return best, best_seconds


def completes_cycle(runs: Sequence[Run]) -> list[bool]:
    """For each run: did it turn its step green after a run that was not? (A red-green cycle completed.)"""
    flags = []
    last_state: dict[int, str] = {}
    for run in runs:
        flags.append(run.state == "green" and last_state.get(run.step, "green") != "green")
        last_state[run.step] = run.state
    return flags


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def review_screen(logged: Sequence[Logged], ascii: bool = False) -> RenderableType:
    """The whole review as one renderable."""
    runs = [item.run for item in logged]
    if not runs:
        return Text("No runs logged yet: python -m kata watch or python -m kata dojo log every check in .kata/runs.jsonl.")
    drivers = list(dict.fromkeys(run.driver for run in runs if run.driver))
    machines = sorted({run.machine for run in runs})
    start, end = runs[0].when, runs[-1].when
    parts: list[RenderableType] = [
        Text(f"Session review: {len(runs)} runs from {start:%Y-%m-%d %H:%M} to {end:%H:%M} ({minutes((end - start).total_seconds())})"
             + (f", drivers {', '.join(drivers)}" if drivers else "") + (f", {len(machines)} machines" if len(machines) > 1 else ""),
             "bold"),
        Text("Legend: ✓ green  ✗ red  ! amber  ⏱ timeout" if not ascii else "Legend: [ok] green  [x] red  [!] amber  [t] timeout", "dim"),
        Text.assemble("All runs:  ", lights(runs, ascii)),
    ]
    flags = completes_cycle(runs)
    if drivers:
        table = Table("driver", "runs", "lights", "cycles", box=box.ASCII2 if ascii else box.SIMPLE_HEAD, pad_edge=False)
        for driver in drivers:
            mine = [run for run in runs if run.driver == driver]
            finished = sum(flag for run, flag in zip(runs, flags) if run.driver == driver)
            table.add_row(driver, str(len(mine)), lights(mine, ascii), str(finished))
        parts.append(table)
    spent = time_per_step(runs)
    table = Table("step", "runs", "lights", "time", box=box.ASCII2 if ascii else box.SIMPLE_HEAD, pad_edge=False)
    for step in STEPS:
        mine = [run for run in runs if run.step == step.number]
        if mine:
            table.add_row(f"{step.number} {step.title}", str(len(mine)), lights(mine, ascii), minutes(spent.get(step.number, 0)))
    parts.append(table)
    stretch, seconds = longest_red(runs)
    if stretch:
        who = sorted({run.driver for run in stretch if run.driver})
        steps = sorted({run.step for run in stretch})
        drivers_said = f", {'driver' if len(who) == 1 else 'drivers'} {', '.join(who)}" if who else ""
        parts.append(Text(f"Longest red stretch: {plural(len(stretch), 'run')}, {minutes(seconds)}, on step "
                          f"{', '.join(map(str, steps))}{drivers_said}."))
    else:
        parts.append(Text("No red at all."))
    parts.append(Text(f"Red-green cycles completed: {sum(flags)}."))
    predicted = [run for run in runs if run.prediction]
    if predicted:
        right = sum(run.prediction == run.state for run in predicted)
        parts.append(Text(f"Predictions: {right} right, {len(predicted) - right} wrong, "
                          f"{plural(len(runs) - len(predicted), 'run')} without one."))
    parts.append(runs_table(logged, ascii))
    parts.append(Text("See how a file changed: python -m kata review --diff A B · bring one back: python -m kata review "
                      "--restore A", "dim"))
    return Group(*parts)


def runs_table(logged: Sequence[Logged], ascii: bool = False) -> Table:
    """Every run, numbered for --diff and --restore."""
    machines = len({item.run.machine for item in logged}) > 1
    table = Table(box=box.ASCII2 if ascii else box.SIMPLE_HEAD, pad_edge=False)
    for name in ["#", "time", *(["machine"] if machines else []), "driver", "step", "state", "predicted", "failing test"]:
        table.add_column(name, overflow="fold")
    for item in logged:
        run = item.run
        test = run.test.split("::", 1)[-1]
        table.add_row(str(item.number), f"{run.when:%H:%M:%S}", *([run.machine] if machines else []), run.driver or "-",
                      str(run.step), screens.badge(run.state, ascii), run.prediction or "-", test)
    return table


def pick(logged: Sequence[Logged], number: int) -> Logged:
    """The run numbered `number` in the review; LookupError when there is none."""
    if not 1 <= number <= len(logged):
        raise LookupError(f"there is no run {number}: the review numbers runs 1 to {len(logged)}")
    return logged[number - 1]


def diff_screen(logged: Sequence[Logged], a: int, b: int) -> RenderableType:
    """The unified diff of the step file between two runs."""
    first, second = pick(logged, a), pick(logged, b)
    old, new = copy_text(first.folder, first.run), copy_text(second.folder, second.run)
    if old is None or new is None:
        return Text(f"No copy of the file was kept for run {a if old is None else b}.")
    name_a = f"run {a}: {STEPS[first.run.step - 1].learner_file}"
    name_b = f"run {b}: {STEPS[second.run.step - 1].learner_file}"
    lines = list(difflib.unified_diff(old.splitlines(), new.splitlines(), name_a, name_b, lineterm=""))
    if not lines:
        return Text(f"The file is the same at runs {a} and {b}.")
    return Syntax("\n".join(lines), "diff", theme="ansi_dark", background_color="default", word_wrap=True)
