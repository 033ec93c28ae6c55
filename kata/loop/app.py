"""The kata as one application object: where it is, how it talks, asks and tells the time, how it checks, and the
file operations every command shares. The loop's commands, watch mode and the dojo build on it; it imports none
of them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from rich.console import Console

from kata.core.checks import Check
from kata.core.cli import confirm
from kata.core.workspace import (
    Progress,
    Remembered,
    at_risk,
    back_up,
    fingerprints,
    remember,
    write_files,
)


@dataclass
class Context:
    """The kata at work: where it is, where it writes, how it asks, what time it is, how it checks."""

    root: Path
    console: Console
    errors: Console
    read: Callable[[str], str]
    now: Callable[[], datetime]
    check: Callable[..., Check]

    @property
    def ascii(self) -> bool:
        return self.console.options.ascii_only


def replace_files(
    context: Context,
    new_texts: dict[str, str],
    reason: str,
    yes: bool,
    what: str,
    act: int | None = None,
) -> int:
    """Overwrite learner files, first backing up every one that holds work; ask unless --yes. `act`: the act the
    command opens (goto, reset --all), which counts as started from then on, even while its steps are stubs."""
    risky = at_risk(context.root, new_texts)
    if risky:
        names = ", ".join(risky)
        if not confirm(
            f"{what} replaces your work in {names} (it is backed up first). Go on?",
            yes,
            context.read,
        ):
            context.console.print("Nothing changed.")
            return 1
    backup = back_up(context.root, risky, reason, context.now())
    changed = write_files(context.root, new_texts)
    # a step rewritten on purpose is no regression, and starts at hint 1
    progress = Progress.load(context.root)
    progress.forget(list(new_texts), changed, f"rewritten by {what[0].lower()}{what[1:]}")
    if act is not None:
        progress.act = act
    progress.save(context.root)
    if backup:
        context.console.print(
            f"Backed up {len(backup.files)} file(s) to {backup.folder.relative_to(context.root).as_posix()}/ "
            f"(python -m kata restore {backup.name} brings them back)."
        )
    context.console.print(
        f"{what}: {len(changed)} file(s) changed."
        if changed
        else f"{what}: nothing needed changing."
    )
    return 0


def checked(context: Context) -> tuple[Check, Remembered]:
    """Check every step and remember it, against the files as they were when the check began."""
    before = fingerprints(context.root)
    check = opened(context, context.check(context.root))
    return check, remember(context.root, check, before)


def opened(context: Context, check: Check) -> Check:
    """The check, knowing which act the learner opened on purpose (goto 11: act II is the work, stubs and all)."""
    check.opened = Progress.load(context.root).act
    return check
