"""Starting a story's guarded child: the data read, the work weighed against the time limit, the request made.
No rich here, so that `python -m kata.trace` can start the first story's child before it loads what it draws
with: the child's start-up and the tracer's own run side by side."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kata.core import guard
from kata.core.cli import UsageError
from kata.core.registry import ROOT
from kata.trace.cli import parse
from kata.trace.data import PARK, DataError, Dataset, read_park
from kata.trace.descent import Run, shown_steps
from kata.trace.protocol import Request
from kata.trace.stories import Story
from kata.trace.streaming import Child

# a story may take this many times the reference's time (about) before it is stopped
LIMIT_FACTOR = 10.0
MOST_WORK = 120.0  # seconds of the reference's work, about: a story asking for more is refused before it starts
SAMPLE = 32  # table rows shown by default, about


@dataclass
class Prepared:
    """A story whose child is running: its data, its record, and the child."""

    story: Story
    data: Dataset | None
    run: Run
    child: Any  # a Child (or, in tests, a stand-in that replays one)


def start_child(
    story: Story, request: Request, quiet: float, memory: int, root: Path, overall: float
) -> Any:
    """Start the guarded child for a story (tests replace this with one that replays a recorded child)."""
    return Child(request, quiet, memory, root, overall)


def prepare(
    story: Story, every: int, sample: int, quiet: float, memory: int, root: Path
) -> Prepared:
    """Read the story's data, weigh its work, and start its child; DataError or UsageError (one line) when it
    cannot start."""
    data = read_park(story.options.data or root / PARK.name) if story.needs_data else None
    days = len(data.X) if data else 1
    work = story.work(days)
    if work > MOST_WORK:
        raise UsageError(
            f"{story.name} with {story.iterations} iterations"
            + (f" on {days} days" if data else "")
            + f" is about {work:.0f} s of work for the reference, more than the tracer's {MOST_WORK:.0f}: "
            "use fewer --iterations or a smaller --data file"
        )
    planned = shown_steps(story.iterations, every, sample) if story.streams else []
    run = Run(story.name, story.lr, story.iterations, frozenset(planned), story.names)
    request = story.request(data, story.options.target, planned)
    child = start_child(story, request, quiet, memory, root, quiet + LIMIT_FACTOR * work)
    return Prepared(story, data, run, child)


def early(argv: Sequence[str], root: Path = ROOT) -> Prepared | None:
    """The first story's child, started as soon as the command line is read; None when anything is amiss (the
    tracer reads the command line again and says what)."""
    try:
        args, stories = parse(argv)
        return prepare(
            stories[0],
            args.every or 0,
            args.sample or SAMPLE,
            guard.time_limit(10.0),
            guard.memory_limit(),
            root,
        )
    except (UsageError, DataError, guard.GuardError, OSError):
        return None
