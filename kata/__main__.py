"""`python -m kata`: the learner's loop. What is next, why it fails, hints, watch mode, reset and goto without losing work."""

from __future__ import annotations

import sys

if (
    __name__ == "__main__"
):  # Ctrl-C while Python still loads the kata, before run() can catch it: one line, no traceback

    def stopped_early(kind: type[BaseException], error: BaseException, trace: object) -> None:
        if issubclass(kind, KeyboardInterrupt):
            print("kata: stopped before anything was written.", file=sys.stderr)
        else:
            sys.__excepthook__(kind, error, trace)  # type: ignore[arg-type]

    sys.excepthook = stopped_early

import argparse
import functools
import io
import json
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from . import doctor, screens
from .app import Context, checked, replace_files
from .checks import Check, run_check
from .cli import Parser, UsageError, confirm, quoted
from .registry import ROOT, STEPS, Step, step_by_number

if TYPE_CHECKING:
    from .review import Session
from .runlog import LOG, copy_text, step_file
from .stubs import checkpoint_sources, reference_source, stub_source
from .workspace import (
    STATE_DIR,
    KataDataError,
    Progress,
    backup_texts,
    linked,
    list_backups,
    warnings_to,
)


def step_number(text: str) -> int:
    """An argparse type for a step number, from 1 to the number of steps."""
    try:
        number = int(text)
        step_by_number(number)
    except (ValueError, LookupError):
        raise UsageError(
            f"there is no step {quoted(text)}: the steps are 1 to {len(STEPS)}"
        ) from None
    return number


def hint_level(text: str) -> int:
    """An argparse type for --level: a hint number from 1."""
    try:
        level = int(text)
    except ValueError:
        raise UsageError(f"--level takes a hint number, like 1, not {quoted(text)}") from None
    most = max(len(step.hints) for step in STEPS)
    if (
        not 1 <= level <= most
    ):  # no step has more hints: a huge number is a slip, said before any check runs
        raise UsageError(f"--level takes a hint number from 1 to {most}, not {quoted(text)}")
    return level


def build_parser() -> Parser:
    """The command line: one line of help for each command and flag."""
    parser = Parser(
        prog="python -m kata",
        description="The gradient-descent kata: what to do next, and why it fails.",
    )
    commands = parser.add_subparsers(dest="command", metavar="command", parser_class=Parser)
    commands.add_parser("check", help="check your steps and say what is next (the default)")
    commands.add_parser(
        "watch", help="check again on every save; keys: r re-run, h hint, l list, q quit"
    )
    hint = commands.add_parser("hint", help="the next hint for the current step (or step N)")
    hint.add_argument(
        "number", nargs="?", type=step_number, help="the step (default: the current one)"
    )
    hint.add_argument(
        "--level", type=hint_level, metavar="K", help="read hint K again (1 is the first nudge)"
    )
    solution = commands.add_parser(
        "solution", help="the reference for step N, once your step N passes"
    )
    solution.add_argument("number", type=step_number)
    solution.add_argument(
        "--force", action="store_true", help="show it before your step passes (asks first)"
    )
    solution.add_argument("--yes", action="store_true", help="do not ask")
    commands.add_parser("list", help="every step with its state, title and article section")
    reset = commands.add_parser(
        "reset", help="put back the shipped stub of step N (or --all); your work is backed up first"
    )
    reset.add_argument("number", nargs="?", type=step_number)
    reset.add_argument("--all", action="store_true", help="every step")
    reset.add_argument("--yes", action="store_true", help="do not ask")
    goto = commands.add_parser(
        "goto",
        help="start at step N: steps before it solved, N and after as stubs (backed up first)",
    )
    goto.add_argument("number", type=step_number)
    goto.add_argument("--yes", action="store_true", help="do not ask")
    restore = commands.add_parser("restore", help="list the backups, or bring one back")
    restore.add_argument(
        "backup", nargs="?", type=backup_name, help="the backup's name (from the list)"
    )
    restore.add_argument("--yes", action="store_true", help="do not ask")
    commands.add_parser(
        "doctor", help="check what could spoil a first session, with a fix for each"
    )
    status = commands.add_parser("status", help="the state of every step, as JSON with --json")
    status.add_argument(
        "--json", action="store_true", help="print JSON (for editors and facilitators)"
    )
    dojo = commands.add_parser(
        "dojo", help="a projector screen for a group: big state, rotation timer, run log"
    )
    dojo.add_argument(
        "--drivers",
        type=drivers,
        default="",
        help='the people who take turns, in order: "Ana,Bo,Cy"',
    )
    dojo.add_argument("--rotate", type=minutes, default=7.0, help="minutes per turn (default 7)")
    dojo.add_argument(
        "--predict",
        action="store_true",
        help="the driver predicts red, amber or green before each run",
    )
    dojo.add_argument(
        "--from", dest="start", type=step_number, help="start at step N (like goto, with backups)"
    )
    dojo.add_argument(
        "--new-group",
        action="store_true",
        help="archive the last group's log, reset every step, start afresh",
    )
    dojo.add_argument(
        "--yes", action="store_true", help="do not ask before --from or --new-group overwrite files"
    )
    dojo.add_argument(
        "--break",
        dest="break_every",
        type=break_every,
        metavar="N",
        help="a break reminder every N minutes (50, 50m) or rounds (3r) at the next handover",
    )
    dojo.add_argument(
        "--quiet",
        action="store_true",
        help="no bell (the warning, time up, and every 30 s over time)",
    )
    dojo.add_argument(
        "--table",
        type=table_name,
        default=None,
        help="this machine's name in a Kake (review --merge shows it)",
    )
    review = commands.add_parser(
        "review", help="the session afterwards: lights per driver and step, diffs, restores"
    )
    review.add_argument(
        "--merge",
        nargs="+",
        type=log_path,
        default=[],
        metavar="PATH",
        help="add the .kata logs of other machines",
    )
    review.add_argument(
        "--diff",
        nargs="+",
        type=int,
        metavar="N",
        help="how the step file changed: run N against the run before it on its step, or --diff A B",
    )
    review.add_argument(
        "--group",
        metavar="NAME",
        type=group_name,
        help="review one archived group (.kata/groups/NAME) on its own",
    )
    review.add_argument(
        "--save",
        metavar="FILE",
        type=save_path,
        help="write the review to FILE: .md (Markdown), .html or .txt",
    )
    review.add_argument(
        "--restore",
        type=int,
        metavar="A",
        help="bring back the step file as it was at run A (backed up first)",
    )
    review.add_argument(
        "--yes", action="store_true", help="do not ask before --restore overwrites a file"
    )
    review.add_argument(
        "--runs",
        type=run_range,
        metavar="A-B",
        help="the table of runs A to B (the review shows the last 20)",
    )
    return parser


def break_every(text: str) -> tuple[str, float]:
    """An argparse type for --break: minutes (50, 50m) or rounds (3r)."""
    from .dojo import parse_break

    try:
        return parse_break(text)
    except ValueError:
        raise UsageError(
            f"--break takes minutes like 50 (or 50m) or rounds like 3r, not {quoted(text)}"
        ) from None


def table_name(text: str) -> str:
    """An argparse type for --table: a short name, printable."""
    name = text.strip()
    if not name or len(name) > 40 or not name.isprintable():
        raise UsageError(
            f"--table takes a short name like table-2 (at most 40 characters), not {text[:60]!r}"
        )
    return name


def run_range(text: str) -> tuple[int, int]:
    """An argparse type for review --runs: A-B."""
    from .review import run_range as parse

    if len(text) > 40:  # no run numbers are that long: say so without repeating a screenful
        raise UsageError(f"--runs takes run numbers like 40-60 or 7, not {quoted(text)}")
    return parse(text)


def minutes(text: str) -> float:
    """An argparse type for --rotate: minutes above zero."""
    try:
        value = float(text)
    except ValueError:
        raise UsageError(f"--rotate takes minutes, like 7 or 0.5, not {quoted(text)}") from None
    if not 0 < value < 24 * 60:
        raise UsageError(
            f"--rotate takes minutes above zero and under a day, like 7, not {quoted(text)}"
        )
    return value


def drivers(text: str) -> str:
    """An argparse type for --drivers: up to 50 names, each up to 40 characters, so that the screen can show them."""
    names = [name.strip() for name in text.split(",") if name.strip()]
    if len(names) > 50 or any(len(name) > 40 or not name.isprintable() for name in names):
        raise UsageError('--drivers takes up to 50 names of up to 40 characters, like "Ana,Bo,Cy"')
    return text


def backup_name(text: str) -> str:
    """An argparse type for restore NAME: a name as the list shows them, not a path or a screenful."""
    if len(text) > 100 or not text.isprintable() or "/" in text or "\\" in text:
        raise UsageError(f"there is no backup {quoted(text)}; python -m kata restore lists them")
    return text


def group_name(text: str) -> str:
    """An argparse type for review --group: a folder name under .kata/groups/, not a path or a screenful."""
    if not text.strip() or len(text) > 100 or not text.isprintable() or "/" in text or "\\" in text:
        raise UsageError(f"--group takes the name of a group in .kata/groups/, not {quoted(text)}")
    return text


def save_path(text: str) -> Path:
    """An argparse type for review --save: a file name this system can take (its ending is checked later)."""
    if not text.strip() or len(text) > 1000 or not text.isprintable():
        raise UsageError(
            f"--save takes a file name ending in .md, .html or .txt, not {quoted(text)}"
        )
    return Path(text)


def log_path(text: str) -> Path:
    """An argparse type for review --merge: a path this system can look at (missing is said later, with what to do)."""
    path = Path(text)
    try:
        path.exists()
    except (OSError, ValueError) as error:
        raise UsageError(
            f"--merge: {quoted(text)} is not a path this system can open "
            f"({getattr(error, 'strerror', None) or error})"
        ) from None
    return path


def cmd_check(context: Context) -> int:
    check, memory = checked(context)
    context.console.print(
        screens.status_screen(check, memory, context.console.width, context.ascii)
    )
    return 0 if check.current is None else 1


def cmd_list(context: Context) -> int:
    check, _ = checked(context)
    context.console.print(screens.headline(check, context.console.width, context.ascii))
    context.console.print(screens.list_screen(check, context.ascii))
    return 0 if check.current is None else 1


def current_step(context: Context) -> Step:
    """The step to work on, from the last check (checking now if there was none)."""
    states = Progress.load(context.root).states
    if not states:
        states = checked(context)[0].states()
    return next((step for step in STEPS if states.get(step.number) != "green"), STEPS[-1])


def cmd_hint(context: Context, number: int | None, level: int | None = None) -> int:
    step = step_by_number(number) if number else current_step(context)
    progress = Progress.load(context.root)
    if level is None:
        level = progress.next_hint(context.root, step)
    elif level > len(step.hints):
        raise UsageError(f"step {step.number} has hints 1 to {len(step.hints)}, not {level}")
    else:
        progress.seen_hint(context.root, step, level)
    context.console.print(
        screens.hint_screen(step, level, seen=progress.hints.get(step.number, level))
    )
    return 0


def cmd_solution(context: Context, number: int, force: bool, yes: bool) -> int:
    step = step_by_number(number)
    results = context.check(context.root, [s for s in STEPS if s.number <= number]).steps
    result = results[-1]
    if result.state != "green":
        if not force:
            earlier = next((r for r in results[:-1] if r.state != "green"), None)
            if earlier is not None:  # step N's tests run the learner's earlier steps too
                context.errors.print(
                    f"Step {number} does not pass yet, and it builds on step {earlier.step.number}, which does not pass "
                    f"either: start there ({earlier.step.learner_file}; python -m kata says why). Or add --force to peek.",
                    markup=False,
                )
            else:
                context.errors.print(
                    f"Step {number} does not pass yet: make it pass first (python -m kata hint {number} "
                    "helps), or add --force to peek.",
                    markup=False,
                )
            return 1
        if not confirm(
            f"Step {number} does not pass yet. Show the reference anyway?", yes, context.read
        ):
            context.console.print("Not shown.")
            return 1
    context.console.print(
        Text(
            f"The reference for step {number}, {step.title} (kata/solutions/{step.stem}.py):",
            "bold",
        )
    )
    if context.console.is_terminal:  # numbered and wrapped where it must be, never cut
        context.console.print(screens.code(reference_source(step)))
    else:  # piped: the file as it is, to copy
        context.console.out(reference_source(step), highlight=False, end="")
    return 0


def cmd_reset(context: Context, number: int | None, every: bool, yes: bool) -> int:
    if every == (number is not None):
        raise UsageError("say which step to reset (python -m kata reset 3) or --all")
    steps = STEPS if every else [step_by_number(number)]  # type: ignore[arg-type]
    what = "Reset of every step" if every else f"Reset of step {number}"
    return replace_files(
        context, {s.learner_file: stub_source(s) for s in steps}, "reset", yes, what
    )


def cmd_goto(context: Context, number: int, yes: bool) -> int:
    status = replace_files(
        context, checkpoint_sources(number), f"goto-{number}", yes, f"Go to step {number}"
    )
    if status == 0:
        context.console.print(
            f"Steps 1 to {number - 1} hold the reference; step {number} is yours: python -m kata"
        )
    return status


def cmd_restore(context: Context, name: str | None, yes: bool) -> int:
    backups = list_backups(context.root)
    if not name:
        if not backups:
            context.console.print(
                "No backups yet: reset, goto and restore make one before they overwrite your work."
            )
            return 0
        context.console.print(
            Text("Backups, oldest first (python -m kata restore NAME brings one back):", "bold")
        )
        for backup in backups:
            context.console.print(
                f"  {backup.name}   {backup.made}   {backup.reason}: {', '.join(backup.files)}",
                markup=False,
                highlight=False,
            )
        return 0
    chosen = next((b for b in backups if b.name == name), None)
    if chosen is None:
        raise UsageError(f"there is no usable backup {name!r}; python -m kata restore lists them")
    return replace_files(context, backup_texts(chosen), "restore", yes, f"Restore of {chosen.name}")


def cmd_status(context: Context, as_json: bool) -> int:
    if not as_json:
        return cmd_check(context)
    check, memory = checked(context)
    regressions = memory.regressions
    progress = Progress.load(context.root)
    current = check.current
    data = {
        "done": check.done,
        "total": len(check.in_act()),
        "act": check.act,
        "acts": [
            {
                "act": act,
                "done": sum(r.state == "green" for r in check.in_act(act)),
                "total": len(check.in_act(act)),
            }
            for act in sorted({step.act for step in STEPS})
        ],
        "current": None
        if current is None
        else {
            "number": current.step.number,
            "file": current.step.learner_file,
            "state": current.state,
            "stub": current.stub,
            "test": current.failure.get("nodeid", ""),
            "message": screens.why_red(current),
            "where": current.failure.get("where", ""),
        },
        "steps": [
            {
                "number": r.step.number,
                "act": r.step.act,
                "title": r.step.title,
                "section": r.step.section,
                "file": r.step.learner_file,
                "state": r.state,
                "passed": r.passed,
                "tests": r.total,
            }
            for r in check.steps
        ],
        "regressions": [r.step.number for r in regressions],
        "hints_used": {str(k): v for k, v in sorted(progress.hints.items())},
        "seconds": round(check.seconds, 3),
    }
    context.console.print(json.dumps(data, indent=1), markup=False, highlight=False, soft_wrap=True)
    return 0


def cmd_dojo(context: Context, args: argparse.Namespace) -> int:
    from .dojo import dojo, parse_drivers, start_new_group

    with (
        context.console.capture() as said
    ):  # what --new-group and --from did stays on the first dojo screen
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
        parse_drivers(args.drivers),
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
        found = (
            groups / group
            if "/" not in group and "\\" not in group and group not in ("", ".", "..")
            else Path(group)
        )
        if linked(context.root) or found.is_symlink() or not (found / LOG).is_file():
            names = (
                sorted(p.name for p in groups.iterdir() if (p / LOG).is_file())
                if groups.is_dir()
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
    from .review import diff_screen, gather, pick, review_screen, runs_screen

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
            context.console.print(runs_screen(logged, low, high, context.ascii))
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
    context.console.print(review_screen(logged, context.ascii, logged.events(), rows))
    return 0


def save_review(context: Context, logged: Session, path: Path, yes: bool) -> int:
    """Write the review to a Markdown, HTML or text file (asking before replacing one)."""
    from .review import markdown, review_screen

    if path.exists() and not confirm(f"{path} exists. Replace it?", yes, context.read):
        context.console.print("Nothing written.")
        return 1
    if path.suffix.lower() == ".md":
        text = markdown(logged, logged.events())
    else:
        recorder = Console(
            record=True, width=120, file=io.StringIO(), highlight=False, color_system="truecolor"
        )
        recorder.print(review_screen(logged, False, logged.events()))
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


def cmd_watch(context: Context) -> int:
    from .watch import watch  # watch mode's keys and polling load only when asked for

    return watch(context)


def cmd_doctor(context: Context) -> int:
    # the doctor runs step 1's tests even on the stub: it checks that pytest itself works here
    probe = (
        functools.partial(run_check, run_stubs=True)
        if context.check is run_check
        else context.check
    )
    return doctor.run(context.root, context.console, probe)


Handler = Callable[[Context, argparse.Namespace], int]
COMMANDS: dict[
    str, Handler
] = {  # each command: its handler, given the kata and the parsed command line
    "check": lambda context, args: cmd_check(context),
    "watch": lambda context, args: cmd_watch(context),
    "hint": lambda context, args: cmd_hint(context, args.number, args.level),
    "solution": lambda context, args: cmd_solution(context, args.number, args.force, args.yes),
    "list": lambda context, args: cmd_list(context),
    "reset": lambda context, args: cmd_reset(context, args.number, args.all, args.yes),
    "goto": lambda context, args: cmd_goto(context, args.number, args.yes),
    "restore": lambda context, args: cmd_restore(context, args.backup, args.yes),
    "doctor": lambda context, args: cmd_doctor(context),
    "status": lambda context, args: cmd_status(context, args.json),
    "dojo": cmd_dojo,
    "review": cmd_review,
}


def run(
    argv: Sequence[str] | None = None,
    console: Console | None = None,
    read: Callable[[str], str] = input,
    now: Callable[[], datetime] = datetime.now,
    check: Callable[..., Check] = run_check,
    root: Path = ROOT,
) -> int:
    """Run one kata command; return its exit status."""
    console = console or Console(highlight=False)
    # wrap at words in a terminal
    errors = Console(stderr=True, highlight=False, soft_wrap=not sys.stderr.isatty())
    context = Context(root, console, errors, read, now, check)
    warnings_to(lambda line: errors.print(f"kata: {line}", markup=False))
    try:
        args = build_parser().parse_args(argv)
        return COMMANDS[args.command or "check"](context, args)
    except UsageError as problem:
        errors.print(f"kata: {problem}", markup=False)
        return 2
    except KataDataError as problem:
        errors.print(f"kata: {problem}", markup=False)
        return 1
    except (
        OSError
    ) as problem:  # a file the kata needs cannot be read or written: say which, and what to try
        where = f"{problem.filename}: " if problem.filename else ""
        errors.print(
            f"kata: {where}{problem.strerror or problem}. Check that folder's permissions (python -m kata doctor).",
            markup=False,
        )
        return 1
    except KeyboardInterrupt:
        # every write is a rename of a finished file, so each file is old or new, and a backup is whole or absent
        try:
            errors.print(
                "kata: stopped; nothing half-written. Each file is as it was or as the command left it "
                "(python -m kata restore lists the backups).",
                markup=False,
            )
        except KeyboardInterrupt:
            pass
        return 130


def main() -> int:
    """Entry point for `python -m kata` and the `kata` command."""
    return run()


if __name__ == "__main__":
    sys.exit(main())
