"""The dojo's commands: the projector screen for a group (dojo) and the session afterwards (review)."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import RenderableType

from kata.core.cli import UsageError, confirm
from kata.core.files import plain_or_missing, refused, write_atomic
from kata.core.runlog import LOG, copy_text, step_file
from kata.core.workspace import STATE_DIR, clean, contained, linked
from kata.loop.app import Context, replace_files
from kata.loop.commands import cmd_goto

if TYPE_CHECKING:
    from kata.dojo.handout import Block


def cmd_dojo(context: Context, args: argparse.Namespace) -> int:
    from kata.dojo.projector import dojo, parse_drivers, start_new_group
    from kata.dojo.rotation import NAME

    # what --new-group and --from did stays on the first dojo screen
    with context.console.capture() as said:
        if args.new_group and start_new_group(context, args.yes) != 0:
            status = 1
        elif args.start and cmd_goto(context, args.start, args.yes) != 0:
            status = 1
        else:
            status = 0
    notice = said.get().strip()
    if status:
        context.console.print(notice, markup=False, highlight=False)
        return status
    drivers = parse_drivers(args.drivers or "")
    long = [name for name in drivers if name.endswith("…") and len(name) == NAME]
    if long:  # shortened, and said so: the screen and the log show the same name
        notice = "\n".join(
            part
            for part in (notice, f"Names keep {NAME} characters: {', '.join(long)} (shortened).")
            if part
        )
    return dojo(
        context,
        drivers,
        args.rotate,
        args.predict,
        args.quiet,
        args.break_every,
        notice,
        args.table or "",
        args.start,
    )


def log_folders(context: Context, merge: list[Path], group: str | None = None) -> list[Path]:
    """This kata's log folder (or one archived group's, with --group) and each --merge path's."""
    here = context.root / STATE_DIR
    if group is not None:
        groups = here / "groups"
        # a folder right inside .kata/groups, reached without a symlink: never a path elsewhere
        found = contained(groups, group) if "/" not in group and group.strip(".") else None
        if (
            linked(context.root)
            or groups.is_symlink()
            or found is None
            or not plain_or_missing(found / LOG)
            or not (found / LOG).is_file()
        ):
            names = (
                sorted(
                    clean(p.name, 60)
                    for p in groups.iterdir()
                    if not p.is_symlink() and plain_or_missing(p / LOG) and (p / LOG).is_file()
                )
                if groups.is_dir() and not groups.is_symlink() and not linked(context.root)
                else []
            )
            said = (
                f": the groups are {', '.join(names)}"
                if names
                else ": there are none yet (dojo --new-group archives one)"
            )
            raise UsageError(f"--group {group!r} is no archived group with a run log{said}")
        folders = [found]
    else:
        folders = (
            [here]
            if not linked(context.root) and ((here / LOG).exists() or (here / LOG).is_symlink())
            else []
        )
    for path in merge:
        log = next(
            (f for f in (path, path / STATE_DIR) if (f / LOG).exists() or (f / LOG).is_symlink()),
            None,
        )
        if log is None:
            raise UsageError(f"{path}: no run log there (looked for {LOG} and {STATE_DIR}/{LOG})")
        if log.resolve() not in {f.resolve() for f in folders}:
            folders.append(log)
    return folders


def cmd_review(context: Context, args: argparse.Namespace) -> int:
    from kata.dojo.handout import blocks, diff_blocks
    from kata.dojo.review import Diff, ReviewScreen, diff_screen, gather, pick, runs_screen

    if args.diff and len(args.diff) > 2:
        raise UsageError(
            "--diff takes one run (N, against the run before it on its step) or two (A B)"
        )
    if args.save and args.save.suffix.lower() not in (".md", ".html", ".htm", ".txt"):
        raise UsageError(f"--save {args.save}: the name must end in .md, .html or .txt")
    if args.save and args.restore is not None:
        raise UsageError("--restore brings a file back, --save writes the review: one at a time")
    logged = gather(log_folders(context, args.merge, args.group), context.root / STATE_DIR)
    try:
        if args.diff:
            found = diff_screen(logged, *args.diff)
            if args.save:
                runs = " and ".join(str(n) for n in args.diff)
                return save(
                    context,
                    diff_blocks(found, f"How the file changed: run {runs}"),
                    args.save,
                    args.yes,
                )
            if isinstance(found, Diff) and not context.console.is_terminal:
                # piped: the diff whole, a line each, never wrapped (a tool can read it, git apply can take it)
                context.console.print(
                    found.plain(), soft_wrap=True, markup=False, highlight=False, emoji=False
                )
            else:
                context.console.print(found)
            return 0
        if args.runs and not args.save:
            low, high = args.runs
            page(context, runs_screen(logged, low, high))
            return 0
        if args.restore is not None:
            [chosen] = pick(logged, args.restore)
            text = copy_text(chosen.folder, chosen.run)
            if text is None:
                raise UsageError(f"no copy of the file was kept for run {args.restore}")
            return replace_files(
                context,
                {step_file(chosen.run): text},
                f"review-run-{args.restore}",
                args.yes,
                f"Restore of {step_file(chosen.run)} as it was at run {args.restore}",
            )
        if args.save:
            if args.runs:
                runs_screen(logged, *args.runs)  # a range with no runs is said, as without --save
            return save(context, blocks(logged, args.runs), args.save, args.yes)
    except LookupError as problem:
        raise UsageError(str(problem)) from None
    rows = 10 if context.console.width < 100 else 20  # the last runs: a screen, not three
    page(context, ReviewScreen(logged, rows))
    return 0


def page(context: Context, shown: RenderableType) -> None:
    """Print to the terminal, through a pager when it is taller than the screen (as git does: less, or $PAGER)."""
    console = context.console
    if not console.is_terminal or not sys.stdin.isatty():
        console.print(shown)
        return
    with console.capture() as captured:
        console.print(shown)
    text = captured.get()
    if text.count("\n") < console.height - 1:
        console.file.write(text)
        return
    pager = os.environ.get("PAGER") or ("less" if shutil.which("less") else "")
    if not pager:
        console.file.write(text)
        return
    environment = {
        **os.environ,
        "LESS": os.environ.get("LESS", "FRX"),
    }  # colours kept, no screen left blank
    try:
        done = subprocess.run(
            pager, shell=True, input=text, text=True, env=environment, check=False
        )
    except OSError as error:
        failed = error.strerror or str(error)
    else:
        if done.returncode <= 0:  # shown (or the pager was stopped by a signal: Ctrl-C in it)
            return
        failed = (
            "not found" if done.returncode == 127 else f"it ended with status {done.returncode}"
        )
    # a pager that could not show it ($PAGER misspelt, or a program that reads nothing): the text here instead
    context.errors.print(
        f"kata: the pager {pager!r} did not show the review ({failed}); here it is without one.",
        markup=False,
    )
    console.file.write(text)


def save(context: Context, handout: Iterator[Block], path: Path, yes: bool) -> int:
    """Write the handout to a Markdown (or text) or HTML file, asking before replacing one."""
    from kata.dojo.handout import write

    if why := refused(path):
        raise UsageError(f"--save {path}: {why}")
    if path.exists() and not confirm(f"{path} exists. Replace it?", yes, context.read):
        context.console.print("Nothing written.")
        return 1
    text = write(handout, path.suffix)
    try:
        write_atomic(path, text.encode("utf-8"))  # the old file stays whole if the write fails
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror or error}") from None
    context.console.print(f"Saved the review to {path}.")
    return 0
