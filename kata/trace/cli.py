"""The tracer's command line: its flags, each bounded, and the ways they cannot go together (one line, exit 2).
No rich here: the tracer reads its command line before it loads what it draws with."""

from __future__ import annotations

import argparse
import math
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from kata.core.cli import Parser, UsageError, quoted
from kata.core.files import refused
from kata.core.registry import FACTS, STORIES
from kata.trace.data import MAX_ROWS, escaped
from kata.trace.stories import Options, Story, article_stories, story_class

# time is the limit here, not memory: about 40 s for the park on a laptop
MAX_ITERATIONS = 5_000_000
MAX_SHOWN = 2000  # table rows: more is not a table a person reads
WIDTHS = (20, 1000)
SAVE_KINDS = {".txt": "text", ".svg": "svg", ".html": "html", ".htm": "html"}


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
            most = (
                f"{high:,.0f}" if kind is int else f"{high:g}"
            )  # 5,000,000 as the README writes it
            raise argparse.ArgumentTypeError(f"{what} must be at most {most}, not {text[:40]}")
        return value

    return convert


def positive(kind: type[int | float], what: str, high: float = math.inf) -> Callable[[str], Any]:
    """An argparse type that accepts only finite numbers above zero (and at most `high`)."""
    return number_type(kind, what, 0, high)


def beta(text: str) -> float:
    """An argparse type for --beta: from 0 (plain descent) to just below 1."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--beta must be a number, not {text[:40]!r}") from None
    if not (math.isfinite(value) and 0 <= value < 1):
        raise argparse.ArgumentTypeError(
            f"--beta must be at least 0 and below 1 (0 is plain descent), not {text[:40]}"
        )
    return value


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
    """The command line, one line of help per flag, wrapped to the terminal's width (at most 80 columns), as
    python -m kata's help is: a 40-column terminal breaks words only between them."""
    columns = shutil.get_terminal_size().columns
    parser = Parser(
        prog="python -m kata.trace",
        # narrower than the flags' list: the usage line in short, the flags are listed below it
        usage="%(prog)s [STORY] …" if columns < 60 else None,
        description="Watch gradient descent, one step at a time.",
        formatter_class=lambda prog: argparse.HelpFormatter(
            prog, width=min(80, columns - 2), max_help_position=24
        ),
    )
    article = " and ".join(article_stories())
    parser.add_argument(
        "story",
        nargs="?",
        choices=("all", *STORIES),
        default="all",
        metavar="STORY",
        help=f"{', '.join(STORIES)}; all (the default): {article}",
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
        metavar="N",
        help=f"how many gradient steps (at most {MAX_ITERATIONS:,})",
    )
    parser.add_argument("--beta", type=beta, metavar="B", help="momentum's beta, 0 to below 1")
    parser.add_argument(
        "--start",
        type=finite_number,
        metavar="X",
        help="the parabola's start (6; a negative one as --start=-2.5)",
    )
    parser.add_argument(
        "--every",
        type=positive(int, "--every", MAX_ITERATIONS),
        metavar="N",
        help="every Nth step in the table (plus events and the last)",
    )
    parser.add_argument(
        "--sample",
        type=positive(int, "--sample", MAX_SHOWN),
        metavar="N",
        help="about N steps in the table, log-spaced (default 32)",
    )
    parser.add_argument(
        "--speed",
        type=positive(float, "--speed", 1000),
        default=1.0,
        metavar="X",
        help="pace in a terminal: 2 is twice as fast (default 1)",
    )
    parser.add_argument(
        "--step",
        action="store_true",
        help="pause at each step shown: Enter/space, a (all), q (quit)",
    )
    parser.add_argument("--ascii", action="store_true", help="draw with ASCII characters only")
    parser.add_argument("--no-color", action="store_true", help="no colour (NO_COLOR=1 too)")
    parser.add_argument(
        "--plain", action="store_true", help="no live view, no pacing: the final screen at once"
    )
    parser.add_argument(
        "--width",
        type=number_type(int, "--width", WIDTHS[0], WIDTHS[1], above=False),
        metavar="N",
        help=f"columns to draw in, {WIDTHS[0]} to {WIDTHS[1]} (default: the terminal's)",
    )
    parser.add_argument(
        "--save", metavar="FILE", type=Path, help="save the final screen: .txt, .svg or .html"
    )
    parser.add_argument("--force", action="store_true", help="let --save replace a file")
    parser.add_argument(
        "--target",
        choices=("auto", "steps", "solutions"),
        default="auto",
        help="trace steps/, the reference, or auto: yours when written",
    )
    parser.add_argument(
        "--data",
        metavar="FILE",
        type=Path,
        help=f"the park's data (default park.txt), up to {MAX_ROWS} rows",
    )
    return parser


def stories_of(args: argparse.Namespace) -> list[str]:
    """The stories the command line asks for."""
    return article_stories() if args.story == "all" else [args.story]


def options_of(args: argparse.Namespace) -> Options:
    """The story settings the command line gives."""
    return Options(
        args.lr,
        args.iterations,
        args.beta,
        args.start,
        args.data,
        args.target,
        bool(args.every or args.sample or args.step),
    )


def check_usage(args: argparse.Namespace) -> list[Story]:
    """The stories to tell, once the flags are known to go together; UsageError (one line) when they do not."""
    names = stories_of(args)
    if args.story == "all" and (
        args.lr or args.iterations or args.start is not None or args.beta is not None
    ):
        raise UsageError(
            "--lr, --iterations, --beta and --start need a story: python -m kata.trace parabola --lr 0.5"
        )
    options = options_of(args)
    stories = [story_class(name)(name, options) for name in names]
    if args.story != "all":
        stories[0].check_usage()
    if args.every and args.sample:
        raise UsageError("--every and --sample both pick the table's rows: use one of them")
    if args.every:
        for story in stories:
            if story.iterations // args.every > MAX_SHOWN:
                raise UsageError(
                    f"--every {args.every} would show {story.iterations // args.every} rows of "
                    f"{story.iterations}; at most {MAX_SHOWN}: try --every {math.ceil(story.iterations / MAX_SHOWN)}"
                )
    if args.save:
        check_save(args.save, args.force)
    return stories


def check_save(path: Path, force: bool) -> None:
    """--save FILE: a name the kata can write (.txt, .svg or .html), and not a file that exists unless --force."""
    shown = quoted(escaped(str(path)), 60)
    if path.suffix.lower() not in SAVE_KINDS:
        raise UsageError(f"--save {shown}: the name must end in .txt, .svg or .html")
    try:
        exists = path.exists()
    except (OSError, ValueError) as error:
        raise UsageError(
            f"--save {shown}: not a name this system can use ({getattr(error, 'strerror', None) or error})"
        ) from None
    if len(path.name.encode()) > 255:
        raise UsageError(f"--save {shown}: the file's name is longer than 255 bytes")
    if why := refused(path):
        raise UsageError(f"--save {shown}: {why}")
    if exists and not force:
        raise UsageError(f"--save {shown}: that file exists; add --force to replace it")


def parse(argv: Sequence[str] | None) -> tuple[argparse.Namespace, list[Story]]:
    """The command line and its stories; UsageError for anything wrong."""
    args = build_parser().parse_args(argv)
    return args, check_usage(args)
