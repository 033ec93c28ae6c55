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
from kata.core.registry import STEPS
from kata.core.workspace import STATE_DIR

MARKS = {
    "ok": ("✓", "[ok]", "OK", "green"),
    "warn": ("!", "[!]", "NOTE", "yellow"),
    "fail": ("✗", "[x]", "PROBLEM", "red"),
}


def findings(root: Path, console: Console, check: Callable[..., Check]) -> list[tuple[str, str]]:
    """Each finding as (level, one line with the fix)."""
    found: list[tuple[str, str]] = []
    version = ".".join(map(str, sys.version_info[:3]))
    found.append(
        ("ok", f"Python {version}.")
        if sys.version_info >= (3, 11)
        else (
            "fail",
            f"Python {version} is too old: the kata needs 3.11 or newer. Install it and make a new venv.",
        )
    )
    for name in ("rich", "pytest"):
        try:
            found.append(("ok", f"{name} {version_of(name)} is installed."))
        except PackageNotFoundError:
            found.append(
                ("fail", f"{name} is missing: run python -m pip install -e . in the kata's folder.")
            )
    found += guard_findings()
    here = Path.cwd().resolve()
    if here == root:
        found.append(("ok", f"Running from the kata's folder, {root}."))
    else:
        found.append(
            (
                "warn",
                f"You are in {here}; the kata is at {root}. Commands still find it; cd there to edit steps/.",
            )
        )
    width = console.width
    found.append(
        ("ok", f"The terminal is {width} columns wide.")
        if width >= 60
        else (
            "warn",
            f"The terminal is {width} columns wide: 60 or more shows the tables whole; 40 still works.",
        )
    )
    if os.environ.get("NO_COLOR") or console.color_system is None:
        found.append(("ok", "No colour: every state still has a word and a symbol."))
    else:
        found.append(("ok", f"Colour is on ({console.color_system}); NO_COLOR=1 turns it off."))
    encoding = console.encoding or "unknown"
    try:
        "⣿─✓".encode(encoding)
        found.append(
            ("ok", f"The terminal's encoding ({encoding}) can show braille and box characters.")
        )
    except (LookupError, UnicodeEncodeError):
        found.append(
            (
                "warn",
                f"The encoding {encoding} cannot show braille or box characters: use python -m kata.trace --ascii, "
                "or set PYTHONIOENCODING=utf-8.",
            )
        )
    steps_dir = root / "steps"
    try:
        with tempfile.NamedTemporaryFile(dir=steps_dir, prefix=".kata-write-test-"):
            pass
        found.append(("ok", "steps/ is writable."))
    except OSError as error:
        found.append(
            (
                "fail",
                f"steps/ cannot be written ({error.strerror}): copy the kata somewhere you own, or fix its permissions.",
            )
        )
    found.append(kata_folder(root))
    first = check(root, [STEPS[0]]).steps[0]
    if first.state == "red" and first.stub:
        found.append(
            (
                "ok",
                "Step 1 is red for the right reason: f() is not written yet. Start there: python -m kata",
            )
        )
    elif first.state == "green":
        found.append(("ok", "Step 1 already passes: python -m kata says what is next."))
    else:
        message = (first.message or first.state).splitlines()[0]
        found.append(
            (
                "warn",
                f"Step 1 is {first.state}: {message}. Fix it, or start afresh with python -m kata reset 1.",
            )
        )
    return found


def kata_folder(root: Path) -> tuple[str, str]:
    """Can the kata keep its memory (progress, backups, the run log) in .kata/, or make that folder?"""
    folder = root / STATE_DIR
    if folder.is_symlink() and not folder.is_dir():
        return (
            "fail",
            f"{STATE_DIR} is a broken symlink: remove it (the kata makes a new folder) or point it at a folder.",
        )
    if folder.exists() and not folder.is_dir():
        return "fail", (
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
        return "fail", (
            f"{where} ({error.strerror}): progress is not saved and reset, goto and restore cannot back up your "
            "work. Fix its permissions, or copy the kata somewhere you own."
        )
    made = "is writable" if folder.is_dir() else "can be made when needed"
    return "ok", f"{STATE_DIR}/ {made} (progress, backups, the run log)."


def run(root: Path, console: Console, check: Callable[..., Check]) -> int:
    """Print every finding; exit status 1 when something must be fixed."""
    ascii = console.options.ascii_only
    results = findings(root, console, check)
    for level, line in results:
        symbol, plain, word, style = MARKS[level]
        console.print(Text.assemble((f"{plain if ascii else symbol} {word:<8}", style), line))
    return 1 if any(level == "fail" for level, _ in results) else 0


def guard_findings() -> list[tuple[str, str]]:
    """How learner code is contained here, and what this platform cannot contain (said once, here)."""
    try:
        megabytes = guard.memory_limit() // (1024 * 1024)
        guard.time_limit(10.0)
    except guard.GuardError as problem:
        return [("fail", f"{problem}.")]
    lacks = guard.missing()
    if not lacks:
        return [
            (
                "ok",
                f"Your code runs guarded: a time limit per test, {megabytes} MB of memory, its own process group.",
            )
        ]
    return [("warn", f"On this platform, {line}.") for line in lacks]
