"""`python -m kata review`: the session afterwards. Traffic lights per driver and per step, the longest red
stretch, the cycles, the predictions, and any two runs' files side by side.

The log is streamed: one pass keeps counts per step and per driver and the last few runs, so a session of
any length takes memory for a screen or two, not for the whole log.
"""

from __future__ import annotations

import difflib
import heapq
import re
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.padding import Padding
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text

from kata.core import look
from kata.core.cli import UsageError
from kata.core.look import State, counted, duration
from kata.core.registry import STEPS
from kata.core.runlog import Event, LoggedRun, copy_text, iter_events, iter_runs, stub_text
from kata.loop import screens

LIGHTS = 60  # lights in the strip of all runs; the per-driver and per-step strips show half as many
ROWS = 20  # runs in the table under the summary
NARROW = 70  # columns below which the runs are paragraphs, not a table
SAID = 24  # columns what the tests said needs in the table at least, else the runs are paragraphs
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

    def __init__(self, folders: Sequence[Path], local: Path | None = None) -> None:
        self.folders = list(folders)
        self.local = local  # this kata's own log folder, when it is one of them

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

    def stops(self) -> dict[Path, Stops]:
        """Each folder's pauses and breaks: the times its clock stood still."""
        return {folder: Stops.of(iter_events(folder)) for folder in self.folders}


STILL = re.compile(r"(\d{1,7}) s\b")  # a pause's or a break's length, as the dojo logs it: "95 s"
SPANS = 10_000  # pauses and breaks kept per table (a real session has a few dozen)


@dataclass
class Stops:
    """The spans a table's clock stood still (pauses, breaks, and the gaps before a restart), merged and in order:
    red time leaves them out."""

    spans: list[tuple[datetime, datetime]] = field(default_factory=list)

    @classmethod
    def of(cls, events: Iterable[Event]) -> Stops:
        """The spans of the pause and break events (logged at their end, with their length; an old break without
        one stands for no time)."""
        spans: list[tuple[datetime, datetime]] = []
        for event in events:
            found = STILL.match(event.detail) if event.event in ("pause", "break") else None
            if found and len(spans) < SPANS:
                end = event.when
                spans.append((end - timedelta(seconds=int(found.group(1))), end))
        return cls(cls.of_spans(spans))

    def add(self, start: datetime, end: datetime) -> None:
        """One more span the clock stood still (a restart's gap), kept merged and in order."""
        if end > start and len(self.spans) < SPANS:
            self.spans = Stops.of_spans([*self.spans, (start, end)])

    @staticmethod
    def of_spans(spans: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
        merged: list[tuple[datetime, datetime]] = []
        for start, end in sorted(spans):
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        return merged

    def within(self, start: datetime, end: datetime) -> float:
        """Seconds between `start` and `end` that the clock stood still."""
        return sum(
            max(0.0, (min(end, b) - max(start, a)).total_seconds())
            for a, b in self.spans
            if a < end and b > start
        )


def gather(folders: Sequence[Path], local: Path | None = None) -> Session:
    """The logs of one or more machines, merged in time order, runs numbered 1, 2, 3… (streamed, not read whole);
    `local` is this kata's own log folder, named as such when the review says where each table's log came from."""
    return Session(folders, local)


def lights(states: Iterable[str], ascii: bool = False, earlier: int = 0) -> Text:
    """A traffic-light strip: one symbol per run, coloured where colour is on; '…' when earlier runs are left out."""
    strip = Text("…" if earlier and not ascii else "... " if earlier else "")
    for state in states:
        found = look.state(state)
        strip.append(found.ascii_symbol if ascii else found.symbol, found.style)
        if ascii:
            strip.append(" ")
    return strip


STEP_TIME = (
    "time: from the run before a step's first save to its last save (its green, once it passes)."
)


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
    stops: Stops | None = None  # the table's pauses and breaks, left out of its time
    items: list[Logged] = field(
        default_factory=list
    )  # its runs (the first few hundred), for the handout's diffs

    @property
    def seconds(self) -> float:
        """How long it was red, pauses and breaks left out."""
        if not (self.start and self.end):
            return 0.0
        still = self.stops.within(self.start, self.end) if self.stops else 0.0
        return max(0.0, (self.end - self.start).total_seconds() - still)


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
    turns: int = 0  # every table's, the first included
    still: dict[str, float] = field(default_factory=dict)  # seconds paused and on breaks, by which
    stops: dict[Path, Stops] = field(default_factory=dict)  # each folder's pauses and breaks
    wrong: list[Logged] = field(
        default_factory=list
    )  # the saves whose prediction was wrong (the first hundred)
    merged: str = ""  # with several log folders: which tables came from which (merged_words)

    def add(self, item: Logged) -> None:
        run, when = item.run, item.run.when
        stops = self.stops.setdefault(item.folder, Stops())
        self.count += 1
        self.start = self.start or when
        self.end = when
        self.last.append(item)
        if len(self.tracks) >= 1000 and item.source not in self.tracks:
            return  # a damaged or crafted log with thousands of machines: the first thousand are plenty
        track = self.tracks.setdefault(item.source, Track())
        # the time since the run before goes to the step of this one: the work that led to it (STEP_TIME), so a
        # step's time ends at its own last save, the last step's as every other's
        if track.previous is not None and run.trigger != "start":
            spent = (when - track.previous.when).total_seconds()
            spent = max(0.0, spent - stops.within(track.previous.when, when))
            self.steps.setdefault(run.step, Tally()).seconds += spent
            track.tally.seconds += spent
        elif track.previous is not None:
            # the dojo (or watch) stopped and started again: the time between is nobody's, red or not
            stops.add(track.previous.when, when)
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
            if run.prediction != run.state and len(self.wrong) < 100:
                self.wrong.append(item)
        stretch = track.stretch
        if stretch is not None and stretch.step != run.step:
            # another step: that stretch ended unresolved (a jump, --from, goto)
            self.close(track, None)
            stretch = None
        if run.state != "green":
            if stretch is None:
                stretch = track.stretch = Stretch(
                    run.step,
                    item.source,
                    first=item.number,
                    start=when,
                    message=run.message,
                    stops=stops,
                )
            stretch.runs += 1
            if len(stretch.items) < 300:
                stretch.items.append(item)
            stretch.last, stretch.end = item.number, when
            if run.driver and len(stretch.drivers) < DRIVERS:
                stretch.drivers.add(run.driver)
        elif stretch is not None:
            stretch.end, stretch.ended = when, True
            if len(stretch.items) < 301:
                stretch.items.append(item)  # the green that ended it
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
        # a resumed turn was counted when it began (or when the dojo stopped on the handover screen)
        if event.event == "turn" and "resumed" not in event.detail:
            self.turns += 1
        found = STILL.match(event.detail) if event.event in ("pause", "break") else None
        if found:
            self.still[event.event] = self.still.get(event.event, 0.0) + int(found.group(1))
        if event.event == "handover":
            why = event.detail.split(";")[0] or "time"
            self.handovers[why] = self.handovers.get(why, 0) + 1
        if event.event == "hint":
            step = event.detail.split(",")[0] or "a step"
            self.hints[step] = self.hints.get(step, 0) + 1


def summarize(session: Session, rows: int = ROWS) -> Summary:
    """One pass over the runs (keeping the last `rows`), and one over each table's events."""
    summary = Summary(rows=rows, last=deque(maxlen=rows), stops=session.stops())
    for item in session:
        summary.add(item)
    for track in summary.tracks.values():
        summary.close(track, None)
    summary.merged = merged_words(session)
    for folder in session.folders:
        first = busy = False
        for event in iter_events(folder):
            summary.note(event)
            first = first or (event.event == "turn" and "first" in event.detail)
            busy = busy or event.event in ("turn", "handover")
        # a log from before first turns were logged: its first turn counts all the same
        summary.turns += busy and not first
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
    message = plain(stretch.message)
    said = f' First it said: "{message}"' if message else ""
    runs = (
        f"{stretch.first}" if stretch.first == stretch.last else f"{stretch.first}–{stretch.last}"
    )
    return (
        f"{duration(stretch.seconds)} on step {stretch.step}{at}, {counted(stretch.runs, 'run')} "
        f"({runs}){drivers}{ended}.{said}"
    )


def plain(message: str) -> str:
    """A test's message without pytest's prefix (AssertionError:, Failed:), as the learner's screen says it."""
    return message.removeprefix("AssertionError: ").removeprefix("Failed: ")


def merged_words(session: Session) -> str:
    """Where each table's log came from, when the review merges several folders; this kata's own says that it
    joins every --merge, so a table nobody asked for is never a surprise."""
    if len(session.folders) < 2:
        return ""
    tables: dict[Path, dict[str, None]] = {folder: {} for folder in session.folders}
    for item in session:
        if len(tables[item.folder]) < DRIVERS:
            tables[item.folder][item.source] = None

    def place(folder: Path) -> str:
        if session.local is not None and folder == session.local:
            return "this kata's own log (it joins every --merge)"
        return (folder.parent if folder.name == ".kata" else folder).as_posix()

    return (
        "Logs merged: "
        + "; ".join(
            f"{', '.join(names) or 'no runs'} from {place(folder)}"
            for folder, names in tables.items()
        )
        + "."
    )


def dojo_words(summary: Summary) -> list[str]:
    """The dojo's turns, handovers, finishes to green, hints and breaks, in sentences."""
    events, lines = summary.events, []
    if summary.turns or events.get("handover") or summary.still:
        on_time, early = summary.handovers.get("time", 0), summary.handovers.get("skip", 0)
        breaks, paused = summary.still.get("break"), summary.still.get("pause")
        lines.append(
            f"Turns: {summary.turns}; handovers: {on_time} when time was up, {early} early"
            + (
                f"; {counted(events['finish'], 'pair')} finished the cycle to green after time"
                if events.get("finish")
                else ""
            )
            + (f"; {counted(events['break'], 'break')}" if events.get("break") else "")
            + (f" ({duration(breaks)})" if breaks else "")
            + (
                f"; paused {counted(events['pause'], 'time')} ({duration(paused or 0)})"
                if events.get("pause")
                else ""
            )
            + "."
        )
        if breaks or paused:
            lines.append("Red time and time per step leave out the pauses and breaks.")
    if summary.hints:
        by_step = ", ".join(f"{step}: {count}" for step, count in sorted(summary.hints.items()))
        lines.append(f"Hints shown: {sum(summary.hints.values())} ({by_step}).")
    return lines


class ReviewScreen:
    """The whole review as one renderable: a screen or two however long the session was, in ASCII when the
    console's options say so."""

    def __init__(self, session: Session, rows: int = ROWS) -> None:
        self.summary = summarize(session, rows)  # the log is read once, now
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
                f"Session review: {counted(summary.saves, 'save')} checked"
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
            *([Text(summary.merged)] if summary.merged else []),
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
        parts += [table, Text(STEP_TIME, "dim")]
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
                    f"{counted(summary.saves - summary.predicted, 'save')} without one."
                )
            )
        parts += [Text(line) for line in dojo_words(summary)]
        parts.append(RunsTable(summary.last, tables))
        hidden = summary.count - len(summary.last)
        if hidden:
            first = summary.last[0].number
            parts.append(
                Text(
                    f"{counted(hidden, 'earlier run')} not shown: python -m kata review --runs "
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
        table = Table(box=box.ASCII2 if ascii else box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
        for name in run_columns(machines):
            if name == "what the tests said":  # words wrap at spaces; the other columns never wrap
                table.add_column(name, overflow="fold", min_width=SAID, ratio=1)
            else:
                table.add_column(name, no_wrap=True)
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
        # eight columns of a few letters each are unreadable: a run per paragraph when what the tests said would
        # have fewer than SAID columns of its own
        if options.max_width >= NARROW and options.max_width - self.columns() >= SAID:
            yield table
            return
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

    def columns(self) -> int:
        """Columns the table takes besides what the tests said: each column's widest cell, and a gap of three (a
        space each side and one between) after each."""
        logged = self.logged
        widths = [
            max([1, *(len(str(item.number)) for item in logged)]),
            8,
            *([max([5, *(cell_len(item.source) for item in logged)])] if self.machines else []),
            max([6, *(cell_len(item.run.driver) for item in logged)]),
            4,
            max([5, *(cell_len(screens.badge(item.run.state).plain) for item in logged)]),
            9,
        ]
        return sum(widths) + 3 * len(widths)


def run_columns(tables: bool) -> list[str]:
    """The columns of a table of runs (the review's and the handout's)."""
    return [
        "#",
        "time",
        *(["table"] if tables else []),
        "driver",
        "step",
        "state",
        "predicted",
        "what the tests said",
    ]


def said_of(run: LoggedRun) -> str:
    """What a run's tests said, in a line: its message, else its test; a start or re-run says so."""
    said = plain(run.message) or run.test.split("::", 1)[-1]
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


@dataclass
class Diff:
    """How a step file changed between two versions: notes to read first, then the unified diff's lines (whole, never
    wrapped: piped, they are a diff a tool can apply)."""

    notes: list[str]
    lines: list[str]
    same: str = ""  # said instead of a diff when the two versions are the same

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        notes = [Text(note, "bold yellow") for note in self.notes]
        if not self.lines:
            yield Group(*notes, Text(self.same))
            return
        yield Group(
            *notes,
            Syntax(
                "\n".join(self.lines),
                "diff",
                theme="ansi_dark",
                background_color="default",
                word_wrap=True,
            ),
        )

    def plain(self) -> str:
        """The notes and the diff as text, one line each."""
        return "\n".join([*self.notes, *(self.lines or [self.same])])


def stub_of(item: Logged) -> tuple[str | None, str]:
    """The stub of a run's step as its log kept it, and its name in a diff."""
    step = STEPS[item.run.step - 1]
    return stub_text(item.folder, step), f"the stub of {step.learner_file}"


def diff_of(first: Logged | None, second: Logged, a: int | str, b: int) -> Diff | Text:
    """The diff from one run's copy (None: the stub of the second's step) to another's; a sentence when a copy is
    missing."""
    if first is None:
        old, name_a = stub_of(second)
        if old is None:
            return Text(
                f"Run {b} is the first on step {second.run.step} at {second.source or 'this table'}, and its log "
                "kept no stub (it was written before stubs were kept): there is nothing to compare it with."
            )
    else:
        old = copy_text(first.folder, first.run)
        where = f" at {first.source}" if first.source != second.source else ""
        name_a = f"run {a}{where}: {STEPS[first.run.step - 1].learner_file}"
    new = copy_text(second.folder, second.run)
    if old is None or new is None:
        return Text(f"No copy of the file was kept for run {a if old is None else b}.")
    where = f" at {second.source}" if first is not None and first.source != second.source else ""
    name_b = f"run {b}{where}: {STEPS[second.run.step - 1].learner_file}"
    notes: list[str] = []
    if first is not None and first.run.step != second.run.step:
        notes.append(
            f"Runs {a} and {b} are on different steps ({first.run.step} and {second.run.step}): this compares "
            "two different files."
        )
    if first is not None and first.source != second.source:
        notes.append(
            f"Runs {a} and {b} were made at different tables ({first.source} and {second.source})."
        )
    lines = list(
        difflib.unified_diff(
            printable(old).splitlines(), printable(new).splitlines(), name_a, name_b, lineterm=""
        )
    )
    shown_a = "the stub" if first is None else f"runs {a} and"
    return Diff(
        notes,
        lines,
        f"The file is the same at {shown_a} {b}." if first else f"Run {b} is the stub as shipped.",
    )


def diff_screen(logged: Iterable[Logged], a: int, b: int | None = None) -> Diff | Text:
    """The unified diff of the step file between two runs (or run `a` and the run before it on its step, or the
    step's stub when it is the first)."""
    if b is None:
        earlier, second = previous_of(logged, a)
        return diff_of(earlier, second, earlier.number if earlier else "stub", a)
    first, second = pick(logged, a, b)
    return diff_of(first, second, a, b)
