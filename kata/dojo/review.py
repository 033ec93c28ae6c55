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
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.padding import Padding
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text

from kata.core import look
from kata.core.cli import UsageError
from kata.core.look import STEP_STATES, State, duration
from kata.core.registry import STEPS
from kata.core.runlog import Event, LoggedRun, copy_text, iter_events, iter_runs
from kata.loop import screens

LIGHTS = 60  # lights in the strip of all runs; the per-driver and per-step strips show half as many
ROWS = 20  # runs in the table under the summary
NARROW = 70  # columns below which the runs are paragraphs, not a table
LEGEND = (State.GREEN, State.RED, State.AMBER, State.TIMEOUT)  # the states the legend explains
DRIVERS = 12  # drivers in the table (a real room has fewer; a damaged log may have thousands)


@dataclass(frozen=True)
class Logged:
    """A run with the log folder it came from, its number in the (merged) review, and the table it was made at."""

    number: int
    run: LoggedRun
    folder: Path
    source: str = ""


def folder_label(folder: Path) -> str:
    """A log folder's own name: kake/table-2/.kata → table-2."""
    return (folder.parent.name if folder.name == ".kata" else folder.name) or str(folder)


class Session:
    """The runs of one or more log folders, merged in time order and numbered 1, 2, 3…; read afresh on each pass."""

    def __init__(self, folders: Sequence[Path]) -> None:
        self.folders = list(folders)

    def __iter__(self) -> Iterator[Logged]:
        def keyed(
            index: int, folder: Path
        ) -> Iterator[tuple[tuple[datetime, str, int, int], LoggedRun, Path, int]]:
            for run in iter_runs(folder):
                yield (run.when, run.machine, run.run, index), run, folder, index

        streams = [keyed(index, folder) for index, folder in enumerate(self.folders)]
        owners: dict[str, int] = {}  # a table or machine name and the folder it first came from
        # each log is written in time order, so merging the streams orders them all without holding any
        merged = heapq.merge(*streams, key=lambda item: item[0])
        for number, (_, run, folder, index) in enumerate(merged, start=1):
            name = run.source or folder_label(folder)
            owner = owners.setdefault(name, index)
            # two machines called 'vm'
            source = name if owner == index else f"{name} ({folder_label(folder)})"
            yield Logged(number, run, folder, source)

    def events(self) -> Iterator[Event]:
        """The dojo's events from every folder, merged in time order."""
        return heapq.merge(
            *(iter_events(folder) for folder in self.folders), key=lambda event: event.time
        )


def gather(folders: Sequence[Path]) -> Session:
    """The logs of one or more machines, merged in time order, runs numbered 1, 2, 3… (streamed, not read whole)."""
    return Session(folders)


def lights(states: Iterable[str], ascii: bool = False, earlier: int = 0) -> Text:
    """A traffic-light strip: one symbol per run, coloured where colour is on; '…' when earlier runs are left out."""
    strip = Text("…" if earlier and not ascii else "... " if earlier else "")
    for state in states:
        found = look.state(state)
        strip.append(found.ascii_symbol if ascii else found.symbol, found.style)
        if ascii:
            strip.append(" ")
    return strip


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@dataclass
class Tally:
    """Saves of one driver, one step or one table: how many, the last few lights, cycles, time, predictions."""

    runs: int = 0
    last: deque[str] = field(default_factory=lambda: deque(maxlen=LIGHTS // 2))
    cycles: int = 0
    seconds: float = 0.0
    predicted: int = 0
    right: int = 0

    def add(self, run: LoggedRun) -> None:
        self.runs += 1
        self.last.append(run.state)
        if run.prediction:
            self.predicted += 1
            self.right += run.prediction == run.state

    def strip(self, ascii: bool) -> Text:
        return lights(self.last, ascii, self.runs - len(self.last))


@dataclass
class Stretch:
    """Saves on one step at one table that were not green, until the green that ended them: how long, who, why."""

    step: int = 0
    source: str = ""
    runs: int = 0
    first: int = 0  # the numbers of its first and last run in the review
    last: int = 0
    start: datetime | None = None
    end: datetime | None = None
    drivers: set[str] = field(default_factory=set)
    message: str = ""  # what the first failing run said
    ended: bool = False  # a green ended it (else the session, a restart or another step did)

    @property
    def seconds(self) -> float:
        return (self.end - self.start).total_seconds() if self.start and self.end else 0.0


@dataclass
class Track:
    """One table's (or machine's) session, in its own order: the step worked on, the red stretch open, the time."""

    tally: Tally = field(default_factory=Tally)
    last_state: dict[int, str] = field(default_factory=dict)
    previous: LoggedRun | None = None
    stretch: Stretch | None = None
    longest: Stretch | None = None


@dataclass
class Summary:
    """Everything the review shows, gathered in one pass over the runs (and the dojo's events)."""

    count: int = 0
    saves: int = 0
    start: datetime | None = None
    end: datetime | None = None
    drivers: dict[str, Tally] = field(default_factory=dict)
    steps: dict[int, Tally] = field(default_factory=dict)
    tracks: dict[str, Track] = field(default_factory=dict)
    longest: dict[int, Stretch] = field(default_factory=dict)  # the longest red by time, per step
    rows: int = ROWS
    last: deque[Logged] = field(default_factory=lambda: deque(maxlen=ROWS))
    strip: deque[str] = field(default_factory=lambda: deque(maxlen=LIGHTS))
    cycles: int = 0
    predicted: int = 0
    right: int = 0
    events: dict[str, int] = field(default_factory=dict)
    handovers: dict[str, int] = field(default_factory=dict)  # by why: time or skip
    hints: dict[str, int] = field(default_factory=dict)  # by step

    def add(self, item: Logged) -> None:
        run, when = item.run, item.run.when
        self.count += 1
        self.start = self.start or when
        self.end = when
        self.last.append(item)
        if len(self.tracks) >= 1000 and item.source not in self.tracks:
            return  # a damaged or crafted log with thousands of machines: the first thousand are plenty
        track = self.tracks.setdefault(item.source, Track())
        # the time until the next run goes to this step
        if track.previous is not None and run.trigger != "start":
            self.steps.setdefault(track.previous.step, Tally()).seconds += max(
                0.0, (when - track.previous.when).total_seconds()
            )
            track.tally.seconds += max(0.0, (when - track.previous.when).total_seconds())
        track.previous = run
        # a start or a re-run looks again: it is no new try (a restart ends no stretch)
        if run.trigger != "save":
            return
        self.saves += 1
        self.strip.append(run.state)
        track.tally.add(run)
        self.steps.setdefault(run.step, Tally()).add(run)
        # a red-green cycle
        finished = run.state == "green" and track.last_state.get(run.step, "green") != "green"
        track.last_state[run.step] = run.state
        self.cycles += finished
        track.tally.cycles += finished
        if run.driver:
            tally = self.drivers.setdefault(run.driver, Tally())
            tally.add(run)
            tally.cycles += finished
        if run.prediction:
            self.predicted += 1
            self.right += run.prediction == run.state
        stretch = track.stretch
        if stretch is not None and stretch.step != run.step:
            # another step: that stretch ended unresolved (a jump, --from, goto)
            self.close(track, None)
            stretch = None
        if run.state != "green":
            if stretch is None:
                stretch = track.stretch = Stretch(
                    run.step, item.source, first=item.number, start=when, message=run.message
                )
            stretch.runs += 1
            stretch.last, stretch.end = item.number, when
            if run.driver and len(stretch.drivers) < DRIVERS:
                stretch.drivers.add(run.driver)
        elif stretch is not None:
            stretch.end, stretch.ended = when, True
            self.close(track, when)

    def close(self, track: Track, end: datetime | None) -> None:
        """The red stretch open at this table ends: keep it when it is the longest yet, for its step and its table."""
        stretch, track.stretch = track.stretch, None
        if stretch is None:
            return
        if end is not None:
            stretch.end = end
        for best, put in (
            (self.longest.get(stretch.step), lambda s: self.longest.__setitem__(stretch.step, s)),
            (track.longest, lambda s: setattr(track, "longest", s)),
        ):
            if best is None or stretch.seconds > best.seconds:
                put(stretch)

    def note(self, event: Event) -> None:
        self.events[event.event] = self.events.get(event.event, 0) + 1
        if event.event == "handover":
            why = event.detail.split(";")[0] or "time"
            self.handovers[why] = self.handovers.get(why, 0) + 1
        if event.event == "hint":
            step = event.detail.split(",")[0] or "a step"
            self.hints[step] = self.hints.get(step, 0) + 1


def summarize(logged: Iterable[Logged], events: Iterable[Event] = (), rows: int = ROWS) -> Summary:
    """One pass over the runs (keeping the last `rows`), and one over the dojo's events."""
    summary = Summary(rows=rows, last=deque(maxlen=rows))
    for item in logged:
        summary.add(item)
    for track in summary.tracks.values():
        summary.close(track, None)
    for event in events:
        summary.note(event)
    return summary


def longest_of(summary: Summary) -> Stretch | None:
    """The longest red stretch of the session, by time."""
    return max(summary.longest.values(), key=lambda stretch: stretch.seconds, default=None)


def stretch_words(stretch: Stretch, tables: bool) -> str:
    """A red stretch in a sentence: how long, where, who, and what the tests said first."""
    who = sorted(stretch.drivers)
    drivers = f", {'driver' if len(who) == 1 else 'drivers'} {', '.join(who)}" if who else ""
    at = f" at {stretch.source}" if tables else ""
    ended = "" if stretch.ended else " (not green by the end)"
    said = f' First it said: "{stretch.message}"' if stretch.message else ""
    return (
        f"{duration(stretch.seconds)} on step {stretch.step}{at}, {plural(stretch.runs, 'run')} "
        f"({stretch.first}–{stretch.last}){drivers}{ended}.{said}"
    )


def dojo_words(summary: Summary) -> list[str]:
    """The dojo's turns, handovers, finishes to green, hints and breaks, in sentences."""
    events, lines = summary.events, []
    if events.get("turn") or events.get("handover"):
        on_time, early = summary.handovers.get("time", 0), summary.handovers.get("skip", 0)
        lines.append(
            f"Turns: {events.get('turn', 0) + 1}; handovers: {on_time} when time was up, {early} early"
            + (
                f"; {plural(events['finish'], 'pair')} finished the cycle to green after time"
                if events.get("finish")
                else ""
            )
            + (f"; {plural(events['break'], 'break')}" if events.get("break") else "")
            + "."
        )
    if summary.hints:
        by_step = ", ".join(f"{step}: {count}" for step, count in sorted(summary.hints.items()))
        lines.append(f"Hints shown: {sum(summary.hints.values())} ({by_step}).")
    return lines


class ReviewScreen:
    """The whole review as one renderable: a screen or two however long the session was, in ASCII when the
    console's options say so."""

    def __init__(
        self, logged: Iterable[Logged], events: Iterable[Event] = (), rows: int = ROWS
    ) -> None:
        self.summary = summarize(logged, events, rows)  # the log is read once, now
        self.rows = rows

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        summary, rows, ascii = self.summary, self.rows, options.ascii_only
        if not summary.count:
            yield Text(
                "No runs logged yet: python -m kata watch or python -m kata dojo log every check in .kata/runs.jsonl."
            )
            return
        assert summary.start is not None and summary.end is not None
        drivers = list(summary.drivers)
        start, end = summary.start, summary.end
        tables = len(summary.tracks) > 1
        ending = f"{end:%H:%M}" if end.date() == start.date() else f"{end:%Y-%m-%d %H:%M}"
        named = ", ".join(drivers[:DRIVERS]) + (
            f" and {len(drivers) - DRIVERS} more" if len(drivers) > DRIVERS else ""
        )
        looks = summary.count - summary.saves
        parts: list[RenderableType] = [
            Text(
                f"Session review: {plural(summary.saves, 'save')} checked"
                + (
                    f" (and {looks} start or re-run {'check' if looks == 1 else 'checks'}, not counted)"
                    if looks
                    else ""
                )
                + f", from {start:%Y-%m-%d %H:%M} to {ending} ({duration((end - start).total_seconds())})"
                + (f", drivers {named}" if drivers else "")
                + (f", {len(summary.tracks)} tables" if tables else ""),
                "bold",
            ),
            Text(
                "Legend: "
                + "  ".join(
                    f"{state.ascii_symbol if ascii else state.symbol} {state}" for state in LEGEND
                ),
                "dim",
            ),
            Text.assemble(
                "All saves: ",
                lights(summary.strip, ascii, summary.saves - len(summary.strip)),
                f"  (the last {len(summary.strip)})" if summary.saves > len(summary.strip) else "",
            ),
        ]
        table_box = box.ASCII2 if ascii else box.SIMPLE_HEAD
        if drivers:
            table = Table(
                "driver",
                "saves",
                "lights",
                "cycles",
                "predictions right",
                box=table_box,
                pad_edge=False,
            )
            for driver in drivers[:DRIVERS]:
                tally = summary.drivers[driver]
                table.add_row(
                    Text(driver),
                    str(tally.runs),
                    tally.strip(ascii),
                    str(tally.cycles),
                    f"{tally.right} of {tally.predicted}" if tally.predicted else "-",
                )
            parts.append(table)
        table = Table(
            "step", "saves", "lights", "time", "longest red", box=table_box, pad_edge=False
        )
        for step in STEPS:
            if step.number in summary.steps:
                tally = summary.steps[step.number]
                red = summary.longest.get(step.number)
                table.add_row(
                    f"{step.number} {step.title}",
                    str(tally.runs),
                    tally.strip(ascii),
                    duration(tally.seconds),
                    duration(red.seconds) if red else "-",
                )
        parts.append(table)
        if tables:
            table = Table(
                "table",
                "saves",
                "lights",
                "cycles",
                "time",
                "longest red",
                box=table_box,
                pad_edge=False,
            )
            for source, track in list(summary.tracks.items())[:DRIVERS]:
                red = track.longest
                table.add_row(
                    Text(source),
                    str(track.tally.runs),
                    track.tally.strip(ascii),
                    str(track.tally.cycles),
                    duration(track.tally.seconds),
                    f"{duration(red.seconds)} on step {red.step}" if red else "-",
                )
            parts.append(table)
        longest = longest_of(summary)
        parts.append(
            Text(f"Longest red: {stretch_words(longest, tables)}" if longest else "No red at all.")
        )
        parts.append(Text(f"Red-green cycles completed: {summary.cycles}."))
        if summary.predicted:
            parts.append(
                Text(
                    f"Predictions: {summary.right} right, {summary.predicted - summary.right} wrong, "
                    f"{plural(summary.saves - summary.predicted, 'save')} without one."
                )
            )
        parts += [Text(line) for line in dojo_words(summary)]
        parts.append(RunsTable(summary.last, tables))
        hidden = summary.count - len(summary.last)
        if hidden:
            first = summary.last[0].number
            parts.append(
                Text(
                    f"{plural(hidden, 'earlier run')} not shown: python -m kata review --runs "
                    f"{max(1, first - rows)}-{first - 1} shows them {rows} at a time (any range A-B).",
                    "dim",
                )
            )
        parts.append(
            Text(
                "How a file changed: --diff N (against the run before it on that step) or --diff A B · bring "
                "one back: --restore N · hand it to the group: --save review.md (or .html)",
                "dim",
            )
        )
        yield Group(*parts)


@dataclass
class RunsTable:
    """These runs, numbered for --diff and --restore, each with what its tests said."""

    logged: Sequence[Logged]
    machines: bool = False

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        logged, machines, ascii = self.logged, self.machines, options.ascii_only
        # eight columns of a few letters each are unreadable: a run per paragraph
        if options.max_width < NARROW:
            for item in logged:
                run = item.run
                yield Text.assemble(
                    f"#{item.number} {run.when:%H:%M:%S} ",
                    *([f"{item.source} "] if machines else []),
                    f"step {run.step} ",
                    screens.badge(run.state, ascii),
                )
                about = [
                    run.driver,
                    f"predicted {run.prediction}" if run.prediction else "",
                    said_of(run),
                ]
                if any(about):
                    yield Padding(Text(" · ".join(a for a in about if a), "dim"), (0, 0, 0, 2))
            return
        table = Table(box=box.ASCII2 if ascii else box.SIMPLE_HEAD, pad_edge=False)
        for name in [
            "#",
            "time",
            *(["table"] if machines else []),
            "driver",
            "step",
            "state",
            "predicted",
            "what the tests said",
        ]:
            table.add_column(name, overflow="fold")
        for item in logged:
            run = item.run
            table.add_row(
                str(item.number),
                f"{run.when:%H:%M:%S}",
                *([Text(item.source)] if machines else []),
                Text(run.driver or "-"),
                str(run.step),
                screens.badge(run.state, ascii),
                Text(run.prediction or "-"),
                Text(said_of(run)),
            )
        yield table


def said_of(run: LoggedRun) -> str:
    """What a run's tests said, in a line: its message, else its test; a start or re-run says so."""
    said = (
        run.message.removeprefix("AssertionError: ").removeprefix("Failed: ")
        or run.test.split("::", 1)[-1]
    )
    if run.trigger != "save":
        said = f"({'start' if run.trigger == 'start' else 're-run'}) {said}".strip()
    return said


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


def runs_screen(logged: Iterable[Logged], low: int, high: int) -> RenderableType:
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
    return RunsTable(chosen, len(machines) > 1)


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


def previous_of(logged: Iterable[Logged], number: int) -> tuple[Logged | None, Logged]:
    """Run `number` and the run before it on the same step at the same table (None when there is none)."""
    before: dict[tuple[int, str], Logged] = {}
    count = 0
    for item in logged:
        count = item.number
        if item.number == number:
            return before.get((item.run.step, item.source)), item
        if item.run.file:
            before[(item.run.step, item.source)] = item
    raise LookupError(f"there is no run {number}: the review numbers runs 1 to {count}")


def diff_screen(logged: Iterable[Logged], a: int, b: int | None = None) -> RenderableType:
    """The unified diff of the step file between two runs (or run `a` and the run before it on its step)."""
    if b is None:
        earlier, second = previous_of(logged, a)
        if earlier is None:
            return Text(
                f"Run {a} is the first on step {second.run.step} at {second.source or 'this table'}: there is no "
                "earlier run to compare it with."
            )
        first, a, b = earlier, earlier.number, a
    else:
        first, second = pick(logged, a, b)
    old, new = copy_text(first.folder, first.run), copy_text(second.folder, second.run)
    if old is None or new is None:
        return Text(f"No copy of the file was kept for run {a if old is None else b}.")
    where_a = f" at {first.source}" if first.source != second.source else ""
    where_b = f" at {second.source}" if first.source != second.source else ""
    name_a = f"run {a}{where_a}: {STEPS[first.run.step - 1].learner_file}"
    name_b = f"run {b}{where_b}: {STEPS[second.run.step - 1].learner_file}"
    notes: list[RenderableType] = []
    if first.run.step != second.run.step:
        notes.append(
            Text(
                f"Runs {a} and {b} are on different steps ({first.run.step} and {second.run.step}): this compares "
                "two different files.",
                "bold yellow",
            )
        )
    if first.source != second.source:
        notes.append(
            Text(
                f"Runs {a} and {b} were made at different tables ({first.source} and {second.source}).",
                "bold yellow",
            )
        )
    lines = list(
        difflib.unified_diff(
            printable(old).splitlines(), printable(new).splitlines(), name_a, name_b, lineterm=""
        )
    )
    if not lines:
        return Group(*notes, Text(f"The file is the same at runs {a} and {b}."))
    return Group(
        *notes,
        Syntax(
            "\n".join(lines), "diff", theme="ansi_dark", background_color="default", word_wrap=True
        ),
    )


def markdown(logged: Iterable[Logged], events: Iterable[Event] = ()) -> str:
    """The review as a Markdown document, to hand to the group."""
    summary = summarize(logged, events)
    if not summary.count or summary.start is None or summary.end is None:
        return "# Session review\n\nNo runs were logged.\n"
    tables = len(summary.tracks) > 1

    def cell(text: object) -> str:
        return str(text).replace("|", "\\|").replace("\n", " ")

    out = [
        f"# Session review, {summary.start:%Y-%m-%d %H:%M} to {summary.end:%H:%M}",
        "",
        f"- {plural(summary.saves, 'save')} checked in {duration((summary.end - summary.start).total_seconds())}"
        + (f", {len(summary.tracks)} tables" if tables else ""),
        f"- red-green cycles completed: {summary.cycles}",
    ]
    if summary.predicted:
        out.append(
            f"- predictions: {summary.right} right, {summary.predicted - summary.right} wrong"
        )
    longest = longest_of(summary)
    out.append(f"- longest red: {stretch_words(longest, tables)}" if longest else "- no red at all")
    out += [f"- {line}" for line in dojo_words(summary)]
    lights_of = {state.value: state.symbol for state in STEP_STATES}
    if summary.drivers:
        out += [
            "",
            "## Drivers",
            "",
            "| driver | saves | lights | cycles | predictions right |",
            "|---|---|---|---|---|",
        ]
        for driver, tally in list(summary.drivers.items())[:DRIVERS]:
            out.append(
                f"| {cell(driver)} | {tally.runs} | {''.join(lights_of[s] for s in tally.last)} | {tally.cycles} | "
                + (f"{tally.right} of {tally.predicted} |" if tally.predicted else "- |")
            )
    out += [
        "",
        "## Steps",
        "",
        "| step | saves | lights | time | longest red |",
        "|---|---|---|---|---|",
    ]
    for step in STEPS:
        if step.number in summary.steps:
            tally, red = summary.steps[step.number], summary.longest.get(step.number)
            out.append(
                f"| {step.number} {cell(step.title)} | {tally.runs} | {''.join(lights_of[s] for s in tally.last)} | "
                f"{duration(tally.seconds)} | {duration(red.seconds) if red else '-'} |"
            )
    out += [
        "",
        f"All saves, in order: {''.join(lights_of[state] for state in summary.strip)}"
        + (
            f" (the last {len(summary.strip)} of {summary.saves})"
            if summary.saves > len(summary.strip)
            else ""
        ),
    ]
    out += [
        "",
        "## The last runs",
        "",
        "| # | time | "
        + ("table | " if tables else "")
        + "driver | step | state | predicted | what the tests said |",
        "|---|---|" + ("---|" if tables else "") + "---|---|---|---|---|",
    ]
    for item in summary.last:
        run = item.run
        said = run.message.removeprefix("AssertionError: ").removeprefix("Failed: ")
        if run.trigger != "save":
            said = f"({'start' if run.trigger == 'start' else 're-run'}, not counted) {said}"
        out.append(
            f"| {item.number} | {run.when:%H:%M:%S} | "
            + (f"{cell(item.source)} | " if tables else "")
            + f"{cell(run.driver or '-')} | {run.step} | {run.state} | {run.prediction or '-'} | {cell(said)} |"
        )
    hidden = summary.count - len(summary.last)
    if hidden:
        out += [
            "",
            f"{plural(hidden, 'earlier run')} not shown here: `python -m kata review --runs A-B` lists them.",
        ]
    return "\n".join(out) + "\n"
