"""The kata's pytest plugin, loaded by pyproject's addopts.

It adds --target (which code the step tests exercise: the reference, or the
learner's steps/) and says in the header which one it is. With --target steps it
stops a test that runs past its step's time limit, and ends the run with the
learner's next move. --kata-report writes each test's outcome as JSON, taken from
pytest's hooks, for the kata's runner.
"""

from __future__ import annotations

import json
import traceback
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import pytest

from .limits import deadline, limit_for
from .registry import STEPS, Step

OUTCOMES = pytest.StashKey[list["Outcome"]]()
TIMED_OUT = pytest.StashKey[set[str]]()
ITEM_STATE = pytest.StashKey[str]()


class StepTimeout(Exception):
    """A step's test ran past the step's time limit."""


@dataclass
class Outcome:
    """One test's result as the kata sees it."""

    nodeid: str
    stem: str
    state: str  # passed, red, amber or timeout
    stub: bool  # failed on NotImplementedError: an untouched stub
    message: str
    where: str  # the last line of the learner's own code in the traceback, if any
    learner_output: str


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
    parser.addoption("--kata-report", metavar="FILE", help="write each test's outcome as JSON (for the kata's tools)")
    parser.addoption("--kata-progress", metavar="FILE", help="write the id of each test as it starts (for the kata's tools)")


def pytest_report_header(config: pytest.Config) -> str:
    if target_of(config) == "steps":
        return "kata target: steps/ (your code)"
    return "kata target: kata/solutions/ (the reference, not your code; add --target steps for yours)"


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """With --target steps, run the learner's step tests only, not the tool's own tests."""
    if target_of(config) == "steps" and "tool" in collection_path.parts:
        return True
    return None


def pytest_configure(config: pytest.Config) -> None:
    config.stash[OUTCOMES] = []
    config.stash[TIMED_OUT] = set()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Note each test as it starts (a runner that kills a hung run learns where), and skip the rest of a hung step."""
    progress = item.config.getoption("kata_progress")
    if progress:
        with open(progress, "a", encoding="utf-8") as file:
            file.write(item.nodeid + "\n")
    step = step_of(item)
    if step and step.stem in item.config.stash[TIMED_OUT]:
        item.stash[ITEM_STATE] = "timeout"
        pytest.skip(f"step {step.number} already ran past its time limit in an earlier test")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """With --target steps, stop a learner's test that runs past its step's time limit."""
    step = step_of(item)
    if target_of(item.config) != "steps" or step is None:
        return (yield)
    seconds = limit_for(step)
    message = f"step {step.number} ran past its time limit of {seconds:g} s: a loop that never ends, or far too many iterations?"
    with deadline(seconds, lambda: StepTimeout(message)):
        return (yield)


def learner_line(excinfo: pytest.ExceptionInfo[BaseException] | None, step: Step) -> str:
    """The deepest line of the step's own file in a traceback (else of any learner file): 'steps/…py, line 12: …'."""
    if excinfo is None:
        return ""
    frames = [f for f in traceback.extract_tb(excinfo.tb) if "steps" in Path(f.filename).parts]
    cause = excinfo.value.__cause__ or excinfo.value.__context__
    while not frames and cause is not None:  # a test that names the slip fails while handling the learner's error
        frames = [f for f in traceback.extract_tb(cause.__traceback__) if "steps" in Path(f.filename).parts]
        cause = cause.__cause__ or cause.__context__
    own = [f for f in frames if Path(f.filename).stem == step.stem]
    if not frames:
        return ""
    frame = (own or frames)[-1]
    return f"steps/{Path(frame.filename).name}, line {frame.lineno}: {(frame.line or '').strip()}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[pytest.TestReport]:
    report = yield
    step = step_of(item)
    if step is None or (report.when != "call" and report.passed):
        return report
    excinfo = call.excinfo
    if report.passed:
        state, stub, message = "passed", False, ""
    else:
        if item.stash.get(ITEM_STATE, "") == "timeout":
            state, stub = "timeout", False
        elif ("kata", "amber") in item.user_properties:
            state, stub = "amber", False
        elif excinfo is not None and excinfo.errisinstance(StepTimeout):
            state, stub = "timeout", False
            item.config.stash[TIMED_OUT].add(step.stem)
        else:
            state, stub = "red", excinfo is not None and excinfo.errisinstance(NotImplementedError)
        crash = getattr(report.longrepr, "reprcrash", None)
        message = crash.message if crash is not None else str(report.longrepr)
        message = message.removeprefix(f"{StepTimeout.__module__}.{StepTimeout.__name__}: ")
        if isinstance(report.longrepr, tuple):  # a skip: (file, line, reason)
            message = report.longrepr[2].removeprefix("Skipped: ")
    output = "".join(text for name, text in report.sections if "stdout" in name or "stderr" in name)
    where = learner_line(excinfo, step) if target_of(item.config) == "steps" else ""
    item.config.stash[OUTCOMES].append(Outcome(item.nodeid, step.stem, state, stub, message, where, output[-2000:]))
    return report


def pytest_sessionfinish(session: pytest.Session) -> None:
    path = session.config.getoption("kata_report", None)
    if path:
        outcomes = session.config.stash[OUTCOMES]
        data = {"target": target_of(session.config), "tests": [asdict(outcome) for outcome in outcomes]}
        Path(path).write_text(json.dumps(data, indent=1), encoding="utf-8")


def next_move(outcomes: list[Outcome]) -> list[str]:
    """The learner's next move: the first step (in kata order) with a failing test, or the step after those run."""
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
            f"kata: edit {step.learner_file}, then run:",
            f"kata:   python -m pytest --target steps {step.test_file}",
        ]
    ran = [step for step in STEPS if any(o.stem == step.stem for o in outcomes)]
    if not ran:
        return []
    numbers = [str(step.number) for step in ran]
    passed = f"step {numbers[0]} passes" if len(ran) == 1 else f"steps {', '.join(numbers[:-1])} and {numbers[-1]} pass"
    if len(ran) == len(STEPS):
        return ["kata: every step passes. Watch your own code at work: python -m kata.trace"]
    return [f"kata: {passed}. Next, to check every step and see which one is yours to do:", "kata:   python -m kata"]


def pytest_unconfigure(config: pytest.Config) -> None:
    """With --target steps, end the run with the learner's next move, below pytest's own summary."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None or OUTCOMES not in config.stash or target_of(config) != "steps":
        return
    for line in next_move(config.stash[OUTCOMES]):
        reporter.write_line(line, bold=True)
