"""`python -m kata.trace`: watch gradient descent step by step, on the parabola and on the park's data.

Paced for a person in a terminal, instant and plain when piped. It traces your own
steps/ once they are written (else the reference): your functions run in a guarded
child process (kata/trace/child.py) that streams the rows to show; this process
only draws, so its memory does not grow with the iterations.
"""

from __future__ import annotations

import argparse
import io
import math
import os
import re
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.live import Live
from rich.text import Text

from kata.core import guard
from kata.core.canvas import bar
from kata.core.checks import Check, run_check
from kata.core.cli import Parser, UsageError
from kata.core.registry import FACTS, ROOT
from kata.trace import pictures
from kata.trace.act2 import DEFAULTS as ACT2_DEFAULTS
from kata.trace.act2 import MOST as ACT2_MOST
from kata.trace.act2 import STORIES as ACT2
from kata.trace.act2 import story as act2_story
from kata.trace.descent import Row, Run, sample
from kata.trace.park import MAX_ROWS, PARK, DataError, Dataset, read_park
from kata.trace.parts import Keys, Settings, begin, heading, said_by, told  # noqa: F401 (Settings, told: kata.trace's own)
from kata.trace.streaming import Child, ChildTrouble

REFRESH = 8  # live frames per second at most
ACT2_PAUSE = 1.5  # seconds between the parts of an act II screen in a terminal, at --speed 1
# time is the limit here, not memory: about 40 s for the park on a laptop
MAX_ITERATIONS = 5_000_000
MAX_SHOWN = 2000  # table rows: more is not a table a person reads
WIDTHS = (20, 1000)
DEFAULTS: dict[str, dict[str, Any]] = {  # the article's settings, from content.toml
    "parabola": {"lr": FACTS.parabola_lr, "iterations": FACTS.parabola_iterations},
    "park": {"lr": FACTS.lr, "iterations": FACTS.iterations},
}
PACE = {"parabola": 8.0, "park": 12.0}  # seconds a story takes in a terminal at --speed 1
EARLY = 2.0  # steps: the pace's knee; step n shows at PACE·log(1 + n/EARLY)/log(1 + N/EARLY)
SAVE_KINDS = {".txt": "text", ".svg": "svg", ".html": "html", ".htm": "html"}
KEYS = {"\r": "next", "\n": "next", " ": "next", "a": "all", "A": "all", "q": "quit", "Q": "quit"}


def number_type(
    kind: type[int | float], what: str, low: float = 0.0, high: float = math.inf, above: bool = True
) -> Callable[[str], Any]:
    """An argparse type for a finite number in a range; its error names the flag."""

    def convert(text: str) -> Any:
        try:
            value = kind(text)
        except (ValueError, OverflowError):
            raise argparse.ArgumentTypeError(
                f"{what} must be a {'whole ' if kind is int else ''}number, not {text[:40]!r}"
            ) from None
        if not math.isfinite(value) or value < low or (above and value <= low):
            bound = (
                "above zero"
                if above and low == 0
                else f"{'above' if above else 'of at least'} {low:g}"
            )
            raise argparse.ArgumentTypeError(
                f"{what} must be a finite number {bound}, not {text[:40]}"
            )
        if value > high:
            raise argparse.ArgumentTypeError(f"{what} must be at most {high:g}, not {text[:40]}")
        return value

    return convert


def positive(kind: type[int | float], what: str, high: float = math.inf) -> Callable[[str], Any]:
    """An argparse type that accepts only finite numbers above zero (and at most `high`)."""
    return number_type(kind, what, 0, high)


def finite_number(text: str) -> float:
    """An argparse type for --start: any finite number of a sensible size."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--start must be a number, not {text[:40]!r}") from None
    if not math.isfinite(value) or abs(value) > 1e100:
        raise argparse.ArgumentTypeError(
            f"--start must be a finite number of a sensible size, not {text[:40]}"
        )
    return value


def build_parser() -> Parser:
    """The command line, one line of help per flag."""
    parser = Parser(
        prog="python -m kata.trace", description="Watch gradient descent, one step at a time."
    )
    parser.add_argument(
        "story",
        nargs="?",
        choices=("parabola", "park", "all", *ACT2),
        default="all",
        help="parabola: f(x) = (x − 3)² + 2 from x = 6; park: the line through park.txt; all (default): "
        "both. Act II: check, sweep, scaling, momentum, sgd",
    )
    parser.add_argument(
        "--lr",
        type=positive(float, "--lr", 1e6),
        help=f"learning rate (parabola {FACTS.parabola_lr:g}, park {FACTS.lr:g})",
    )
    parser.add_argument(
        "--iterations",
        "--steps",
        type=positive(int, "--iterations", MAX_ITERATIONS),
        help=f"how many gradient steps (parabola {FACTS.parabola_iterations}, park {FACTS.iterations}; at most "
        f"{MAX_ITERATIONS})",
    )
    parser.add_argument(
        "--start",
        type=finite_number,
        help="where the parabola's descent starts (default 6; a negative one as --start=-2.5)",
    )
    parser.add_argument(
        "--every",
        type=positive(int, "--every", MAX_ITERATIONS),
        help="show every Nth step in the table (plus events and the last)",
    )
    parser.add_argument(
        "--sample",
        type=positive(int, "--sample", MAX_SHOWN),
        help="show about N steps, log-spaced (default 32)",
    )
    parser.add_argument(
        "--speed",
        type=positive(float, "--speed", 1000),
        default=1.0,
        help="pace in a terminal: 2 is twice as fast, 0.5 half (default 1: a story in about 10 s)",
    )
    parser.add_argument(
        "--step",
        action="store_true",
        help="pause at each shown step: Enter or space next, a: to the end, q: stop",
    )
    parser.add_argument(
        "--ascii",
        action="store_true",
        help="draw with ASCII only, for fonts without braille or box characters",
    )
    parser.add_argument("--no-color", action="store_true", help="no colour (NO_COLOR=1 works too)")
    parser.add_argument(
        "--plain", action="store_true", help="no live view, no pacing: the final screen at once"
    )
    parser.add_argument(
        "--width",
        type=number_type(int, "--width", WIDTHS[0], WIDTHS[1], above=False),
        help=f"columns to draw in, {WIDTHS[0]} to {WIDTHS[1]} (default: the terminal's)",
    )
    parser.add_argument(
        "--save", metavar="FILE", type=Path, help="save the final screen as .txt, .svg or .html"
    )
    parser.add_argument(
        "--force", action="store_true", help="let --save replace a file that exists"
    )
    parser.add_argument(
        "--target",
        choices=("auto", "steps", "solutions"),
        default="auto",
        help="trace your steps/, the reference, or auto: yours when written (default)",
    )
    parser.add_argument(
        "--data",
        metavar="FILE",
        type=Path,
        help=f"the park's data (default: the kata's park.txt); a header line, then up to {MAX_ROWS} rows",
    )
    return parser


ESCAPE = re.compile(rb"\x1b(\[[0-9;?]*[ -/]*[@-~]|O.|.)?", re.DOTALL)


def key_of(data: bytes) -> str:
    """The first key that means something in bytes read from the terminal; escape sequences (arrows…) skipped."""
    for char in ESCAPE.sub(b"", data).decode("latin-1"):
        if char in KEYS:
            return KEYS[char]
    return ""


def key_reader(sleep: Callable[[float], None] = time.sleep) -> tuple[Keys, Callable[[], Any]]:
    """Single keys from a terminal (cbreak mode, raw bytes) and the context that sets it up; plain waiting elsewhere."""

    def wait(timeout: float | None) -> str | None:
        if timeout is None:
            return "all"  # nobody to press a key: run on
        sleep(timeout)
        return None

    stdin = sys.stdin
    if not (stdin and stdin.isatty()):
        return wait, suppress
    try:
        import select
        import termios
        import tty
    except ImportError:  # Windows: no cbreak mode; paced, but no keys
        return wait, suppress

    fd = stdin.fileno()

    def read(timeout: float | None) -> str | None:
        ready, _, _ = select.select([fd], [], [], timeout)
        if not ready:
            return None
        # an arrow key is an escape sequence of several bytes: read whole, and ignored
        data = os.read(fd, 64)
        return key_of(data)

    @contextmanager
    def cbreak() -> Iterator[None]:
        saved = termios.tcgetattr(fd)
        try:
            tty.setcbreak(fd)
            yield
        finally:
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)

    return read, cbreak


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
    numbers = run.shown()
    rows = [run.kept[n] for n in numbers]
    return [
        pictures.StepsTable(run, rows),
        pictures.sampling_note(run, numbers, settings.every or 0),
        pictures.events_line(run),
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


def current(row: Row, run: Run) -> pictures.Phrases:
    """The step just taken, in a line (or two) that wraps between its values, never inside one."""
    names = ("x",) if run.story == "parabola" else ("w", "b")
    slopes = ("f′",) if run.story == "parabola" else ("∂w", "∂b")
    parts = [f"step {row.step}"] + [
        f"{n} {pictures.num(v)} → {pictures.num(new)}"
        for n, v, new in zip(names, row.params, row.new)
    ]
    parts += [f"{n} {pictures.num(v)}" for n, v in zip(slopes, row.gradient)]
    parts.append(f"{'f(new x)' if run.story == 'parabola' else 'loss'} {pictures.num(row.after)}")
    return pictures.Phrases(parts, "  ")


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
        self, run: Run, settings: Settings, pictures: Callable[[Row], list[RenderableType]]
    ) -> None:
        self.run, self.settings, self.pictures = run, settings, pictures
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
        return self.started + PACE[self.run.story] / self.settings.speed * share

    def show(self, row: Row, kept: bool, event: bool = False) -> None:
        """Show a row as it arrives: wait for its time (or a key), wait for a key in step mode, or keep quiet."""
        s = self.settings
        if self.pausing and kept and (row.step in self.pauses or event):
            hint = pictures.Phrases(
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


def follow(
    child: Child, run: Run, screen: Screen, settings: Settings, on: Callable[[dict[str, Any]], None]
) -> None:
    """Read the child's messages into the run and show the rows; Ctrl-C keeps the rows so far."""
    try:
        with screen:
            for message in child.stream:
                kind = message["kind"]
                if kind == "row":
                    row = Row.from_list(message["row"])
                    run.take(row, message["keep"])
                    screen.show(row, message["keep"], message.get("event", False))
                    if run.stopped:
                        return
                elif kind == "end":
                    events = message["events"]
                    run.events.overshoot, run.events.loss_increase = (
                        events["overshoot"],
                        events["loss_increase"],
                    )
                    run.events.non_finite, run.events.exploded = (
                        events["non_finite"],
                        events["exploded"],
                    )
                    run.events.crossings = events["crossings"]
                    run.ended = message["reason"]
                else:
                    on(message)
    except KeyboardInterrupt:
        run.interrupted = True
    finally:
        child.close()


def start_child(
    story: str,
    args: argparse.Namespace,
    settings: Settings,
    run: Run,
    data: Dataset | None,
    limit: float,
    memory: int,
) -> Child:
    """Start the guarded child for a story."""
    request: dict[str, Any] = {
        "story": story,
        "lr": run.lr,
        "iterations": run.iterations,
        "target": args.target,
        "planned": sorted(run.planned),
        "start": 6.0 if args.start is None else args.start,
    }
    if data is not None:
        request.update(X=data.X, Y=data.Y, data=str(data.path.resolve()), header=data.header)
    return Child(request, limit, memory, settings.root)


def story_parabola(
    args: argparse.Namespace, settings: Settings, limit: float, memory: int
) -> tuple[Run, list[RenderableType]]:
    """Walk down f(x) = (x − 3)² + 2 and return the run with its final screen."""
    start = 6.0 if args.start is None else args.start
    iterations: int = args.iterations or DEFAULTS["parabola"]["iterations"]
    run = Run(
        "parabola",
        args.lr or DEFAULTS["parabola"]["lr"],
        iterations,
        frozenset(shown_steps(iterations, {}, settings)),
    )
    child = start_child("parabola", args, settings, run, None, limit, memory)
    on = begin(child, run, settings)
    heading(
        settings,
        "The parabola",
        f"f(x) = (x − 3)² + 2, from x = {pictures.num(start)}, lr = {pictures.exact(run.lr)}, "
        f"{run.iterations} steps. The minimum is at x = 3.",
    )

    def drawn(row: Row) -> list[RenderableType]:
        return [pictures.ParabolaPicture(run, start, upto=row.step)]

    follow(child, run, Screen(run, settings, drawn), settings, on)
    screen: list[RenderableType] = table_of(run, settings)
    if run.latest:
        screen += [pictures.StepSizes(run), pictures.ParabolaPicture(run, start)]
    screen.append(pictures.parabola_verdict(run, start))
    screen += pictures.notes(run) + said_by(child, settings)
    return run, screen


def story_park(
    args: argparse.Namespace, settings: Settings, limit: float, memory: int
) -> tuple[Run, list[RenderableType]]:
    """Train the line through the park's data and return the run with its final screen."""
    data = read_park(args.data or settings.root / PARK.name)
    iterations: int = args.iterations or DEFAULTS["park"]["iterations"]
    run = Run(
        "park",
        args.lr or DEFAULTS["park"]["lr"],
        iterations,
        frozenset(shown_steps(iterations, {}, settings)),
    )
    child = start_child("park", args, settings, run, data, limit, memory)
    on = begin(child, run, settings)
    if not data.header:
        settings.print(
            Text(f"{data.path.name} has no header line: its first line is read as a day.", "dim")
        )
    heading(
        settings,
        "The park",
        f"y = w·x + b through {data.path.name} ({len(data.X)} days), from w = b = 0, "
        f"lr = {pictures.exact(run.lr)}, {run.iterations} iterations.",
    )

    def drawn(row: Row) -> list[RenderableType]:
        return [
            pictures.ParkPicture(data, row.new, final=False),
            pictures.Sparkline("loss: ", [r.after for r in run.rows]),
        ]

    follow(child, run, Screen(run, settings, drawn), settings, on)
    screen: list[RenderableType] = table_of(run, settings)
    if run.latest:
        screen.append(pictures.LossPicture(run))
        line = run.last if math.isfinite(sum(run.last)) else run.latest.params
        done = not run.diverged
        screen.append(pictures.ParkPicture(data, line, final=done))
        if done:
            screen.append(pictures.WeightPicture(data))
            screen.append(pictures.SurfacePicture(data, run))
    screen.append(pictures.park_verdict(run, data))
    screen += pictures.notes(run) + said_by(child, settings)
    return run, screen


STORIES = {"parabola": story_parabola, "park": story_park}


def make_console(args: argparse.Namespace) -> Console:
    """A console that is live only in a real terminal, and plain for pipes, CI and TERM=dumb."""
    plain = args.plain or bool(os.environ.get("CI")) or os.environ.get("TERM") == "dumb"
    return Console(
        width=args.width,
        no_color=args.no_color or None,
        highlight=False,
        force_terminal=False if plain else None,
        emoji=False,
    )


def save(path: Path, screen: Sequence[RenderableType], settings: Settings) -> None:
    """Write the final screen to a text, SVG or HTML file through rich's export, drawn as on the screen."""
    recorder = Console(
        record=True, width=settings.console.width, file=io.StringIO(), highlight=False, emoji=False
    )
    for part in screen:
        recorder.print(settings.view(part))
    kind = SAVE_KINDS[path.suffix.lower()]
    if kind == "svg":
        recorder.save_svg(str(path), title="kata.trace")
    elif kind == "html":
        recorder.save_html(str(path))
    else:
        recorder.save_text(str(path))


def check_usage(args: argparse.Namespace, stories: list[str]) -> None:
    """Flags that cannot go together, or that would show more than a person reads: raise UsageError."""
    if args.story == "all" and (args.lr or args.iterations or args.start is not None):
        raise UsageError(
            "--lr, --iterations and --start need a story: python -m kata.trace parabola --lr 0.5"
        )
    if stories[0] in ACT2:
        check_act2_usage(args, stories[0])
    if args.start is not None and stories == ["park"]:
        raise UsageError("--start is for the parabola; the park always starts at w = b = 0")
    if args.data is not None and stories == ["parabola"]:
        raise UsageError("--data is for the park; the parabola needs no data")
    if args.every and args.sample:
        raise UsageError("--every and --sample both pick the table's rows: use one of them")
    if args.every:
        for name in stories:
            iterations = args.iterations or DEFAULTS[name]["iterations"]
            if iterations // args.every > MAX_SHOWN:
                raise UsageError(
                    f"--every {args.every} would show {iterations // args.every} rows of {iterations}; "
                    f"at most {MAX_SHOWN}: try --every {math.ceil(iterations / MAX_SHOWN)}"
                )
    if args.save:
        if args.save.suffix.lower() not in SAVE_KINDS:
            raise UsageError(f"--save {args.save}: the name must end in .txt, .svg or .html")
        if args.save.exists() and not args.force:
            raise UsageError(f"--save {args.save}: that file exists; add --force to replace it")


def check_act2_usage(args: argparse.Namespace, name: str) -> None:
    """The flags an act II story takes: --lr and --iterations where it has them; no --start, and no table flags."""
    if args.start is not None:
        raise UsageError(f"--start is for the parabola; {name} starts at w = b = 0")
    for flag, value in (("--every", args.every), ("--sample", args.sample), ("--step", args.step)):
        if value:
            raise UsageError(
                f"{flag} is for the parabola and park stories; {name} shows its whole result at once"
            )
    for flag, value, key in (
        ("--lr", args.lr, "lr"),
        ("--iterations", args.iterations, "iterations"),
    ):
        if value and key not in ACT2_DEFAULTS[name]:
            raise UsageError(
                f"{name} takes no {flag}: it "
                + (
                    "measures at w = b = 0, with h from 1 to 1e-12"
                    if name == "check"
                    else "sweeps the learning rates itself, from the data's safe bound"
                )
            )
    if args.iterations and args.iterations > ACT2_MOST.get(name, math.inf):
        raise UsageError(
            f"{name} --iterations must be at most {ACT2_MOST[name]}: each run of your code must end "
            "within the time limit"
        )


def run_trace(
    argv: Sequence[str] | None = None,
    console: Console | None = None,
    clock: Callable[[], float] = time.monotonic,
    keys: Keys | None = None,
    check: Callable[[Path, Sequence[Any]], Check] = run_check,
    root: Path = ROOT,
) -> int:
    """Run the tracer on the kata at `root`; return the exit status (0 done, 1 diverged or your code failed, 2 usage,
    130 Ctrl-C)."""
    errors = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)
    try:
        args = build_parser().parse_args(argv)
        stories = ["parabola", "park"] if args.story == "all" else [args.story]
        check_usage(args, stories)
        limit = guard.time_limit(10.0)
        memory = guard.memory_limit()
    except (UsageError, guard.GuardError) as problem:
        errors.print(f"kata.trace: {problem}", markup=False)
        return 2
    console = console or make_console(args)
    if args.width:  # a console handed in (tests) draws in --width columns too
        console.width = args.width
    # rich knows when the encoding cannot show box characters; --ascii asks for ASCII anyway
    ascii = args.ascii or console.options.ascii_only
    live = console.is_terminal and not console.is_dumb_terminal
    cbreak: Callable[[], Any] = suppress
    if keys is None:
        keys, cbreak = key_reader()
        step_mode = args.step and sys.stdin.isatty()
    else:
        step_mode = args.step
    settings = Settings(
        console,
        ascii,
        live,
        step_mode,
        args.every or 0,
        args.sample or 32,
        clock,
        keys,
        args.speed,
        not args.plain,
        check,
        console.height,
        root,
    )
    status, everything = 0, []
    try:
        with cbreak():
            for name in stories:
                try:
                    run, screen = (
                        STORIES[name](args, settings, limit, memory)
                        if name in STORIES
                        else act2_story(name, args, settings, limit, memory)
                    )
                except DataError as problem:
                    errors.print(f"kata.trace: {problem}", markup=False)
                    return 2
                except ChildTrouble as problem:
                    errors.print(f"kata.trace: {problem}", markup=False)
                    return 1
                pausing = name in ACT2 and settings.live and settings.paced
                for i, part in enumerate(screen):
                    settings.print(part)
                    # act II's parts one at a time, time to read each; any key: the rest
                    if pausing and i < len(screen) - 1:
                        pausing = settings.keys(ACT2_PAUSE / settings.speed) is None
                everything += screen
                if run.interrupted or run.stopped:
                    console.print(
                        f"Stopped after {run.count} of {run.iterations} steps; the table shows the steps so far."
                    )
                    status = 130 if run.interrupted else 0
                    break
                if run.diverged or run.faulty:
                    status = 1
    except KeyboardInterrupt:  # while drawing the final pictures, or between the stories
        errors.print("kata.trace: stopped (Ctrl-C).", markup=False)
        return 130
    if args.save:
        try:
            save(args.save, everything, settings)
        except OSError as problem:
            errors.print(
                f"kata.trace: cannot save to {args.save}: {problem.strerror}", markup=False
            )
            return 2
        console.print(f"Saved the final screen to {args.save}.")
    return status


def main() -> int:
    """Entry point for `python -m kata.trace`."""
    try:
        return run_trace()
    except KeyboardInterrupt:
        print("kata.trace: stopped (Ctrl-C).", file=sys.stderr)
        return 130
