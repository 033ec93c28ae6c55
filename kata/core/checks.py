"""One check of the learner's steps: a pytest run in a guarded child (kata/core/guard.py), read from its JSON report."""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kata.core import guard
from kata.core.files import kind, plain_or_missing, read_end, read_plain
from kata.core.limits import GRACE, MARGIN, SLACK, limit_for, patience, run_limit  # noqa: F401 (MARGIN: the run's slack, re-exported)
from kata.core.look import State
from kata.core.outcome import Outcome, Verdict
from kata.core.registry import ROOT, STEPS, Step
from kata.core.stubs import stub_source
from kata.core.warm import Warm


@dataclass
class StepResult:
    """What one check found for one step."""

    step: Step
    # green, red, amber, timeout or unknown (not checked); equal to its name as a string
    state: State
    stub: bool = False
    passed: int = 0
    total: int = 0
    failure: Outcome | None = None  # the first failing test's outcome
    note: str = ""

    @property
    def message(self) -> str:
        """What went wrong, as the first failing test said it, else the note ('' when neither says anything)."""
        return (self.failure.message if self.failure else "") or self.note


@dataclass
class Check:
    """The result of one check of steps/."""

    steps: list[StepResult]
    seconds: float
    trouble: str = ""  # the test run itself went wrong (killed, crashed), in words
    opened: int = (
        1  # the act the learner opened on purpose (goto, dojo --from): started, even as stubs
    )

    @property
    def current(self) -> StepResult | None:
        """The step to work on: the first of act I that does not pass; once act I passes, the first of act II that
        does not pass, if act II was started (changed, or opened with goto: an untouched act II is optional, and
        then there is nothing to do)."""
        acts = sorted({result.step.act for result in self.steps})
        for act in acts:
            results = [result for result in self.steps if result.step.act == act]
            if (
                act > acts[0]
                and act > self.opened
                and all(result.stub or result.state == "unknown" for result in results)
            ):
                return None  # an optional act, not started
            pending = next((result for result in results if result.state != "green"), None)
            if pending is not None:
                return pending
        return None

    @property
    def act(self) -> int:
        """The act in view: the current step's, else the last act started (every act before it passes)."""
        if self.current is not None:
            return self.current.step.act
        started = [
            r.step.act
            for r in self.steps
            if not (r.stub or r.state == "unknown") or r.step.act <= self.opened
        ]
        return max(started, default=1)

    def in_act(self, act: int | None = None) -> list[StepResult]:
        """The results of one act (the one in view by default)."""
        act = self.act if act is None else act
        return [result for result in self.steps if result.step.act == act]

    @property
    def done(self) -> int:
        """How many steps of the act in view are green."""
        return sum(result.state == "green" for result in self.in_act())

    def states(self) -> dict[int, str]:
        """Each step's state by number."""
        return {result.step.number: result.state for result in self.steps}

    def regressions(self, before: dict[int, str]) -> list[StepResult]:
        """Steps that were green in the previous check and are not now."""
        return [
            r
            for r in self.steps
            if before.get(r.step.number) == "green" and r.state not in ("green", "unknown")
        ]


def pytest_command(report: Path, progress: Path, steps: Sequence[Step]) -> list[str]:
    """The pytest command line for a check of these steps."""
    return [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "--target",
        "steps",
        "--kata-report",
        str(report),
        "--kata-progress",
        str(progress),
        *(step.test_file for step in steps),
    ]


def summarise(step: Step, outcomes: list[Outcome]) -> StepResult:
    """Fold a step's test outcomes into one state: amber, then timeout, then red, else green."""
    if not outcomes:
        return StepResult(step, State.UNKNOWN, note="its tests did not run")
    failed = [o for o in outcomes if not o.passed]
    passed = len(outcomes) - len(failed)
    for state in (State.AMBER, State.TIMEOUT, State.RED):
        first = next((o for o in failed if o.state == state), None)
        if first:
            return StepResult(
                step, state, all(o.stub for o in failed), passed, len(outcomes), first
            )
    return StepResult(step, State.GREEN, False, passed, len(outcomes))


def untouched(root: Path, step: Step) -> bool:
    """True when the learner's file is still the shipped stub, byte for byte: its tests can only fail on it."""
    data = read_plain(root / step.learner_file, LEARNER_MAX)
    return data is not None and data == stub_source(step).encode("utf-8")


def stub_result(step: Step) -> StepResult:
    """The result an untouched stub always gets (the invariant tests prove it), without running its tests."""
    message = f"NotImplementedError: step {step.number}: {step.function}()"
    return StepResult(
        step,
        State.RED,
        True,
        0,
        0,
        Outcome(step.test_file, step.stem, "red", True, message),
        note="still the shipped stub: its tests were not run",
    )


LEARNER_MAX = (
    10_000_000  # bytes of a learner file (or park.txt) worth reading: a step file is a few KB
)


def not_plain(root: Path, step: Step) -> StepResult | None:
    """AMBER, without a run, when the step's file (or a learner file it imports) is there but is not a plain file:
    a symlink, a FIFO, a device or a folder, which the kata does not follow; else None."""
    for file in [step.learner_file, *sorted(depends_on(root, step) - {step.learner_file})]:
        path = root / file
        if plain_or_missing(path):
            continue
        fix = f"python -m kata reset {step.number} puts its stub back"
        message = (
            f"{file} is {kind(path)}, not a plain file, so the kata does not run it: put your code in a plain file "
            f"there ({fix})."
            if file == step.learner_file
            else f"{step.learner_file} imports {file}, which is {kind(path)}, not a plain file, so the kata does "
            f"not run it: put your code in a plain file there."
        )
        failure = Outcome(step.test_file, step.stem, "amber", False, message)
        return StepResult(step, State.AMBER, False, 0, 0, failure, note=message)
    return None


# imports no scan can follow
DYNAMIC = re.compile(r"importlib|__import__|\bexec\(|\beval\(|runpy|sys\.modules")
IMPORTED = re.compile(r"\bstep\d\d_\w+")


def depends_on(root: Path, step: Step) -> set[str]:
    """The learner files a step's tests run: its own, and those it imports, followed through (all of them when the
    file imports in ways a scan cannot follow)."""
    files = {step.learner_file: step for step in STEPS}
    stems = {step.stem: step.learner_file for step in STEPS}
    found, todo = set(), [step.learner_file]
    while todo:
        file = todo.pop()
        if file in found:
            continue
        found.add(file)
        data = read_plain(root / file, LEARNER_MAX)
        if data is None:
            continue
        text = data.decode("utf-8", errors="replace")
        if DYNAMIC.search(text):
            return set(files)
        todo += [stems[name] for name in IMPORTED.findall(text) if name in stems]
    return found


def fingerprint(root: Path, step: Step) -> str:
    """What a step's result depends on: its test file, the learner files it runs, park.txt and the limits."""
    digest = hashlib.sha256()
    for name in [step.test_file, *sorted(depends_on(root, step)), "park.txt"]:
        digest.update(name.encode())
        data = read_plain(root / name, LEARNER_MAX)
        digest.update(b"-" if data is None else data)
    for variable in ("KATA_TIME_LIMIT", "KATA_MEMORY_LIMIT"):
        digest.update(os.environ.get(variable, "").encode())
    return digest.hexdigest()


Cache = dict[int, tuple[str, "StepResult"]]  # step number -> (fingerprint, its result then)


def run_check(
    root: Path = ROOT,
    steps: Sequence[Step] = STEPS,
    run_stubs: bool = False,
    cache: Cache | None = None,
    warm: Warm | None = None,
) -> Check:
    """Run the step tests on the learner's files in a guarded child; nothing the learner writes can hang this.

    A step whose file is still the shipped stub is red without a run (unless `run_stubs`): a learner with
    seven untouched steps ahead waits for the steps they wrote, not for those. With a `cache` (watch mode keeps
    one), a step whose tests, files and their imports are byte for byte as at its last run keeps that result.
    """
    started = time.monotonic()
    if steps:
        # a bad KATA_TIME_LIMIT or KATA_MEMORY_LIMIT is one line (GuardError), even when
        run_limit(steps)
        guard.memory_limit()  # no test needs to run
    # a step file that is a symlink, a FIFO or a device is neither run nor followed (an import of a FIFO would wait)
    known = {step.number: found for step in steps if (found := not_plain(root, step)) is not None}
    if not run_stubs:
        known |= {
            step.number: stub_result(step)
            for step in steps
            if step.number not in known and untouched(root, step)
        }
    prints = {}
    if cache is not None:
        for step in steps:
            if step.number in known:
                continue
            prints[step.number] = fingerprint(root, step)
            kept = cache.get(step.number)
            if kept is not None and kept[0] == prints[step.number]:
                known[step.number] = kept[1]
    if known:
        rest = [step for step in steps if step.number not in known]
        checked = run_check(root, rest, run_stubs=True, warm=warm) if rest else Check([], 0.0)
        if cache is not None:
            for (
                result
            ) in checked.steps:  # a timeout can be the machine's fault: it is run again next time
                if result.state in ("green", "red", "amber") and not checked.trouble:
                    cache[result.step.number] = (prints[result.step.number], result)
        by_number = {result.step.number: result for result in checked.steps} | known
        return Check(
            [by_number[step.number] for step in steps], time.monotonic() - started, checked.trouble
        )
    if cache is not None:
        checked = run_check(root, steps, run_stubs=True, warm=warm)
        for result in checked.steps:
            if result.state in ("green", "red", "amber") and not checked.trouble:
                cache[result.step.number] = (prints[result.step.number], result)
        return checked
    # raises guard.GuardError for a bad KATA_TIME_LIMIT: the caller says it in one line
    limit = run_limit(steps)
    memory = guard.memory_limit()
    env = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    with tempfile.TemporaryDirectory(prefix="kata-check-") as scratch:
        report, progress, errors = (
            Path(scratch, "report.json"),
            Path(scratch, "progress.jsonl"),
            Path(scratch, "stderr"),
        )
        command = pytest_command(report, progress, steps)
        done = (
            warm.run(command[3:], errors, limit, Running(progress).overdue)
            if warm is not None
            else None
        )
        # a fork of the warm process ran it: the same tests, the same guards, less start-up
        if done is not None:
            status, killed = done
        else:
            with open(errors, "wb") as stderr:
                process = guard.popen(
                    command,
                    cwd=root,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=stderr,
                    memory=memory,
                )
                try:
                    killed = wait(process, progress, limit)
                finally:
                    # always: a process the learner's code forked must not outlive the check
                    guard.stop(process)
            status = process.returncode
        outcomes = read_report(report)
        so_far, started_last = progress_records(progress)
        stderr_text = read_end(errors, 8000).decode("utf-8", errors="replace")[-2000:]
    # the run did not finish: keep what it said as it went, and say where it stopped
    if outcomes is None:
        results = [summarise(step, [o for o in so_far if o.stem == step.stem]) for step in steps]
        trouble = unfinished(results, so_far, started_last, status, killed, stderr_text)
        return Check(results, time.monotonic() - started, trouble)
    results = [summarise(step, [o for o in outcomes if o.stem == step.stem]) for step in steps]
    trouble = ""
    if status not in (0, 1) and not outcomes:
        trouble = f"pytest could not run the step tests (exit status {status}): {stderr_text.strip()[-300:]}"
    return Check(results, time.monotonic() - started, trouble)


def unfinished(
    results: list[StepResult],
    outcomes: list[Outcome],
    started: str,
    status: int | None,
    killed: str,
    output: str,
) -> str:
    """Say why a run ended before its report (killed: why the kata killed it), marking the step that was running."""
    if killed:
        trouble, status = killed, None
    elif status is not None and status < 0:
        trouble = killed_by(-status)
    else:
        trouble = f"the test run ended early (exit status {status})"
    finished = {o.nodeid for o in outcomes}
    hung = next(
        (
            r
            for r in results
            if started and started not in finished and f"test_{r.step.stem}.py" in started
        ),
        None,
    )
    if hung is None:
        return trouble
    step = hung.step
    if status is None:
        hung.state = State.TIMEOUT
        message = (
            f"step {step.number} ran past its time limit of {limit_for(step):g} s and would not stop, "
            f"so the test run was stopped: a loop that never ends in {step.learner_file}?"
        )
    else:
        hung.state = State.RED
        hung.total = max(hung.total, hung.passed + 1)  # the test it ended counts as failing
        if status < 0:
            message = f"{step.learner_file} was running when {trouble}."
        elif broken(output):
            message = (
                f"the test run broke inside pytest while {step.learner_file} ran (exit status {status}): does your "
                "code replace parts of Python itself (builtins, json, os)? Take that out, save, and run again."
            )
            output = ""  # pytest's own traceback, not what the learner's code printed
        else:
            message = (
                f"{step.learner_file} ended the whole test run in the middle of a test (exit status {status}): "
                "does it call os._exit()? A step's function should return its answer."
            )
    verdict: Verdict = "timeout" if status is None else "red"
    hung.failure = Outcome(started, step.stem, verdict, False, message, "", output)
    hung.note, hung.stub = message, False
    return trouble


def broken(output: str) -> bool:
    """Whether a run's stderr is pytest's own crash (INTERNALERROR, a traceback through pytest), not the learner's."""
    return "INTERNALERROR>" in output or (
        "Traceback (most recent call last)" in output
        and any(part in output for part in ("/_pytest/", "/pluggy/", "pytest_plugin.py"))
    )


def wait(process: subprocess.Popen[bytes], progress: Path, limit: float) -> str:
    """Wait for a guarded run to end; kill nothing, but say why it must die: past the run's limit, or one test past its own."""
    ends = time.monotonic() + limit
    watch = Running(progress)
    while True:
        try:
            # subprocess polls as often inside: no later than a plain wait()
            process.wait(timeout=0.2)
            return ""
        except subprocess.TimeoutExpired:
            pass
        now = time.monotonic()
        if now >= ends:
            return f"the test run went past {limit:g} s and was stopped"
        test = watch.overdue(now)
        if test:  # the run's own guards should have ended it by now: a C call holding the GIL, a stopped process
            return (
                f"{test} went past its time limit and would not stop, so the test run was stopped"
            )


class Running:
    """The parent's view of a run's --kata-progress file, read as it grows: which test runs, since when."""

    def __init__(self, path: Path) -> None:
        self.path, self.offset, self.rest = path, 0, b""
        self.test, self.since, self.allowed = "", 0.0, 0.0

    def overdue(self, now: float) -> str:
        """The test that has run past its step's limit (on the wall clock, which a busy machine stretches: patience()),
        the watchdog's grace and some slack; '' when none has."""
        data = read_plain(self.path, guard.OUTPUT_LIMIT, self.offset) or b""
        self.offset += len(data)
        *lines, self.rest = (self.rest + data).split(b"\n")
        for line in lines:
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict) and isinstance(record.get("start"), str):
                self.test, self.since = record["start"], now
                step = next((s for s in STEPS if f"test_{s.stem}.py" in self.test), None)
                # the patience the child's watchdog took at the same moment: it ends the test first, saying more
                self.allowed = limit_for(step) * patience() if step else 0.0
            elif (
                isinstance(record, dict)
                and isinstance(record.get("outcome"), dict)
                and record["outcome"].get("nodeid") == self.test
            ):
                self.test = ""  # it ended: the next start is the next test
        return (
            self.test
            if self.test and self.allowed > 0 and now - self.since > self.allowed + GRACE + SLACK
            else ""
        )


def killed_by(signum: int) -> str:
    """The words for a test run that a signal ended (not the kata's kill): the likely causes."""
    try:
        name = signal.Signals(signum).name
    except ValueError:
        name = f"signal {signum}"
    return f"the test run was ended by {name}: the system ran out of memory, or your code crashed Python or killed it"


def read_report(path: Path) -> list[Outcome] | None:
    """The outcomes in a --kata-report file, or None when the run ended before writing it (or wrote it half); a
    record that is not an outcome is left out (its step's other tests still count)."""
    data = read_plain(path, guard.OUTPUT_LIMIT)
    try:
        tests = json.loads(data.decode("utf-8"))["tests"] if data is not None else None
    except (ValueError, KeyError, TypeError, RecursionError):
        return None
    if not isinstance(tests, list):
        return None
    return [outcome for test in tests if (outcome := Outcome.from_json(test)) is not None]


def progress_records(path: Path) -> tuple[list[Outcome], str]:
    """The outcomes a --kata-progress file holds (one JSON line each, as they came), and the last test that started;
    a line cut short or not an outcome is left out."""
    outcomes: list[Outcome] = []
    started = ""
    data = read_plain(path, guard.OUTPUT_LIMIT)
    if data is None:
        return outcomes, started
    lines = data.decode("utf-8", errors="replace").splitlines()
    for line in lines:
        try:
            record = json.loads(line)
        except (ValueError, RecursionError):
            continue  # a line cut short when the run was killed
        if not isinstance(record, dict):
            continue
        if isinstance(record.get("start"), str):
            started = record["start"]
        elif (outcome := Outcome.from_json(record.get("outcome"))) is not None:
            outcomes.append(outcome)
    return outcomes, started
