"""The tracer paced for a person in a terminal, instant when piped: a fake clock and fake keys, never a real sleep."""

from __future__ import annotations

from kata.trace.tracer import run_trace
from tests.tool.conftest import capture_console
from tests.tool.trace.test_trace import trace


class Time:
    """A clock that moves only when the tracer waits for a key; it may press one at a given moment."""

    def __init__(self, press: dict[float, str] | None = None) -> None:
        self.now = 0.0
        self.waits: list[float] = []
        self.press = dict(press or {})

    def clock(self) -> float:
        return self.now

    def keys(self, timeout: float | None) -> str | None:
        assert timeout is not None
        self.waits.append(timeout)
        self.now += timeout
        for at in sorted(self.press):
            if self.now >= at:
                return self.press.pop(at)
        return None


def traced(
    *argv: str, time: Time, terminal: bool = True, height: int = 40, width: int = 80
) -> tuple[int, str]:
    """The tracer on a recording console, with the fake clock and keys of `time`."""
    return trace(
        *argv, width=width, terminal=terminal, clock=time.clock, keys=time.keys, height=height
    )


def test_in_a_terminal_the_parabola_takes_a_few_seconds_early_steps_slowest():
    time = Time()
    status, _ = traced("parabola", time=time)
    assert status == 0 and 5 <= time.now <= 15


def test_in_a_terminal_the_park_takes_a_few_seconds_too_and_the_first_steps_take_most_of_a_second():
    time = Time()
    status, screen = traced("park", time=time)
    assert status == 0 and 5 <= time.now <= 15
    assert "about 543 visitors" in screen


def test_speed_makes_it_faster():
    time = Time()
    traced("park", "--speed", "4", time=time)
    assert time.now <= 4


def test_a_key_skips_to_the_end():
    time = Time(press={1.0: "all"})
    status, screen = traced("park", time=time)
    assert status == 0 and time.now < 1.5 and "about 543 visitors" in screen


def test_q_stops_and_says_where_it_stood():
    time = Time(press={1.0: "quit"})
    status, screen = traced("park", time=time)
    assert (
        status == 0
        and "Stopped after" in screen
        and "No verdict on a run cut short" in " ".join(screen.split())
    )


def test_piped_output_never_waits():
    time = Time()
    traced("park", time=time, terminal=False)
    assert time.waits == []


def test_plain_never_waits_even_in_a_terminal():
    time = Time()
    traced("park", "--plain", time=time)
    assert time.waits == []


def test_a_short_terminal_gets_the_frame_without_the_pictures():
    time = Time()
    _, tall = traced("park", time=time, height=40)
    _, short = traced("park", time=Time(), height=10)
    assert tall.count("a day in park.txt") > 1  # live frames had the picture
    assert short.count("a day in park.txt") == 1  # only the final screen has it


def test_step_mode_also_pauses_at_an_event_between_the_planned_steps():
    seen = []

    def keys(timeout):
        seen.append(timeout)
        return "next"

    console = capture_console(80, height=40, force_terminal=True)
    run_trace(
        ["park", "--lr", "0.01", "--step", "--every", "1000"],
        console=console,
        clock=lambda: 0.0,
        keys=keys,
    )
    screen = console.export_text()
    assert "loss exploded at step 6" in " ".join(screen.split())
    # step 1 is the only planned step reached: the other pauses are the events
    assert len(seen) >= 2
