"""How states and times look on every screen: one State per step state (its word, symbol, ASCII symbol, style) and
one way to write a duration. Every state has a word and a symbol; colour only adds to them.

Plain data, no rich: the pytest plugin imports this (through the checks), and a learner's test run needs pytest only.
"""

from __future__ import annotations

from enum import StrEnum


class State(StrEnum):
    """A step's state (and the dojo banner's two of its own); equal to its name as a string, as the logs keep it."""

    GREEN = "green"
    RED = "red"
    AMBER = "amber"
    TIMEOUT = "timeout"
    UNKNOWN = "unknown"
    RUNNING = "running"  # the dojo: the tests run on the last save
    PAUSED = "paused"  # the dojo: the clock is stopped

    @property
    def word(self) -> str:
        return LOOKS[self][2]

    @property
    def symbol(self) -> str:
        return LOOKS[self][0]

    @property
    def ascii_symbol(self) -> str:
        return LOOKS[self][1]

    @property
    def style(self) -> str:
        return LOOKS[self][3]


LOOKS: dict[State, tuple[str, str, str, str]] = {  # symbol, ASCII symbol, word, style
    State.GREEN: ("✓", "[ok]", "GREEN", "bold green"),
    State.RED: ("✗", "[x]", "RED", "bold red"),
    State.AMBER: ("!", "[!]", "AMBER", "bold yellow"),
    State.TIMEOUT: ("⏱", "[t]", "TIMEOUT", "bold magenta"),
    State.UNKNOWN: ("?", "[?]", "NOT CHECKED", "dim"),
    State.RUNNING: ("…", "...", "RUNNING", "bold cyan"),
    State.PAUSED: ("‖", "||", "PAUSED", "bold blue"),
}
STEP_STATES = (
    State.GREEN,
    State.RED,
    State.AMBER,
    State.TIMEOUT,
    State.UNKNOWN,
)  # what a check can find


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
