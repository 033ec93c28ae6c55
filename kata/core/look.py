"""How states and times look on every screen: one State per step state and one Level per doctor's finding (each with
its word, symbol, ASCII symbol and style, all in one table), the mark of a guess that came out right or wrong, and
one way to write a clock and a duration. Every state has a word and a symbol; colour only adds to them.

Plain data, no rich: the pytest plugin imports this (through the checks), and a learner's test run needs pytest only.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple


class Look(NamedTuple):
    """How one state shows: a symbol, its ASCII stand-in, a word, and a rich style (the colour only adds)."""

    symbol: str
    ascii_symbol: str
    word: str
    style: str


class Shown(StrEnum):
    """A state that shows through LOOKS: its word, symbol, ASCII symbol and style."""

    @property
    def word(self) -> str:
        return LOOKS[self].word

    @property
    def symbol(self) -> str:
        return LOOKS[self].symbol

    @property
    def ascii_symbol(self) -> str:
        return LOOKS[self].ascii_symbol

    @property
    def style(self) -> str:
        return LOOKS[self].style


class State(Shown):
    """A step's state (and the dojo banner's two of its own); equal to its name as a string, as the logs keep it."""

    GREEN = "green"
    RED = "red"
    AMBER = "amber"
    TIMEOUT = "timeout"
    UNKNOWN = "unknown"
    RUNNING = "running"  # the dojo: the tests run on the last save
    PAUSED = "paused"  # the dojo: the clock is stopped


class Level(Shown):
    """How a finding of `python -m kata doctor` stands: fine, worth a note, or a problem to fix."""

    OK = "ok"
    WARN = "warn"
    FAIL = "fail"


LOOKS: dict[Shown, Look] = {
    State.GREEN: Look("✓", "[ok]", "GREEN", "bold green"),
    State.RED: Look("✗", "[x]", "RED", "bold red"),
    State.AMBER: Look("!", "[!]", "AMBER", "bold yellow"),
    State.TIMEOUT: Look("⏱", "[t]", "TIMEOUT", "bold magenta"),
    State.UNKNOWN: Look("?", "[?]", "NOT CHECKED", "dim"),
    State.RUNNING: Look("…", "...", "RUNNING", "bold cyan"),
    State.PAUSED: Look("‖", "||", "PAUSED", "bold blue"),
}
# the doctor's levels wear the step states' symbols, in a plainer colour
LOOKS |= {
    Level.OK: LOOKS[State.GREEN]._replace(word="OK", style="green"),
    Level.WARN: LOOKS[State.AMBER]._replace(word="NOTE", style="yellow"),
    Level.FAIL: LOOKS[State.RED]._replace(word="PROBLEM", style="red"),
}
STEP_STATES = (
    State.GREEN,
    State.RED,
    State.AMBER,
    State.TIMEOUT,
    State.UNKNOWN,
)  # what a check can find


def right_or_wrong(right: bool, ascii: bool = False) -> str:
    """The mark for a guess or a verdict that came out right or wrong: green's ✓ or red's ✗ (OK or X in ASCII)."""
    if ascii:
        return "OK" if right else "X"
    return State.GREEN.symbol if right else State.RED.symbol


def state(name: str) -> State:
    """The State of a name from a log or a report (unknown for anything else)."""
    try:
        return State(name)
    except ValueError:
        return State.UNKNOWN


def clock(seconds: float) -> str:
    """A countdown as a clock shows it: 4:05 (whole seconds, rounded up, never below 0:00)."""
    seconds = max(0, int(seconds + 0.999))
    return f"{seconds // 60}:{seconds % 60:02d}"


def duration(seconds: float) -> str:
    """A time spent, as a review says it: 3m 05s."""
    seconds = max(0, int(seconds))
    return f"{seconds // 60}m {seconds % 60:02d}s"


def counted(count: int, one: str, many: str = "") -> str:
    """'1 iteration', '5 iterations', '2 runs': a count with its noun, singular for one (`many` for a plural that is
    not the noun and an s)."""
    return f"{count} {one if count == 1 else many or one + 's'}"
