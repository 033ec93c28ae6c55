"""One check of the learner's steps: a pytest run in a subprocess with a time limit, read from its JSON report."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .limits import limit_for
from .registry import ROOT, STEPS, Step

MARGIN = 20.0  # seconds on top of the longest step limit before a hung run is killed


@dataclass
class StepResult:
    """What one check found for one step."""

    step: Step
    state: str  # green, red, amber, timeout or unknown (not checked)
    stub: bool = False
    passed: int = 0
    total: int = 0
    failure: dict[str, Any] = field(default_factory=dict)  # the first failing test's outcome
    note: str = ""


@dataclass
class Check:
    """The result of one check of steps/."""

    steps: list[StepResult]
    seconds: float
    trouble: str = ""  # the test run itself went wrong (killed, crashed), in words

    @property
    def current(self) -> StepResult | None:
        """The step to work on: the first of act I that does not pass; once act I passes, the first of act II that
        does not pass, if act II was started (an untouched act II is optional: then there is nothing to do)."""
        acts = sorted({result.step.act for result in self.steps})
        for act in acts:
            results = [result for result in self.steps if result.step.act == act]
            if act > acts[0] and all(result.stub or result.state == "unknown" for result in results):
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
        started = [r.step.act for r in self.steps if not (r.stub or r.state == "unknown") or r.step.act == 1]
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
        return [r for r in self.steps if before.get(r.step.number) == "green" and r.state not in ("green", "unknown")]


def pytest_command(report: Path, progress: Path, steps: Sequence[Step]) -> list[str]:
    """The pytest command line for a check of these steps."""
    return [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--target", "steps",
            "--kata-report", str(report), "--kata-progress", str(progress), *(step.test_file for step in steps)]


def summarise(step: Step, outcomes: list[dict[str, Any]]) -> StepResult:
    """Fold a step's test outcomes into one state: amber, then timeout, then red, else green."""
    if not outcomes:
        return StepResult(step, "unknown", note="its tests did not run")
    failed = [o for o in outcomes if o["state"] != "passed"]
    passed = len(outcomes) - len(failed)
    for state in ("amber", "timeout", "red"):
        first = next((o for o in failed if o["state"] == state), None)
        if first:
            return StepResult(step, state, all(o["stub"] for o in failed), passed, len(outcomes), first)
    return StepResult(step, "green", False, passed, len(outcomes))


def run_check(root: Path = ROOT, steps: Sequence[Step] = STEPS) -> Check:
    """Run the step tests on the learner's files in a subprocess; nothing the learner writes can hang this."""
    started = time.monotonic()
    limit = max(limit_for(step) for step in steps) + MARGIN
    env = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    with tempfile.TemporaryDirectory(prefix="kata-check-") as scratch:
        report, progress, errors = Path(scratch, "report.json"), Path(scratch, "progress.txt"), Path(scratch, "stderr")
        with open(errors, "wb") as stderr:
            process = subprocess.Popen(pytest_command(report, progress, steps), cwd=root, env=env,
                                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr)
            try:
                process.wait(timeout=limit)
                killed = False
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
                killed = True
        reported = report.exists()
        outcomes = json.loads(report.read_text(encoding="utf-8"))["tests"] if reported else []
        last = progress.read_text(encoding="utf-8").split() if progress.exists() else []
        stderr_text = errors.read_text(encoding="utf-8", errors="replace")[-2000:]
    results = [summarise(step, [o for o in outcomes if o["stem"] == step.stem]) for step in steps]
    trouble = ""
    if not reported:
        hung = next((r for r in results if last and f"test_{r.step.stem}.py" in last[-1]), None)
        if killed:
            trouble = f"the tests ran past {limit:g} s and were stopped"
        else:
            trouble = f"the test run ended early (exit status {process.returncode}): does your code call os._exit()?"
        if hung:
            hung.state = "timeout" if killed else "red"
            hung.failure = {"nodeid": last[-1], "message": trouble, "where": "", "learner_output": stderr_text}
            hung.note = trouble
    elif process.returncode not in (0, 1) and not outcomes:
        trouble = f"pytest could not run the step tests (exit status {process.returncode}): {stderr_text.strip()[-300:]}"
    return Check(results, time.monotonic() - started, trouble)
