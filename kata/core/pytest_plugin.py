"""The kata's pytest plugin, loaded by pyproject's addopts.

It adds --target (which code the step tests exercise: the reference, or the
learner's steps/) and says in the header which one it is. With --target steps the
learner's code runs guarded (kata/core/guard.py): a plain `python -m pytest --target steps`
runs itself again in a guarded child and waits with a wall-clock limit; in the child,
each test (setup, call and teardown) has its step's time limit, kept by SIGALRM and by
a watchdog thread the learner's code cannot turn off. The run ends with the learner's
next move. --kata-report writes each test's outcome as JSON, taken from pytest's
hooks, for the kata's runner; --kata-progress writes them as they come, one JSON line
each, so that a run that is killed still says where it was.
"""

# ruff: noqa: E402
from __future__ import annotations

import sys


def said_stopped(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> None:
    """A Ctrl-C that no one caught (it came while pytest still loaded this plugin, or anything after it) is one line,
    not a traceback through the kata's imports; any other error keeps its traceback."""
    if issubclass(kind, KeyboardInterrupt):
        try:
            sys.stderr.write("\nkata: stopped.\n")
        except (OSError, ValueError, AttributeError):
            pass
    else:
        sys.__excepthook__(kind, error, trace)


# not when a program has a hook of its own (the kata's entry points have)
if sys.excepthook is sys.__excepthook__:
    sys.excepthook = said_stopped

# the imports below come after the hook: a Ctrl-C while they load is one line
import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Generator, Iterator, Sequence
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any, TextIO

import pytest

from kata.core import guard, limits
from kata.core.checks import killed_by, progress_records, wait
from kata.core.cli import open_std_streams, stop_on_signals
from kata.core.limits import (
    GRACE,
    SLACK,
    deadline,
    limit_for,
    own_time,
    run_limit,
    schedstat,
)
from kata.core.outcome import Outcome, Verdict
from kata.core.registry import STEPS, Step

# a pytest started with stdout or stdin closed (>&-, <&-) gets /dev/null there: pytest's own last flush of a closed
# stdout would end in a traceback
open_std_streams()

OUTCOMES = pytest.StashKey[list[Outcome]]()
TIMED_OUT = pytest.StashKey[set[str]]()
ITEM_STATE = pytest.StashKey[str]()
PROGRESS = pytest.StashKey[TextIO]()


EXIT = os._exit  # taken before any learner code runs, which could replace os._exit
# the watchdog's clock (the wall clock less the waits for a busy CPU), taken before learner code could replace it
NOW = own_time
WALL = time.monotonic
# modules whose names the learner's code could rebind (builtins.isinstance, json.dumps…): put back after every phase of
# a test, so that pytest and this plugin report with the real ones
KEPT = (
    "builtins",
    "json",
    "json.encoder",
    "json.decoder",
    "os",
    "posixpath",
    "time",
    "signal",
    "traceback",
    "pathlib",
)
# characters of a failure's message and of its line of code kept in the report (a 50 MB answer is not a message)
MESSAGE_KEPT = 1_500
WHERE_KEPT = 300
# characters of a test's captured output that pytest may keep and print (the end of it)
OUTPUT_SHOWN = 2_000


class StepTimeout(BaseException):
    """A step's test ran past the step's time limit (a BaseException: `except Exception` in learner code does not stop it)."""


class LearnerInterrupt(Exception):
    """The learner's code raised KeyboardInterrupt: a failure of that test, not Ctrl-C (which would end the session)."""


def target_of(config: pytest.Config) -> str:
    """Return 'steps' or 'solutions': which code the step tests exercise in this run."""
    return config.getoption("target")


def step_of(item: pytest.Item) -> Step | None:
    """The step a test belongs to, from its file name; None for the tool's own tests."""
    stem = item.path.stem.removeprefix("test_")
    return next((step for step in STEPS if step.stem == stem), None)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--target",
        choices=("solutions", "steps"),
        default="solutions",
        help="which code the step tests run against: kata/solutions (default) or your steps/",
    )
    parser.addoption(
        "--kata-report",
        metavar="FILE",
        help="write each test's outcome as JSON (for the kata's tools)",
    )
    parser.addoption(
        "--kata-progress",
        metavar="FILE",
        help="write each test's start and outcome as JSON lines (for the kata's tools)",
    )


def pytest_report_header(config: pytest.Config) -> str:
    if target_of(config) == "steps":
        return "kata target: steps/ (your code)"
    return (
        "kata target: kata/solutions/ (the reference, not your code; add --target steps for yours)"
    )


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """With --target steps, run the learner's step tests only, not the tool's own tests."""
    if target_of(config) == "steps" and "tool" in collection_path.parts:
        return True
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> int | None:
    """With --target steps: refuse a bad KATA_TIME_LIMIT in one line, and run a command-line pytest again, guarded."""
    if target_of(config) != "steps":
        return None
    try:
        guard.time_limit(10.0)
        memory = guard.memory_limit()
    except guard.GuardError as problem:
        sys.stderr.write(f"kata: {problem}\n")
        return 2  # the kata's usage errors exit 2 (pytest's own exit 4)
    if guard.child() or list(config.invocation_params.args) != sys.argv[1:] or debugging(config):
        return None  # already guarded, called by a program that chose to run in-process, or a debugger in use
    if guard.too_deep():
        sys.stderr.write(
            "kata: this pytest runs inside guarded test runs several deep, so it does not start another: "
            "run python -m pytest --target steps from your terminal.\n"
        )
        return int(pytest.ExitCode.USAGE_ERROR)
    return run_guarded(config, memory)


def debugging(config: pytest.Config) -> bool:
    """Whether --pdb or --trace asks for a debugger: it needs the terminal and all the time it takes (no guard)."""
    return bool(config.getoption("usepdb", False) or config.getoption("trace", False))


def steps_named(args: Sequence[str]) -> list[Step]:
    """The steps whose test files a pytest command line names; every step when it names none."""
    named = [step for step in STEPS if any(step.stem in arg for arg in args)]
    return named or list(STEPS)


def run_guarded(config: pytest.Config, memory: int) -> int:
    """Run this pytest command line again in a guarded child, its output passed on to this terminal up to the cap;
    kill its whole tree past the run's limit, on Ctrl-C, SIGTERM or SIGHUP (one line, whenever it comes: while the
    child starts too)."""
    started: list[subprocess.Popen[bytes]] = []
    try:
        return guarded_run(config, memory, started)
    except KeyboardInterrupt:
        for process in started:
            guard.stop(process)
        sys.stderr.write("\nkata: stopped.\n")
        return int(pytest.ExitCode.INTERRUPTED)


def guarded_run(config: pytest.Config, memory: int, started: list[subprocess.Popen[bytes]]) -> int:
    """run_guarded's work; the child goes into `started` as soon as it exists."""
    guard.contain()
    stop_on_signals()
    args = list(config.invocation_params.args)
    steps = steps_named(args)
    limit = run_limit(steps)
    with tempfile.TemporaryDirectory(prefix="kata-pytest-") as scratch:
        progress = config.getoption("kata_progress") or str(Path(scratch, "progress.jsonl"))
        if not config.getoption("kata_progress"):
            args += ["--kata-progress", progress]
        process = guard.popen(
            [sys.executable, "-m", "pytest", *args],
            cwd=config.invocation_params.dir,
            env=relayed_env(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            memory=memory,
        )
        started.append(process)
        relay = Relay(process)
        try:
            if wait(process, Path(progress), limit):
                guard.stop(process)
                relay.finish()
                sys.stdout.flush()
                for line in killed_lines(progress_records(Path(progress)), limit):
                    sys.stdout.write(line + "\n")
                return int(pytest.ExitCode.TESTS_FAILED)
            status = process.returncode
        finally:
            guard.stop(process)  # whatever the learner's code forked dies with the run
            relay.finish()
    if status < 0:  # killed by a signal: not pytest's doing, so say it
        sys.stdout.write(f"kata: {killed_by(-status)}.\n")
        return int(pytest.ExitCode.TESTS_FAILED)
    return status


def relayed_env() -> dict[str, str]:
    """The guarded child's environment: its output goes through a pipe, so it is told the terminal's colour and
    width (as pytest would have found them on this terminal)."""
    env = dict(os.environ)
    try:
        terminal = sys.stdout.isatty()
    except (AttributeError, ValueError):
        terminal = False
    if terminal:
        if (
            not any(env.get(name) for name in ("PY_COLORS", "NO_COLOR"))
            and env.get("TERM") != "dumb"
        ):
            env["PY_COLORS"] = "1"
        if not env.get("COLUMNS"):
            env["COLUMNS"] = str(shutil.get_terminal_size().columns)
    return env


class Relay:
    """Pass a guarded child's stdout and stderr on to this process's, up to guard.OUTPUT_LIMIT bytes in all; past
    that the rest is read and dropped (the child never blocks on a full pipe) but for each stream's last lines,
    shown at its end after one line that says so (pytest's summary and the next move come last)."""

    TAIL = 4096  # bytes of a cut stream's end kept to show

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.left = guard.OUTPUT_LIMIT
        self.lock = threading.Lock()
        self.threads = [
            threading.Thread(target=self.pump, args=(stream, fd), daemon=True)
            for stream, fd in ((process.stdout, 1), (process.stderr, 2))
            if stream is not None
        ]
        for thread in self.threads:
            thread.start()

    def pump(self, stream: Any, fd: int) -> None:
        source = stream.fileno()
        out = Output(fd)
        tail, dropped = b"", 0
        while True:
            try:
                chunk = os.read(source, 65536)
            except OSError:
                break
            if not chunk:
                break
            with self.lock:
                shown, self.left = chunk[: max(self.left, 0)], self.left - len(chunk)
            out.write(shown)
            if len(shown) < len(chunk):
                dropped += len(chunk) - len(shown)
                tail = (tail + chunk[len(shown) :])[-self.TAIL :]
        if dropped:
            lines = tail.split(b"\n")[1:][-20:]  # whole lines only
            megabytes = guard.OUTPUT_LIMIT // (1024 * 1024)
            out.write(
                f"\nkata: the test run printed more than {megabytes} MB: {dropped:,} bytes are not shown; "
                "its last lines follow.\n".encode()
                + b"\n".join(lines)
            )
        stream.close()

    def finish(self) -> None:
        """Wait for the pipes to end (every writer is dead once the run is stopped); a few seconds at most."""
        for thread in self.threads:
            thread.join(5)


class Output:
    """Writes to one file descriptor that never raise: once it fails (a closed pipe, a full disk), it shows nothing."""

    def __init__(self, fd: int) -> None:
        self.fd, self.broken = fd, False

    def write(self, data: bytes) -> None:
        while data and not self.broken:
            try:
                data = data[os.write(self.fd, data) :]
            except OSError:
                self.broken = True


def killed_lines(progress: tuple[list[Outcome], str], limit: float) -> list[str]:
    """What to say after killing a hung run: which test hung, in which file, and the next move."""
    outcomes, started = progress
    stem = Path(started.split("::", 1)[0]).stem.removeprefix("test_")
    step = next((step for step in STEPS if step.stem == stem), None)
    if step is None or started in {outcome.nodeid for outcome in outcomes}:
        return [f"kata: the test run went past {limit:g} s and was stopped."]
    message = (
        f"step {step.number} ran past its time limit of {limit_for(step):g} s and would not stop, so the "
        f"test run was stopped: a loop that never ends in {step.learner_file}?"
    )
    hung = Outcome(started, step.stem, "timeout", False, message, "", "")
    return [
        f"kata: TIMEOUT {step.learner_file}: {started} would not stop, so the test run was stopped.",
        *next_move([*outcomes, hung]),
    ]


def pytest_configure(config: pytest.Config) -> None:
    config.stash[OUTCOMES] = []
    config.stash[TIMED_OUT] = set()
    if target_of(config) == "steps" and not debugging(config):
        config.pluginmanager.register(Guard(config), "kata-guard")


def write_progress(config: pytest.Config, record: dict[str, Any]) -> None:
    """Add one JSON line to the --kata-progress file, if there is one (line-buffered: a killed run has said it)."""
    file = config.stash.get(PROGRESS, None)
    if file is None:
        path = config.getoption("kata_progress")
        if not path:
            return
        file = config.stash[PROGRESS] = open(path, "a", encoding="utf-8", buffering=1)  # noqa: SIM115 (closed at sessionfinish)
    file.write(json.dumps(record) + "\n")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Note each test as it starts (a runner that kills a hung run learns where), and skip the rest of a hung step."""
    write_progress(item.config, {"start": item.nodeid})
    step = step_of(item)
    if step and step.stem in item.config.stash[TIMED_OUT]:
        item.stash[ITEM_STATE] = "timeout"
        pytest.skip(f"step {step.number} already ran past its time limit in an earlier test")


def module_frame(tb: TracebackType | None, step: Step) -> traceback.FrameSummary | None:
    """The frame of the learner's step file running at import (its top level) in a traceback, if any."""
    return next(
        (
            f
            for f in traceback.extract_tb(tb)
            if f.name == "<module>"
            and Path(f.filename).stem == step.stem
            and "steps" in Path(f.filename).parts
        ),
        None,
    )


class Guard:
    """With --target steps: each test's time limit over setup, call and teardown, and a watchdog past it.

    SIGALRM raises StepTimeout inside the test, where pytest reports it. Learner code can turn that
    off or swallow it, so a daemon thread (pytest-timeout's thread method) waits too: GRACE seconds
    past the limit it records the test as a timeout and ends the process. The parent's kill of the
    whole process tree is the last resort (a C call that never lets go of the GIL).
    """

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.lock = threading.Condition()
        self.item: pytest.Item | None = None
        self.step: Step | None = None
        self.step_timed: Step | None = None  # the step whose calls limits.CALLS holds
        self.ends = 0.0  # when the current test's time is up (NOW)
        self.wall_ends = (
            0.0  # when the parent's patience with it ends, less its grace and slack (WALL)
        )
        self.began = (
            0.0,
            0.0,
            0.0,
        )  # the current test's start: NOW, WALL and schedstat()'s seconds on a CPU
        self.thread: threading.Thread | None = None
        self.closed = False
        self.interrupted = False  # a real SIGINT, not a KeyboardInterrupt raised by learner code
        self.terminal = -1
        self.previous_sigint: Any = None
        # a guarded child whose parent died (a closed terminal) must not run on alone
        self.parent = os.getppid()
        self.kept = {
            name: (sys.modules[name], dict(vars(sys.modules[name])))
            for name in KEPT
            if name in sys.modules
        }
        self.status = 0  # the session's exit status, for the exit past learner threads

    def restore(self) -> None:
        """Put back what the learner's code rebound in KEPT's modules (isinstance, len, json.dumps, os._exit…)."""
        for name, (module, saved) in self.kept.items():
            sys.modules[name] = module
            names = vars(module)
            for key in [key for key in names if key not in saved]:
                del names[key]
            for key, value in saved.items():
                if names.get(key, saved) is not value:
                    names[key] = value

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.restore()  # a test module that imports a step at collection ran its top level

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        self.restore()
        self.status = int(exitstatus)

    @pytest.hookimpl(trylast=True)
    def pytest_unconfigure(self, config: pytest.Config) -> None:
        """In a guarded child, once everything is said: a thread the learner's code left running, or its atexit code,
        must not keep the run alive, so the process ends soon whatever they do (at once when such a thread runs)."""
        with self.lock:
            self.item, self.closed = None, True
            self.lock.notify()  # the watchdog thread ends: pytest.main may run again in this process
        if self.previous_sigint is not None:
            signal.signal(signal.SIGINT, self.previous_sigint)
        if self.terminal >= 0:
            os.close(self.terminal)
            self.terminal = -1
        if not guard.child():
            return
        waiting = any(
            thread.is_alive() and not thread.daemon and thread is not threading.main_thread()
            for thread in threading.enumerate()
        )
        threading.Thread(
            target=self.end_soon, args=(0.0 if waiting else GRACE,), name="kata-exit", daemon=True
        ).start()

    def end_soon(self, seconds: float) -> None:
        """End this process after `seconds`, unless it has ended by itself (the learner's threads, its atexit code)."""
        if seconds:
            threading.Event().wait(seconds)
        for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
            try:
                if stream is not None:
                    stream.flush()
            except (OSError, ValueError):
                pass
        EXIT(self.status)

    def pytest_configure(self, config: pytest.Config) -> None:
        if guard.child():
            guard.limit_output()  # pytest captures prints into files: a flood stops at OUTPUT_LIMIT
        try:
            self.terminal = os.dup(1)  # the terminal, whatever capture later does to fd 1
        except OSError:
            self.terminal = -1
        if (
            threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGINT) is signal.default_int_handler
        ):
            self.previous_sigint = signal.signal(signal.SIGINT, self.on_sigint)

    def on_sigint(self, signum: int, frame: FrameType | None) -> None:
        self.interrupted = True
        raise KeyboardInterrupt

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> Iterator[None]:
        __tracebackhide__ = True
        return (yield from self.phase(item, "setup"))

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item: pytest.Item) -> Iterator[None]:
        __tracebackhide__ = True
        return (yield from self.phase(item, "call"))

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_teardown(self, item: pytest.Item) -> Iterator[None]:
        __tracebackhide__ = True
        return (yield from self.phase(item, "teardown"))

    def phase(self, item: pytest.Item, when: str) -> Iterator[None]:
        """Run one phase of a step's test inside what is left of its time limit."""
        # pytest's tracebacks show the learner's code and the test, not the guard
        __tracebackhide__ = True
        step = step_of(item)
        if step is None:
            return (yield)
        seconds = limit_for(step)
        if when == "setup":
            self.arm(item, step, seconds)
        left = self.ends - NOW()
        if when == "teardown":
            # pytest's own cleanup after a timeout: not the learner's time
            left = max(left, GRACE / 2)
        try:
            with deadline(left, lambda: StepTimeout(self.late(step, seconds))):
                return (yield)
        except KeyboardInterrupt as interrupt:
            self.restore()
            if self.interrupted:
                raise  # Ctrl-C: end the session, as pytest does
            raise learner_interrupt(interrupt, step, item) from None
        finally:
            self.restore()
            if when == "teardown":
                self.arm(None, None, 0.0)

    def late(self, step: Step, seconds: float) -> str:
        """What to say when a test of `step` is stopped at its time limit: how it spent the time."""
        own, wall, ran = self.began
        on_cpu = schedstat()[0]
        busy = (WALL() - wall) - (NOW() - own)
        return limits.late(
            step.number, seconds, step.learner_file, busy, on_cpu - ran if on_cpu else None
        )

    def arm(self, item: pytest.Item | None, step: Step | None, seconds: float) -> None:
        """Start the watchdog's clock for a test (None: stop it)."""
        if step is not None and step is not self.step_timed:
            limits.CALLS.clear()  # the calls timed so far were another step's
            self.step_timed = step
        self.began = (NOW(), WALL(), schedstat()[0])
        with self.lock:
            self.item, self.step, self.ends = item, step, NOW() + seconds
            # the parent waits limit × patience() + GRACE + SLACK on the wall clock from when it saw the test
            # start (checks.Running.overdue): the watchdog ends a starved test at half that slack, first
            self.wall_ends = WALL() + seconds * limits.patience()
            if item is not None and self.thread is None:
                self.thread = threading.Thread(target=self.watch, name="kata-watchdog", daemon=True)
                self.thread.start()
            self.lock.notify()

    def watch(self) -> None:
        """The watchdog: end the run when a test is still going GRACE seconds after its time is up."""
        with self.lock:
            while not self.closed:
                if self.item is None:
                    self.lock.wait()
                    continue
                # its own time up by GRACE (an alarm defeated), or the wall clock past what the parent will wait
                # for while its own time is not yet up (a machine too busy to let it run): either way before the
                # parent's kill, which says less. Between the two the alarm is left to ring: it says more
                own_late = self.ends + GRACE - NOW()
                starved = WALL() >= self.wall_ends + GRACE + SLACK / 2 and NOW() < self.ends
                late = 0.0 if starved else own_late
                if guard.child() and os.getppid() != self.parent:
                    # nobody is waiting for this run any more
                    EXIT(int(pytest.ExitCode.INTERRUPTED))
                if late > 0:
                    self.lock.wait(min(late, 1.0))
                    continue
                self.closed = True  # once: if even the exit fails, the parent's kill is left
                self.expire(self.item, self.step)  # type: ignore[arg-type]  # armed: both are set

    def expire(self, item: pytest.Item, step: Step) -> None:
        """Record the hung test as a timeout (report, progress, terminal) and end the process: nothing else would."""
        self.restore()  # the learner's code is stuck mid-test: its replacements of json.dumps and the like go
        seconds = limit_for(step)
        own = NOW() - self.began[0]
        message = (
            f"step {step.number} ran for {WALL() - self.began[1]:.0f} s on a machine so busy that only {own:.1f} s "
            f"of it counted towards its time limit of {seconds:g} s (the rest it waited for a CPU other programs "
            f"held): run it again when the machine is quieter (KATA_TIME_LIMIT raises the limit), or make "
            f"{step.learner_file} faster?"
            if own < seconds
            else f"step {step.number} ran past its time limit of {seconds:g} s and would not stop: a loop in "
            f"{step.learner_file} that catches the time limit or turns it off, or one long operation Python "
            "cannot interrupt (a list or a number of millions of digits, built, compared or printed)?"
        )
        hung = Outcome(
            item.nodeid, step.stem, "timeout", False, message, self.where_stuck(step), ""
        )
        outcomes = [*self.config.stash[OUTCOMES], hung]
        try:
            write_progress(self.config, {"outcome": hung.to_json()})
            write_report(self.config, outcomes)
            stuck = f" (stuck at {hung.where})" if hung.where else ""
            said = (
                f"kata: TIMEOUT {step.learner_file}: {item.nodeid} ran past its time limit of {seconds:g} s "
                f"and would not stop, so the run was ended here{stuck}."
            )
            if self.terminal >= 0:
                os.write(
                    self.terminal,
                    ("\n".join(["", said, *next_move(outcomes)]) + "\n").encode("utf-8", "replace"),
                )
        finally:
            EXIT(int(pytest.ExitCode.TESTS_FAILED))

    @staticmethod
    def where_stuck(step: Step) -> str:
        """The line of the learner's code the main thread is running now: 'steps/…py, line 5: …' (or '')."""
        frame = sys._current_frames().get(threading.main_thread().ident or 0)
        frames = (
            [f for f in traceback.extract_stack(frame) if "steps" in Path(f.filename).parts]
            if frame
            else []
        )
        own = [f for f in frames if Path(f.filename).stem == step.stem]
        if not frames:
            return ""
        found = (own or frames)[-1]
        return (
            f"steps/{Path(found.filename).name}, line {found.lineno}: {(found.line or '').strip()}"
        )


def learner_interrupt(
    interrupt: KeyboardInterrupt, step: Step, item: pytest.Item
) -> LearnerInterrupt:
    """KeyboardInterrupt raised by the learner's code, as a failure that names the file (amber when at import)."""
    frame = module_frame(interrupt.__traceback__, step)
    if frame is not None:
        item.user_properties.append(("kata", "amber"))
        message = (
            f"{step.learner_file} stops while Python loads it: it raises KeyboardInterrupt (line {frame.lineno}). "
            "Code outside a function runs on import: fix that line, save, and run again."
        )
    else:
        message = (
            f"{step.learner_file} raised KeyboardInterrupt: the kata counts that as a failing test, "
            "not as Ctrl-C. Remove the raise."
        )
    return LearnerInterrupt(message).with_traceback(interrupt.__traceback__)


def learner_line(excinfo: pytest.ExceptionInfo[BaseException] | None, step: Step) -> str:
    """The deepest line of the step's own file in a traceback (else of any learner file): 'steps/…py, line 12: …'."""
    if excinfo is None:
        return ""
    frames = [f for f in traceback.extract_tb(excinfo.tb) if "steps" in Path(f.filename).parts]
    cause = excinfo.value.__cause__ or excinfo.value.__context__
    # a test that names the slip fails while handling the learner's error
    while not frames and cause is not None:
        frames = [
            f
            for f in traceback.extract_tb(cause.__traceback__)
            if "steps" in Path(f.filename).parts
        ]
        cause = cause.__cause__ or cause.__context__
    own = [f for f in frames if Path(f.filename).stem == step.stem]
    if not frames:
        return ""
    frame = (own or frames)[-1]
    return f"steps/{Path(frame.filename).name}, line {frame.lineno}: {(frame.line or '').strip()}"


def in_words(excinfo: pytest.ExceptionInfo[BaseException] | None, message: str, step: Step) -> str:
    """Say what a guard did when it stopped the learner's code (memory, output), else keep pytest's message."""
    error = excinfo.value if excinfo is not None else None
    if isinstance(error, SystemExit):
        return (
            f"{step.learner_file} called sys.exit({error.code!r}) (SystemExit): a step's function should return "
            "its answer, not end the program."
        )
    if isinstance(error, MemoryError) or "MemoryError" in message.split("\n", 1)[0]:
        megabytes = guard.memory_limit() // (1024 * 1024)
        return (
            f"{step.learner_file}: your code tried to use more memory than the kata allows ({megabytes} MB) "
            "and got MemoryError: a list far too long, or a loop that keeps adding to one? "
            "(KATA_MEMORY_LIMIT, in MB, changes the limit.)"
        )
    if (isinstance(error, OSError) and error.errno == errno.EFBIG) or "[Errno 27]" in message.split(
        "\n", 1
    )[0]:
        megabytes = guard.OUTPUT_LIMIT // (1024 * 1024)
        return (
            f"{step.learner_file}: your code printed more than the kata keeps ({megabytes} MB) and was stopped: "
            "a print inside a loop that runs too often?"
        )
    return message


def shorten(text: str) -> str:
    """The end of a test's captured output, so that pytest never prints a flood to the terminal."""
    if len(text) <= OUTPUT_SHOWN:
        return text
    return (
        f"[kata: {len(text) - OUTPUT_SHOWN:,} characters cut; the last {OUTPUT_SHOWN:,} follow]\n"
        + text[-OUTPUT_SHOWN:]
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    step = step_of(item)
    # what pytest keeps and prints of a flood: its end
    if step is not None and target_of(item.config) == "steps":
        report.sections = [(name, shorten(text)) for name, text in report.sections]
        # pytest keeps each phase's output on the item too
        kept = getattr(item, "_report_sections", None)
        if isinstance(kept, list):
            item._report_sections = [(when, key, shorten(text)) for when, key, text in kept]
    if step is None or (report.when != "call" and report.passed):
        return report
    excinfo = call.excinfo
    state: Verdict
    if report.passed:
        state, stub, message = "passed", False, ""
    else:
        amber = ("kata", "amber") in item.user_properties
        if item.stash.get(ITEM_STATE, "") == "timeout":
            state, stub = "timeout", False
        elif excinfo is not None and excinfo.errisinstance(StepTimeout):
            state, stub = "timeout", False
            item.config.stash[TIMED_OUT].add(step.stem)
        elif amber or (
            excinfo is not None and report.when == "setup" and module_frame(excinfo.tb, step)
        ):
            state, stub = "amber", False  # the file does not load: a crash while Python imports it
        else:
            state, stub = "red", excinfo is not None and excinfo.errisinstance(NotImplementedError)
        crash = getattr(report.longrepr, "reprcrash", None)
        message = crash.message if crash is not None else str(report.longrepr)
        message = message.removeprefix(f"{StepTimeout.__module__}.{StepTimeout.__name__}: ")
        message = message.removeprefix(
            f"{LearnerInterrupt.__module__}.{LearnerInterrupt.__name__}: "
        )
        if isinstance(report.longrepr, tuple):  # a skip: (file, line, reason)
            message = report.longrepr[2].removeprefix("Skipped: ")
        # not one the step's fixture could word
        if state == "amber" and not amber and excinfo is not None:
            frame = module_frame(excinfo.tb, step)
            message = (
                f"{step.learner_file} stops while Python loads it: {excinfo.typename}: {excinfo.value} "
                f"(line {frame.lineno if frame else '?'}). Code outside a function runs on import: fix that line."
            )
        if state == "timeout" and excinfo is not None and module_frame(excinfo.tb, step):
            message = (
                f"step {step.number} ran past its time limit of {limit_for(step):g} s while Python loaded "
                f"{step.learner_file}: code outside a function runs on import; move it into the function."
            )
        if target_of(item.config) == "steps":
            message = in_words(excinfo, message, step)
    output = "".join(text for name, text in report.sections if "stdout" in name or "stderr" in name)
    where = learner_line(excinfo, step) if target_of(item.config) == "steps" else ""
    outcome = Outcome(
        item.nodeid,
        step.stem,
        state,
        stub,
        cut(message, MESSAGE_KEPT),
        cut(where, WHERE_KEPT),
        output[-2000:],
    )
    item.config.stash[OUTCOMES].append(outcome)
    write_progress(item.config, {"outcome": outcome.to_json()})
    return report


def cut(text: str, limit: int) -> str:
    """At most `limit` characters of a text the learner's values made (a huge answer's repr), marked where cut."""
    return (
        text
        if len(text) <= limit
        else text[: limit - 40] + f" … [kata: {len(text) - limit + 40:,} characters cut]"
    )


def write_report(config: pytest.Config, outcomes: list[Outcome]) -> None:
    """Write the --kata-report file, if asked for."""
    path = config.getoption("kata_report", None)
    if path:
        data = {"target": target_of(config), "tests": [outcome.to_json() for outcome in outcomes]}
        Path(path).write_text(json.dumps(data, indent=1), encoding="utf-8")


def pytest_sessionfinish(session: pytest.Session) -> None:
    write_report(session.config, session.config.stash[OUTCOMES])
    progress = session.config.stash.get(PROGRESS, None)
    if progress is not None:
        progress.close()
        del session.config.stash[PROGRESS]


def next_move(outcomes: list[Outcome]) -> list[str]:
    """The learner's next move: the first step (in kata order) with a failing test, or the step after those run."""
    for step in STEPS:
        failed = [o for o in outcomes if o.stem == step.stem and not o.passed]
        if not failed:
            continue
        total = sum(o.stem == step.stem for o in outcomes)
        first = failed[0]
        said = first.message.splitlines()[0] if first.message else first.state
        said = said.removeprefix("AssertionError: ").removeprefix("Failed: ")[:160].rstrip(".")
        said = said if said.endswith(("?", "!")) else said + "."
        if all(o.stub for o in failed):
            why = f"{step.function}() is not written yet (it raises NotImplementedError)"
        elif first.state in ("amber", "timeout"):
            why = said
        else:
            why = f"{len(failed)} of {total} tests fail; first: {said}"
        return [
            f"kata: step {step.number}, {step.title}: {why if why.endswith(('.', '?', '!')) else why + '.'}",
            f"kata: edit {step.learner_file}, then run:",
            f"kata:   python -m pytest --target steps {step.test_file}",
        ]
    ran = [step for step in STEPS if any(o.stem == step.stem for o in outcomes)]
    if not ran:
        return []
    numbers = [str(step.number) for step in ran]
    passed = (
        f"step {numbers[0]} passes"
        if len(ran) == 1
        else f"steps {', '.join(numbers[:-1])} and {numbers[-1]} pass"
    )
    if len(ran) == len(STEPS):
        return ["kata: every step passes. Watch your own code at work: python -m kata.trace"]
    return [
        f"kata: {passed}. Next, to check every step and see which one is yours to do:",
        "kata:   python -m kata",
    ]


def pytest_unconfigure(config: pytest.Config) -> None:
    """With --target steps, end the run with the learner's next move, below pytest's own summary."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None or OUTCOMES not in config.stash or target_of(config) != "steps":
        return
    for line in next_move(config.stash[OUTCOMES]):
        reporter.write_line(line, bold=True)
