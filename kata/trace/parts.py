"""The tracer's shared parts, for every story: how a story shows itself (Settings), its title, the child's first
words (whose code runs, which steps are red), and what the learner's code printed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console, RenderableType
from rich.rule import Rule
from rich.status import Status
from rich.text import Text

from kata.core.checks import Check, run_check
from kata.core.registry import ROOT, step_by_stem
from kata.trace.descent import Run
from kata.trace.protocol import Code, Message, Note, Problems
from kata.trace.streaming import Child
from kata.trace.text import AsciiOnly, Phrases, Printed, join_words

# wait up to so many seconds (None: for ever) for a key: 'next', 'all', 'quit', or None when none came
Keys = Callable[[float | None], str | None]


@dataclass
class Settings:
    """Everything a story needs to know about how to show itself."""

    console: Console
    ascii: bool  # --ascii, or a console that cannot show Unicode
    live: bool
    step_mode: bool
    every: int
    sample: int
    clock: Callable[[], float]
    keys: Keys
    speed: float = 1.0
    paced: bool = True
    check: Callable[[Path, Sequence[Any]], Check] = run_check
    height: int = 24
    root: Path = ROOT  # the kata whose steps/ are traced and checked

    def view(self, renderable: RenderableType) -> RenderableType:
        """A renderable as the screen shows it: in ASCII when --ascii asks, whatever the console can show."""
        return (
            AsciiOnly(renderable) if self.ascii and not isinstance(renderable, str) else renderable
        )

    def print(self, renderable: RenderableType) -> None:
        """Print on the console as the screen shows it."""
        self.console.print(self.view(renderable))

    def status(self, words: str) -> Status:
        """A spinner with words while something runs: rich's spinner is braille, so a plain one in ASCII."""
        return self.console.status(words, spinner="line" if self.ascii else "dots")


def heading(settings: Settings, title: str, details: str) -> None:
    """A story's title as a rule (rich draws it in ASCII when the options say so), and its settings in a line that
    wraps between phrases."""
    settings.print(Rule(title))
    settings.print(Phrases(details.split(", "), ", "))


def told(run: Run, settings: Settings) -> Callable[[Message], None]:
    """What to do with the child's other messages: say whose code runs, check red steps, note problems."""

    def on(message: Message) -> None:
        if isinstance(message, Code):
            run.mine = message.mine
            # the tests first: a red step is traced only after a first line that says so
            if message.mine:
                try:
                    steps = [step_by_stem(stem) for stem in message.steps]
                except LookupError:
                    steps = []
                if (
                    steps and settings.live
                ):  # a second of silence otherwise, before the story starts
                    with settings.status(
                        f"Running the tests of steps {steps[0].number}–{steps[-1].number}…"
                    ):
                        check = settings.check(settings.root, steps)
                elif steps:
                    check = settings.check(settings.root, steps)
                run.red = [
                    f"step {r.step.number}"
                    for r in (check.steps if steps else [])
                    if r.state in ("red", "amber", "timeout")
                ]
                if run.red:
                    said = join_words(run.red)
                    verb = "does" if len(run.red) == 1 else "do"
                    settings.print(
                        Text(
                            f"{said} {verb} not pass {'its' if len(run.red) == 1 else 'their'} tests yet: "
                            "traced anyway.",
                            "bold",
                        )
                    )
            settings.print(Text(message.said, "bold" if message.mine else ""))
        elif isinstance(message, Problems):
            run.problems += message.said
        elif isinstance(message, Note):
            run.notes.append((message.ok, message.said))

    return on


def begin(child: Child, run: Run, settings: Settings) -> Callable[[Message], None]:
    """Read the child's first message (whose code, whose tests pass) before the story's title; stop it on any trouble."""
    on = told(run, settings)
    try:
        first = next(child.stream, None)
        if first:
            on(first)
    except BaseException:
        child.close()
        raise
    return on


def said_by(child: Child) -> list[RenderableType]:
    """What the learner's code printed while traced, capped: kept apart from the story, shown after it."""
    if not child.total:
        return []
    return [Printed(child.text(), child.total)]
