"""Run many pytest sessions' worth of jobs over variants of the learner's files, in a few helper processes.

A job is a set of learner files and the step tests to run on them. Starting Python and pytest, collecting and
reporting cost more than most jobs' tests, so each helper runs all its jobs in one pytest session: it collects the
step tests once, then for each job writes its files, forgets the learner's modules (steps.*), runs the items of its
test files again (pytest re-runs an item as pytest-rerunfailures does) and keeps the outcomes the kata's plugin
noted for them; after each job it puts back the data the test modules and the tests' parameters held (a learner's
code may change a list it is given in place). The helpers run with --tb=no: the outcomes come from the exception
itself, not from the traceback pytest would print (building and printing those was half the time); the outcomes
are the same as with a pytest session per job and the default traceback (checked when this was made: every job of
the catalogue and the checkpoints, byte for byte but for object addresses and an unseeded shuffle). Two helpers run
side by side, one per core. After the first job the helper freezes what it has imported (gc.freeze).

A module that defines `session_jobs()` gets its helpers started as soon as its tests
are collected (conftest.py), a little below the tests' own priority: they work
beside the modules that run before it, which mostly leave the second core idle, and
its fixture reads their outcomes with outcomes_for(). Checks with one-second limits run side by side (conftest's
side_by_side, test_guard.py) wait for them to end before they start (settle()).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.tool.conftest import copy_kata

Job = tuple[
    str, dict[str, str], list[str]
]  # a name, the files to write first, the test files to run

HELPER = r"""
import copy, gc, json, os, sys, pytest
from kata.core import pytest_plugin
if hasattr(os, "nice"):  # POSIX
    os.nice(int(sys.argv[1]))
sys.dont_write_bytecode = True  # a file rewritten within the same second must not load a stale .pyc
jobs = json.load(open("jobs.json"))


def kept(value):
    # a copy of the data a test module or a test's parameters hold (None for functions, modules, classes)
    if isinstance(value, (list, dict, set, tuple)):
        try:
            return copy.deepcopy(value)
        except Exception:
            return None
    return None


class Jobs:
    # every job in this one session (see the module's docstring)

    def __init__(self):
        self.results = {}

    def pytest_runtestloop(self, session):
        by_file = {}
        for item in session.items:
            by_file.setdefault(item.nodeid.split("::")[0], []).append(item)
        modules = {item.module for item in session.items if getattr(item, "module", None) is not None}
        data = {m: {k: kept(v) for k, v in vars(m).items() if kept(v) is not None} for m in modules}
        params = {item: copy.deepcopy(item.callspec.params) for item in session.items if hasattr(item, "callspec")}
        outcomes = session.config.stash[pytest_plugin.OUTCOMES]
        written = {}
        for number, (name, files, tests) in enumerate(jobs):
            for path, text in files.items():
                if written.get(path) != text:  # most jobs change one learner file of the last job's
                    open(path, "w", encoding="utf-8").write(text)
                    written[path] = text
            for module in [m for m in sys.modules if m == "steps" or m.startswith("steps.")]:
                del sys.modules[module]
            session.config.stash[pytest_plugin.TIMED_OUT].clear()
            start = len(outcomes)
            for item in (item for test in tests for item in by_file.get(test, [])):
                item.user_properties.clear()  # what the last job's run noted (amber: its file did not load)
                if pytest_plugin.ITEM_STATE in item.stash:
                    del item.stash[pytest_plugin.ITEM_STATE]
                item.ihook.pytest_runtest_protocol(item=item, nextitem=None)
            self.results[name] = [outcome.to_json() for outcome in outcomes[start:]]
            for module, values in data.items():  # a learner's code may change a list it was given, in place
                for key, value in values.items():
                    setattr(module, key, copy.deepcopy(value))
            for item, values in params.items():
                item.callspec.params.update(copy.deepcopy(values))
            if number == 0:  # pytest and its plugins are imported now: later collections need not walk them
                gc.collect()
                gc.freeze()
        return True


runner = Jobs()
tests = sorted({test for _, _, job_tests in jobs for test in job_tests})
pytest.main(["-q", "--tb=no", "-p", "no:cacheprovider", "--target", "steps", *tests], plugins=[runner])
json.dump(runner.results, open("results.json", "w"))
"""


class Sessions:
    """Helper processes running jobs, started at once (`nice` lowers their priority); outcomes() waits for them."""

    def __init__(self, base: Path, jobs: list[Job], helpers: int = 2, nice: int = 0) -> None:
        self.started: list[tuple[Path, subprocess.Popen[bytes]]] = []
        for index in range(helpers):
            workspace = copy_kata(base / f"helper-{index}")
            (workspace / "jobs.json").write_text(json.dumps(jobs[index::helpers]))
            process = subprocess.Popen(
                [sys.executable, "-c", HELPER, str(nice)], cwd=workspace, stdout=subprocess.DEVNULL
            )
            self.started.append((workspace, process))

    def outcomes(self) -> dict[str, list[dict[str, Any]]]:
        """Each job's test outcomes, once every helper is done."""
        results: dict[str, list[dict[str, Any]]] = {}
        for workspace, process in self.started:
            assert process.wait(timeout=300) == 0, f"a helper process failed in {workspace}"
            results |= json.loads((workspace / "results.json").read_text())
        return results

    def wait(self) -> None:
        """Wait for every helper to end (its outcomes are read later)."""
        for _, process in self.started:
            process.wait(timeout=300)

    def stop(self) -> None:
        """End the helpers that still run (their outcomes were never asked for)."""
        for _, process in self.started:
            if process.poll() is None:
                process.kill()
                process.wait()


# helpers started before their test module runs, by the module's name (see the conftest's pytest_collection_finish)
EARLY: dict[str, Sessions] = {}


def outcomes_for(
    module: str, base: Path, jobs: Callable[[], list[Job]]
) -> dict[str, list[dict[str, Any]]]:
    """The outcomes of a module's jobs: from the helpers started early for it, or from helpers started now."""
    early = EARLY.pop(module, None)
    return (early or Sessions(base, jobs())).outcomes()


def settle() -> None:
    """Wait for the helpers started early to end: call it before checks with tight time limits, so that the
    helpers' pytest sessions do not compete with them for the cores."""
    for early in EARLY.values():
        early.wait()
