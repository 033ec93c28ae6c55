"""`python -m kata dojo`: a projector screen for a group, on top of watch mode.

A banner with the state as a big word and a symbol, the driver and the time left in
big letters, the failing test in prose, and a rotation timer that knows about red and
green: when time is up on a red bar, the pair may finish the cycle to green first.
The roster can change during a session (skip, add, remove, shuffle) and the rotation
resumes where it stopped after a restart.
"""

from __future__ import annotations

import json
import random
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rich import box
from rich.align import Align
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.text import Text

from kata.core.checks import Check, StepResult
from kata.core.files import kind, plain_or_missing
from kata.core.look import State, clock, right_or_wrong
from kata.core.registry import FACTS, STEPS
from kata.core.runlog import COPIES, EVENTS, LOG, append_event, append_run, log_dir
from kata.core.stubs import stub_source
from kata.core.workspace import (
    MAX_JSON,
    KataDataError,
    linked,
    read_limited,
    shown,
    write_atomic,
)
from kata.dojo.bigtext import big
from kata.dojo.bigtext import width as big_width
from kata.loop import screens
from kata.loop.app import replace_files
from kata.loop.keys import Keys
from kata.loop.watch import POLL, Watcher

if TYPE_CHECKING:
    from kata.loop.app import Context

__all__ = ["DojoWatcher", "Rotation", "big", "dojo", "parse_drivers", "start_new_group"]

WARNING = 30.0  # seconds before the end of a turn when the screen warns (a quarter of a short turn)
NAG = 30.0  # seconds between bells while a turn runs over
ROOM = {
    "green": "GREEN: suggestions from the room are welcome. Refactor, or on to the next test.",
    "red": "RED: let the pair think. The room keeps its ideas until the bar is green.",
    "amber": "AMBER: the file does not load. The pair fixes it first.",
    "timeout": "TIMEOUT: a loop that never ends? The pair looks for it.",
    "unknown": "Not checked yet.",
    "running": "RUNNING: the tests are running on the pair's last save.",
    "paused": "PAUSED: the clock has stopped. p starts it again.",
}
PREDICTIONS = {"g": "green", "r": "red", "a": "amber"}
WORDS = [
    state.word for state in State if state is not State.UNKNOWN
]  # the words the banner may show
SAVED = ".kata/dojo.json"  # the roster and whose turn it is, so that a restart resumes the rotation


@dataclass
class Rotation:
    """Who drives and for how long; the clock comes from outside, so tests need not wait."""

    drivers: list[str]
    seconds: float
    started: float
    index: int = 0  # the driver's place in `drivers`
    turns: int = 0  # hand-overs so far
    rounds: int = 0  # rounds finished: each ends when everyone here has driven once
    in_round: int = 0  # hand-overs in the round under way
    away: set[str] = field(default_factory=set)  # people skipped (x) until they are added back (+)
    paused_at: float | None = None
    paused_for: float = 0.0

    def remaining(self, now: float) -> float:
        """Seconds left in this turn (negative once over)."""
        end = self.paused_at if self.paused_at is not None else now
        return self.seconds - (end - self.started - self.paused_for)

    @property
    def warn_at(self) -> float:
        """Seconds left when the turn warns: 30 s, or a quarter of a turn shorter than two minutes."""
        return min(WARNING, self.seconds / 4)

    def pause(self, now: float) -> None:
        if self.paused_at is None:
            self.paused_at = now

    def resume(self, now: float) -> None:
        if self.paused_at is not None:
            self.paused_for += now - self.paused_at
            self.paused_at = None

    def person(self, offset: int) -> str:
        return self.drivers[(self.index + offset) % len(self.drivers)] if self.drivers else ""

    @property
    def driver(self) -> str:
        return self.person(0)

    @property
    def navigator(self) -> str:
        name = self.after(0, 1) if len(self.drivers) > 1 else ""
        return name if name != self.driver else ""

    def after(self, offset: int, count: int) -> str:
        """The `count`-th person after place `offset` who is not away ('' when nobody is)."""
        seen = 0
        for step in range(1, len(self.drivers) + 1):
            name = self.person(offset + step)
            if name not in self.away:
                seen += 1
                if seen == count:
                    return name
        return ""

    @property
    def next_driver(self) -> str:
        """Who drives next: the navigator, unless they are away."""
        return self.after(0, 1) or self.driver if len(self.drivers) > 1 else self.driver

    @property
    def next_navigator(self) -> str:
        name = self.after(0, 2)
        return name if name and name != self.next_driver else ""

    @property
    def round(self) -> int:
        return self.rounds + 1

    @property
    def present(self) -> int:
        """How many people take turns now (not those away)."""
        return max(len([d for d in self.drivers if d not in self.away]), 1)

    @property
    def next_starts_a_round(self) -> bool:
        """True when the coming hand-over ends this round: everyone here will have driven once. A roster that
        grows or shrinks mid-round moves the end of this round, never the rounds already done."""
        return self.in_round + 1 >= self.present

    def hand_over(self, now: float) -> None:
        """The next driver drives, the person after them navigates, and the clock starts again."""
        if self.next_starts_a_round:
            self.rounds, self.in_round = self.rounds + 1, 0
        else:
            self.in_round += 1
        if self.drivers:
            self.index = self.drivers.index(self.next_driver)
        self.turns += 1
        self.started, self.paused_at, self.paused_for = now, None, 0.0

    def skip_next(self) -> str:
        """The proposed next driver is away: they are skipped until added back; the sentence to show."""
        present = [d for d in self.drivers if d not in self.away]
        if len(present) < 3:
            return "Skipping needs three people or more who are here."
        name = self.next_driver
        self.away.add(name)
        return (
            f"{name} is skipped (away: + {name} brings them back). {self.next_driver} drives next."
        )

    def add(self, name: str) -> str:
        """Add a person at the end of the order (or bring back one who was away); the sentence to show."""
        match = next((d for d in self.drivers if d.lower() == name.lower()), None)
        if match in self.away:
            self.away.discard(match)
            return f"{match} is back in the rotation."
        if match is not None:
            return f"{match} is in the rotation already."
        self.drivers.append(name)
        return f"{name} joins the rotation."

    def remove(self, name: str) -> str:
        """Remove a person (not the one driving); the sentence to show."""
        match = next((d for d in self.drivers if d.lower() == name.lower()), None)
        if match is None:
            return f"{name} is not in the rotation ({', '.join(self.drivers)})."
        if match == self.driver:
            return f"{match} is driving: hand over first, then remove them."
        at = self.drivers.index(match)
        self.drivers.remove(match)
        self.away.discard(match)
        if at < self.index:
            self.index -= 1
        return f"{match} leaves the rotation."

    def shuffle(self, rng: random.Random) -> str:
        """Shuffle everyone but the driver; the sentence to show."""
        others = [d for d in self.drivers if d != self.driver]
        rng.shuffle(others)
        self.drivers = [self.driver, *others]
        self.index = 0
        away = f" ({', '.join(sorted(self.away))} still away)" if self.away else ""
        return "New order: " + ", ".join(self.drivers) + "." + away


def parse_break(text: str) -> tuple[str, float]:
    """'50', '50m' or '50 minutes' → ('minutes', 50); '3r' or '3 rounds' → ('rounds', 3); ValueError otherwise."""
    cleaned = text.strip().lower().replace(" ", "")
    for suffix, unit in (
        ("rounds", "rounds"),
        ("round", "rounds"),
        ("r", "rounds"),
        ("minutes", "minutes"),
        ("min", "minutes"),
        ("m", "minutes"),
        ("", "minutes"),
    ):
        if cleaned.endswith(suffix) and cleaned[: len(cleaned) - len(suffix)]:
            value = float(cleaned[: len(cleaned) - len(suffix)])
            if not 0 < value < 24 * 60:
                raise ValueError(text)
            return unit, value
    raise ValueError(text)


@dataclass
class DojoState:
    """What the dojo screen is doing besides watching: the handover, finishing to green, a prediction, a break."""

    mode: str = "turn"  # turn, handover, finishing, break
    why: str = "time"  # why the handover: time, or skip (s)
    awaiting_prediction: bool = False
    prediction: str = ""
    outcome: tuple[str, str] | None = (
        None  # (what the driver predicted, what the bar showed) after a run
    )
    shown_second: int = -1
    warned: bool = False
    bells: float | None = None  # when the bell last rang over time
    running: bool = False
    checked_at: str = "-"
    notice: str = ""  # said at the start (backups made), shown until the first save
    said: str = ""  # the answer to the last roster key
    typing: tuple[str, str] | None = None  # (add or remove, the name so far)
    # when and in which round the last break ended
    breaks: dict[str, float] = field(default_factory=dict)


class DojoWatcher(Watcher):
    """Watch mode for a room: a banner, a rotation timer tied to red and green, a run log, predictions."""

    footer_keys = "p pause · s swap · h hint · l list · r run · q quit"

    def __init__(
        self,
        context: Context,
        keys: Keys,
        rotation: Rotation,
        predict: bool = False,
        clock: Callable[[], float] = time.monotonic,
        quiet: bool = False,
        break_every: tuple[str, float] | None = None,
        notice: str = "",
        rng: random.Random | None = None,
        table: str = "",
    ) -> None:
        super().__init__(context, keys, clock)
        self.table = table
        self.rotation = rotation
        self.predict = predict
        self.quiet = quiet
        self.break_every = break_every
        self.rng = rng or random.Random()
        self.dojo = DojoState(
            notice=notice,
            breaks={
                "at": rotation.started,
                "rounds": rotation.rounds,
            },
        )

    def state(self) -> str:
        """The bar's state: the focus step's, or green when every step passes."""
        focus = self.focus()
        return "green" if focus is None else focus.state

    def bell(self) -> None:
        if not self.quiet:
            self.context.console.bell()

    # checks run in a thread, so that the room sees RUNNING and the clock goes on
    def run_check(self) -> Check:
        found: list[Check] = []
        failed: list[BaseException] = []

        def work() -> None:
            try:
                # the cache and the re-run rule, in the thread
                found.append(Watcher.run_check(self))
            except BaseException as problem:  # handed to the main thread below
                failed.append(problem)

        worker = threading.Thread(target=work, daemon=True)
        worker.start()
        worker.join(0.05)  # a quick check never shows RUNNING at all
        if worker.is_alive():
            self.dojo.running = True
            self.show()
            while worker.is_alive():
                key = self.keys.read(POLL)
                if key and key.lower() == "p":
                    self.toggle_pause()
                self.tick()
                worker.join(0.01)
            self.dojo.running = False
        if failed:
            raise failed[0]
        return found[0]

    # the run log and the timer, tied to the tests
    def after_check(self, check: Check) -> None:
        if self.trigger == "start" and self.dojo.checked_at == "-":
            # the first turn starts when the room first sees the bar
            self.rotation.started = self.clock()
        focus = self.focus()
        append_run(
            self.context.root,
            check,
            self.context.now(),
            self.rotation.driver,
            self.rotation.navigator,
            self.dojo.prediction,
            focus,
            self.trigger,
            self.table,
        )
        self.dojo.checked_at = self.context.now().strftime("%H:%M:%S")
        self.dojo.outcome = (self.dojo.prediction, self.state()) if self.dojo.prediction else None
        self.dojo.prediction = ""
        if self.dojo.mode == "finishing" and self.state() == "green":
            # the cycle is finished: now hand over (logged at time up)
            self.start_handover("time", logged=False)

    def saved(self) -> None:
        self.dojo.notice = ""
        if self.predict and self.dojo.mode not in ("handover", "break"):
            self.dojo.awaiting_prediction = True
            self.saved_at = None
            self.show()
        else:
            self.check()

    def logged(self, event: str, detail: str = "") -> None:
        append_event(
            self.context.root,
            self.context.now(),
            event,
            self.rotation.driver,
            self.rotation.navigator,
            detail,
            self.table,
        )

    def start_handover(self, why: str, logged: bool = True) -> None:
        """Time is up (or the pair skipped): a break when one is due, else the handover screen."""
        self.dojo.why = why
        self.dojo.mode = "break" if self.break_due() else "handover"
        if logged:
            self.logged("handover", f"{why}; the bar {self.state()}")
        if why == "time":
            self.bell()
            self.dojo.bells = self.clock()

    def break_due(self) -> bool:
        if self.break_every is None:
            return False
        unit, every = self.break_every
        if unit == "rounds":
            return (
                self.next_round() and self.rotation.rounds + 1 - self.dojo.breaks["rounds"] >= every
            )
        return self.clock() - self.dojo.breaks["at"] >= every * 60

    def next_round(self) -> bool:
        """True when the coming hand-over starts a new round."""
        return self.rotation.next_starts_a_round

    def begin_turn(self) -> None:
        now = self.clock()
        after_break = self.dojo.mode == "break"
        if after_break:
            self.logged("break")
        self.rotation.hand_over(now)
        self.logged("turn", f"round {self.rotation.round}")
        if after_break:
            self.dojo.breaks = {
                "at": now,
                "rounds": self.rotation.rounds,
            }
        self.dojo.mode, self.dojo.warned, self.dojo.bells, self.dojo.said = "turn", False, None, ""
        save_rotation(self.context.root, self.rotation)

    def toggle_pause(self) -> None:
        now = self.clock()
        if self.rotation.paused_at is None:
            self.rotation.pause(now)
        else:
            self.rotation.resume(now)
        self.show()

    def on_key(self, key: str) -> bool:
        if self.dojo.typing is not None:
            self.type_name(key)
            return True
        command = key.lower() if len(key) == 1 else key
        if command == "escape":
            return True
        self.dojo.notice = ""
        if self.dojo.awaiting_prediction:
            if command in PREDICTIONS or command in ("enter", "space"):
                self.dojo.prediction = PREDICTIONS.get(command, "")
                self.dojo.awaiting_prediction = False
                self.check()
            return command != "q"
        if self.dojo.mode in ("handover", "break"):
            if command in ("enter", "space"):
                self.begin_turn()
                self.show()
                return True
            if command == "f" and self.dojo.mode == "handover" and self.state() != "green":
                self.dojo.mode = "finishing"
                self.logged("finish", f"the bar {self.state()}")
                self.show()
                return True
            if command in ("x", "+", "-", "~"):
                self.roster_key(command)
                return True
        if command == "p":
            self.toggle_pause()
            return True
        if command == "s" and self.dojo.mode == "turn":
            self.start_handover("skip")
            self.show()
            return True
        return super().on_key(command)

    def roster_key(self, command: str) -> None:
        rotation = self.rotation
        if command == "x":
            self.dojo.said = rotation.skip_next()
            self.logged("roster", self.dojo.said)
        elif command == "~":
            self.dojo.said = rotation.shuffle(self.rng)
            self.logged("roster", self.dojo.said)
            save_rotation(self.context.root, rotation)
        else:
            self.dojo.typing = ("add" if command == "+" else "remove", "")
        self.show()

    def type_name(self, key: str) -> None:
        """Collect a name for + or - (Enter to confirm, Escape to cancel)."""
        assert self.dojo.typing is not None
        what, name = self.dojo.typing
        if key == "escape":
            self.dojo.typing, self.dojo.said = None, "Nothing changed."
        elif key == "enter":
            self.dojo.typing = None
            if name.strip() and "," not in name:
                self.dojo.said = (self.rotation.add if what == "add" else self.rotation.remove)(
                    name.strip()
                )
                self.logged("roster", self.dojo.said)
                save_rotation(self.context.root, self.rotation)
            else:
                self.dojo.said = "Nothing changed: a name is needed (no commas)."
        elif key == "backspace":
            self.dojo.typing = (what, name[:-1])
        elif len(key) == 1 and len(name) < 40:
            self.dojo.typing = (what, name + key)
        elif key == "space":
            self.dojo.typing = (what, name + " ")
        self.show()

    def tick(self) -> None:
        """Redraw once a second for the timer; warn near the end; hand over when time is up; nag while over."""
        now = self.clock()
        remaining = self.rotation.remaining(now)
        if self.dojo.mode == "turn" and remaining <= 0 and not self.dojo.running:
            # the save still gets its run, so the handover shows the bar as it is
            if self.dojo.awaiting_prediction:
                self.dojo.awaiting_prediction = False
                self.start_handover("time")
                self.check()
            else:
                self.start_handover("time")
            self.show()
            return
        if (
            self.dojo.mode == "turn"
            and remaining <= self.rotation.warn_at
            and not self.dojo.warned
            and self.rotation.paused_at is None
        ):
            self.dojo.warned = True
            self.bell()
        if (
            self.dojo.mode in ("handover", "finishing")
            and self.dojo.why == "time"
            and self.dojo.bells is not None
            and now - self.dojo.bells >= NAG
        ):
            self.dojo.bells = now
            self.bell()
        second = int(remaining)
        if second != self.dojo.shown_second:
            self.dojo.shown_second = second
            self.show()

    # what the room sees
    def screen(self) -> RenderableType:
        if self.last is None:  # the first check is still running: nothing to show but that
            return Text("Checking the steps for the first time…", "bold")
        if self.dojo.mode in ("handover", "break"):
            return self.handover()
        console = self.context.console
        width, height = (
            console.width,
            console.height - 1,
        )  # the last row stays free: a newline there would scroll
        focus, state = self.focus(), self.state()
        shown = (
            "running"
            if self.dojo.running
            else "paused"
            if self.rotation.paused_at is not None
            else state
        )
        small: list[RenderableType] = []
        if self.dojo.notice:
            small.append(Text(self.dojo.notice, "dim"))
        if self.regressions:
            small.append(Text(f"! {screens.regression_sentence(self.memory)}", "bold yellow"))
        small.append(Text(ROOM[shown], State(shown).style))
        if self.dojo.awaiting_prediction:
            small.append(
                Text(
                    "Driver, predict before we run: g green · r red · a amber · Enter no prediction",
                    "bold reverse",
                )
            )
        elif self.dojo.outcome and not self.dojo.running:
            said, came = self.dojo.outcome
            right = said == came
            mark = right_or_wrong(right, self.context.ascii)
            small.append(
                Text(
                    f"You said {said.upper()}, the bar is {came.upper()}: {mark} "
                    f"{'right' if right else 'not this time'}.",
                    "bold",
                )
            )
        footer = self.footer()
        used = sum(self.rows(part) for part in small) + self.rows(footer)
        extra = [self.extra] if self.extra else []
        # what the last run said is about the file as it was: wait for the new one
        if self.dojo.running:
            message: list[RenderableType] = [Text("The tests are running on the last save…", "dim")]
            used += 1
        # a hint or the list takes the room of the message; the state stays, in one line
        elif extra:
            message = []
            used += height
        else:
            message = self.message(focus, state, width, max(3, height - used - 7))
            used += sum(self.rows(part) for part in message)
        banner, people = self.top(shown, focus, width, height - used)
        return Group(banner, *people, *message, *small, *extra, footer)

    def rows(self, part: RenderableType) -> int:
        """Rows a part takes on this console, wrapping included."""
        console = self.context.console
        return len(console.render_lines(part, console.options.update(height=None), pad=False))

    def message(
        self, focus: StepResult | None, state: str, width: int, rows: int
    ) -> list[RenderableType]:
        """What the plain loop says about the step, fitted to the rows left."""
        assert self.last is not None
        if focus is None:
            return [
                Text(
                    f"Every step passes: about {FACTS.answer:.0f} {FACTS.unit} at {FACTS.temperature:g} °C. "
                    "Afterwards: python -m kata review"
                )
            ]
        if state == "green":
            following = (
                self.last.current.step.learner_file if self.last.current else "the next step"
            )
            return [Text(f"Step {focus.step.number} passes. Refactor, then open {following}.")]
        parts: list[RenderableType] = []
        if state == "red" and not focus.stub:
            parts.append(
                Text(
                    f"{focus.total - focus.passed} of {focus.total} tests fail. First: "
                    f"{screens.test_name(focus)}",
                    "dim",
                )
            )
        where = focus.failure.where if focus.failure else ""
        parts.append(
            screens.message_text(
                screens.why_red(focus), width, rows - len(parts) - (1 if where else 0)
            )
        )
        if where and not focus.stub:
            parts.append(Text(f"at {where}", "cyan"))
        return parts

    def top(
        self, shown: str, focus: StepResult | None, width: int, rows: int
    ) -> tuple[RenderableType, list[RenderableType]]:
        """The state and the driver with the time left, as big as the rows and columns allow."""
        state = State(shown)
        symbol, ascii_symbol, word, style = (
            state.symbol,
            state.ascii_symbol,
            state.word,
            state.style,
        )
        mark = ascii_symbol if self.context.ascii else symbol
        if focus is not None:
            where = f"{screens.place(focus.step).replace(' of ', '/', 1)} · {focus.step.title}"
        else:
            act = self.last.act if self.last else 1
            where = f"All {len(screens.act_steps(act))} steps of {screens.ACT_NAMES.get(act, 'this act')} pass"
        if shown in ("running", "paused") and focus is not None:
            where += f" · the bar: {screens.badge(self.state(), self.context.ascii).plain}"
        rotation = self.rotation
        remaining = rotation.remaining(self.clock())
        over = self.dojo.mode == "finishing" or remaining < 0
        # time over reads as over, not as left
        shown_clock = f"+{clock(-remaining)}" if over else clock(remaining)
        who = f"{rotation.driver} {shown_clock}" if rotation.driver else shown_clock
        people_line = self.people_line(remaining)
        rows -= self.rows(people_line)
        for state_scale, who_scale in (
            (4, 3),
            (3, 3),
            (3, 2),
            (2, 2),
            (2, 1),
            (1, 1),
            (1, 0),
            (0, 0),
        ):
            state_rows = 5 * state_scale + 3 if state_scale else 3
            who_rows = 5 * who_scale if who_scale else 0
            # every state the same size: RED as big as GREEN
            widest = max(big_width(w, state_scale) for w in WORDS)
            fits = widest + len(mark) + 8 <= width if state_scale else True
            fits = fits and (
                not who_scale or (bool(big(who, who_scale)) and big_width(who, who_scale) <= width)
            )
            if fits and state_rows + who_rows <= rows:
                break
        if state_scale:
            letters = big(word, state_scale, self.context.ascii)
            middle = len(letters) // 2
            text = Text(
                "\n".join(
                    f"{mark if i == middle else ' ' * len(mark)}  {row}"
                    for i, row in enumerate(letters)
                ),
                style,
            )
        else:
            text = Text(f"{mark} {word}", style)
        banner = Panel(
            Group(Align.center(text), Align.center(Text(where, "bold"))),
            box=box.ASCII if self.context.ascii else box.HEAVY,
            expand=True,
            border_style=style,
        )
        people: list[RenderableType] = []
        if who_scale:
            warn = remaining <= rotation.warn_at and self.dojo.mode == "turn"
            look = "bold red" if over else "bold yellow" if warn else "bold"
            people.append(
                Align.center(Text("\n".join(big(who, who_scale, self.context.ascii)), look))
            )
        people.append(people_line)
        return banner, people

    def people_line(self, remaining: float) -> Text:
        rotation = self.rotation
        people = f"Driver: {rotation.driver}" if rotation.driver else "Driver"
        if rotation.navigator:
            people += f"   Navigator: {rotation.navigator}"
        if len(rotation.drivers) > 1:
            people += f"   round {rotation.round}"
        if self.dojo.mode == "finishing":
            timing = f"finishing the cycle: hand over at the next green ({clock(-remaining)} over)"
        elif rotation.paused_at is not None:
            timing = f"PAUSED at {clock(remaining)} (p resumes)"
        elif remaining <= rotation.warn_at:
            timing = f"{clock(remaining)} left: time to wrap up"
        else:
            timing = f"{clock(remaining)} left in this turn"
        icon = "" if self.context.ascii else "⏱ "
        return Text.assemble(
            (people, "bold"),
            f"   {icon}{timing}",
            style="bold yellow"
            if remaining <= rotation.warn_at and self.dojo.mode == "turn"
            else "",
        )

    def footer(self) -> Text:
        if self.dojo.awaiting_prediction:  # r means red here, not re-run
            return Text("g green · r red · a amber · Enter no prediction · q quit", "dim")
        seconds = f" in {self.last.seconds:.1f} s" if self.last else ""
        if self.context.console.width < 60:
            return Text(
                f"p pause s swap h hint l list r run q quit · {self.dojo.checked_at}", "dim"
            )
        return Text(
            f"{self.footer_keys} · checked {self.dojo.checked_at}{seconds if self.context.console.width >= 100 else ''}",
            "dim",
        )

    def handover(self) -> RenderableType:
        rotation, ascii = self.rotation, self.context.ascii
        console = self.context.console
        state = self.state()
        name = rotation.next_driver
        breaking = self.dojo.mode == "break"
        word = "BREAK" if breaking else name  # on a break the room must read BREAK, not a name
        lines: list[RenderableType] = []
        scale = next(
            (
                k
                for k in (4, 3, 2, 1)
                if big(word, k)
                and big_width(word, k) <= console.width - 4
                and 5 * k + 14 <= console.height
            ),
            0,
        )
        heading = (
            Text("\n".join(big(word, scale, ascii)), "bold cyan")
            if scale
            else Text(word, "bold cyan")
        )
        title = f"BREAK: then {name} drives" if breaking else "SWAP: next driver"
        lines.append(
            Panel(
                Align.center(heading),
                box=box.ASCII if ascii else box.HEAVY,
                expand=True,
                title=title,
                subtitle=f"round {rotation.round + (1 if self.next_round() else 0)}",
            )
        )
        if self.dojo.outcome:
            said, came = self.dojo.outcome
            mark = right_or_wrong(said == came, ascii)
            lines.append(
                Text(
                    f"The last save: you said {said.upper()}, the bar is {came.upper()}: {mark}",
                    "bold",
                )
            )
        if self.dojo.mode == "break":
            unit, every = self.break_every or ("minutes", 0)
            lines.append(
                Text(
                    f"Time for a break (every {every:g} {unit}). Enter starts {name}'s turn when "
                    "everyone is back.",
                    "bold",
                )
            )
        elif self.dojo.why == "skip":
            lines.append(Text(f"{rotation.driver} hands over early (s).", "bold"))
        else:
            lines.append(
                Text(f"Time is up{' for ' + rotation.driver if rotation.driver else ''}.", "bold")
            )
        if rotation.next_navigator:
            lines.append(Text(f"{name} drives, {rotation.next_navigator} navigates.", "bold"))
        badge = screens.badge(state, ascii)
        if state != "green" and self.dojo.mode == "handover":
            lines.append(
                Text.assemble(
                    "The bar is ",
                    badge,
                    ". f: finish the cycle to green first · Enter: hand over now",
                )
            )
        else:
            lines.append(Text.assemble("The bar is ", badge, ". Enter: start the next turn"))
        if self.dojo.typing is not None:
            what, typed = self.dojo.typing
            lines.append(
                Text(f"Name to {what}: {typed}▌ (Enter: done · Esc: cancel)", "bold reverse")
            )
        elif self.dojo.said:
            lines.append(Text(self.dojo.said, "bold"))
        lines.append(
            Text(
                f"Order: {', '.join(rotation.drivers)}"
                if rotation.drivers
                else 'No roster: --drivers "A,B"',
                "dim",
            )
        )
        if self.extra:
            lines.append(self.extra)
        lines.append(
            Text(
                "x skip the next driver · + add · - remove · ~ shuffle · h hint · l list · q quit",
                "dim",
            )
        )
        return Group(*lines)


def parse_drivers(text: str) -> list[str]:
    """'Ana, Bo,Cy' → ['Ana', 'Bo', 'Cy']."""
    return [name.strip() for name in text.split(",") if name.strip()]


@dataclass(frozen=True)
class Saved:
    """A rotation kept in .kata/dojo.json: the roster as given, as it is now, whose turn, the turns, who is away."""

    given: list[str]
    drivers: list[str]
    index: int
    turns: int
    away: list[str]
    rounds: int = 0
    in_round: int = 0


def load_rotation(root: Path, drivers: list[str]) -> tuple[Saved | None, str]:
    """The saved rotation when it belongs to this roster (the same --drivers as when it began, or none), and a
    sentence for the room when a saved one is not resumed."""
    path = root / SAVED
    if linked(root) or not (path.exists() or path.is_symlink()):
        return None, ""
    # said on the first screen, where the room reads it (a warning line would be drawn over)
    what = "damaged" if plain_or_missing(path) else f"{kind(path)}, not a plain file"
    damaged = f"The saved rotation ({SAVED}) was {what}, so the rotation starts afresh."
    # the kata's one safe read: no symlink, FIFO or device followed, at most MAX_JSON bytes
    raw = read_limited(path, MAX_JSON)
    try:
        if raw is None:
            raise ValueError("not a plain file, or too big")
        data = json.loads(raw.decode("utf-8"))
        people = (
            len(data["drivers"]) or 1
        )  # a file from before rounds were kept: as they were counted then
        saved = Saved(
            data["given"],
            data["drivers"],
            data["index"],
            data["turns"],
            data.get("away", []),
            data.get("rounds", data["turns"] // people),
            data.get("in_round", data["turns"] % people),
        )
        names = [*saved.given, *saved.drivers, *saved.away]
        if not (
            all(isinstance(n, str) and 0 < len(n) <= 40 for n in names)
            and saved.drivers
            and type(saved.index) is int
            and type(saved.turns) is int
            and 0 <= saved.index < len(saved.drivers)
            and 0 <= saved.turns < 10**6
            and type(saved.rounds) is int
            and type(saved.in_round) is int
            and 0 <= saved.rounds <= saved.turns
            and 0 <= saved.in_round <= saved.turns
        ):
            raise ValueError("not a saved rotation")
    except (ValueError, KeyError, TypeError, AttributeError, OverflowError, RecursionError):
        return None, damaged
    if drivers and drivers != saved.given:
        return None, (
            f"A new roster: the rotation starts afresh with {drivers[0]} (the saved one was "
            f"{', '.join(saved.drivers)}; start without --drivers to resume it)."
        )
    return saved, ""


def save_rotation(root: Path, rotation: Rotation, given: list[str] | None = None) -> None:
    """Keep the roster and whose turn it is (atomically; a read-only folder just means no resuming)."""
    path = root / SAVED
    if linked(root):
        return
    try:
        if given is None:
            raw = read_limited(path, MAX_JSON)
            previous = json.loads(raw.decode("utf-8")) if raw is not None else {}
            given = (
                previous.get("given", rotation.drivers)
                if isinstance(previous, dict)
                else rotation.drivers
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        # a fresh temporary file (O_EXCL) and a rename: a symlink in the way is never followed
        write_atomic(
            path,
            json.dumps(
                {
                    "given": given,
                    "drivers": rotation.drivers,
                    "index": rotation.index,
                    "turns": rotation.turns,
                    "away": sorted(rotation.away),
                    "rounds": rotation.rounds,
                    "in_round": rotation.in_round,
                }
            ).encode("utf-8"),
        )
    except (OSError, ValueError, RecursionError):
        pass


def dojo(
    context: Context,
    drivers: list[str],
    minutes: float,
    predict: bool,
    quiet: bool = False,
    break_every: tuple[str, float] | None = None,
    notice: str = "",
    table: str = "",
) -> int:
    """Run the dojo screen in this terminal."""
    saved, said = load_rotation(context.root, drivers)
    if saved is not None:
        rotation = Rotation(
            list(saved.drivers),
            minutes * 60,
            time.monotonic(),
            saved.index,
            saved.turns,
            saved.rounds,
            saved.in_round,
            set(saved.away) & set(saved.drivers),
        )
        said = f"Resuming the rotation: {rotation.driver} drives (round {rotation.round})."
    else:
        rotation = Rotation(list(drivers), minutes * 60, time.monotonic())
        save_rotation(context.root, rotation, given=list(drivers))
    notice = "\n".join(line for line in (notice, said) if line)
    with Keys() as keys:
        watcher = DojoWatcher(
            context,
            keys,
            rotation,
            predict,
            quiet=quiet,
            break_every=break_every,
            notice=notice,
            table=table,
        )
        return watcher.run()


def start_new_group(context: Context, yes: bool) -> int:
    """Archive the last group's run log and file copies under .kata/groups/, then reset every step (with backups)."""
    folder = log_dir(context.root)
    archived = [
        folder / name
        for name in (LOG, EVENTS, COPIES)
        if (folder / name).exists() or (folder / name).is_symlink()
    ]
    if archived and not linked(context.root):
        groups = folder / "groups"
        # it could point anywhere: the log is moved only into a real folder of the kata
        if groups.is_symlink():
            raise KataDataError(
                f"{shown(groups, context.root)} is a symlink, so the last group's log stays where it is: "
                "replace it with a folder."
            )
        base = groups / f"{context.now():%Y-%m-%d_%H%M%S}"
        target, n = base, 1
        while target.exists() or target.is_symlink():  # never move a log onto an earlier group's
            n += 1
            target = base.with_name(f"{base.name}-{n}")
        target.mkdir(parents=True)
        for path in archived:
            shutil.move(str(path), str(target / path.name))
        context.console.print(
            f"The last group's log is in {target.relative_to(context.root).as_posix()}/ "
            f"(python -m kata review --group {target.name} shows it)."
        )
    (context.root / SAVED).unlink(missing_ok=True)  # a new group starts its own rotation
    return replace_files(
        context,
        {step.learner_file: stub_source(step) for step in STEPS},
        "new-group",
        yes,
        "Reset of every step for the new group",
    )
