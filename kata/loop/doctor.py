"""`python -m kata doctor`: what could spoil a first session, one line each, with the fix."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as version_of
from pathlib import Path

from rich.console import Console
from rich.text import Text

from kata.core import guard
from kata.core.checks import Check
from kata.core.look import Level
from kata.core.registry import STEPS
from kata.core.workspace import STATE_DIR


def findings(root: Path, console: Console, check: Callable[..., Check]) -> list[tuple[Level, str]]:
    """Each finding as (level, one line with the fix)."""
    found: list[tuple[Level, str]] = []
    version = ".".join(map(str, sys.version_info[:3]))
    found.append(
        (Level.OK, f"Python {version}.")
        if sys.version_info >= (3, 11)
        else (
            Level.FAIL,
            f"Python {version} is too old: the kata needs 3.11 or newer. Install it and make a new venv.",
        )
    )
    for name in ("rich", "pytest"):
        try:
            found.append((Level.OK, f"{name} {version_of(name)} is installed."))
        except PackageNotFoundError:
            found.append(
                (
                    Level.FAIL,
                    f"{name} is missing: run python -m pip install -e . in the kata's folder.",
                )
            )
    found += guard_findings()
    here = Path.cwd().resolve()
    if here == root:
        found.append((Level.OK, f"Running from the kata's folder, {root}."))
    else:
        found.append(
            (
                Level.WARN,
                f"You are in {here}; the kata is at {root}. Commands still find it; cd there to edit steps/.",
            )
        )
    width = console.width
    found.append(
        (Level.OK, f"The terminal is {width} columns wide.")
        if width >= 60
        else (
            Level.WARN,
            f"The terminal is {width} columns wide: 60 or more shows the tables whole; 40 still works.",
        )
    )
    if os.environ.get("NO_COLOR") or console.color_system is None:
        found.append((Level.OK, "No colour: every state still has a word and a symbol."))
    else:
        found.append((Level.OK, f"Colour is on ({console.color_system}); NO_COLOR=1 turns it off."))
    encoding = console.encoding or "unknown"
    try:
        "⣿─✓".encode(encoding)
        found.append(
            (Level.OK, f"The terminal's encoding ({encoding}) can show braille and box characters.")
        )
    except (LookupError, UnicodeEncodeError):
        found.append(
            (
                Level.WARN,
                f"The encoding {encoding} cannot show braille or box characters: use python -m kata.trace --ascii, "
                "or set PYTHONIOENCODING=utf-8.",
            )
        )
    steps_dir = root / "steps"
    try:
        with tempfile.NamedTemporaryFile(dir=steps_dir, prefix=".kata-write-test-"):
            pass
        found.append((Level.OK, "steps/ is writable."))
    except OSError as error:
        found.append(
            (
                Level.FAIL,
                f"steps/ cannot be written ({error.strerror}): copy the kata somewhere you own, or fix its permissions.",
            )
        )
    found.append(kata_folder(root))
    first = check(root, [STEPS[0]]).steps[0]
    if first.state == "red" and first.stub:
        found.append(
            (
                Level.OK,
                "Step 1 is red for the right reason: f() is not written yet. Start there: python -m kata",
            )
        )
    elif first.state == "green":
        found.append((Level.OK, "Step 1 already passes: python -m kata says what is next."))
    else:
        message = (first.message or first.state).splitlines()[0]
        found.append(
            (
                Level.WARN,
                f"Step 1 is {first.state}: {message}. Fix it, or start afresh with python -m kata reset 1.",
            )
        )
    return found


def kata_folder(root: Path) -> tuple[Level, str]:
    """Can the kata keep its memory (progress, backups, the run log) in .kata/, or make that folder?"""
    folder = root / STATE_DIR
    if folder.is_symlink() and not folder.is_dir():
        return (
            Level.FAIL,
            f"{STATE_DIR} is a broken symlink: remove it (the kata makes a new folder) or point it at a folder.",
        )
    if folder.exists() and not folder.is_dir():
        return Level.FAIL, (
            f"{STATE_DIR} is a file, not a folder: move it away (mv {STATE_DIR} {STATE_DIR}-old) and the kata makes "
            "a new one; until then reset, goto and restore cannot back up your work."
        )
    try:
        with tempfile.NamedTemporaryFile(
            dir=folder if folder.is_dir() else root, prefix=".kata-write-test-"
        ):
            pass
    except OSError as error:
        where = (
            f"{STATE_DIR}/ cannot be written"
            if folder.is_dir()
            else f"{STATE_DIR}/ cannot be made in {root}"
        )
        return Level.FAIL, (
            f"{where} ({error.strerror}): progress is not saved and reset, goto and restore cannot back up your "
            "work. Fix its permissions, or copy the kata somewhere you own."
        )
    made = "is writable" if folder.is_dir() else "can be made when needed"
    return Level.OK, f"{STATE_DIR}/ {made} (progress, backups, the run log)."


def run(root: Path, console: Console, check: Callable[..., Check]) -> int:
    """Print every finding; exit status 1 when something must be fixed."""
    ascii = console.options.ascii_only
    results = findings(root, console, check)
    for level, line in results:
        mark = level.ascii_symbol if ascii else level.symbol
        console.print(Text.assemble((f"{mark} {level.word:<8}", level.style), line))
    return 1 if any(level is Level.FAIL for level, _ in results) else 0


def guard_findings() -> list[tuple[Level, str]]:
    """How learner code is contained here, and what this platform cannot contain (said once, here)."""
    try:
        megabytes = guard.memory_limit() // (1024 * 1024)
        guard.time_limit(10.0)
    except guard.GuardError as problem:
        return [(Level.FAIL, f"{problem}.")]
    lacks = guard.missing()
    if not lacks:
        return [
            (
                Level.OK,
                f"Your code runs guarded: a time limit per test, {megabytes} MB of memory, capped output; no process "
                "it starts outlives the check.",
            )
        ]
    return [(Level.WARN, f"On this platform, {line}.") for line in lacks]
