"""The tracer's shared parts, for the article's stories and act II's alike: how a story shows itself (Settings), its
title, the child's first words (whose code runs, which steps are red), and what the learner's code printed."""

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
from kata.trace import pictures
from kata.trace.descent import Run
from kata.trace.streaming import Child

Keys = Callable[
    [float | None], str | None
]  # wait up to so many seconds (None: for ever) for a key; None when none came


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
            pictures.AsciiOnly(renderable)
            if self.ascii and not isinstance(renderable, str)
            else renderable
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
    settings.print(pictures.Phrases(details.split(", "), ", "))


def told(run: Run, settings: Settings) -> Callable[[dict[str, Any]], None]:
    """What to do with the child's other messages: say whose code runs, check red steps, note problems."""

    def on(message: dict[str, Any]) -> None:
        kind = message["kind"]
        if kind == "code":
            # the tests first: a red step is traced only after a first line that says so
            if message["mine"]:
                steps = [step_by_stem(stem) for stem in message["steps"]]
                if settings.live:  # a second of silence otherwise, before the story starts
                    with settings.status(
                        f"Running the tests of steps {steps[0].number}–{steps[-1].number}…"
                    ):
                        check = settings.check(settings.root, steps)
                else:
                    check = settings.check(settings.root, steps)
                run.red = [
                    f"step {r.step.number}"
                    for r in check.steps
                    if r.state in ("red", "amber", "timeout")
                ]
                if run.red:
                    said = pictures.join_words(run.red)
                    verb = "does" if len(run.red) == 1 else "do"
                    settings.print(
                        Text(
                            f"{said} {verb} not pass {'its' if len(run.red) == 1 else 'their'} tests yet: "
                            "traced anyway.",
                            "bold",
                        )
                    )
            settings.print(Text(message["said"], "bold" if message["mine"] else ""))
        elif kind == "problems":
            run.problems += message["said"]
        elif kind == "note":
            run.notes.append((message["ok"], message["said"]))

    return on


def begin(child: Child, run: Run, settings: Settings) -> Callable[[dict[str, Any]], None]:
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


def said_by(child: Child, settings: Settings) -> list[RenderableType]:
    """What the learner's code printed while traced, capped: kept apart from the story, shown after it."""
    if not child.output.total:
        return []
    return [pictures.Printed(child.output.text(), child.output.total)]
