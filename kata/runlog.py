"""The run log: one record per check in watch or dojo mode, with a copy of the step file. Nothing leaves the machine."""

from __future__ import annotations

import json
import platform
import shutil
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from .checks import Check, StepResult
from .registry import STEPS
from .workspace import STATE_DIR

LOG = "runs.jsonl"
COPIES = "runs"


@dataclass
class Run:
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

    @property
    def when(self) -> datetime:
        return datetime.fromisoformat(self.time)


def log_dir(root: Path) -> Path:
    return root / STATE_DIR


def read_runs(folder: Path) -> list[Run]:
    """Every run in a log folder (a .kata folder), oldest first; unreadable lines are skipped."""
    runs = []
    path = folder / LOG
    if not path.exists():
        return runs
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            runs.append(Run(**json.loads(line)))
        except (ValueError, TypeError):
            continue
    return runs


def append_run(root: Path, check: Check, now: datetime, driver: str = "", navigator: str = "", prediction: str = "",
               result: StepResult | None = None) -> Run:
    """Log a check: its step (given, or the current one, or the last when all pass), state, failing test, file copy."""
    folder = log_dir(root)
    (folder / COPIES).mkdir(parents=True, exist_ok=True)
    number = len(read_runs(folder)) + 1
    result = result or check.current or check.steps[-1]
    step = result.step
    copy = f"{COPIES}/{number:04d}-{step.stem}.py"
    source = root / step.learner_file
    if source.exists():
        shutil.copy2(source, folder / copy)
    message = (result.failure.get("message") or result.note or "").splitlines()
    run = Run(number, now.isoformat(timespec="seconds"), step.number, result.state,
              driver, navigator, result.failure.get("nodeid", ""), message[0][:300] if message else "", prediction,
              platform.node(), copy if source.exists() else "")
    with open(folder / LOG, "a", encoding="utf-8") as log:
        log.write(json.dumps(asdict(run)) + "\n")
    return run


def copy_text(folder: Path, run: Run) -> str | None:
    """The step file as it was at this run, or None when no copy was kept."""
    if not run.file or not (folder / run.file).exists():
        return None
    return (folder / run.file).read_text(encoding="utf-8")


def step_file(run: Run) -> str:
    """The learner file this run's copy belongs to."""
    return STEPS[run.step - 1].learner_file
