"""`python -m kata.trace`: watch gradient descent step by step, on the parabola and on the park's data.

Live in a terminal, plain when piped; it traces your own steps/ once they are
written (else the reference), and turns a diverging run into a lesson.
"""

from __future__ import annotations

import argparse
import io
import math
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.rule import Rule
from rich.text import Text

from . import views
from .canvas import bar
from .cli import Parser, UsageError
from .code import Code, LearnerCodeError, choose
from .data import PARK, Dataset, DataError, read_park
from .descent import Row, Run, descend_parabola, sample, train_park

REFRESH = 8  # live frames per second at most
MAX_ITERATIONS = 200_000
DEFAULTS = {"parabola": {"lr": 0.1, "iterations": 40}, "park": {"lr": 0.001, "iterations": 20000}}
SAVE_KINDS = {".txt": "text", ".svg": "svg", ".html": "html", ".htm": "html"}


def positive(kind: type[int] | type[float], what: str) -> Callable[[str], Any]:
    """An argparse type that accepts only finite numbers above zero."""

    def convert(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{what} must be a {'whole ' if kind is int else ''}number, not {text!r}") from None
        if not math.isfinite(value) or value <= 0:
            raise argparse.ArgumentTypeError(f"{what} must be a finite number above zero, not {text}")
        return value

    return convert


def finite_number(text: str) -> float:
    """An argparse type for --start: any finite number."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--start must be a number, not {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"--start must be a finite number, not {text}")
    return value


def build_parser() -> Parser:
    """The command line, one line of help per flag."""
    parser = Parser(prog="python -m kata.trace", description="Watch gradient descent, one step at a time.")
    parser.add_argument("story", nargs="?", choices=("parabola", "park", "all"), default="all",
                        help="parabola: f(x) = (x − 3)² + 2 from x = 6; park: the line through park.txt; all (default): both")
    parser.add_argument("--lr", type=positive(float, "--lr"), help="learning rate (parabola 0.1, park 0.001)")
    parser.add_argument("--iterations", "--steps", type=positive(int, "--iterations"), help="how many gradient steps (parabola 40, park 20000)")
    parser.add_argument("--start", type=finite_number, help="where the parabola's descent starts (default 6)")
    parser.add_argument("--every", type=positive(int, "--every"), help="show every Nth step in the table (plus events and the last)")
    parser.add_argument("--sample", type=positive(int, "--sample"), default=32, help="show about N steps, log-spaced (default 32)")
    parser.add_argument("--step", action="store_true", help="pause after each shown step until Enter (for a projector)")
    parser.add_argument("--ascii", action="store_true", help="draw with ASCII only, for fonts without braille or box characters")
    parser.add_argument("--no-color", action="store_true", help="no colour (NO_COLOR=1 works too)")
    parser.add_argument("--plain", action="store_true", help="no live view, even in a terminal")
    parser.add_argument("--width", type=positive(int, "--width"), help="columns to draw in (default: the terminal's)")
    parser.add_argument("--save", metavar="FILE", type=Path, help="save the final screen as .txt, .svg or .html")
    parser.add_argument("--target", choices=("auto", "steps", "solutions"), default="auto",
                        help="trace your steps/, the reference, or auto: yours when written (default)")
    parser.add_argument("--data", metavar="FILE", type=Path, default=PARK, help="the park data (default: the kata's park.txt)")
    return parser


@dataclass
class Settings:
    """Everything a story needs to know about how to show itself."""

    console: Console
    width: int
    ascii: bool
    live: bool
    step_mode: bool
    every: int
    sample: int
    clock: Callable[[], float]
    read: Callable[[str], str]

    @property
    def picture_width(self) -> int:
        """Columns for a picture's plotting area, leaving room for its axis labels."""
        return max(20, min(self.width - 10, 70))


def shown_steps(total: int, events: dict[str, int], settings: Settings) -> list[int]:
    """The step numbers a table of `total` steps shows (and step mode pauses at): all, or a sample."""
    if not settings.every and total <= max(settings.sample, 50):
        return list(range(1, total + 1))
    first = min(10, max(settings.sample // 3, 1))
    decades = max(math.log10(max(total / first, 10)), 1)
    per_decade = max(1, round((settings.sample - first) / decades))
    return sample(total, events, first, per_decade, settings.every or 0)


def table_of(run: Run, settings: Settings) -> list[RenderableType]:
    """The steps table and the note that says how its rows were picked."""
    numbers = shown_steps(len(run.rows), run.events.as_dict(), settings)
    rows = [run.rows[n - 1] for n in numbers]
    return [views.steps_table(run, rows, settings.width, settings.ascii),
            views.sampling_note(run, numbers, settings.every or 0, settings.width), views.events_line(run)]


def drive(run: Run, rows: Iterator[Row], settings: Settings, frame: Callable[[], RenderableType], at: Callable[[Row], RenderableType]) -> None:
    """Pull every row: live frames at a bounded rate, or a pause per shown step; Ctrl-C keeps the rows so far."""
    pauses = set(shown_steps(run.iterations, {}, settings))  # the steps the final table will show, events aside
    pausing = settings.step_mode
    try:
        if settings.live and not pausing:
            with Live(console=settings.console, auto_refresh=False, transient=True, vertical_overflow="crop") as live:
                last = -math.inf
                for _ in rows:
                    now = settings.clock()
                    if now - last >= 1 / REFRESH:
                        live.update(frame(), refresh=True)
                        last = now
            return
        for row in rows:
            if pausing and (row.step in pauses or row.step in run.events.as_dict().values()):
                settings.console.print(at(row))
                try:
                    answer = settings.read("Enter: next step · a: run to the end · q: stop › ").strip().lower()
                except EOFError:
                    answer = "a"
                if answer == "q":
                    run.stopped = True
                    return
                pausing = answer != "a"
    except KeyboardInterrupt:
        run.interrupted = True


def progress(run: Run, settings: Settings) -> Text:
    """A progress bar made of characters, with the count in words."""
    size = max(10, min(40, settings.width - 30))
    return Text(f"{bar(len(run.rows), run.iterations, size, settings.ascii)} step {len(run.rows)} of {run.iterations}")


def heading(settings: Settings, title: str, details: str) -> None:
    """A story's title as a rule, and its settings in a line that may wrap."""
    settings.console.print(Rule(title, characters="-" if settings.ascii else "─"))
    settings.console.print(Text(details))


def current(row: Row, run: Run) -> Text:
    """The step being taken, in one line."""
    names = ("x",) if run.story == "parabola" else ("w", "b")
    slopes = ("f′",) if run.story == "parabola" else ("∂w", "∂b")
    parts = [f"step {row.step}"] + [f"{n} {views.num(v)}" for n, v in zip(names, row.params)]
    parts += [f"{n} {views.num(v)}" for n, v in zip(slopes, row.gradient)] + [f"loss {views.num(row.loss)}"]
    return Text("  ".join(parts))


def story_parabola(code: Code, args: argparse.Namespace, settings: Settings) -> tuple[Run, list[RenderableType]]:
    """Walk down f(x) = (x − 3)² + 2 and return the run with its final screen."""
    f, gradient, step = code.functions[1], code.functions[2], code.functions[3]
    start = 6.0 if args.start is None else args.start
    run = Run("parabola", args.lr or DEFAULTS["parabola"]["lr"], args.iterations or DEFAULTS["parabola"]["iterations"])
    width = settings.picture_width
    heading(settings, "The parabola", f"f(x) = (x − 3)² + 2, from x = {views.num(start)}, lr = {views.num(run.lr)}, "
            f"{run.iterations} steps. The minimum is at x = 3.")

    def frame() -> RenderableType:
        return Group(progress(run, settings), current(run.rows[-1], run), views.parabola_picture(run, f, start, width, settings.ascii))

    def at(row: Row) -> RenderableType:
        return Group(views.steps_table(run, [row], settings.width, settings.ascii),
                     views.parabola_picture(run, f, start, width, settings.ascii, upto=row.step))

    drive(run, descend_parabola(run, f, gradient, step, start), settings, frame, at)
    if math.isnan(run.final_loss) and run.rows:
        run.final_loss = run.rows[-1].loss if run.diverged else f(run.last[0])
    screen: list[RenderableType] = table_of(run, settings)
    if run.rows:
        screen += [views.step_sizes(run, width, settings.ascii), views.parabola_picture(run, f, start, width, settings.ascii)]
    screen.append(views.parabola_verdict(run, start, settings.ascii))
    return run, screen


def story_park(code: Code, args: argparse.Namespace, settings: Settings) -> tuple[Run, list[RenderableType]]:
    """Train the line through the park's data and return the run with its final screen."""
    data = read_park(args.data)
    predict, loss, gradient = code.functions[6], code.functions[7], code.functions[8]
    run = Run("park", args.lr or DEFAULTS["park"]["lr"], args.iterations or DEFAULTS["park"]["iterations"])
    width = settings.picture_width
    heading(settings, "The park", f"y = w·x + b through {data.path.name} ({len(data.X)} days), from w = b = 0, "
            f"lr = {views.num(run.lr)}, {run.iterations} iterations.")

    def frame() -> RenderableType:
        row = run.rows[-1]
        return Group(progress(run, settings), current(row, run),
                     views.park_picture(data, row.new, width, settings.ascii, final=False),
                     Text("loss: " + views.sparkline_of([r.loss for r in run.rows], width, settings.ascii)))

    def at(row: Row) -> RenderableType:
        return Group(views.steps_table(run, [row], settings.width, settings.ascii),
                     views.park_picture(data, row.new, width, settings.ascii, final=False))

    drive(run, train_park(run, data.X, data.Y, loss, gradient), settings, frame, at)
    if math.isnan(run.final_loss) and run.rows:
        run.final_loss = run.rows[-1].loss
    screen: list[RenderableType] = table_of(run, settings)
    if run.rows:
        screen.append(views.loss_picture([r.loss for r in run.rows], width, settings.ascii))
        line = run.last if not run.diverged else run.rows[-1].params
        screen.append(views.park_picture(data, line, width, settings.ascii, final=not run.diverged))
        if not run.diverged:
            screen.append(views.weight_picture(data, loss, width, settings.ascii))
            screen.append(views.surface_picture(data, loss, run, width, settings.ascii))
    screen.append(views.park_verdict(run, data, settings.ascii))
    if code.mine and run.rows and not run.diverged:
        screen.append(Text(f"Your predict([33], w, b) says {predict([33.0], *run.last)[0]:.0f}: computed by your own steps 6–8."))
    return run, screen


STORIES = {"parabola": ((1, 2, 3), story_parabola), "park": ((6, 7, 8), story_park)}


def make_console(args: argparse.Namespace) -> Console:
    """A console that is live only in a real terminal, and plain for pipes, CI and TERM=dumb."""
    plain = args.plain or bool(os.environ.get("CI")) or os.environ.get("TERM") == "dumb"
    return Console(width=args.width, no_color=args.no_color or None, highlight=False,
                   force_terminal=False if plain else None, emoji=False)


def save(path: Path, screen: Sequence[RenderableType], width: int) -> None:
    """Write the final screen to a text, SVG or HTML file through rich's export."""
    recorder = Console(record=True, width=width, file=io.StringIO(), highlight=False, emoji=False)
    for part in screen:
        recorder.print(part)
    kind = SAVE_KINDS[path.suffix.lower()]
    if kind == "svg":
        recorder.save_svg(str(path), title="kata.trace")
    elif kind == "html":
        recorder.save_html(str(path))
    else:
        recorder.save_text(str(path))


def run_trace(argv: Sequence[str] | None = None, console: Console | None = None,
              clock: Callable[[], float] = time.monotonic, read: Callable[[str], str] = input) -> int:
    """Run the tracer; return the exit status (0 done, 1 diverged or your code failed, 2 usage, 130 Ctrl-C)."""
    errors = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        args = build_parser().parse_args(argv)
        stories = ["parabola", "park"] if args.story == "all" else [args.story]
        if args.story == "all" and (args.lr or args.iterations or args.start is not None):
            raise UsageError("--lr, --iterations and --start need a story: python -m kata.trace parabola --lr 0.5")
        if args.start is not None and stories == ["park"]:
            raise UsageError("--start is for the parabola; the park always starts at w = b = 0")
        if (args.iterations or 0) > MAX_ITERATIONS:
            raise UsageError(f"--iterations must be at most {MAX_ITERATIONS}: the tracer keeps every step in memory")
        if args.save and args.save.suffix.lower() not in SAVE_KINDS:
            raise UsageError(f"--save {args.save}: the name must end in .txt, .svg or .html")
    except UsageError as problem:
        errors.print(f"kata.trace: {problem}", markup=False)
        return 2
    console = console or make_console(args)
    width = args.width or console.width
    ascii = args.ascii or not (console.encoding or "").lower().startswith("utf")
    live = console.is_terminal and not console.is_dumb_terminal
    step_mode = args.step and sys.stdin.isatty() if read is input else args.step
    settings = Settings(console, width, ascii, live, step_mode, args.every or 0, args.sample, clock, read)
    status, everything = 0, []
    for name in stories:
        needs, story = STORIES[name]
        try:
            code = choose(needs, args.target)
            console.print(Text(code.said, "bold" if code.mine else ""))
            run, screen = story(code, args, settings)
        except DataError as problem:
            errors.print(f"kata.trace: {problem}", markup=False)
            return 2
        except LearnerCodeError as problem:
            errors.print(f"kata.trace: {problem}", markup=False)
            return 1
        for part in screen:
            console.print(part)
        everything += screen
        if run.interrupted or run.stopped:
            console.print(f"Stopped after {len(run.rows)} of {run.iterations} steps; the table shows the steps so far.")
            status = 130 if run.interrupted else 0
            break
        if run.diverged:
            status = 1
    if args.save:
        try:
            save(args.save, everything, width)
        except OSError as problem:
            errors.print(f"kata.trace: cannot save to {args.save}: {problem.strerror}", markup=False)
            return 2
        console.print(f"Saved the final screen to {args.save}.")
    return status


def main() -> int:
    """Entry point for `python -m kata.trace`."""
    return run_trace()


if __name__ == "__main__":
    sys.exit(main())
