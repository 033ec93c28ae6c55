"""How a streamed story shows itself while its walk runs: paced live frames, one step at a time, or nothing until
the end; and the steps table of its final screen."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Self

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.live import Live
from rich.text import Text

from kata.core.canvas import bar
from kata.core.cli import Stopped
from kata.trace.descent import Row, Run
from kata.trace.parts import Settings
from kata.trace.protocol import Ended, Message, RowSent
from kata.trace.streaming import Child
from kata.trace.table import StepsTable, events_line, sampling_note
from kata.trace.text import Phrases, num

REFRESH = 8  # live frames per second at most
EARLY = 2.0  # steps: the pace's knee; step n shows at PACE·log(1 + n/EARLY)/log(1 + N/EARLY)


def table_of(run: Run, settings: Settings) -> list[RenderableType]:
    """The steps table and the notes that say how its rows were picked and what happened."""
    numbers = run.shown()
    rows = [run.kept[n] for n in numbers]
    return [
        StepsTable(run, rows),
        sampling_note(run, numbers, settings.every or 0),
        events_line(run),
    ]


@dataclass
class ProgressBar:
    """A progress bar made of characters (10 to 40, as the console's width allows), with the count in words."""

    done: int
    total: int

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        size = max(10, min(40, options.max_width - 30))
        yield Text(
            f"{bar(self.done, self.total, size, options.ascii_only)} step {self.done} of {self.total}"
        )


def current(row: Row, run: Run) -> Phrases:
    """The step just taken, in a line (or two) that wraps between its values, never inside one."""
    slopes = ("f′",) if run.one else tuple(f"∂{n}" for n in run.names)
    parts = [f"step {row.step}"] + [
        f"{n} {num(v)} → {num(new)}" for n, v, new in zip(run.names, row.params, row.new)
    ]
    parts += [f"{n} {num(v)}" for n, v in zip(slopes, row.gradient)]
    parts.append(f"{'f(new x)' if run.one else 'loss'} {num(row.after)}")
    return Phrases(parts, "  ")


def fit(
    settings: Settings, parts: list[RenderableType], optional: list[RenderableType]
) -> RenderableType:
    """The parts, plus as many of the optional pictures as the terminal's height leaves room for."""
    console, height = settings.console, settings.height
    used = sum(len(console.render_lines(settings.view(p), pad=False)) for p in parts)
    shown = list(parts)
    for picture in optional:
        lines = len(console.render_lines(settings.view(picture), pad=False))
        if used + lines <= height - 1:  # Live needs its last line for the cursor
            shown.append(picture)
            used += lines
    return settings.view(Group(*shown))


class Screen:
    """How a story shows itself while it runs: paced live frames, one step at a time, or nothing until the end.
    Each frame is the progress and the step just taken, then the story's own pictures as far as they fit."""

    def __init__(
        self,
        run: Run,
        settings: Settings,
        pictures: Callable[[Row], list[RenderableType]],
        pace: float,
    ) -> None:
        self.run, self.settings, self.pictures, self.pace = run, settings, pictures, pace
        self.pausing = settings.step_mode
        self.paced = settings.live and settings.paced and not settings.step_mode
        self.live: Live | None = None
        self.started = 0.0
        self.last = -math.inf
        self.pauses: set[int] = set(run.planned)

    def __enter__(self) -> Self:
        if self.settings.live or self.pausing:
            self.live = Live(
                console=self.settings.console,
                auto_refresh=False,
                transient=True,
                vertical_overflow="crop",
            )
            self.live.__enter__()
        self.started = self.settings.clock()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.live:
            self.live.__exit__(None, None, None)

    def frame(self, row: Row) -> list[RenderableType]:
        return [ProgressBar(self.run.count, self.run.iterations), current(row, self.run)]

    def draw(self, row: Row, extra: list[RenderableType] | None = None) -> None:
        """Redraw the frame in place, the pictures only as far as the terminal's height allows."""
        if self.live:
            s = self.settings
            self.live.update(
                fit(s, self.frame(row) + (extra or []), self.pictures(row)), refresh=True
            )
            self.last = s.clock()

    def due(self, step: int) -> float:
        """When a step is shown in a paced story: early steps slowly, the long tail faster."""
        total = max(self.run.iterations, 1)
        share = math.log1p(step / EARLY) / math.log1p(total / EARLY)
        return self.started + self.pace / self.settings.speed * share

    def show(self, row: Row, kept: bool, event: bool = False) -> None:
        """Show a row as it arrives: wait for its time (or a key), wait for a key in step mode, or keep quiet."""
        s = self.settings
        if self.pausing and kept and (row.step in self.pauses or event):
            hint = Phrases(
                ["Enter or space: next step", "a: run to the end", "q: stop"], " · ", "dim"
            )
            self.draw(row, [hint])
            while True:
                key = s.keys(None)
                if key in ("next", "all", "quit"):
                    break
            if key == "quit":
                self.run.stopped = True
            self.pausing = key == "next"
            return
        if self.paced:
            while (left := self.due(row.step) - s.clock()) > 0:
                if s.clock() - self.last >= 1 / REFRESH:
                    self.draw(row)
                key = s.keys(min(left, 1 / REFRESH))
                if key == "quit":
                    self.run.stopped = True
                    return
                if key in ("next", "all"):  # skip to the end: the rest runs at full speed
                    self.paced = False
                    break
        if self.live and s.clock() - self.last >= 1 / REFRESH:
            self.draw(row)


def follow(child: Child, run: Run, screen: Screen, on: Callable[[Message], None]) -> None:
    """Read the child's messages into the run and show the rows; Ctrl-C keeps the rows so far."""
    try:
        with screen:
            for message in child.stream:
                if isinstance(message, RowSent):
                    row = Row.of(message)
                    run.take(row, message.keep)
                    screen.show(row, message.keep, message.event)
                    if run.stopped:
                        return
                elif isinstance(message, Ended):
                    run.end(message)
                else:
                    on(message)
    except KeyboardInterrupt as interrupt:
        if isinstance(interrupt, Stopped):
            raise  # SIGTERM, SIGHUP: the tracer ends, saying which
        run.interrupted = True
    finally:
        child.close()
