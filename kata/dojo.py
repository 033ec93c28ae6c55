"""`python -m kata dojo`: a projector screen for a group, on top of watch mode.

A banner with the state as a big word and a symbol, the step, the failing test in
prose, the driver and the rotation timer, which knows about red and green: when
time is up on a red bar, the pair may finish the cycle to green first.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich import box
from rich.align import Align
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.text import Text

from . import screens
from .checks import Check, StepResult
from .registry import STEPS
from .runlog import COPIES, LOG, append_run, log_dir
from .stubs import stub_source
from .watch import Keys, Watcher
from .workspace import KataDataError, linked, shown

if TYPE_CHECKING:
    from .__main__ import Context

WARNING = 30.0  # seconds before the end of a turn when the screen warns
FONT = {  # five rows per letter, for the words a room must read from the back
    "A": (" ## ", "#  #", "####", "#  #", "#  #"), "B": ("### ", "#  #", "### ", "#  #", "### "),
    "D": ("### ", "#  #", "#  #", "#  #", "### "), "E": ("####", "#   ", "### ", "#   ", "####"),
    "G": (" ###", "#   ", "# ##", "#  #", " ###"), "I": ("###", " # ", " # ", " # ", "###"),
    "M": ("#   #", "## ##", "# # #", "#   #", "#   #"), "N": ("#  #", "## #", "# ##", "#  #", "#  #"),
    "O": (" ## ", "#  #", "#  #", "#  #", " ## "), "R": ("### ", "#  #", "### ", "# # ", "#  #"),
    "T": ("#####", "  #  ", "  #  ", "  #  ", "  #  "), "U": ("#  #", "#  #", "#  #", "#  #", " ## "),
    "C": (" ###", "#   ", "#   ", "#   ", " ###"), "H": ("#  #", "#  #", "####", "#  #", "#  #"),
    "K": ("#  #", "# # ", "##  ", "# # ", "#  #"), "P": ("### ", "#  #", "### ", "#   ", "#   "),
    "S": (" ###", "#   ", " ## ", "   #", "### "), "W": ("#   #", "#   #", "# # #", "## ##", "#   #"),
    " ": ("  ", "  ", "  ", "  ", "  "),
}
ROOM = {
    "green": "GREEN: suggestions from the room are welcome. Refactor, or on to the next test.",
    "red": "RED: let the pair think. The room keeps its ideas until the bar is green.",
    "amber": "AMBER: the file does not load. The pair fixes it first.",
    "timeout": "TIMEOUT: a loop that never ends? The pair looks for it.",
    "unknown": "Not checked yet.",
}
PREDICTIONS = {"g": "green", "r": "red", "a": "amber"}


def big(word: str, ascii: bool = False) -> list[str]:
    """A word in five-row block letters."""
    ink = "#" if ascii else "█"
    rows = ["" for _ in range(5)]
    for letter in word.upper():
        glyph = FONT.get(letter, FONT[" "])
        for i in range(5):
            rows[i] += glyph[i].replace("#", ink) + " "
    return rows


@dataclass
class Rotation:
    """Who drives and for how long; the clock comes from outside, so tests need not wait."""

    drivers: list[str]
    seconds: float
    started: float
    index: int = 0
    paused_at: float | None = None
    paused_for: float = 0.0

    def remaining(self, now: float) -> float:
        """Seconds left in this turn (negative once over)."""
        end = self.paused_at if self.paused_at is not None else now
        return self.seconds - (end - self.started - self.paused_for)

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
        return self.person(1) if len(self.drivers) > 1 else ""

    def hand_over(self, now: float) -> None:
        """The navigator drives, the next person navigates, and the clock starts again."""
        self.index += 1
        self.started, self.paused_at, self.paused_for = now, None, 0.0


def clock_text(seconds: float) -> str:
    seconds = max(0, int(seconds + 0.999))
    return f"{seconds // 60}:{seconds % 60:02d}"


@dataclass
class DojoState:
    """What the dojo screen is doing besides watching: the handover, finishing to green, a prediction."""

    mode: str = "turn"  # turn, handover, finishing
    awaiting_prediction: bool = False
    prediction: str = ""
    shown_second: int = -1
    warned: bool = False


class DojoWatcher(Watcher):
    """Watch mode for a room: a banner, a rotation timer tied to red and green, a run log, predictions."""

    footer_keys = "p pause · s skip to the next driver · h hint · l list · r re-run · q quit"

    def __init__(self, context: Context, keys: Keys, rotation: Rotation, predict: bool = False,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(context, keys, clock)
        self.rotation = rotation
        self.predict = predict
        self.dojo = DojoState()

    def focus(self) -> StepResult | None:
        """The step the bar is about: the one saved last, else the first that does not pass; None when all pass."""
        assert self.last is not None
        saved = next((r for r in self.last.steps if r.step.learner_file.endswith("/" + self.last_saved)), None)
        if saved is not None and not (saved.state == "green" and self.last.current is None):
            return saved
        return self.last.current

    def state(self) -> str:
        """The bar's state: the focus step's, or green when every step passes."""
        focus = self.focus()
        return "green" if focus is None else focus.state

    # the run log and the timer, tied to the tests
    def after_check(self, check: Check) -> None:
        focus = self.focus()
        append_run(self.context.root, check, self.context.now(), self.rotation.driver, self.rotation.navigator,
                   self.dojo.prediction, focus)
        self.dojo.prediction = ""
        if self.dojo.mode == "finishing" and self.state() == "green":
            self.dojo.mode = "handover"  # the cycle is finished: now hand over

    def saved(self) -> None:
        if self.predict:
            self.dojo.awaiting_prediction = True
            self.saved_at = None
            self.show()
        else:
            self.check()

    def on_key(self, key: str) -> bool:
        now = self.clock()
        if self.dojo.awaiting_prediction:
            if key in PREDICTIONS or key in ("\n", "\r", " "):
                self.dojo.prediction = PREDICTIONS.get(key, "")
                self.dojo.awaiting_prediction = False
                self.check()
            return key != "q"
        if self.dojo.mode == "handover":
            if key in ("\n", "\r", " "):
                self.rotation.hand_over(now)
                self.dojo.mode, self.dojo.warned = "turn", False
                self.show()
                return True
            if key == "f" and self.state() != "green":
                self.dojo.mode = "finishing"
                self.show()
                return True
        if key == "p":
            if self.rotation.paused_at is None:
                self.rotation.pause(now)
            else:
                self.rotation.resume(now)
            self.show()
            return True
        if key == "s":
            self.dojo.mode = "handover"
            self.show()
            return True
        return super().on_key(key)

    def tick(self) -> None:
        """Redraw once a second for the timer; warn near the end; hand over when time is up."""
        remaining = self.rotation.remaining(self.clock())
        if self.dojo.mode == "turn" and remaining <= 0:
            self.dojo.mode = "handover"
            self.show()
            return
        if self.dojo.mode == "turn" and remaining <= WARNING and not self.dojo.warned:
            self.dojo.warned = True
            self.context.console.bell()
        second = int(remaining)
        if second != self.dojo.shown_second:
            self.dojo.shown_second = second
            self.show()

    # what the room sees
    def screen(self) -> RenderableType:
        assert self.last is not None
        if self.dojo.mode == "handover":
            return self.handover()
        focus, state = self.focus(), self.state()
        parts: list[RenderableType] = [self.banner(state, focus, self.context.console.width)]
        for result in self.regressions:
            parts.append(Text(f"! Step {result.step.number} passed before and fails now.", "bold yellow"))
        if focus is None:
            parts.append(Text("Every step passes: about 543 visitors at 33 °C. Afterwards: python -m kata review"))
        elif state == "green":
            parts.append(Text(f"Step {focus.step.number} passes. Refactor, then open "
                              f"{self.last.current.step.learner_file if self.last.current else 'the next step'}."))
        else:
            if state == "red" and not focus.stub:
                parts.append(Text(screens.test_name(focus), "dim"))
            parts.append(Text(screens.why_red(focus)))
        parts.append(Text(ROOM[state], screens.LOOK[state][3]))
        parts.append(self.timer_line())
        if self.dojo.awaiting_prediction:
            parts.append(Text("Driver, predict before we run: g green · r red · a amber · Enter no prediction", "bold reverse"))
        if self.extra:
            parts.append(self.extra)
        parts.append(self.footer())
        return Group(*parts)

    def banner(self, state: str, focus: StepResult | None, width: int) -> RenderableType:
        """The state as a big word with its symbol, and the step, across the whole width."""
        symbol, ascii_symbol, word, style = screens.LOOK[state]
        where = f"Step {focus.step.number}/10 · {focus.step.title}" if focus else "All 10 steps pass"
        mark = ascii_symbol if self.context.ascii else symbol
        rows = big(word, self.context.ascii)
        if len(rows[0]) + len(mark) + 8 <= width:
            text = Text("\n".join(f"{mark if i == 2 else ' ' * len(mark)}  {row}" for i, row in enumerate(rows)), style)
        else:
            text = Text(f"{mark} {word}", style)
        return Panel(Group(Align.center(text), Align.center(Text(where, "bold"))),
                     box=box.ASCII if self.context.ascii else box.HEAVY, expand=True, border_style=style)

    def timer_line(self) -> Text:
        rotation = self.rotation
        remaining = rotation.remaining(self.clock())
        people = f"Driver: {rotation.driver}" if rotation.driver else "Driver"
        if rotation.navigator:
            people += f"   Navigator: {rotation.navigator}"
        if self.dojo.mode == "finishing":
            timing = f"finishing the cycle: hand over at the next green ({clock_text(-remaining)} over)"
        elif rotation.paused_at is not None:
            timing = f"PAUSED at {clock_text(remaining)} (p resumes)"
        elif remaining <= WARNING:
            timing = f"{clock_text(remaining)} left: time to wrap up"
        else:
            timing = f"{clock_text(remaining)} left in this turn"
        icon = "" if self.context.ascii else "⏱ "
        return Text.assemble((people, "bold"), f"   {icon}{timing}",
                             style="bold yellow" if remaining <= WARNING and self.dojo.mode == "turn" else "")

    def handover(self) -> RenderableType:
        rotation = self.rotation
        next_driver, next_navigator = rotation.person(1), rotation.person(2) if len(rotation.drivers) > 1 else ""
        state = self.state()
        lines: list[RenderableType] = [
            Panel(Align.center(Text("\n".join(big("SWAP", self.context.ascii)), "bold cyan")), box=box.HEAVY if not
                  self.context.ascii else box.ASCII, expand=True, title="time to rotate"),
            Text(f"Time is up{' for ' + rotation.driver if rotation.driver else ''}.", "bold"),
        ]
        if next_driver:
            who = f"Next driver: {next_driver}" + (f"   Navigator: {next_navigator}" if next_navigator else "")
            lines.append(Text(who, "bold"))
        badge = screens.badge(state, self.context.ascii)
        if state != "green":
            lines.append(Text.assemble("The bar is ", badge, ". f: finish the cycle to green first · Enter: hand over now"))
        else:
            lines.append(Text.assemble("The bar is ", badge, ". Enter: start the next turn"))
        lines.append(self.footer())
        return Group(*lines)


def parse_drivers(text: str) -> list[str]:
    """'Ana, Bo,Cy' → ['Ana', 'Bo', 'Cy']."""
    return [name.strip() for name in text.split(",") if name.strip()]


def dojo(context: Context, drivers: list[str], minutes: float, predict: bool) -> int:
    """Run the dojo screen in this terminal."""
    with Keys() as keys:
        rotation = Rotation(drivers, minutes * 60, time.monotonic())
        return DojoWatcher(context, keys, rotation, predict).run()


def start_new_group(context: Context, yes: bool) -> int:
    """Archive the last group's run log and file copies under .kata/groups/, then reset every step (with backups)."""
    from .__main__ import replace_files

    folder = log_dir(context.root)
    archived = [folder / name for name in (LOG, COPIES) if (folder / name).exists() or (folder / name).is_symlink()]
    if archived and not linked(context.root):
        groups = folder / "groups"
        if groups.is_symlink():  # it could point anywhere: the log is moved only into a real folder of the kata
            raise KataDataError(f"{shown(groups, context.root)} is a symlink, so the last group's log stays where it is: "
                                "replace it with a folder.")
        base = groups / f"{context.now():%Y-%m-%d_%H%M%S}"
        target, n = base, 1
        while target.exists() or target.is_symlink():  # never move a log onto an earlier group's
            n += 1
            target = base.with_name(f"{base.name}-{n}")
        target.mkdir(parents=True)
        for path in archived:
            shutil.move(str(path), str(target / path.name))
        context.console.print(f"The last group's log is in {target.relative_to(context.root).as_posix()}/ "
                              f"(python -m kata review --merge {target.relative_to(context.root).as_posix()} shows it).")
    return replace_files(context, {step.learner_file: stub_source(step) for step in STEPS}, "new-group", yes,
                         "Reset of every step for the new group")
