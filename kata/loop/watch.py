"""`python -m kata watch`: check again on every save, by polling file times (no extra dependency).

Polling works on network drives and WSL, where file events often do not arrive.
The loop takes its clock and its keys from outside, so tests drive it without sleeping.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text

from kata.core.checks import Cache, Check, StepResult
from kata.core.registry import Step
from kata.core.runlog import append_event, append_run, claim_log, release_log, subject
from kata.core.warm import Warm
from kata.core.workspace import Progress, fingerprints, remember, warnings_to
from kata.loop import screens
from kata.loop.app import opened
from kata.loop.keys import Keys

if TYPE_CHECKING:
    from kata.loop.app import Context

POLL = 0.05  # seconds between looks at the files (a stat of a few files: cheap)
DEBOUNCE = 0.05  # a save must have settled this long before the check starts (editors write in one go or two)


def snapshot(root: Path) -> tuple[tuple[str, int, int], ...]:
    """Name, modification time and size of every learner file: any save changes it."""
    found = []
    for path in sorted((root / "steps").glob("*.py")):
        try:
            stat = path.stat()
        except OSError:
            continue
        found.append((path.name, stat.st_mtime_ns, stat.st_size))
    return tuple(found)


class Watcher:
    """The watch loop: check, show, wait for a save or a key, and again."""

    footer_keys = "r re-run · h hint · l list · q quit"

    def __init__(
        self, context: Context, keys: Keys, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.context = context
        self.keys = keys
        self.clock = clock
        self.seen = snapshot(context.root)
        self.last: Check | None = None
        self.extra: RenderableType | None = (
            None  # a hint or the list, shown under the status until the next check
        )
        self.extra_kind = ""  # which key opened it (h or l): the same key closes it
        self.extra_more = ""  # what to run for the lines of it a short terminal leaves out
        self.saved_at: float | None = None  # when the first unchecked save was seen
        self.changed_at = 0.0  # when the files last changed
        self.last_saved = ""  # the name of the learner file saved last
        self.latencies: list[float] = []  # seconds from a save being seen to its result on screen
        # when the last check ran (the footer says so, not the time of the redraw)
        self.checked_at = "-"
        self.notes: list[
            str
        ] = []  # warnings about .kata, kept under the screen (clearing it would hide them)
        self.trigger = "start"  # why the check running now runs: save, start or rerun
        self.cache: Cache = {}  # each step's last result, by the files it ran (see checks.run_check)
        self.warm = Warm(
            context.root
        )  # pytest imported once, a fork per check (see kata/core/warm.py)
        # the kata's own check keeps results and runs warm; a check passed in by a test need not
        self.keeps = "warm" in inspect.signature(context.check).parameters

    def check(self, trigger: str = "save") -> Check:
        """Run a check, remember it, and show it; `trigger` says why (save, start, rerun) for the run log."""
        self.trigger = trigger
        if self.last is not None:
            self.context.console.print(Text("Checking your steps…", "dim"))
        before = fingerprints(self.context.root)
        check = self.run_check()
        self.checked_at = self.context.now().strftime("%H:%M:%S")
        self.memory = remember(self.context.root, check, before)
        self.regressions = self.memory.regressions
        self.last = check
        self.extra = None
        self.after_check(check)
        self.show()
        if self.saved_at is not None:
            self.latencies.append(self.clock() - self.saved_at)
            self.saved_at = None
        return check

    def run_check(self) -> Check:
        """The check itself (the dojo runs it in a thread, to keep its clock going); steps whose files did not
        change since their last run keep their result, unless this is a re-run (r)."""
        if self.trigger == "rerun":
            self.cache.clear()
        if self.keeps:
            check = self.context.check(self.context.root, cache=self.cache, warm=self.warm)
        else:
            check = self.context.check(self.context.root)
        return opened(self.context, check)

    def saved(self) -> None:
        """A save has settled: check it (the dojo may first ask for a prediction)."""
        self.check()

    def focus(self) -> StepResult | None:
        """The step a check is about: the one saved last (a save that turns it green is that step's green, not
        the next step's red), else the first that does not pass; None when all pass."""
        assert self.last is not None
        saved = next(
            (r for r in self.last.steps if r.step.learner_file.endswith("/" + self.last_saved)),
            None,
        )
        if saved is not None and not (saved.state == "green" and self.last.current is None):
            return saved
        return self.last.current

    def after_check(self, check: Check) -> None:
        """Log the run: watch and dojo mode keep every check in .kata/runs.jsonl, under the step it is about."""
        append_run(
            self.context.root,
            check,
            self.context.now(),
            result=self.logged_step(),
            trigger=self.trigger,
        )

    def logged_step(self) -> StepResult | None:
        """The step this check is logged under: the one saved (a save is a try at that step), else the one in view."""
        assert self.last is not None
        return subject(self.last, self.last_saved if self.trigger == "save" else "", self.focus())

    def screen(self) -> RenderableType:
        """What the screen shows after a check: in a terminal, within its height (the progress, the step and the
        footer stay; a long hint, list or message loses its last lines, and says so)."""
        assert self.last is not None
        status = screens.StatusScreen(
            self.last, self.memory, watching=True, compact=self.extra is not None
        )
        parts: list[tuple[RenderableType, str]] = [(status, "")]
        if self.extra is not None:
            parts.append((self.extra, self.extra_more))
        parts += [(Text(""), ""), (screens.Fit(self.footer()), "")]
        if not self.context.console.is_terminal:
            return Group(*(part for part, _ in parts))
        console = self.context.console
        below = sum(
            len(console.render_lines(self.note(line), console.options)) for line in self.notes
        )
        return screens.Within(parts, reserve=below)

    def note(self, line: str) -> Text:
        """A warning about .kata, as it shows under the screen."""
        return Text(f"kata: {line}", "yellow")

    def footer(self) -> Text:
        checked = self.checked_at if self.last else "-"
        seconds = (
            f" in {self.last.seconds:.1f} s"
            if self.last and self.context.console.width >= 100
            else ""
        )
        return Text(f"Watching steps/ · {self.footer_keys} · checked {checked}{seconds}", "dim")

    def show(self) -> None:
        """Draw the screen: in a terminal over the last one, line by line (clearing first would flicker)."""
        console = self.context.console
        if not console.is_terminal:
            console.clear()
            console.print(self.screen())
            for line in self.notes:
                console.print(self.note(line))
            return
        with console.capture() as frame:
            console.print(self.screen())
            for line in self.notes:
                console.print(self.note(line))
        # home, each line then erase the rest of it, then erase below: the old frame never shows blank
        console.file.write("\x1b[H" + frame.get().replace("\n", "\x1b[K\n") + "\x1b[J")
        console.file.flush()

    def on_key(self, key: str) -> bool:
        """Handle a key; return False to quit."""
        key = key.lower() if len(key) == 1 else key  # Caps Lock on is no reason to ignore a key
        if key == "q":
            return False
        if key == "r":
            self.check("rerun")
        elif key in ("h", "l") and self.extra is not None and self.extra_kind == key:
            self.extra, self.extra_kind = None, ""  # the same key again closes it
            self.show()
        elif key == "h" and self.last:
            step = self.hint_step()
            if step:
                level = Progress.load(self.context.root).next_hint(self.context.root, step)
                self.extra, self.extra_kind = (
                    Group(Text(""), screens.hint_screen(step, level, watching=True)),
                    "h",
                )
                self.extra_more = (
                    f"h closes it; python -m kata hint {step.number} --level {level} shows it whole"
                )
                self.logged("hint", f"step {step.number}, hint {level} of {len(step.hints)}")
                self.show()
        elif key == "l" and self.last:
            listed = screens.ListScreen(self.last, only_act=self.last.act)
            self.extra, self.extra_kind = Group(Text(""), listed), "l"
            self.extra_more = "l closes it; python -m kata list shows every step"
            self.show()
        return True

    def hint_step(self) -> Step | None:
        """The step h gives a hint for: the current one."""
        assert self.last is not None
        return self.last.current.step if self.last.current else None

    def logged(self, event: str, detail: str = "") -> None:
        """Note something besides a check in .kata/events.jsonl (the dojo adds who drove)."""
        append_event(self.context.root, self.context.now(), event, detail=detail)

    def tick(self) -> None:
        """Hook called after every poll (the dojo's timer redraws here)."""

    def run(self) -> int:
        """Loop until q (exit 0) or Ctrl-C (the caller's 130); a second watch or dojo on this kata does not log its runs."""
        warnings_to(self.notes.append)
        claim_log(self.context.root)
        try:
            return self.loop()
        finally:
            self.warm.close()
            release_log(self.context.root)

    def loop(self) -> int:
        """Check, then wait for a save or a key, until q."""
        self.check("start")
        while True:
            key = self.keys.read(POLL)
            if key and not self.on_key(key):
                return 0
            now = snapshot(self.context.root)
            if now != self.seen:
                saved = sorted(set(now) - set(self.seen))
                if saved:
                    self.last_saved = saved[-1][0]
                self.changed_at = self.clock()
                if self.saved_at is None:
                    self.saved_at = self.changed_at
                self.seen = now
                continue  # wait for the save to settle: an editor may write a file in several goes
            if self.saved_at is not None and self.clock() - self.changed_at >= DEBOUNCE:
                self.saved()
            self.tick()


def watch(context: Context) -> int:
    """Run watch mode in this terminal."""
    with Keys() as keys:
        return Watcher(context, keys).run()
