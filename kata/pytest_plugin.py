"""The kata's pytest plugin, loaded by pyproject's addopts.

It adds --target (which code the step tests exercise: the reference, or the
learner's steps/), says in the header which one it is, and with --target steps
stops a test that runs past its step's time limit.
"""

from __future__ import annotations

import json
import signal
import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import pytest

from .registry import STEPS


OUTCOMES = pytest.StashKey[list["Outcome"]]()


class StepTimeout(Exception):
    """A step's test ran past the step's time limit."""


def target_of(config: pytest.Config) -> str:
    """Return 'steps' or 'solutions': which code the step tests exercise in this run."""
    return config.getoption("target")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--target",
        choices=("solutions", "steps"),
        default="solutions",
        help="which code the step tests run against: kata/solutions (default) or your steps/",
    )
    parser.addoption("--kata-report", metavar="FILE", help="write each test's outcome as JSON (for the kata's tools)")


def pytest_report_header(config: pytest.Config) -> str:
    if target_of(config) == "steps":
        return "kata target: steps/ (your code)"
    return "kata target: kata/solutions/ (the reference, not your code; add --target steps for yours)"


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """With --target steps, run the learner's step tests only, not the tool's own tests."""
    if target_of(config) == "steps" and "tool" in collection_path.parts:
        return True
    return None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """Stop a learner's test that runs past its step's time limit (POSIX, main thread)."""
    stem = item.path.stem.removeprefix("test_")
    timed = (
        target_of(item.config) == "steps"
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and stem.startswith("step")
    )
    if not timed:
        return (yield)
    step = next(step for step in STEPS if step.stem == stem)

    def stop(signum: int, frame: object) -> None:
        raise StepTimeout(
            f"step {step.number} ran past its time limit of {step.time_limit:g} s: "
            "a loop that never ends, or far too many iterations?"
        )

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, step.time_limit)
    try:
        return (yield)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# The report: what the runner and the project's own tests read, from pytest's hooks, not its text.


@dataclass
class Outcome:
    """One test's result as the kata sees it."""

    nodeid: str
    stem: str
    state: str  # passed, red, amber or timeout
    stub: bool  # failed on NotImplementedError: an untouched stub
    message: str
    learner_output: str


def kind_of(excinfo: pytest.ExceptionInfo[BaseException] | None, item: pytest.Item) -> tuple[str, bool]:
    """Return (state, stub) for a failed test from its exception and its properties."""
    if ("kata", "amber") in item.user_properties:
        return "amber", False
    if excinfo is not None and excinfo.errisinstance(StepTimeout):
        return "timeout", False
    return "red", excinfo is not None and excinfo.errisinstance(NotImplementedError)


def pytest_configure(config: pytest.Config) -> None:
    config.stash[OUTCOMES] = []


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[pytest.TestReport]:
    report = yield
    if report.when != "call" and report.passed:
        return report
    outcomes = item.config.stash[OUTCOMES]
    if report.passed:
        state, stub, message = "passed", False, ""
    else:
        state, stub = kind_of(call.excinfo, item)
        crash = getattr(report.longrepr, "reprcrash", None)
        message = crash.message if crash is not None else str(report.longrepr)
    output = "".join(text for name, text in report.sections if "stdout" in name or "stderr" in name)
    stem = item.path.stem.removeprefix("test_")
    outcomes.append(Outcome(item.nodeid, stem, state, stub, message, output[-2000:]))
    return report


def pytest_sessionfinish(session: pytest.Session) -> None:
    path = session.config.getoption("kata_report", None)
    if path:
        outcomes = session.config.stash[OUTCOMES]
        data = {"target": target_of(session.config), "tests": [asdict(outcome) for outcome in outcomes]}
        Path(path).write_text(json.dumps(data, indent=1), encoding="utf-8")


def next_move(outcomes: list[Outcome]) -> list[str]:
    """The learner's next move, from the first step (in kata order) with a failing test."""
    for step in STEPS:
        failed = [o for o in outcomes if o.stem == step.stem and o.state != "passed"]
        if not failed:
            continue
        total = sum(o.stem == step.stem for o in outcomes)
        first = failed[0]
        said = first.message.splitlines()[0] if first.message else first.state
        said = said.removeprefix("AssertionError: ").removeprefix("Failed: ")[:160].rstrip(".")
        if all(o.stub for o in failed):
            why = f"{step.function}() is not written yet (it raises NotImplementedError)"
        elif first.state in ("amber", "timeout"):
            why = said
        else:
            why = f"{len(failed)} of {total} tests fail; first: {said}"
        return [
            f"kata: step {step.number}, {step.title}: {why}.",
            f"kata: edit {step.learner_file}, then run: python -m pytest --target steps {step.test_file}",
        ]
    return []


def pytest_unconfigure(config: pytest.Config) -> None:
    """With --target steps, end the run with the learner's next move, below pytest's own summary."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None or OUTCOMES not in config.stash or target_of(config) != "steps":
        return
    for line in next_move(config.stash[OUTCOMES]):
        reporter.write_line(line, bold=True)
