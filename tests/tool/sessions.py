"""Run many pytest sessions over variants of the learner's files, in a few helper processes.

Starting Python and pytest costs more than most sessions here, so each helper
process runs its jobs one after another with pytest.main, forgetting the learner's
modules (and the test modules, whose parametrize lists a bad variant may change)
between jobs. Two helpers run side by side, one per core. After the first job the
helper freezes what it has imported (gc.freeze): pytest collects garbage a few
times at the end of every session, and would otherwise walk all of pytest each time.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

from tests.tool.conftest import copy_kata

Job = tuple[
    str, dict[str, str], list[str]
]  # a name, the files to write first, the test files to run

HELPER = textwrap.dedent(
    """
    import gc, json, sys, pytest
    sys.dont_write_bytecode = True  # a file rewritten within the same second must not load a stale .pyc
    results = {}
    for number, (name, files, tests) in enumerate(json.load(open("jobs.json"))):
        for path, text in files.items():
            open(path, "w", encoding="utf-8").write(text)
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


def run_sessions(base: Path, jobs: list[Job], helpers: int = 2) -> dict[str, list[dict[str, Any]]]:
    """Run every job's tests (--target steps) after writing its files; return each job's test outcomes."""
    started = []
    for index in range(helpers):
        workspace = copy_kata(base / f"helper-{index}")
        (workspace / "jobs.json").write_text(json.dumps(jobs[index::helpers]))
        process = subprocess.Popen(
            [sys.executable, "-c", HELPER], cwd=workspace, stdout=subprocess.DEVNULL
        )
        started.append((workspace, process))
    results: dict[str, list[dict[str, Any]]] = {}
    for workspace, process in started:
        assert process.wait(timeout=300) == 0, f"a helper process failed in {workspace}"
        results |= json.loads((workspace / "results.json").read_text())
    return results
