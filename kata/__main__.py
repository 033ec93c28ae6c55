"""`python -m kata`: the command line of the learner's loop (kata/loop/commands.py) and of the dojo and its review
(kata/dojo/commands.py). What is next, why it fails, hints, watch mode, reset and goto without losing work."""

from __future__ import annotations

import sys

from kata.core.cli import quiet_start

if __name__ == "__main__":
    quiet_start("kata")

import argparse
import errno
import os
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import IO, Any, cast

from rich.console import Console

from kata.core.checks import Check, run_check
from kata.core.cli import Parser, UsageError, exit_status, quoted
from kata.core.registry import ROOT, STEPS, step_by_number
from kata.core.workspace import KataDataError, warnings_to
from kata.dojo.commands import cmd_dojo, cmd_review
from kata.loop.app import Context
from kata.loop.commands import (
    cmd_check,
    cmd_doctor,
    cmd_goto,
    cmd_hint,
    cmd_list,
    cmd_reset,
    cmd_restore,
    cmd_solution,
    cmd_status,
    cmd_watch,
)


def step_number(text: str) -> int:
    """An argparse type for a step number, from 1 to the number of steps."""
    try:
        number = int(text)
        step_by_number(number)
    except (ValueError, LookupError):
        raise UsageError(
            f"there is no step {quoted(text)}: the steps are 1 to {len(STEPS)}"
        ) from None
    return number


def hint_level(text: str) -> int:
    """An argparse type for --level: a hint number from 1."""
    try:
        level = int(text)
    except ValueError:
        raise UsageError(f"--level takes a hint number, like 1, not {quoted(text)}") from None
    most = max(len(step.hints) for step in STEPS)
    # no step has more hints: a huge number is a slip, said before any check runs
    if not 1 <= level <= most:
        raise UsageError(f"--level takes a hint number from 1 to {most}, not {quoted(text)}")
    return level


def build_parser() -> Parser:
    """The command line: one line of help for each command and flag."""
    parser = Parser(
        prog="python -m kata",
        description="The gradient-descent kata: what to do next, and why it fails.",
    )
    commands = parser.add_subparsers(dest="command", metavar="command", parser_class=Parser)
    commands.add_parser("check", help="check your steps and say what is next (the default)")
    commands.add_parser(
        "watch", help="check again on every save; keys: r re-run, h hint, l list, q quit"
    )
    hint = commands.add_parser("hint", help="the next hint for the current step (or step N)")
    hint.add_argument(
        "number", nargs="?", type=step_number, help="the step (default: the current one)"
    )
    hint.add_argument(
        "--level", type=hint_level, metavar="K", help="read hint K again (1 is the first nudge)"
    )
    solution = commands.add_parser(
        "solution", help="the reference for step N, once your step N passes"
    )
    solution.add_argument("number", type=step_number)
    solution.add_argument(
        "--force", action="store_true", help="show it before your step passes (asks first)"
    )
    solution.add_argument("--yes", action="store_true", help="do not ask")
    commands.add_parser("list", help="every step with its state, title and article section")
    reset = commands.add_parser(
        "reset", help="put back the shipped stub of step N (or --all); your work is backed up first"
    )
    reset.add_argument("number", nargs="?", type=step_number)
    reset.add_argument("--all", action="store_true", help="every step")
    reset.add_argument("--yes", action="store_true", help="do not ask")
    goto = commands.add_parser(
        "goto",
        help="start at step N: steps before it solved, N and after as stubs (backed up first)",
    )
    goto.add_argument("number", type=step_number)
    goto.add_argument("--yes", action="store_true", help="do not ask")
    restore = commands.add_parser("restore", help="list the backups, or bring one back")
    restore.add_argument(
        "backup", nargs="?", type=backup_name, help="the backup's name (from the list)"
    )
    restore.add_argument("--yes", action="store_true", help="do not ask")
    commands.add_parser(
        "doctor", help="check what could spoil a first session, with a fix for each"
    )
    status = commands.add_parser("status", help="the state of every step, as JSON with --json")
    status.add_argument(
        "--json", action="store_true", help="print JSON (for editors and facilitators)"
    )
    dojo = commands.add_parser(
        "dojo", help="a projector screen for a group: big state, rotation timer, run log"
    )
    dojo.add_argument(
        "--drivers",
        type=drivers,
        default=None,
        help='the people who take turns, in order: "Ana,Bo,Cy"',
    )
    dojo.add_argument("--rotate", type=minutes, default=7.0, help="minutes per turn (default 7)")
    dojo.add_argument(
        "--predict",
        action="store_true",
        help="the driver predicts red, amber or green before each run",
    )
    dojo.add_argument(
        "--from", dest="start", type=step_number, help="start at step N (like goto, with backups)"
    )
    dojo.add_argument(
        "--new-group",
        action="store_true",
        help="archive the last group's log, reset every step, start afresh",
    )
    dojo.add_argument(
        "--yes", action="store_true", help="do not ask before --from or --new-group overwrite files"
    )
    dojo.add_argument(
        "--break",
        dest="break_every",
        type=break_every,
        metavar="N",
        help="a break at the first handover after N minutes (50m) or rounds (3r), "
        "10 minutes long or as long as said after a slash (50m/15m)",
    )
    dojo.add_argument(
        "--quiet",
        action="store_true",
        help="no bell (the warning, time up, and every 30 s over time)",
    )
    dojo.add_argument(
        "--table",
        type=table_name,
        default=None,
        help="this machine's name in a Kake (review --merge shows it)",
    )
    review = commands.add_parser(
        "review", help="the session afterwards: lights per driver and step, diffs, restores"
    )
    review.add_argument(
        "--merge",
        nargs="+",
        type=log_path,
        default=[],
        metavar="PATH",
        help="add the .kata logs of other machines",
    )
    review.add_argument(
        "--diff",
        nargs="+",
        type=int,
        metavar="N",
        help="how the step file changed: run N against the run before it on its step, or --diff A B",
    )
    review.add_argument(
        "--group",
        metavar="NAME",
        type=group_name,
        help="review one archived group (.kata/groups/NAME) on its own",
    )
    review.add_argument(
        "--save",
        metavar="FILE",
        type=save_path,
        help="write the review to FILE: .md (Markdown), .html or .txt",
    )
    review.add_argument(
        "--restore",
        type=int,
        metavar="A",
        help="bring back the step file as it was at run A (backed up first)",
    )
    review.add_argument(
        "--yes", action="store_true", help="do not ask before --restore or --save replaces a file"
    )
    review.add_argument(
        "--runs",
        type=run_range,
        metavar="A-B",
        help="the table of runs A to B (the review shows the last 20)",
    )
    return parser


def break_every(text: str) -> tuple[str, float, float]:
    """An argparse type for --break: minutes (50, 50m) or rounds (3r), and the length (50m/10m)."""
    from kata.dojo.projector import parse_break

    try:
        return parse_break(text)
    except ValueError:
        raise UsageError(
            f"--break takes minutes like 50m or rounds like 3r, and the break's length after a slash "
            f"(50m/10m), not {quoted(text)}"
        ) from None


def table_name(text: str) -> str:
    """An argparse type for --table: a short name, printable."""
    name = text.strip()
    if not name or len(name) > 40 or not name.isprintable():
        raise UsageError(
            f"--table takes a short name like table-2 (at most 40 characters), not {text[:60]!r}"
        )
    return name


def run_range(text: str) -> tuple[int, int]:
    """An argparse type for review --runs: A-B."""
    from kata.dojo.review import run_range as parse

    if len(text) > 40:  # no run numbers are that long: say so without repeating a screenful
        raise UsageError(f"--runs takes run numbers like 40-60 or 7, not {quoted(text)}")
    return parse(text)


def minutes(text: str) -> float:
    """An argparse type for --rotate: minutes above zero."""
    try:
        value = float(text)
    except ValueError:
        raise UsageError(f"--rotate takes minutes, like 7 or 0.5, not {quoted(text)}") from None
    if not 0 < value < 24 * 60:
        raise UsageError(
            f"--rotate takes minutes above zero and under a day, like 7, not {quoted(text)}"
        )
    return value


def drivers(text: str) -> str:
    """An argparse type for --drivers: up to 50 names, each up to 40 characters, so that the screen can show them."""
    names = [name.strip() for name in text.split(",") if name.strip()]
    # given, but empty: a slip, not a wish for turns without names (that is leaving it out)
    if not names:
        raise UsageError(
            f'--drivers takes names, like "Ana,Bo,Cy", not {quoted(text)} '
            "(leave it out for turns without names)"
        )
    # an emoji made of several (👩‍💻) is joined by characters that print nothing, and is a name all the same
    if len(names) > 50 or any(
        len(name) > 60 or not name.replace("\u200d", "").isprintable() for name in names
    ):
        raise UsageError('--drivers takes up to 50 names of up to 60 characters, like "Ana,Bo,Cy"')
    from kata.dojo.rotation import twice

    if again := twice(names):
        raise UsageError(
            f'--drivers names each person once, and {again} comes twice: tell them apart ("{again} B,{again} K")'
        )
    return text


def backup_name(text: str) -> str:
    """An argparse type for restore NAME: a name as the list shows them, not a path or a screenful."""
    if len(text) > 100 or not text.isprintable() or "/" in text or "\\" in text:
        raise UsageError(f"there is no backup {quoted(text)}; python -m kata restore lists them")
    return text


def group_name(text: str) -> str:
    """An argparse type for review --group: a folder name under .kata/groups/, not a path or a screenful."""
    if (
        not text.strip()
        or len(text) > 100
        or not text.isprintable()
        or "/" in text
        or "\\" in text
        or text.strip(".") == ""  # . and .. are the folders around it, not a group
    ):
        raise UsageError(f"--group takes the name of a group in .kata/groups/, not {quoted(text)}")
    return text


def save_path(text: str) -> Path:
    """An argparse type for review --save: a file name this system can take (its ending is checked later)."""
    if not text.strip() or len(text) > 1000 or not text.isprintable():
        raise UsageError(
            f"--save takes a file name ending in .md, .html or .txt, not {quoted(text)}"
        )
    return Path(text)


def log_path(text: str) -> Path:
    """An argparse type for review --merge: a path this system can look at (missing is said later, with what to do)."""
    path = Path(text)
    try:
        path.exists()
    except (OSError, ValueError) as error:
        raise UsageError(
            f"--merge: {quoted(text)} is not a path this system can open "
            f"({getattr(error, 'strerror', None) or error})"
        ) from None
    return path


Handler = Callable[[Context, argparse.Namespace], int]
# each command: its handler, given the kata and the parsed command line
COMMANDS: dict[str, Handler] = {
    "check": lambda context, args: cmd_check(context),
    "watch": lambda context, args: cmd_watch(context),
    "hint": lambda context, args: cmd_hint(context, args.number, args.level),
    "solution": lambda context, args: cmd_solution(context, args.number, args.force, args.yes),
    "list": lambda context, args: cmd_list(context),
    "reset": lambda context, args: cmd_reset(context, args.number, args.all, args.yes),
    "goto": lambda context, args: cmd_goto(context, args.number, args.yes),
    "restore": lambda context, args: cmd_restore(context, args.backup, args.yes),
    "doctor": lambda context, args: cmd_doctor(context),
    "status": lambda context, args: cmd_status(context, args.json),
    "dojo": cmd_dojo,
    "review": cmd_review,
}


def run(
    argv: Sequence[str] | None = None,
    console: Console | None = None,
    read: Callable[[str], str] = input,
    now: Callable[[], datetime] = datetime.now,
    check: Callable[..., Check] = run_check,
    root: Path = ROOT,
) -> int:
    """Run one kata command; return its exit status."""
    console = console or Console(highlight=False, emoji=False)
    # wrap at words in a terminal
    errors = Console(stderr=True, highlight=False, soft_wrap=not sys.stderr.isatty(), emoji=False)
    context = Context(root, console, errors, read, now, check)
    warnings_to(lambda line: errors.print(f"kata: {line}", markup=False))
    try:
        args = build_parser().parse_args(argv)
        return COMMANDS[args.command or "check"](context, args)
    except UsageError as problem:
        errors.print(f"kata: {problem}", markup=False)
        return 2
    except KataDataError as problem:
        errors.print(f"kata: {problem}", markup=False)
        return 1
    except OutputLost as problem:
        return output_lost(problem)
    except OSError as problem:
        # a file the kata needs cannot be read or written: say which, and what to try
        where = f"{problem.filename}: " if problem.filename else ""
        errors.print(
            f"kata: {where}{problem.strerror or problem}. Check that folder's permissions (python -m kata doctor).",
            markup=False,
        )
        return 1
    except KeyboardInterrupt as interrupt:
        # every write is a rename of a finished file, so each file is old or new, and a backup is whole or absent
        try:
            errors.print(
                "kata: stopped; nothing half-written. Each file is as it was or as the command left it "
                "(python -m kata restore lists the backups).",
                markup=False,
            )
        except (KeyboardInterrupt, OSError, ValueError):
            pass  # a second Ctrl-C, or a terminal closed (SIGHUP): nobody to tell
        return exit_status(interrupt)


class OutputLost(OSError):
    """Writing stdout failed: a disk or device full, a pipe whose reader left, a terminal closed."""


class Output:
    """stdout for the kata's console, with its write errors told apart from those of the files the kata writes."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        try:
            return int(self.stream.write(text))
        except OSError as error:
            raise OutputLost(error.errno, error.strerror) from None

    def flush(self) -> None:
        try:
            self.stream.flush()
        except OSError as error:
            raise OutputLost(error.errno, error.strerror) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)  # isatty, fileno, encoding…: as the stream says


def output_lost(problem: OSError) -> int:
    """Say in one line on stderr that stdout cannot be written (not for a pipe whose reader left: nobody is waiting);
    point fd 1 at /dev/null so that Python's own flush at exit does not fail again; exit status 1."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    except OSError:
        pass
    if problem.errno != errno.EPIPE:
        try:
            sys.stderr.write(f"kata: the output cannot be written ({problem.strerror}): stopped.\n")
            sys.stderr.flush()
        except (OSError, ValueError):
            pass
    return 1


def main() -> int:
    """Entry point for `python -m kata` and the `kata` command."""
    quiet_start("kata")  # again for the `kata` command, which does not run this module's start
    stdout = cast(IO[str], Output(sys.stdout))  # a stream in all but its write errors
    status = run(console=Console(file=stdout, highlight=False, emoji=False))
    try:
        sys.stdout.flush()
    except OSError as problem:
        return output_lost(problem)
    return status


if __name__ == "__main__":
    sys.exit(main())
