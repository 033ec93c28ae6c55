"""The learner's files and the kata's memory in .kata/: progress, hints shown, and backups that never lose work."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .checks import Check, StepResult
from .registry import STEPS, Step
from .stubs import reference_source, stub_source

STATE_DIR = ".kata"
COPIED = ("kata", "steps", "tests", "park.txt", "pyproject.toml")


def copy_kata(source: Path, destination: Path) -> Path:
    """Copy the parts of the kata a run needs (not .kata/, not caches) into `destination`; return it."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", STATE_DIR)
    for name in COPIED:
        if (source / name).is_dir():
            shutil.copytree(source / name, destination / name, ignore=ignore)
        else:
            destination.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / name, destination / name)
    return destination


@dataclass
class Progress:
    """What the kata remembers between runs: the last check's states and files, the hint levels shown."""

    states: dict[int, str] = field(default_factory=dict)
    hints: dict[int, int] = field(default_factory=dict)
    hashes: dict[str, str] = field(default_factory=dict)  # each learner file's content at the last check
    rewritten: dict[str, str] = field(default_factory=dict)  # learner files a command rewrote since: how

    @staticmethod
    def path(root: Path) -> Path:
        return root / STATE_DIR / "progress.json"

    @classmethod
    def load(cls, root: Path) -> Progress:
        """Read .kata/progress.json, or start afresh when it is missing or unreadable."""
        try:
            data = json.loads(cls.path(root).read_text(encoding="utf-8"))
            return cls({int(k): v for k, v in data.get("states", {}).items()},
                       {int(k): int(v) for k, v in data.get("hints", {}).items()},
                       {str(k): str(v) for k, v in data.get("hashes", {}).items()},
                       {str(k): str(v) for k, v in data.get("rewritten", {}).items()})
        except (OSError, ValueError, AttributeError, TypeError):
            return cls()

    def next_hint(self, root: Path, step: Step) -> int:
        """Move on to the step's next hint level (the last one stays), remember it, and return it."""
        level = min(self.hints.get(step.number, 0) + 1, len(step.hints))
        self.hints[step.number] = level
        self.save(root)
        return level

    def seen_hint(self, root: Path, step: Step, level: int) -> None:
        """Remember that hint `level` of a step was shown (re-reading an earlier one moves nothing back)."""
        self.hints[step.number] = max(self.hints.get(step.number, 0), level)
        self.save(root)

    def forget(self, written: list[str], changed: list[str], how: str) -> None:
        """A command put text in these learner files: hints from 1 again; a changed one is no regression, and why."""
        for step in STEPS:
            if step.learner_file in written:
                self.hints.pop(step.number, None)
            if step.learner_file in changed:
                self.states.pop(step.number, None)
        for file in changed:
            self.rewritten[file] = how

    def save(self, root: Path) -> None:
        """Write .kata/progress.json."""
        path = self.path(root)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {"states": self.states, "hints": self.hints, "hashes": self.hashes, "rewritten": self.rewritten}
        path.write_text(json.dumps(data, indent=1), encoding="utf-8")


@dataclass(frozen=True)
class Backup:
    """A folder of saved learner files, with why and when it was made."""

    folder: Path
    reason: str
    made: str
    files: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.folder.name


def backups_dir(root: Path) -> Path:
    return root / STATE_DIR / "backups"


def read(root: Path, relative: str) -> str | None:
    """A learner file's text, or None when it does not exist."""
    path = root / relative
    return path.read_text(encoding="utf-8") if path.exists() else None


def at_risk(root: Path, new_texts: Mapping[str, str]) -> list[str]:
    """Files that hold the learner's work and would be overwritten with other text.

    A file that is still its stub, or that holds the reference (goto wrote it), holds no work of theirs.
    """
    shipped = {step.learner_file: (stub_source(step), reference_source(step)) for step in STEPS}
    risky = []
    for relative, new in new_texts.items():
        current = read(root, relative)
        if current is not None and current != new and current not in shipped.get(relative, ()):
            risky.append(relative)
    return risky


def back_up(root: Path, files: list[str], reason: str, now: datetime) -> Backup | None:
    """Copy these files to a new dated folder under .kata/backups; return it, or None when there is nothing to keep."""
    if not files:
        return None
    base = backups_dir(root) / f"{now:%Y-%m-%d_%H%M%S}-{reason}"
    folder, n = base, 1
    while folder.exists():
        n += 1
        folder = base.with_name(f"{base.name}-{n}")
    for relative in files:
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / relative, folder / relative)
    manifest = {"reason": reason, "made": now.isoformat(timespec="seconds"), "files": files}
    (folder / "backup.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return Backup(folder, reason, manifest["made"], tuple(files))


def list_backups(root: Path) -> list[Backup]:
    """Every backup, oldest first."""
    found = []
    for manifest in sorted(backups_dir(root).glob("*/backup.json")):
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
            found.append(Backup(manifest.parent, data["reason"], data["made"], tuple(data["files"])))
        except (OSError, ValueError, KeyError):
            continue
    return found


def write_files(root: Path, new_texts: Mapping[str, str]) -> list[str]:
    """Write the new texts; return the files whose content changed."""
    changed = []
    for relative, text in new_texts.items():
        if read(root, relative) != text:
            (root / relative).parent.mkdir(parents=True, exist_ok=True)
            (root / relative).write_text(text, encoding="utf-8")
            changed.append(relative)
    return changed


def backup_texts(backup: Backup, only: list[str] | None = None) -> dict[str, str]:
    """The files a backup holds, by their place in the kata."""
    wanted = only or list(backup.files)
    return {relative: (backup.folder / relative).read_text(encoding="utf-8") for relative in wanted if relative in backup.files}


def fingerprints(root: Path) -> dict[str, str]:
    """A content hash of each learner file (not its time: a save that changes nothing changes nothing)."""
    found = {}
    for step in STEPS:
        try:
            found[step.learner_file] = hashlib.sha256((root / step.learner_file).read_bytes()).hexdigest()
        except OSError:
            found[step.learner_file] = ""
    return found


@dataclass(frozen=True)
class Remembered:
    """What a check means against the last one: the steps it broke, the files changed since, a cheer."""

    regressions: list[StepResult]
    changed: list[tuple[str, str]]  # (learner file, how: '' for the learner's own edit, else the command)
    cheer: str = ""


def remember(root: Path, check: Check) -> Remembered:
    """Compare a check with the last one (regressions, what changed, a cheer for a step just turned green), then keep it."""
    progress = Progress.load(root)
    regressions = check.regressions(progress.states)
    now = fingerprints(root)
    changed = [(file, progress.rewritten.get(file, "")) for file, digest in now.items()
               if file in progress.hashes and progress.hashes[file] != digest]
    newly = [r.step.number for r in check.steps if r.state == "green" and progress.states.get(r.step.number) not in (None, "green")]
    cheer = ""
    if newly and check.current and not regressions:
        cheer = f"Step {max(newly)} passes now. On to step {check.current.step.number}."
    progress.states.update(check.states())
    progress.hashes, progress.rewritten = now, {}
    progress.save(root)
    return Remembered(regressions, changed, cheer)
