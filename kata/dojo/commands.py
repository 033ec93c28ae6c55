"""The dojo's commands: the projector screen for a group (dojo) and the session afterwards (review)."""

from __future__ import annotations

import argparse
import io
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console

from kata.core.cli import UsageError, confirm
from kata.core.files import plain_or_missing
from kata.core.runlog import LOG, copy_text, step_file
from kata.core.workspace import STATE_DIR, clean, contained, linked
from kata.loop.app import Context, replace_files
from kata.loop.commands import cmd_goto

if TYPE_CHECKING:
    from kata.dojo.review import Session


def cmd_dojo(context: Context, args: argparse.Namespace) -> int:
    from kata.dojo.projector import dojo, parse_drivers, start_new_group

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
    return dojo(
        context,
        parse_drivers(args.drivers or ""),
        args.rotate,
        args.predict,
        args.quiet,
        args.break_every,
        notice,
        args.table or "",
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
    from kata.dojo.review import ReviewScreen, diff_screen, gather, pick, runs_screen

    if args.diff and len(args.diff) > 2:
        raise UsageError(
            "--diff takes one run (N, against the run before it on its step) or two (A B)"
        )
    if args.save and args.save.suffix.lower() not in (".md", ".html", ".htm", ".txt"):
        raise UsageError(f"--save {args.save}: the name must end in .md, .html or .txt")
    logged = gather(log_folders(context, args.merge, args.group))
    try:
        if args.diff:
            context.console.print(diff_screen(logged, *args.diff))
            return 0
        if args.runs:
            low, high = args.runs
            context.console.print(runs_screen(logged, low, high))
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
    except LookupError as problem:
        raise UsageError(str(problem)) from None
    if args.save:
        return save_review(context, logged, args.save, args.yes)
    rows = 10 if context.console.width < 100 else 20  # the last runs: a screen, not three
    context.console.print(ReviewScreen(logged, logged.events(), rows))
    return 0


def save_review(context: Context, logged: Session, path: Path, yes: bool) -> int:
    """Write the review to a Markdown, HTML or text file (asking before replacing one)."""
    from kata.dojo.review import ReviewScreen, markdown

    if path.exists() and not confirm(f"{path} exists. Replace it?", yes, context.read):
        context.console.print("Nothing written.")
        return 1
    if path.suffix.lower() == ".md":
        text = markdown(logged, logged.events())
    else:
        recorder = Console(
            record=True,
            width=120,
            file=io.StringIO(),
            highlight=False,
            color_system="truecolor",
            emoji=False,
        )
        recorder.print(ReviewScreen(logged, logged.events()))
        text = (
            recorder.export_html()
            if path.suffix.lower() in (".html", ".htm")
            else recorder.export_text()
        )
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror or error}") from None
    context.console.print(f"Saved the review to {path}.")
    return 0
