"""`python -m kata review`: the session afterwards. Traffic lights per driver and per step, the longest red
stretch, the cycles, the predictions, and any two runs' files side by side.

The log is streamed: one pass keeps counts per step and per driver and the last few runs, so a session of
any length takes memory for a screen or two, not for the whole log.
"""

from __future__ import annotations

import difflib
import heapq
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from rich import box
from rich.console import Group, RenderableType
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text

from . import screens
from .cli import UsageError
from .registry import STEPS
from .runlog import Run, copy_text, iter_runs

LIGHTS = 60  # lights in the strip of all runs; the per-driver and per-step strips show half as many
ROWS = 20  # runs in the table under the summary
DRIVERS = 12  # drivers in the table (a real room has fewer; a damaged log may have thousands)


@dataclass(frozen=True)
class Logged:
    """A run with the log folder it came from and its number in the (merged) review."""

    number: int
    run: Run
    folder: Path


class Session:
    """The runs of one or more log folders, merged in time order and numbered 1, 2, 3…; read afresh on each pass."""

    def __init__(self, folders: Sequence[Path]) -> None:
        self.folders = list(folders)

    def __iter__(self) -> Iterator[Logged]:
        def keyed(index: int, folder: Path) -> Iterator[tuple[tuple[datetime, str, int, int], Run, Path]]:
            for run in iter_runs(folder):
                yield (run.when, run.machine, run.run, index), run, folder

        streams = [keyed(index, folder) for index, folder in enumerate(self.folders)]
        # each log is written in time order, so merging the streams orders them all without holding any
        merged = heapq.merge(*streams, key=lambda item: item[0])
        for number, (_, run, folder) in enumerate(merged, start=1):
            yield Logged(number, run, folder)


def gather(folders: Sequence[Path]) -> Session:
    """The logs of one or more machines, merged in time order, runs numbered 1, 2, 3… (streamed, not read whole)."""
    return Session(folders)


def lights(states: Iterable[str], ascii: bool = False, earlier: int = 0) -> Text:
    """A traffic-light strip: one symbol per run, coloured where colour is on; '…' when earlier runs are left out."""
    strip = Text("…" if earlier and not ascii else "... " if earlier else "")
    for state in states:
        unicode_symbol, ascii_symbol, _, style = screens.LOOK.get(state, screens.LOOK["unknown"])
        strip.append(ascii_symbol if ascii else unicode_symbol, style)
        if ascii:
            strip.append(" ")
    return strip


def minutes(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 60}m {seconds % 60:02d}s"


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@dataclass
class Tally:
    """Runs of one driver or one step: how many, the last few lights, the cycles finished, the time spent."""

    runs: int = 0
    last: deque[str] = field(default_factory=lambda: deque(maxlen=LIGHTS // 2))
    cycles: int = 0
    seconds: float = 0.0

    def add(self, state: str) -> None:
        self.runs += 1
        self.last.append(state)

    def strip(self, ascii: bool) -> Text:
        return lights(self.last, ascii, self.runs - len(self.last))


@dataclass
class Stretch:
    """A run of checks that were not green: how many, from when to when, on which steps, by whom."""

    runs: int = 0
    start: datetime | None = None
    end: datetime | None = None
    steps: set[int] = field(default_factory=set)
    drivers: set[str] = field(default_factory=set)

    @property
    def seconds(self) -> float:
        return (self.end - self.start).total_seconds() if self.start and self.end else 0.0


@dataclass
class Summary:
    """Everything the review shows, gathered in one pass over the runs."""

    count: int = 0
    start: datetime | None = None
    end: datetime | None = None
    drivers: dict[str, Tally] = field(default_factory=dict)
    steps: dict[int, Tally] = field(default_factory=dict)
    machines: set[str] = field(default_factory=set)
    last: deque[Logged] = field(default_factory=lambda: deque(maxlen=ROWS))
    strip: deque[str] = field(default_factory=lambda: deque(maxlen=LIGHTS))
    cycles: int = 0
    predicted: int = 0
    right: int = 0
    longest: Stretch = field(default_factory=Stretch)
    stretch: Stretch = field(default_factory=Stretch)
    last_state: dict[int, str] = field(default_factory=dict)
    previous: Run | None = None
    previous_when: datetime | None = None

    def add(self, item: Logged) -> None:
        run, when = item.run, item.run.when
        self.count += 1
        self.start = self.start or when
        self.end = when
        self.last.append(item)
        self.strip.append(run.state)
        if len(self.machines) < 1000:
            self.machines.add(run.machine)
        if self.previous is not None and self.previous_when is not None:  # the time until the next run goes to this step
            self.steps[self.previous.step].seconds += (when - self.previous_when).total_seconds()
        self.previous, self.previous_when = run, when
        self.steps.setdefault(run.step, Tally()).add(run.state)
        finished = run.state == "green" and self.last_state.get(run.step, "green") != "green"  # a red-green cycle
        self.last_state[run.step] = run.state
        self.cycles += finished
        if run.driver:
            tally = self.drivers.setdefault(run.driver, Tally())
            tally.add(run.state)
            tally.cycles += finished
        if run.prediction:
            self.predicted += 1
            self.right += run.prediction == run.state
        if run.state != "green":
            stretch = self.stretch
            stretch.runs += 1
            stretch.start = stretch.start or when
            stretch.end = when
            stretch.steps.add(run.step)
            if run.driver and len(stretch.drivers) < DRIVERS:
                stretch.drivers.add(run.driver)
        else:
            self.close_stretch(when)

    def close_stretch(self, end: datetime | None) -> None:
        """A stretch of not-green ends (at the next green, or the last run): keep it when it is the longest yet."""
        stretch = self.stretch
        if stretch.runs:
            stretch.end = end or stretch.end
            if (stretch.runs, stretch.seconds) > (self.longest.runs, self.longest.seconds):
                self.longest = stretch
        self.stretch = Stretch()


def summarize(logged: Iterable[Logged]) -> Summary:
    """One pass over the runs."""
    summary = Summary()
    for item in logged:
        summary.add(item)
    summary.close_stretch(None)
    return summary


def review_screen(logged: Iterable[Logged], ascii: bool = False) -> RenderableType:
    """The whole review as one renderable: a screen or two however long the session was."""
    summary = summarize(logged)
    if not summary.count:
        return Text("No runs logged yet: python -m kata watch or python -m kata dojo log every check in .kata/runs.jsonl.")
    assert summary.start is not None and summary.end is not None
    drivers = list(summary.drivers)
    start, end = summary.start, summary.end
    ending = f"{end:%H:%M}" if end.date() == start.date() else f"{end:%Y-%m-%d %H:%M}"
    named = ", ".join(drivers[:DRIVERS]) + (f" and {len(drivers) - DRIVERS} more" if len(drivers) > DRIVERS else "")
    parts: list[RenderableType] = [
        Text(f"Session review: {summary.count} runs from {start:%Y-%m-%d %H:%M} to {ending} "
             f"({minutes((end - start).total_seconds())})" + (f", drivers {named}" if drivers else "")
             + (f", {len(summary.machines)} machines" if len(summary.machines) > 1 else ""), "bold"),
        Text("Legend: ✓ green  ✗ red  ! amber  ⏱ timeout" if not ascii else "Legend: [ok] green  [x] red  [!] amber  [t] timeout", "dim"),
        Text.assemble("All runs:  ", lights(summary.strip, ascii, summary.count - len(summary.strip)),
                      f"  (the last {len(summary.strip)})" if summary.count > len(summary.strip) else ""),
    ]
    table_box = box.ASCII2 if ascii else box.SIMPLE_HEAD
    if drivers:
        table = Table("driver", "runs", "lights", "cycles", box=table_box, pad_edge=False)
        for driver in drivers[:DRIVERS]:
            tally = summary.drivers[driver]
            table.add_row(Text(driver), str(tally.runs), tally.strip(ascii), str(tally.cycles))
        parts.append(table)
    table = Table("step", "runs", "lights", "time", box=table_box, pad_edge=False)
    for step in STEPS:
        if step.number in summary.steps:
            tally = summary.steps[step.number]
            table.add_row(f"{step.number} {step.title}", str(tally.runs), tally.strip(ascii), minutes(tally.seconds))
    parts.append(table)
    longest = summary.longest
    if longest.runs:
        who = sorted(longest.drivers)
        drivers_said = f", {'driver' if len(who) == 1 else 'drivers'} {', '.join(who)}" if who else ""
        parts.append(Text(f"Longest red stretch: {plural(longest.runs, 'run')}, {minutes(longest.seconds)}, on step "
                          f"{', '.join(map(str, sorted(longest.steps)))}{drivers_said}."))
    else:
        parts.append(Text("No red at all."))
    parts.append(Text(f"Red-green cycles completed: {summary.cycles}."))
    if summary.predicted:
        parts.append(Text(f"Predictions: {summary.right} right, {summary.predicted - summary.right} wrong, "
                          f"{plural(summary.count - summary.predicted, 'run')} without one."))
    parts.append(runs_table(summary.last, ascii, len(summary.machines) > 1))
    hidden = summary.count - len(summary.last)
    if hidden:
        first = summary.last[0].number
        parts.append(Text(f"{plural(hidden, 'earlier run')} not shown: python -m kata review --runs "
                          f"{max(1, first - ROWS)}-{first - 1} shows them {ROWS} at a time (any range A-B).", "dim"))
    parts.append(Text("See how a file changed: python -m kata review --diff A B · bring one back: python -m kata review "
                      "--restore A", "dim"))
    return Group(*parts)


def runs_table(logged: Iterable[Logged], ascii: bool = False, machines: bool = False) -> Table:
    """These runs, numbered for --diff and --restore."""
    table = Table(box=box.ASCII2 if ascii else box.SIMPLE_HEAD, pad_edge=False)
    for name in ["#", "time", *(["machine"] if machines else []), "driver", "step", "state", "predicted", "failing test"]:
        table.add_column(name, overflow="fold")
    for item in logged:
        run = item.run
        test = run.test.split("::", 1)[-1]
        table.add_row(str(item.number), f"{run.when:%H:%M:%S}", *([Text(run.machine)] if machines else []),
                      Text(run.driver or "-"), str(run.step), screens.badge(run.state, ascii), Text(run.prediction or "-"),
                      Text(test))
    return table


def run_range(text: str) -> tuple[int, int]:
    """An argparse type for --runs: 'A-B' (or one number A), run numbers from the review."""
    first, _, last = text.partition("-")
    try:
        low, high = int(first), int(last or first)
    except ValueError:
        raise UsageError(f"--runs takes run numbers like 40-60 or 7, not {text!r}") from None
    if not 1 <= low <= high:
        raise UsageError(f"--runs takes a range A-B with 1 <= A <= B, not {text!r}")
    return low, high


def runs_screen(logged: Iterable[Logged], low: int, high: int, ascii: bool = False) -> RenderableType:
    """The runs numbered `low` to `high` (streamed: only those are kept)."""
    chosen: list[Logged] = []
    machines: set[str] = set()
    count = 0
    for item in logged:
        count = item.number
        if len(machines) < 2:
            machines.add(item.run.machine)
        if low <= item.number <= high:
            chosen.append(item)
    if not chosen:
        raise LookupError(f"there are no runs {low}-{high}: the review numbers runs 1 to {count}")
    return runs_table(chosen, ascii, len(machines) > 1)


def pick(logged: Iterable[Logged], *numbers: int) -> list[Logged]:
    """The runs with these numbers in the review, in that order; LookupError when one is missing."""
    found: dict[int, Logged] = {}
    count = 0
    for item in logged:
        count = item.number
        if item.number in numbers:
            found[item.number] = item
            if len(found) == len(set(numbers)):
                break  # no need to read the rest of the log
    for number in numbers:
        if number not in found:
            raise LookupError(f"there is no run {number}: the review numbers runs 1 to {count}")
    return [found[number] for number in numbers]


def printable(text: str) -> str:
    """A copy's text as it can be shown: undecodable bytes as �, control characters (terminal escapes) as spaces."""
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return "".join(c if c.isprintable() or c in "\t\n" else " " for c in text)


def diff_screen(logged: Iterable[Logged], a: int, b: int) -> RenderableType:
    """The unified diff of the step file between two runs."""
    first, second = pick(logged, a, b)
    old, new = copy_text(first.folder, first.run), copy_text(second.folder, second.run)
    if old is None or new is None:
        return Text(f"No copy of the file was kept for run {a if old is None else b}.")
    name_a = f"run {a}: {STEPS[first.run.step - 1].learner_file}"
    name_b = f"run {b}: {STEPS[second.run.step - 1].learner_file}"
    lines = list(difflib.unified_diff(printable(old).splitlines(), printable(new).splitlines(), name_a, name_b, lineterm=""))
    if not lines:
        return Text(f"The file is the same at runs {a} and {b}.")
    return Syntax("\n".join(lines), "diff", theme="ansi_dark", background_color="default", word_wrap=True)
