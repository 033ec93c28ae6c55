"""`python -m kata.trace`: watch gradient descent step by step, on the parabola, the park's data, and beyond.

Paced for a person in a terminal, instant and plain when piped. It traces your own steps/ once they are written
(else the reference): your functions run in a guarded child process (kata/trace/child.py) that streams what to
show; this process only draws, so its memory does not grow with the iterations. Each story is one file of
kata/trace/stories/.
"""

from __future__ import annotations

import errno
import io
import os
import sys
import time
from collections.abc import Callable, Sequence
from contextlib import nullcontext, suppress
from pathlib import Path
from typing import Any

from rich.console import Console, RenderableType
from rich.text import Text

from kata.core import guard
from kata.core.checks import Check, run_check
from kata.core.cli import Stopped, UsageError, exit_status, signal_name
from kata.core.files import write_atomic
from kata.core.keys import Keys as Terminal
from kata.core.registry import ROOT
from kata.trace.cli import SAVE_KINDS, parse
from kata.trace.data import DataError, escaped
from kata.trace.descent import Run
from kata.trace.launch import SAMPLE, Prepared, prepare
from kata.trace.parts import Keys, Settings, begin, heading, said_by
from kata.trace.protocol import ProtocolError, Result
from kata.trace.screen import Screen, follow
from kata.trace.stories import Story
from kata.trace.streaming import ChildTrouble
from kata.trace.verdicts import notes

PAUSE = 1.5  # seconds between the parts of a story's final screen in a terminal, at --speed 1
# a story may take this many times the reference's time (about) before it is stopped
LIMIT_FACTOR = 10.0
MOST_WORK = 120.0  # seconds of the reference's work, about: a story asking for more is refused before it starts
ACTIONS = {"enter": "next", "space": "next", "a": "all", "A": "all", "q": "quit", "Q": "quit"}


def key_reader(terminal: Terminal) -> Keys:
    """The tracer's keys from the terminal's: Enter or space 'next', a 'all', q 'quit'; arrows and the rest
    ignored. With no terminal, waiting for ever means nobody will press a key: 'all', run on."""

    def read(timeout: float | None) -> str | None:
        if timeout is None and not terminal.terminal:
            return "all"
        key = terminal.read(timeout)
        return ACTIONS.get(key or "", "" if key else None)

    return read


def tell(
    story: Story, settings: Settings, quiet: float, memory: int, ready: Prepared | None = None
) -> tuple[Run, list[RenderableType]]:
    """Run one story in the guarded child (started already when `ready`) and return its record with its final
    screen."""
    prepared = ready or prepare(
        story, settings.every, settings.sample, quiet, memory, settings.root
    )
    data, run, child = prepared.data, prepared.run, prepared.child
    on = begin(child, run, settings)
    if data is not None and not data.header:
        settings.print(
            Text(f"{data.name} has no header line: its first line is read as a day.", "dim")
        )
    heading(settings, story.title, story.details(data))
    result = None
    if story.streams:
        screen = Screen(run, settings, lambda row: story.frame(run, row, data), story.pace)
        follow(child, run, screen, on)
    else:
        try:
            with settings.status("Running the story…") if settings.live else nullcontext():
                for message in child.stream:
                    if isinstance(message, Result):
                        result = story.decode(message)
                    else:
                        on(message)
        except ProtocolError as problem:
            raise ChildTrouble(
                f"the story's result did not read ({problem}): please report it."
            ) from None
        finally:
            child.close()
        if (
            result is None
        ):  # the child ended its story without one: it said why, or this is the tracer's fault
            raise ChildTrouble("the story ended without its result: please report it.")
    shown = story.screen(run, result, data, settings)
    return run, shown + notes(run) + said_by(child)


def make_console(args: Any) -> Console:
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
        text = recorder.export_svg(title="kata.trace")
    elif kind == "html":
        text = recorder.export_html()
    else:
        text = recorder.export_text()
    write_atomic(path, text.encode("utf-8"))  # the old file stays whole if the write fails


def run_trace(
    argv: Sequence[str] | None = None,
    console: Console | None = None,
    clock: Callable[[], float] = time.monotonic,
    keys: Keys | None = None,
    check: Callable[[Path, Sequence[Any]], Check] = run_check,
    root: Path = ROOT,
    ready: Prepared | None = None,
) -> int:
    """Run the tracer on the kata at `root`; return the exit status (0 done, 1 diverged or your code failed, 2 usage,
    130 Ctrl-C). `ready`: the first story's child, started already (python -m kata.trace starts it early)."""
    errors = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)
    try:
        args, stories = parse(argv)
        quiet = guard.time_limit(10.0)
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
    terminal = Terminal()
    if keys is None:
        keys = key_reader(terminal)
        stdin = sys.stdin
        step_mode = args.step and stdin is not None and not stdin.closed and stdin.isatty()
    else:
        step_mode = args.step
    settings = Settings(
        console,
        ascii,
        live,
        step_mode,
        args.every or 0,
        args.sample or SAMPLE,
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
        with terminal:
            for i, story in enumerate(stories):
                try:
                    run, screen = tell(story, settings, quiet, memory, ready if i == 0 else None)
                except (DataError, UsageError) as problem:
                    errors.print(f"kata.trace: {problem}", markup=False)
                    return 2
                except ChildTrouble as problem:
                    errors.print(f"kata.trace: {problem}", markup=False)
                    return 1
                pausing = not story.streams and settings.live and settings.paced
                for i, part in enumerate(screen):
                    settings.print(part)
                    # a story's parts one at a time, time to read each; any key: the rest
                    if pausing and i < len(screen) - 1:
                        pausing = settings.keys(PAUSE / settings.speed) is None
                everything += screen
                if run.interrupted or run.stopped:
                    console.print(
                        f"Stopped after {run.count} of {run.iterations} steps; the table shows the steps so far."
                    )
                    status = 130 if run.interrupted else 0
                    break
                if run.diverged or run.faulty:
                    status = 1
    except (
        KeyboardInterrupt
    ) as interrupt:  # while drawing the final pictures, or between the stories
        if isinstance(interrupt, Stopped):
            raise  # SIGTERM, SIGHUP: main() says which
        errors.print("kata.trace: stopped (Ctrl-C).", markup=False)
        return 130
    if args.save:
        try:
            save(args.save, everything, settings)
        except OSError as problem:
            errors.print(
                f"kata.trace: cannot save to {escaped(str(args.save))}: {problem.strerror}",
                markup=False,
            )
            return 2
        console.print(f"Saved the final screen to {escaped(str(args.save))}.")
    return status


def main(ready: Prepared | None = None) -> int:
    """Entry point for `python -m kata.trace`: one line, never a traceback, for Ctrl-C or an output that fails."""
    try:
        status = run_trace(ready=ready)
        sys.stdout.flush()
        return status
    except (
        KeyboardInterrupt
    ) as interrupt:  # Ctrl-C; SIGTERM, SIGHUP: the child was stopped on the way out
        with suppress(OSError, ValueError):
            print(f"kata.trace: stopped ({signal_name(interrupt)}).", file=sys.stderr)
        return exit_status(interrupt)
    except OSError as error:  # stdout on a full disk (/dev/full), a closed pipe
        quiet_stdout()
        if error.errno != errno.EPIPE:
            with suppress(OSError):
                print(
                    f"kata.trace: cannot write the output ({error.strerror or error}).",
                    file=sys.stderr,
                )
        return 1
    finally:
        if ready is not None:  # stopped already, unless the tracer ended before it read the story
            ready.child.close()


def quiet_stdout() -> None:
    """Point stdout at the null device: what is still buffered for a stdout that fails must not fail again at exit."""
    with suppress(OSError, ValueError, AttributeError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
