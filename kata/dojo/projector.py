"""`python -m kata dojo`: a screen for a group, on top of watch mode, for a projector or a pane beside the editor.

A banner with the state as a big word and a symbol, the driver and the time left in
big letters (as big as the terminal allows: kata/dojo/layout.py), the failing test in
prose, and a rotation timer that knows about red and green: when time is up on a red
bar, the pair may finish the cycle to green first. The roster can change during a
session (skip, add, remove, shuffle) and the rotation resumes where it stopped after a
restart. Every save is logged under the step saved; turns, pauses and breaks as events.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.console import Console, RenderableType
from rich.text import Text

from kata.core.checks import Check, StepResult
from kata.core.files import kind, plain_or_missing
from kata.core.look import State, clock, right_or_wrong
from kata.core.registry import FACTS, STEPS, Step
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
from kata.dojo.layout import Banner, Frame, Screen, Who
from kata.dojo.rotation import NAME, Breaks, Rotation, parse_break, parse_drivers, twice
from kata.loop import screens
from kata.loop.app import replace_files
from kata.loop.keys import Keys
from kata.loop.watch import POLL, Watcher

if TYPE_CHECKING:
    from kata.loop.app import Context

__all__ = [
    "Breaks",
    "DojoWatcher",
    "Rotation",
    "big",
    "dojo",
    "parse_break",
    "parse_drivers",
    "start_new_group",
    "twice",
]

NAG = 30.0  # seconds between bells while a turn runs over
CONFIRM = 5.0  # seconds an s or a q waits for its second press
ROOM = {
    "green": "GREEN: suggestions from the room are welcome. Refactor, or on to the next test.",
    "red": "RED: let the pair think. The room keeps its ideas until the bar is green.",
    "amber": "AMBER: the file does not load. The pair fixes it first.",
    "timeout": "TIMEOUT: a loop that never ends? The pair looks for it.",
    "unknown": "Not checked yet.",
    "running": "RUNNING: the tests are running on the pair's last save.",
    "paused": "PAUSED: the clock has stopped. p starts it again.",
}
# g r a: the colours' first letters; n (or Enter) no guess. In a turn r means nothing (c checks again): never a slip.
PREDICTIONS = {"g": "green", "r": "red", "a": "amber", "n": "", "enter": "", "space": ""}
SAVED = ".kata/dojo.json"  # the roster and whose turn it is, so that a restart resumes the rotation
SWAP = ("→", "->")  # the handover's mark (and in ASCII)
BREAK = ("‖", "||")


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
    note: str = ""  # the answer to a key that does nothing here (typed into the wrong window?)
    confirm: tuple[str, float] | None = (
        None  # s or q pressed once, and when: the same key again does it
    )
    typing: tuple[str, str] | None = None  # (add or remove, the name so far)
    # when and in which round the last break ended
    breaks: dict[str, float] = field(default_factory=dict)
    break_started: float | None = None  # when the break under way began
    break_rang: bool = False  # the bell at the end of the break has rung
    stopped: bool = False  # the dojo has said goodbye (the turn kept, the pause and break logged)


class DojoWatcher(Watcher):
    """Watch mode for a room: a banner, a rotation timer tied to red and green, a run log, predictions."""

    def __init__(
        self,
        context: Context,
        keys: Keys,
        rotation: Rotation,
        predict: bool = False,
        clock: Callable[[], float] = time.monotonic,
        quiet: bool = False,
        break_every: tuple[str, float] | tuple[str, float, float] | None = None,
        notice: str = "",
        rng: random.Random | None = None,
        table: str = "",
        start: int | None = None,
        resumed: bool = False,
        since_break: tuple[float, int] | None = None,
    ) -> None:
        """`since_break`: the seconds the dojo ran and the rounds at the last break, kept when it last stopped."""
        super().__init__(context, keys, clock)
        self.table = table
        self.rotation = rotation
        self.predict = predict
        self.quiet = quiet
        self.breaks = Breaks(*break_every) if break_every else None
        self.rng = rng or random.Random()
        self.start = (
            start  # the step --from started at: its act is in view until a save says otherwise
        )
        self.resumed = resumed
        ran, rounds = since_break or (
            0.0,
            rotation.rounds,
        )  # on towards the break, from where it stopped
        self.dojo = DojoState(
            notice=notice,
            breaks={"at": rotation.started - ran, "rounds": min(rounds, rotation.rounds)},
        )
        # a terminal that moves its cursor: the frame is redrawn in place, each second. Piped, or on a dumb
        # terminal (TERM=dumb), a frame is printed only when something happens, never with escape codes
        console = context.console
        self.live = console.is_terminal and not console.is_dumb_terminal
        self.printed = ""  # the last frame printed where frames are not redrawn in place

    # the step in view
    def focus(self) -> StepResult | None:
        """The step saved last, else the first that does not pass; a --from into act II keeps that act in view
        (an untouched act II is optional for the loop, but it is what this group came for)."""
        found = super().focus()
        if found is not None or self.last is None:
            return found
        saved = next(
            (r for r in self.last.steps if r.step.learner_file.endswith("/" + self.last_saved)),
            None,
        )
        act = (
            saved.step.act
            if saved
            else STEPS[self.start - 1].act
            if self.start and 1 <= self.start <= len(STEPS)
            else None
        )
        return next(
            (r for r in self.last.steps if r.step.act == act and r.state != "green"),
            None,
        )

    def hint_step(self) -> Step | None:
        """The step h gives a hint for: the one on the screen while it is not green (--from 11 on an untouched
        act II too), else the current one."""
        focus = self.focus()
        return focus.step if focus is not None and focus.state != "green" else super().hint_step()

    def state(self) -> str:
        """The bar's state: the focus step's, or green when every step in view passes."""
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
            # the other keys are answered when the run is over (q q still quits)
            later: list[str] = []
            while worker.is_alive():
                key = self.keys.read(POLL)
                if key == "p":
                    self.toggle_pause()
                elif key:
                    later.append(key)
                self.tick()
                worker.join(0.01)
            self.dojo.running = False
            self.keys.pending[:0] = later
        if failed:
            raise failed[0]
        return found[0]

    # the run log and the timer, tied to the tests
    def after_check(self, check: Check) -> None:
        first = self.dojo.checked_at == "-"
        if self.trigger == "start" and first:
            # the first turn starts when the room first sees the bar
            self.rotation.started = self.clock()
        self.log_run(check)
        if first:
            # a fresh rotation's first turn counts; a resumed one was counted when it began
            self.logged(
                "turn", f"round {self.rotation.round}; {'resumed' if self.resumed else 'first'}"
            )
        self.dojo.checked_at = self.context.now().strftime("%H:%M:%S")
        self.dojo.outcome = (self.dojo.prediction, self.state()) if self.dojo.prediction else None
        self.dojo.prediction = ""
        if self.dojo.mode == "finishing" and self.state() == "green":
            # the cycle is finished: now hand over (logged at time up)
            self.start_handover("time", logged=False)

    def log_run(self, check: Check) -> None:
        """Log the run: the step saved (or in view), who drove and navigated, the prediction, the table."""
        append_run(
            self.context.root,
            check,
            self.context.now(),
            self.rotation.driver,
            self.rotation.navigator,
            self.dojo.prediction,
            self.logged_step(),
            self.trigger,
            self.table,
        )

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
        """Time is up (or the pair handed over): a break when one is due, else the handover screen."""
        self.dojo.why = why
        self.dojo.mode = "break" if self.break_due() else "handover"
        if self.dojo.mode == "break":
            self.dojo.break_started, self.dojo.break_rang = self.clock(), False
        if logged:
            self.logged("handover", f"{why}; the bar {self.state()}")
        if why == "time":
            self.bell()
            self.dojo.bells = self.clock()

    def break_due(self) -> bool:
        if self.breaks is None:
            return False
        if self.breaks.unit == "rounds":
            return (
                self.next_round()
                and self.rotation.rounds + 1 - self.dojo.breaks["rounds"] >= self.breaks.every
            )
        return self.clock() - self.dojo.breaks["at"] >= self.breaks.every * 60

    def next_round(self) -> bool:
        """True when the coming hand-over starts a new round."""
        return self.rotation.next_starts_a_round

    def may_finish(self) -> bool:
        """The bar is not green at the handover: the pair may finish the cycle first, even when a break has just
        come (not once the break is over: the room has taken it). A step not begun (its stub still raises) has no
        cycle under way to finish."""
        focus = self.focus()
        if focus is None or focus.state == "green" or focus.stub:
            return False
        return self.dojo.mode == "handover" or (
            self.dojo.mode == "break" and not self.dojo.break_rang
        )

    def break_left(self) -> float:
        """Seconds left in the break under way (negative once it runs over)."""
        assert self.breaks is not None and self.dojo.break_started is not None
        return self.breaks.minutes * 60 - (self.clock() - self.dojo.break_started)

    def begin_turn(self) -> None:
        now = self.clock()
        after_break = self.dojo.mode == "break"
        if after_break and self.dojo.break_started is not None and self.breaks is not None:
            taken = round(now - self.dojo.break_started)
            self.logged("break", f"{taken} s; {self.breaks.minutes:g} min planned")
        self.rotation.hand_over(now)
        self.logged("turn", f"round {self.rotation.round}")
        if after_break:
            self.dojo.breaks = {"at": now, "rounds": self.rotation.rounds}
        self.dojo.mode, self.dojo.warned, self.dojo.bells, self.dojo.said = "turn", False, None, ""
        self.dojo.break_started = None
        self.keep()

    def keep(self) -> None:
        """Keep the rotation, and how long the dojo has run and how many rounds since the last break: a restart
        carries on towards the next break instead of starting its clock again (the time it was stopped is not
        counted: a group away from the dojo is having a break of its own)."""
        since = (max(self.clock() - self.dojo.breaks["at"], 0.0), int(self.dojo.breaks["rounds"]))
        save_rotation(self.context.root, self.rotation, since_break=since)

    def toggle_pause(self) -> None:
        now = self.clock()
        paused_at = self.rotation.paused_at
        if paused_at is None:
            self.rotation.pause(now)
        else:
            self.rotation.resume(now)
            self.logged(
                "pause", f"{round(now - paused_at)} s"
            )  # the review takes it out of red time
        self.show()

    def stop(self) -> None:
        """The dojo stops: a pause or a break under way is logged, and on the handover screen the next driver keeps
        the turn (counted now; the next start resumes with them)."""
        if self.dojo.stopped:
            return
        self.dojo.stopped = True
        if self.rotation.paused_at is not None:
            self.toggle_pause()
        if self.dojo.mode in ("handover", "break"):
            self.begin_turn()  # keeps the rotation
        else:
            self.keep()

    def loop(self) -> int:
        try:
            status = super().loop()
        except KeyboardInterrupt:
            self.stop()
            raise
        self.stop()
        return status

    # the keys
    def on_key(self, key: str) -> bool:
        if self.dojo.typing is not None:
            self.type_name(key)
            return True
        if key == "escape":
            return True
        self.dojo.note = ""
        confirm, self.dojo.confirm = self.dojo.confirm, None
        if (
            key in ("s", "q")
            and confirm
            and confirm[0] == key
            and self.clock() - confirm[1] <= CONFIRM
        ):
            if key == "q":
                return False
            self.start_handover("skip")
            self.show()
            return True
        if key in ("s", "q") and (key == "q" or self.dojo.mode == "turn"):
            # asked twice: typed into this window by mistake ("sqrt"), an s or a q does nothing alone
            self.dojo.confirm = (key, self.clock())
            self.show()
            return True
        if self.dojo.awaiting_prediction and key in PREDICTIONS:
            self.dojo.prediction = PREDICTIONS[key]
            self.dojo.awaiting_prediction = False
            self.check()
            return True
        if self.dojo.mode in ("handover", "break"):
            if key in ("enter", "space"):
                self.begin_turn()
                self.show()
                return True
            if key == "f" and self.may_finish():
                # a break that came at time up waits too: it starts at the green that ends the cycle
                self.dojo.mode = "finishing"
                self.dojo.break_started, self.dojo.break_rang = None, False
                self.logged("finish", f"the bar {self.state()}")
                self.show()
                return True
            if key in ("x", "+", "-", "~"):
                self.roster_key(key)
                return True
            if key in ("h", "l"):
                return super().on_key(key)
        else:
            if key == "p":
                self.toggle_pause()
                return True
            if key == "c":
                self.check("rerun")
                return True
            if key in ("h", "l"):
                return super().on_key(key)
        self.dojo.note = self.unknown_key(key)
        self.show()
        return True

    def unknown_key(self, key: str) -> str:
        """What to say about a key that does nothing here."""
        shown_key = {
            "enter": "Enter",
            "space": "Space",
            "backspace": "Backspace",
            "tab": "Tab",
        }.get(key, key)
        if len(key) == 1 and key.isupper():
            return f"{shown_key}: capital letters do nothing here (Caps Lock?). The keys are below, in small letters."
        if self.dojo.awaiting_prediction:
            return f"{shown_key}: the driver predicts with g, r or a (n: no guess)."
        if key == "r":
            return "r: nothing to predict now. c checks the steps again."
        return f"{shown_key} does nothing here: this is the dojo's window (the code is in the editor's)."

    def roster_key(self, command: str) -> None:
        rotation = self.rotation
        if command in ("x", "~"):
            self.dojo.said = rotation.skip_next() if command == "x" else rotation.shuffle(self.rng)
            self.logged("roster", self.dojo.said)
            self.keep()
        else:
            self.dojo.typing = ("add" if command == "+" else "remove", "")
        self.show()

    def type_name(self, key: str) -> None:
        """Collect a name for + or - (Enter to confirm, Escape to cancel)."""
        assert self.dojo.typing is not None
        what, name = self.dojo.typing
        self.dojo.said = ""
        if key == "escape":
            self.dojo.typing, self.dojo.said = None, "Nothing changed."
        elif key == "enter":
            self.dojo.typing = None
            if name.strip() and "," not in name:
                self.dojo.said = (self.rotation.add if what == "add" else self.rotation.remove)(
                    name.strip()
                )
                self.logged("roster", self.dojo.said)
                self.keep()
            else:
                self.dojo.said = "Nothing changed: a name is needed (no commas)."
        elif key == "backspace":
            self.dojo.typing = (what, name[:-1])
        elif len(name) >= NAME and (len(key) == 1 or key == "space"):
            self.dojo.said = f"A name keeps {NAME} characters at most."
        elif len(key) == 1:
            self.dojo.typing = (what, name + key)
        elif key == "space":
            self.dojo.typing = (what, name + " ")
        self.show()

    def tick(self) -> None:
        """Redraw once a second for the timer; warn near the end; hand over when time is up; nag while over."""
        now = self.clock()
        remaining = self.rotation.remaining(now)
        if self.dojo.confirm and now - self.dojo.confirm[1] > CONFIRM:
            self.dojo.confirm = None
            self.show()
        if self.dojo.mode == "turn" and remaining <= 0 and not self.dojo.running:
            if self.saved_at is not None:
                return  # a save still settling: its run comes first (the loop's next poll)
            # a save waiting for its prediction is run first, so the handover shows (and logs) the bar as it is
            if self.dojo.awaiting_prediction:
                self.dojo.awaiting_prediction = False
                self.check()
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
        if self.dojo.mode == "break" and not self.dojo.break_rang and self.break_left() <= 0:
            self.dojo.break_rang = True
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
            if self.live:  # piped, the clock's every second would be a whole frame
                self.show()

    # what the room sees
    def screen(self) -> RenderableType:
        if self.last is None:  # the first check is still running: nothing to show but that
            return Text("Checking the steps for the first time…", "bold")
        console = self.context.console
        # the last row stays free (a newline there would scroll), and the warnings about .kata keep theirs
        height = console.height - 1 - len(self.notes[-2:])
        frame = self.handover() if self.dojo.mode in ("handover", "break") else self.turn()
        return Screen(frame, height)

    def show(self) -> None:
        """Draw the screen (the warnings about .kata under it: the last two)."""
        self.notes[:] = self.notes[-2:]
        if self.live:
            super().show()
            return
        console = self.context.console
        with console.capture() as frame:
            console.print(self.screen())
            for line in self.notes:
                console.print(self.note(line))
        # the same frame twice (a redraw with nothing new) is printed once
        if frame.get() != self.printed:
            self.printed = frame.get()
            console.file.write(self.printed)
            console.file.flush()

    def rows(self, part: RenderableType, width: int | None = None) -> int:
        """Rows a part takes on this console, wrapping included."""
        console = self.context.console
        options = console.options.update(height=None)
        if width is not None:
            options = options.update_width(width)
        return len(console.render_lines(part, options, pad=False))

    def widest(self, seconds: float, shown_clock: str) -> str:
        """The widest clock a turn (or a break) of `seconds` can show, up to ten minutes over: its digits as 8s."""
        candidates = [clock(seconds), "+9:59", shown_clock]
        return max((re.sub(r"\d", "8", c) for c in candidates), key=lambda c: big_width(c))

    def turn(self) -> Frame:
        """A turn: the state, the driver and the clock, what the tests say."""
        focus, state = self.focus(), self.state()
        ascii = self.context.ascii
        shown_state = (
            "running"
            if self.dojo.running
            else "paused"
            if self.rotation.paused_at is not None
            else state
        )
        look = State(shown_state)
        if self.dojo.awaiting_prediction:
            banner = Banner(
                "PREDICT",
                "?",
                "bold cyan",
                Text("g green · r red · a amber · n no guess", "bold"),
            )
        else:
            banner = Banner(
                look.word,
                look.ascii_symbol if ascii else look.symbol,
                look.style,
                Text(self.where(focus, shown_state), "bold"),
            )
        rotation = self.rotation
        remaining = rotation.remaining(self.clock())
        over = self.dojo.mode == "finishing" or remaining < 0
        shown_clock = (
            f"+{clock(-remaining)}" if over else clock(remaining)
        )  # time over reads as over
        warn = remaining <= rotation.warn_at and self.dojo.mode == "turn"
        who = Who(
            rotation.driver,
            shown_clock,
            self.widest(rotation.seconds, shown_clock),
            "bold red" if over else "bold yellow" if warn else "bold",
        )
        need = self.rows(self.extra) if self.extra is not None else 0

        def words(rows: int, width: int, named: bool) -> list[RenderableType]:
            # given out by importance: the answer to a key and the verdict; what the tests say and what to do;
            # who navigates; what --from or --new-group did; the room's line. What is cut says so.
            head = self.said_lines(width)
            if not named:  # the top had no room for the driver's name: it comes first here
                head.insert(0, self.people_line(remaining, width))
            if self.regressions:
                head.append(Text(f"! {screens.regression_sentence(self.memory)}", "bold yellow"))
            people: list[RenderableType] = [self.people_line(remaining, width)] if named else []
            room = Text(ROOM[shown_state], look.style)
            left = rows - self.height_of(head, width)
            if self.extra is not None:
                middle = [self.extra]
            elif self.dojo.running:
                middle = [Text("The tests are running on the last save…", "dim")]
            else:
                # the navigator's line gives way to it (the driver and the clock are in the top)
                middle = self.message(focus, state, width, max(1, left))
            left -= self.height_of(middle, width)
            tail = people if self.height_of(people, width) <= left else []
            left -= self.height_of(tail, width)
            if self.dojo.notice and left > 0:
                tail.append(cut_to(self.dojo.notice, width, left, "dim"))
                left -= self.height_of(tail[-1:], width)
            if self.height_of([room], width) <= left:
                tail.append(room)
            return [*head, *middle, *tail]

        return Frame(banner, who, words, self.footer(), need)

    def where(self, focus: StepResult | None, shown_state: str) -> str:
        """The line under the state: the step and its title, or the act that passes."""
        if focus is not None:
            where = f"{screens.place(focus.step).replace(' of ', '/', 1)} · {focus.step.title}"
        else:
            act = self.last.act if self.last else 1
            where = f"All {len(screens.act_steps(act))} steps of {screens.ACT_NAMES.get(act, 'this act')} pass"
        if shown_state in ("running", "paused") and focus is not None:
            where += f" · the bar: {screens.badge(self.state(), self.context.ascii).plain}"
        return where

    def said_lines(self, width: int) -> list[RenderableType]:
        """The answer to the last key, a pending second press, and the last prediction's outcome (each in one row,
        said shorter where the full sentence does not fit)."""
        lines: list[RenderableType] = []
        if self.dojo.confirm:
            key = self.dojo.confirm[0]
            doing = "quit the dojo" if key == "q" else "hand over now"
            lines.append(
                one_row(
                    [
                        f"{key} again: {doing} (any other key: carry on)",
                        f"{key} again: {doing} · other keys: carry on",
                        f"{key} again: {doing}",
                    ],
                    width,
                    "bold reverse",
                )
            )
        if self.dojo.note:
            lines.append(Text(self.dojo.note, "bold"))
        if self.dojo.outcome and not self.dojo.running:
            said, came = self.dojo.outcome
            right = said == came
            mark = right_or_wrong(right, self.context.ascii)
            word = "right" if right else "not this time"
            said, came = said.upper(), came.upper()
            lines.append(
                one_row(
                    [
                        f"You said {said}, the bar is {came}: {mark} {word}.",
                        f"Said {said}, the bar is {came}: {mark} {word}.",
                        f"Said {said}, bar {came}: {mark} {word}",
                        f"Said {said}, bar {came}: {mark}",
                    ],
                    width,
                    "bold",
                )
            )
        return lines

    def height_of(self, parts: list[RenderableType], width: int) -> int:
        """Rows the parts take `width` wide."""
        return sum(self.rows(part, width) for part in parts)

    def message(
        self, focus: StepResult | None, state: str, width: int, rows: int
    ) -> list[RenderableType]:
        """What the plain loop says about the step, fitted to the rows left."""
        assert self.last is not None
        if focus is None:
            act = self.last.act
            later = [step for step in STEPS if step.act > act]
            if act == 1:
                said = f"The article is rebuilt: about {FACTS.answer:.0f} {FACTS.unit} at {FACTS.temperature:g} °C."
            else:
                said = f"{screens.ACT_HEADINGS.get(act, f'Act {act}')}: every step passes."
            if later:
                said += (
                    f" Beyond it, optional: {len(later)} more steps; open {later[0].learner_file} to go on, "
                    "or end here: python -m kata review"
                )
            else:
                said += " Afterwards: python -m kata review"
            return [Text(said)]
        if state == "green":
            following = (
                self.last.current.step.learner_file if self.last.current else "the next step"
            )
            return [Text(f"Step {focus.step.number} passes. Refactor, then open {following}.")]
        parts: list[RenderableType] = []
        said = screens.why_red(focus)
        where = focus.failure.where if focus.failure and not focus.stub else ""
        whole = self.rows(screens.message_text(said, width), width) + (1 if where else 0)
        if focus.stub and whole > rows:
            # what to do comes first when the whole sentence has no room
            short = f"Open {focus.step.learner_file} and write {focus.step.function}() (its # TODO says how)."
            return [cut_to(short, width, rows, "")]
        if rows < 3 or (whole > rows - 1 and rows < 6):
            # a pane of a few rows: what the test said, as much as fits (the count of failing tests can wait)
            if rows == 1:
                first = said.splitlines()[0] if said else ""
                return [Text(first, no_wrap=True, overflow="ellipsis")]
            if whole > rows:
                return [screens.message_text(said, width, rows)]
            return [
                screens.message_text(said, width),
                *([Text(f"at {where}", "cyan")] if where else []),
            ]
        if state == "red" and not focus.stub:
            parts.append(
                Text(
                    f"{focus.total - focus.passed} of {focus.total} tests fail. First: "
                    f"{screens.test_name(focus)}",
                    "dim",
                )
            )
        room = rows - len(parts) - (1 if where else 0)
        # message_text keeps a row for "… more lines" unless it is given one more than the message needs
        fits = whole <= rows - len(parts)
        parts.append(screens.message_text(said, width, max(1, room) + (1 if fits else 0)))
        if where:
            parts.append(Text(f"at {where}", "cyan"))
        return parts

    def people_line(self, remaining: float, width: int) -> Text:
        rotation = self.rotation
        narrow = width < 70
        if narrow:
            people = f"{rotation.driver} drives" if rotation.driver else ""
            if rotation.navigator:
                people += f" · {rotation.navigator} navigates"
            if len(rotation.drivers) > 1:
                people += f" · round {rotation.round}"
        else:
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
            timing = f"{clock(remaining)} left{'' if narrow else ' in this turn'}"
        icon = "" if self.context.ascii or narrow else "⏱ "
        return Text.assemble(
            (people, "bold"),
            (" · " if narrow and people else "   " if people else "") + f"{icon}{timing}",
            style="bold yellow"
            if remaining <= rotation.warn_at and self.dojo.mode == "turn"
            else "",
        )

    def footer(self) -> Text:
        width = self.context.console.width
        if (
            self.dojo.awaiting_prediction
        ):  # r means red here; in a turn it means nothing (c checks again)
            choices = [
                "predict: g green · r red · a amber · n no guess · p pause · q quit",
                "g green · r red · a amber · n no guess",
                "g green r red a amber n none",
            ]
        elif self.dojo.mode in ("handover", "break"):
            choices = [
                "Enter next turn · x skip · + add · - remove · ~ shuffle · h hint · l list · q quit",
                "Enter next turn · x skip · + add · - remove · ~ shuffle · q quit",
                "Enter next turn · x skip + add - remove ~ shuffle q quit",
                "Enter: next turn · q quit",
            ]
        else:
            seconds = f" in {self.last.seconds:.1f} s" if self.last else ""
            checked = self.dojo.checked_at
            choices = [
                f"p pause · s swap · h hint · l list · c check again · q quit · checked {checked}{seconds}",
                f"p pause · s swap · h hint · l list · c check again · q quit · checked {checked}",
                f"p pause · s swap · h hint · l list · c check · q quit · {checked}",
                "p pause s swap h hint l list c check q quit",
                "p pause s swap h hint q quit",
            ]
        return Text(next((c for c in choices if len(c) <= width), choices[-1]), "dim")

    def handover(self) -> Frame:
        """Time is up (or a break): who drives next in big letters, the bar, the roster keys."""
        rotation, ascii = self.rotation, self.context.ascii
        state = self.state()
        name = rotation.next_driver
        badge = screens.badge(state, ascii)
        breaking = self.dojo.mode == "break"
        if breaking and self.breaks is not None and self.dojo.break_started is not None:
            left = self.break_left()
            back = self.context.now() + timedelta(seconds=max(0.0, left))
            banner = Banner(
                "BREAK",
                BREAK[ascii],
                "bold cyan",
                Text(
                    f"then {name} drives · back at {back:%H:%M}"
                    if name
                    else f"back at {back:%H:%M}"
                ),
            )
            shown_clock = f"+{clock(-left)}" if left < 0 else clock(left)
            who = Who(
                "",
                shown_clock,
                self.widest(self.breaks.minutes * 60, shown_clock),
                "bold red" if left < 0 else "bold",
            )
        else:
            why = (
                f"{rotation.driver} hands over early"
                if self.dojo.why == "skip"
                else f"Time is up{' for ' + rotation.driver if rotation.driver else ''}"
            )
            banner = Banner(
                "SWAP", SWAP[ascii], "bold cyan", Text(f"{why} · the bar: {badge.plain}")
            )
            who = Who(name, "", "")
        need = self.rows(self.extra) if self.extra is not None else 0

        def words(rows: int, width: int, named: bool) -> list[RenderableType]:
            head = self.said_lines(width)
            # the answer to a roster key first: the banner's line says already why the turn ends
            if self.dojo.typing is not None:
                what, typed = self.dojo.typing
                head.append(
                    Text(f"Name to {what}: {typed}▌ (Enter: done · Esc: cancel)", "bold reverse")
                )
            said: list[RenderableType] = [Text(self.dojo.said, "bold")] if self.dojo.said else []
            pause: list[RenderableType] = []
            if breaking and self.breaks is not None:
                pause.append(
                    Text(
                        (
                            "The break is over. "
                            if self.dojo.break_rang
                            else f"Time for a break ({self.breaks}). "
                        )
                        + f"Enter starts {name + chr(39) + 's' if name else 'the next'} turn when everyone is back.",
                        "bold",
                    )
                )
            drives: list[RenderableType] = []
            if rotation.next_navigator:
                drives.append(Text(f"{name} drives, {rotation.next_navigator} navigates.", "bold"))
            elif name:
                drives.append(Text(f"{name} drives.", "bold"))
            action = first_fit(self.handover_choices(badge, breaking), width)
            extra: list[RenderableType] = [self.extra] if self.extra is not None else []
            order: list[RenderableType] = [
                Text(
                    f"Order: {', '.join(rotation.drivers)}"
                    if rotation.drivers
                    else 'No roster: --drivers "A,B"',
                    "dim",
                )
            ]
            # what to do comes first, and a hint or the list asked for (cut at its end when it is too long): the
            # parts after them get the rows left, in this order
            left = rows - self.height_of([*head, action, *extra], width)
            kept: list[list[RenderableType]] = [extra]
            for part in (pause, drives, said, order):
                if part and self.height_of(part, width) <= left:
                    kept.append(part)
                    left -= self.height_of(part, width)
            shown = [part for part in (said, pause, drives) if any(part is k for k in kept)]
            after = [part for part in (extra, order) if any(part is k for k in kept)]
            return [
                *head,
                *(line for part in shown for line in part),
                action,
                *(line for part in after for line in part),
            ]

        return Frame(banner, who, words, self.footer(), need)

    def handover_choices(self, badge: Text, breaking: bool) -> list[Text]:
        """What to press on the handover screen, said shorter and shorter (the bar's word always with it)."""
        if self.may_finish():
            if breaking:
                return [
                    Text.assemble(
                        "The bar is ", badge, ". f: finish the cycle to green first, then the break"
                    ),
                    Text.assemble(badge, " · f: finish to green, then the break"),
                    Text.assemble(badge, " · f: finish first"),
                ]
            return [
                Text.assemble(
                    "The bar is ",
                    badge,
                    ". f: finish the cycle to green first · Enter: hand over now",
                ),
                Text.assemble(
                    "The bar is ", badge, ". f: finish to green first · Enter: hand over"
                ),
                Text.assemble(badge, " · f: finish to green · Enter: hand over"),
                Text.assemble(badge, " · f: finish · Enter: hand over"),
            ]
        focus = self.focus()
        stub = focus is not None and focus.stub
        begun = f": step {focus.step.number} is not begun" if focus is not None and stub else ""
        return [
            Text.assemble("The bar is ", badge, f"{begun}. Enter: start the next turn"),
            Text.assemble(badge, f"{begun}. Enter: next turn"),
            Text.assemble(badge, " · Enter: next turn"),
        ]


def first_fit(choices: list[Text], width: int) -> Text:
    """The first of the choices (longest first) that fits in one row `width` wide, else the last, wrapped."""
    return next((c for c in choices if c.cell_len <= width), choices[-1])


def one_row(choices: list[str], width: int, style: str) -> Text:
    """The first of the choices (longest first) that fits in one row `width` wide; the last, cut, when none does."""
    text = Text(next((c for c in choices if cell_len(c) <= width), choices[-1]), style)
    text.no_wrap, text.overflow = True, "ellipsis"
    return text


def cut_to(said: str, width: int, rows: int, style: str) -> Text:
    """Words broken for a screen `width` wide, cut to `rows` rows: the last one then says how many were left out."""
    lines = screens.fitted(said, width).plain.split("\n") if said else []
    if len(lines) > rows == 1:  # one row: the start of it, cut
        lines = [lines[0] + " …"]
    elif len(lines) > rows:
        kept = max(rows - 1, 0)
        lines = [*lines[:kept], f"… {len(lines) - kept} more lines (a taller window shows them)"]
    text = Text("\n".join(lines), style)
    text.no_wrap, text.overflow = True, "ellipsis"
    return text


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
    # seconds the dojo ran since the last break, and the rounds done at that break, when it was last kept
    since_break: tuple[float, int] | None = None


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
            since_break(data.get("since_break")),
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


def since_break(value: object) -> tuple[float, int] | None:
    """A saved [seconds, rounds] since the last break, when it is one (a damaged value starts the clock afresh)."""
    if (
        isinstance(value, list)
        and len(value) == 2
        and type(value[0]) in (int, float)
        and type(value[1]) is int
        and 0 <= value[0] < 10**7
        and 0 <= value[1] < 10**6
    ):
        return float(value[0]), value[1]
    return None


def save_rotation(
    root: Path,
    rotation: Rotation,
    given: list[str] | None = None,
    since_break: tuple[float, int] | None = None,
) -> None:
    """Keep the roster and whose turn it is, and the time and rounds since the last break (atomically; a read-only
    folder just means no resuming)."""
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
                    **({"since_break": list(since_break)} if since_break is not None else {}),
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
    break_every: tuple[str, float] | tuple[str, float, float] | None = None,
    notice: str = "",
    table: str = "",
    start: int | None = None,
) -> int:
    """Run the dojo screen in this terminal (on its alternate screen, the cursor hidden)."""
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
    with Keys() as keys, full_screen(context.console):
        watcher = DojoWatcher(
            context,
            keys,
            rotation,
            predict,
            quiet=quiet,
            break_every=break_every,
            notice=notice,
            table=table,
            start=start,
            resumed=saved is not None,
            since_break=saved.since_break if saved is not None else None,
        )
        status = watcher.run()
    context.console.print(
        f"The dojo stopped; {rotation.driver or 'the next turn'} drives when it starts again. "
        "The session so far: python -m kata review"
    )
    return status


@contextmanager
def full_screen(console: Console) -> Iterator[None]:
    """The terminal's alternate screen without a cursor while the dojo runs: the frames leave no trace behind."""
    if not console.is_terminal or console.is_dumb_terminal:
        yield
        return
    console.set_alt_screen(True)
    console.show_cursor(False)
    try:
        yield
    finally:
        console.show_cursor(True)
        console.set_alt_screen(False)


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
