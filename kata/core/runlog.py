"""The run log: one record per check in watch or dojo mode, with a copy of the step file. Nothing leaves the machine.

A log may come from another machine (`review --merge`), so every record is checked before use, each damaged
file is named in one warning line, and the copy a record names is read only from inside that log's runs/ folder.
"""

from __future__ import annotations

import json
import os
import platform
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO, TypeVar

from kata.core.checks import Check, StepResult
from kata.core.files import append, open_plain
from kata.core.files import kind as kind_of
from kata.core.registry import STEPS, Step
from kata.core.stubs import stub_source
from kata.core.workspace import (
    MAX_FILE,
    STATE_DIR,
    STATES,
    KataDataError,
    clean,
    contained,
    linked,
    read_limited,
    shown,
    warn,
    why,
    write_atomic,
)

T = TypeVar("T")
LOG = "runs.jsonl"
EVENTS = "events.jsonl"  # the dojo's turns, handovers, hints and breaks: what the review tells besides the runs
COPIES = "runs"
LOCK = "watch.lock"
MAX_LINE = 64_000  # bytes: a record is well under 1 KB; a longer line is damage, skipped without being held in memory
TEXTS = {
    "driver": 60,
    "navigator": 60,
    "test": 300,
    "message": 300,
    "prediction": 10,
    "machine": 60,
    "table": 60,
    "trigger": 10,
    "where": 300,
}  # longest kept
TRIGGERS = (
    "save",
    "start",
    "rerun",
)  # why a check ran: only a save is a new try; the others look again
# a pause and a break are logged when they end, with their length ("95 s"), so the review takes them out of red time
EVENT_KINDS = ("turn", "handover", "finish", "hint", "break", "roster", "pause")
STUB = "stub-"  # runs/stub-<stem>.py: the stub as the kata shipped it, a step's first version (the diff of a first try)


@dataclass
class LoggedRun:
    """One check as the log keeps it."""

    run: int
    time: str  # ISO 8601, local time
    step: int
    state: str
    driver: str = ""
    navigator: str = ""
    test: str = ""
    message: str = ""
    prediction: str = ""
    machine: str = ""
    file: str = ""  # the copy of the step file, relative to the log's folder
    trigger: str = "save"  # save (a new try), start (watch or dojo started) or rerun (r): only saves are counted
    table: str = ""  # the dojo's --table name (a Kake), else the machine's name stands for it
    where: str = ""  # the line of the learner's code the failure came from

    @property
    def when(self) -> datetime:
        return datetime.fromisoformat(self.time)

    @property
    def source(self) -> str:
        """The table or machine this run was made at."""
        return self.table or self.machine


@dataclass
class Event:
    """Something the dojo did besides checking: a turn, a handover, finishing to green, a hint, a break."""

    time: str
    event: str
    driver: str = ""
    navigator: str = ""
    detail: str = ""
    machine: str = ""
    table: str = ""

    @property
    def when(self) -> datetime:
        return datetime.fromisoformat(self.time)


def log_dir(root: Path) -> Path:
    return root / STATE_DIR


def parse(line: bytes) -> LoggedRun | None:
    """A run from one line of the log, or None when the line is not a well-formed record."""
    try:
        data = json.loads(line.decode("utf-8"))
        if not isinstance(data, dict):
            return None
        run = LoggedRun(**data)
        when = local(datetime.fromisoformat(run.time))
    except (ValueError, TypeError, RecursionError, OverflowError):
        return None
    numbers_ok = type(run.run) is int and type(run.step) is int and 1 <= run.step <= len(STEPS)
    if (
        not numbers_ok
        or run.state not in STATES
        or not all(isinstance(getattr(run, name), str) for name in [*TEXTS, "file"])
    ):
        return None
    if run.trigger not in TRIGGERS:
        return None
    run.time = when.isoformat(timespec="seconds")
    for (
        name,
        limit,
    ) in TEXTS.items():  # what the review prints: no terminal escapes, no screens of text
        setattr(run, name, clean(getattr(run, name), limit))
    return run


def local(when: datetime) -> datetime:
    """One clock for every machine, so merged logs sort: local time without a zone, as the log writes it.
    OverflowError for a time that has none there (0001-01-01T00:00:00+14:00): a damaged record."""
    if when.tzinfo is not None:
        when = when.astimezone().replace(tzinfo=None)
    return when


def bounded_lines(file: BinaryIO, limit: int = MAX_LINE) -> Iterator[bytes | None]:
    """Each line of a file, or None for a line longer than `limit` (read past in pieces, never held whole)."""
    while line := file.readline(limit + 1):
        if len(line) > limit and not line.endswith(b"\n"):
            while (rest := file.readline(limit)) and not rest.endswith(b"\n"):
                pass
            yield None
        else:
            yield line


def records(path: Path, parse: Callable[[bytes], T | None], kind: str) -> Iterator[T]:
    """Every well-formed record of a JSON-lines log, oldest first, one at a time; bad lines are skipped and counted
    once, and a log that is not a plain file (a folder, a symlink) is not read, with one line to say so."""
    if not path.exists() and not path.is_symlink():
        return
    fd = open_plain(path)
    if fd is None:
        warn(
            f"{shown(path)} is {kind_of(path)}, not a plain file, so it is not read. Move it away."
        )
        return
    bad = 0
    try:
        with os.fdopen(fd, "rb") as file:
            for line in bounded_lines(file):
                record = parse(line) if line is not None and line.strip() else None
                if record is not None:
                    yield record
                elif line is None or line.strip():
                    bad += 1
    except OSError as error:
        warn(
            f"{shown(path)} cannot be read ({error.strerror or error}); the review shows what was read before."
        )
    if bad:
        warn(
            f"{shown(path)}: {bad} damaged line{'' if bad == 1 else 's'} skipped (not {kind} this kata can read)."
        )


def iter_runs(folder: Path) -> Iterator[LoggedRun]:
    """Every run in a log folder (a .kata folder), oldest first, one at a time."""
    return records(folder / LOG, parse, "a run record")


def read_runs(folder: Path) -> list[LoggedRun]:
    """Every run in a log folder, oldest first; unreadable lines are skipped."""
    return list(iter_runs(folder))


_lines: dict[
    str, tuple[int, int]
] = {}  # log path -> (its size after our last append, its number of lines then)
_claims: dict[
    str, bool
] = {}  # log folder -> does this process log there (False: another watch or dojo does)


def next_number(path: Path) -> tuple[int, bool]:
    """The next run's number (lines so far + 1, counted once per process by a byte scan, not a re-read of the records),
    and whether the log's last line lacks its newline."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return 1, False
    known = _lines.get(str(path))
    if known is not None and known[0] == size:
        return known[1] + 1, False
    count, last = 0, b"\n"
    fd = open_plain(path)
    if fd is None:
        raise OSError(0, f"{LOG} is {kind_of(path)}, not a plain file")
    with os.fdopen(fd, "rb") as file:
        while chunk := file.read(1 << 20):
            count += chunk.count(b"\n")
            last = chunk[-1:]
    return count + (last != b"\n") + 1, last != b"\n"


def append_run(
    root: Path,
    check: Check,
    now: datetime,
    driver: str = "",
    navigator: str = "",
    prediction: str = "",
    result: StepResult | None = None,
    trigger: str = "save",
    table: str = "",
) -> LoggedRun:
    """Log a check: its step (given: the step saved, or the one in view), state, failing test, file copy; without one,
    the current step, else the last of the act in view (all of it passes). The first copy of a step comes with its stub.

    When .kata cannot be written, or another watch or dojo logs this kata, the check goes on unlogged."""
    folder = log_dir(root)
    result = result or check.current or check.in_act()[-1]
    step = result.step
    message = result.message.splitlines()
    run = LoggedRun(
        0,
        now.isoformat(timespec="seconds"),
        step.number,
        result.state,
        driver,
        navigator,
        result.failure.nodeid if result.failure else "",
        message[0][:300] if message else "",
        prediction,
        platform.node(),
        "",
        trigger,
        table,
        result.failure.where[:300] if result.failure else "",
    )
    if _claims.get(str(folder.absolute())) is False or linked(root):
        return run
    log, copies = folder / LOG, folder / COPIES
    try:
        copies.mkdir(parents=True, exist_ok=True)
        # never write through a link to somewhere outside the kata
        if copies.is_symlink() or log.is_symlink():
            raise OSError(0, f"{COPIES}/ or {LOG} is a symlink")
        run.run, gap = next_number(log)
        source = root / step.learner_file
        data = read_limited(source, MAX_FILE) if source.is_file() else None
        if data is not None:
            run.file = f"{COPIES}/{run.run:04d}-{step.stem}.py"
            write_atomic(folder / run.file, data)
            stub = copies / f"{STUB}{step.stem}.py"
            if not stub.exists() and not stub.is_symlink():
                write_atomic(stub, stub_source(step).encode("utf-8"))
        size = append(
            log, (b"\n" if gap else b"") + json.dumps(asdict(run)).encode("utf-8") + b"\n"
        )
        _lines[str(log)] = (size, run.run)
    except OSError as error:
        warn(
            f"cannot log runs in {shown(folder)}/ ({why(error, copies)}): the checks go on without the run log."
        )
    return run


def append_event(
    root: Path,
    now: datetime,
    event: str,
    driver: str = "",
    navigator: str = "",
    detail: str = "",
    table: str = "",
) -> None:
    """Log something the dojo did (a turn, a handover, a hint…) in .kata/events.jsonl; quietly nothing when it cannot."""
    folder = log_dir(root)
    if _claims.get(str(folder.absolute())) is False or linked(root):
        return
    record = Event(
        now.isoformat(timespec="seconds"),
        event,
        driver,
        navigator,
        detail[:200],
        platform.node(),
        table,
    )
    try:
        folder.mkdir(parents=True, exist_ok=True)
        append(folder / EVENTS, json.dumps(asdict(record)).encode("utf-8") + b"\n")
    except OSError:
        pass  # append_run has said already that this .kata cannot be written


EVENT_TEXTS = ("driver", "navigator", "detail", "machine", "table")


def parse_event(line: bytes) -> Event | None:
    """An event from one line of the events log, or None when the line is not a well-formed one."""
    try:
        data = json.loads(line.decode("utf-8"))
        if not isinstance(data, dict):
            return None
        event = Event(**data)
        if event.event not in EVENT_KINDS or not all(
            isinstance(getattr(event, name), str) for name in ("time", *EVENT_TEXTS)
        ):
            return None
        when = local(event.when)  # one clock for every machine, as for the runs
    except (ValueError, TypeError, RecursionError, OverflowError):
        return None
    event.time = when.isoformat(timespec="seconds")
    for name in EVENT_TEXTS:
        setattr(event, name, clean(getattr(event, name), 200))
    return event


def iter_events(folder: Path) -> Iterator[Event]:
    """Every event in a log folder, oldest first, checked like the runs."""
    return records(folder / EVENTS, parse_event, "an event")


def copy_text(folder: Path, run: LoggedRun) -> str | None:
    """The step file as it was at this run, or None when no copy was kept; KataDataError when the record names a file
    outside the log's runs/ folder."""
    if not run.file:
        return None
    name = run.file.removeprefix(f"{COPIES}/") if run.file.startswith(f"{COPIES}/") else ""
    path = contained(folder / COPIES, name)
    if path is None:
        raise KataDataError(
            f"{shown(folder / LOG)} names {clean(run.file, 80)!r} as a run's copy, which is not a file "
            f"inside {shown(folder / COPIES)}/: it is not read."
        )
    data = read_limited(path)
    return None if data is None else data.decode("utf-8", "surrogateescape")


def stub_text(folder: Path, step: Step) -> str | None:
    """A step's stub as this log kept it when the step was first logged (None for a log from before stubs were kept)."""
    path = contained(folder / COPIES, f"{STUB}{step.stem}.py")
    data = read_limited(path) if path is not None else None
    return None if data is None else data.decode("utf-8", "surrogateescape")


def subject(check: Check, saved: str, focus: StepResult | None) -> StepResult | None:
    """The step a check is logged under: after a save, the step whose file was saved (a save is a try at that step,
    whatever the screen shows next); else the step in view (None: append_run's own choice)."""
    if saved:
        found = next((r for r in check.steps if Path(r.step.learner_file).name == saved), None)
        if found is not None:
            return found
    return focus


def step_file(run: LoggedRun) -> str:
    """The learner file this run's copy belongs to."""
    return STEPS[run.step - 1].learner_file


def alive(pid: int) -> bool:
    """Is this process running? (Where that cannot be asked, as on Windows, assume it is.)"""
    if os.name != "posix":
        return True  # os.kill(pid, 0) would send Ctrl-C there
    if not 0 < pid < 2**31:  # no process has it: a damaged lock file (99999999999999999999)
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists but is someone else's
    return True


def claim_log(root: Path) -> bool:
    """Become the one watch or dojo that logs this kata's runs (a lock file with the pid; a dead owner's is taken over).

    False, said in one line, when another one already does: this one then checks and shows without logging."""
    folder = log_dir(root)
    lock = folder / LOCK
    key = str(folder.absolute())
    if linked(root):
        return True  # nothing is logged there anyway
    for _ in range(3):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with os.fdopen(
                os.open(
                    lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644
                ),
                "w",
            ) as file:
                file.write(str(os.getpid()))
            _claims[key] = True
            return True
        except FileExistsError:
            text = read_limited(lock, 100)
            pid = int(text) if text is not None and text.strip().isdigit() else None
            pid = pid if pid is not None and 0 < pid < 2**31 else None  # a damaged lock: taken over
            if pid is not None and pid != os.getpid() and alive(pid):
                _claims[key] = False
                warn(
                    f"another watch or dojo (process {pid}) is already logging this kata's runs, so this one checks "
                    f"without logging (if none is running, delete {shown(lock, root)})."
                )
                return False
            try:
                os.unlink(lock)  # its owner is gone (or it is not a lock we wrote): take it over
            except OSError:
                pass
        except OSError:
            break  # .kata cannot be written: append_run says so once
    return True


def release_log(root: Path) -> None:
    """Stop being the watch or dojo that logs this kata's runs."""
    folder = log_dir(root)
    if _claims.pop(str(folder.absolute()), None):
        lock = folder / LOCK
        text = read_limited(lock, 100)
        if text is not None and text.strip() == str(os.getpid()).encode():
            try:
                os.unlink(lock)
            except OSError:
                pass
