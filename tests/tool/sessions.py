"""Run many pytest sessions over variants of the learner's files, in a few helper processes.

Starting Python and pytest costs more than most sessions here, so each helper
process runs its jobs one after another with pytest.main, forgetting the learner's
modules (and the test modules, whose parametrize lists a bad variant may change)
between jobs. Two helpers run side by side, one per core. After the first job the
helper freezes what it has imported (gc.freeze): pytest collects garbage a few
times at the end of every session, and would otherwise walk all of pytest each time.

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
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.tool.conftest import copy_kata

Job = tuple[
    str, dict[str, str], list[str]
]  # a name, the files to write first, the test files to run

HELPER = textwrap.dedent(
    """
    import gc, json, os, sys, pytest
    if hasattr(os, "nice"):  # POSIX
        os.nice(int(sys.argv[1]))
    sys.dont_write_bytecode = True  # a file rewritten within the same second must not load a stale .pyc
    results = {}
    written = {}
    for number, (name, files, tests) in enumerate(json.load(open("jobs.json"))):
        for path, text in files.items():
            if written.get(path) != text:  # most jobs change one learner file of the last job's
                open(path, "w", encoding="utf-8").write(text)
                written[path] = text
        for module in [m for m in sys.modules if m.startswith(("steps", "tests.test_"))]:
            del sys.modules[module]
        pytest.main(["-q", "-p", "no:cacheprovider", "--target", "steps", "--kata-report", "report.json", *tests])
        results[name] = json.load(open("report.json"))["tests"]
        if number == 0:  # pytest and its plugins are imported now: its garbage collections at the end of
            gc.collect()  # each session (a few per session) need not look through them again
            gc.freeze()
    json.dump(results, open("results.json", "w"))
    """
)


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
