"""The learner's files and the kata's memory in .kata/: progress, hints shown, and backups that never lose work."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from kata.core.checks import Check, StepResult
from kata.core.files import kind, plain_or_missing, read_plain, write_atomic
from kata.core.look import STEP_STATES
from kata.core.registry import STEPS, Step
from kata.core.stubs import reference_source, stub_source

STATE_DIR = ".kata"
COPIED = ("kata", "steps", "tests", "park.txt", "pyproject.toml")
# bytes: a step file is a few KB; anything far bigger in .kata is not one of ours
MAX_FILE = 10_000_000
MAX_JSON = 1_000_000  # bytes of progress.json or a backup manifest worth reading
STATES = STEP_STATES  # what a step's state may be in a file the kata reads back


class KataDataError(Exception):
    """A command refused to go on because of what it found in .kata or on disk: one line, exit status 1."""


# .kata is data from outside (damaged, crafted, merged from another machine): each problem is said once per command
_said: set[str] = set()
_say: list[Callable[[str], None]] = [lambda line: print(f"kata: {line}", file=sys.stderr)]


def warnings_to(say: Callable[[str], None]) -> None:
    """Send this command's warnings about .kata to `say`, each line once."""
    _said.clear()
    _say[0] = say


def warn(line: str) -> None:
    """Say one warning line about .kata, once per command however often it happens."""
    if line not in _said:
        _said.add(line)
        _say[0](line)


def shown(path: Path, root: Path | None = None) -> str:
    """A path as the learner knows it: relative to the kata (or else to the current folder) when it is inside."""
    for base in ([root] if root else []) + [Path.cwd()]:
        try:
            return path.relative_to(base).as_posix()
        except ValueError:
            continue
    return path.as_posix()


def contained(base: Path, relative: object) -> Path | None:
    """`base / relative` when `relative` is a plain relative path that stays inside `base` without a symlink; else None."""
    if (
        not isinstance(relative, str)
        or not relative
        or "\0" in relative
        or "\\" in relative
        or ":" in relative
    ):
        return None
    parts = PurePosixPath(relative).parts
    if PurePosixPath(relative).is_absolute() or any(part in ("..", ".") for part in parts):
        return None
    path = base
    try:
        if base.is_symlink():
            return None
        for part in parts:  # a symlink anywhere below base could point outside it: never follow one
            path = path / part
            if path.is_symlink():
                return None
        return path if path.resolve().is_relative_to(base.resolve()) else None
    except (OSError, RuntimeError, ValueError):
        return None


def linked(root: Path) -> bool:
    """Is .kata a symlink? Then the kata neither reads nor writes there (said once): it could point anywhere."""
    folder = root / STATE_DIR
    if not folder.is_symlink():
        return False
    warn(
        f"{shown(folder)} is a symlink, so the kata neither reads nor writes there (it could point anywhere): progress, "
        "backups and the run log are off. Replace it with a folder."
    )
    return True


def why(error: OSError, folder: Path) -> str:
    """Why a folder could not be written, in words: 'File exists' alone does not say that a file is in the way."""
    blocked = next((f for f in (folder, *folder.parents) if f.exists() and not f.is_dir()), None)
    return f"{shown(blocked)} is a file, not a folder" if blocked else error.strerror or str(error)


def read_limited(path: Path, limit: int = MAX_FILE) -> bytes | None:
    """A regular file's bytes (not through a symlink, never waiting on a FIFO or a device), or None when it is
    missing, not a plain file, or over `limit` (kata/core/files.py)."""
    return read_plain(path, limit)


def read_json(path: Path, what: str) -> Any:
    """The JSON in a .kata file, or None when it is missing; a damaged one is named in one warning and read as None."""
    if not path.exists() and not path.is_symlink():
        return None
    if not plain_or_missing(path):
        warn(
            f"{shown(path)} is damaged, so {what} (it is {kind(path)}, not a plain file). Delete it to silence this line."
        )
        return None
    data = read_limited(path, MAX_JSON)
    try:
        if data is None:
            raise ValueError("not a readable file")
        return json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError):  # RecursionError: JSON nested thousands deep
        warn(f"{shown(path)} is damaged, so {what}. Delete it to silence this line.")
        return None


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
    # each learner file's content at the last check
    hashes: dict[str, str] = field(default_factory=dict)
    # learner files a command rewrote since: how
    rewritten: dict[str, str] = field(default_factory=dict)
    # the act the learner opened on purpose (goto, dojo --from): started, even while its steps are all stubs
    act: int = 1

    @staticmethod
    def path(root: Path) -> Path:
        return root / STATE_DIR / "progress.json"

    @classmethod
    def load(cls, root: Path) -> Progress:
        """Read .kata/progress.json, or start afresh (with one warning) when it is missing or damaged."""
        afresh = "the kata starts afresh (hints shown and last states are forgotten)"
        data = None if linked(root) else read_json(cls.path(root), afresh)
        try:
            if data is None:
                return cls()
            states = {int(k): v for k, v in data.get("states", {}).items()}
            hints = {int(k): v for k, v in data.get("hints", {}).items()}
            steps = {step.number: step for step in STEPS}
            if not all(k in steps and v in STATES for k, v in states.items()) or not all(
                k in steps and type(v) is int and 0 <= v <= len(steps[k].hints)
                for k, v in hints.items()
            ):
                raise ValueError("a step, state or hint level out of range")
            files = set(LEARNER_FILES)
            hashes = {
                k: v for k, v in data.get("hashes", {}).items() if k in files and isinstance(v, str)
            }
            rewritten = {
                k: v
                for k, v in data.get("rewritten", {}).items()
                if k in files and isinstance(v, str)
            }
            act = data.get("act", 1)
            if type(act) is not int or act not in {step.act for step in STEPS}:
                raise ValueError("an act out of range")
            return cls(states, hints, hashes, {k: v[:200] for k, v in rewritten.items()}, act)
        except (ValueError, TypeError, AttributeError, OverflowError):
            warn(
                f"{shown(cls.path(root))} is damaged, so {afresh}. Delete it to silence this line."
            )
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
        """Write .kata/progress.json; when .kata cannot be written, say so once and go on without it."""
        path = self.path(root)
        if linked(root):
            return
        data = {
            "states": self.states,
            "hints": self.hints,
            "hashes": self.hashes,
            "rewritten": self.rewritten,
            "act": self.act,
        }
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, json.dumps(data, indent=1).encode("utf-8"))
        except OSError as error:
            warn(
                f"progress cannot be saved in {shown(path.parent)}/ ({why(error, path.parent)}): the kata works, but "
                "forgets hints and last states. Fix its permissions, or move it away (python -m kata doctor)."
            )


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


LEARNER_FILES = frozenset(step.learner_file for step in STEPS)


def clean(text: str, limit: int = 200) -> str:
    """Text from .kata made safe to print: no control characters (no terminal escapes), at most `limit` characters."""
    if len(text) <= limit and text.isprintable():  # the usual case, checked at C speed
        return text
    text = "".join(c if c.isprintable() else " " for c in text[: limit * 2])
    return text if len(text) <= limit else text[: limit - 1] + "…"


def read(root: Path, relative: str) -> str | None:
    """A learner file's text (any bytes kept exactly, so a restore is byte for byte), or None when it is not a plain
    file (missing, a symlink, a FIFO, a device: nothing of the learner's to keep, nor to follow) or over MAX_FILE."""
    data = read_plain(root / relative, MAX_FILE)
    return None if data is None else data.decode("utf-8", "surrogateescape")


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
    """Copy these files to a new dated folder under .kata/backups; return it, or None when there is nothing to keep.

    The files and the manifest are written into a hidden folder first, which is renamed into place at the end:
    a backup either exists whole, with its manifest, or not at all (Ctrl-C included)."""
    if not files:
        return None
    backups = backups_dir(root)
    try:
        if linked(root) or backups.is_symlink():
            raise OSError(0, "a symlink: the kata writes backups only into a real folder")
        backups.mkdir(parents=True, exist_ok=True)
        partial = Path(tempfile.mkdtemp(dir=backups, prefix=".partial-"))
    except OSError as error:
        raise KataDataError(
            f"cannot back up your work to {shown(backups, root)}/ ({why(error, backups)}), so nothing "
            "was changed: fix or move that folder (python -m kata doctor)."
        ) from None
    try:
        for relative in files:
            (partial / relative).parent.mkdir(parents=True, exist_ok=True)
            data = read_plain(root / relative, MAX_FILE)
            if data is None:  # it changed since it was looked at: a symlink or a FIFO now
                raise OSError(0, f"{relative} is not a plain file any more")
            (partial / relative).write_bytes(data)
            shutil.copystat(root / relative, partial / relative, follow_symlinks=False)
        made = now.isoformat(timespec="seconds")
        manifest = {"reason": reason, "made": made, "files": files}
        (partial / "backup.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        base = backups / f"{now:%Y-%m-%d_%H%M%S}-{reason}"
        folder, n = base, 1
        while folder.exists() or folder.is_symlink():
            n += 1
            folder = base.with_name(f"{base.name}-{n}")
        os.rename(partial, folder)
    except BaseException as error:  # Ctrl-C included: no backup without its manifest is left behind
        shutil.rmtree(partial, ignore_errors=True)
        if isinstance(error, OSError):
            raise KataDataError(
                f"cannot back up your work to {shown(backups, root)}/ ({error.strerror or error}), so "
                "nothing was changed: fix or move that folder (python -m kata doctor)."
            ) from None
        raise
    return Backup(folder, reason, made, tuple(files))


def read_backup(folder: Path) -> Backup | str:
    """The backup in this folder, or what is wrong with it (its manifest and every file it names are checked)."""
    if folder.is_symlink() or not folder.is_dir():
        return "is not a folder (or is a symlink)"
    if not folder.name.isprintable():
        return "has a name with control characters"
    manifest = folder / "backup.json"
    if not manifest.exists() and not manifest.is_symlink():
        return "has no backup.json (a backup cut short?); its files, if any, can be copied back by hand"
    data = read_limited(manifest, MAX_JSON) if contained(folder, "backup.json") else None
    try:
        data = json.loads(data.decode("utf-8")) if data is not None else None
    except (ValueError, RecursionError):
        data = None
    if not (
        isinstance(data, dict)
        and isinstance(data.get("reason"), str)
        and isinstance(data.get("made"), str)
        and isinstance(data.get("files"), list)
        and all(isinstance(name, str) for name in data["files"])
    ):
        return "has a damaged backup.json"
    for name in data["files"]:
        if name not in LEARNER_FILES:
            return f"names {clean(name, 80)!r} in its backup.json, which is not one of the kata's step files"
        path = contained(folder, name)
        if path is None or read_limited(path) is None:
            return f"lacks {name}, or it is not a plain file inside the backup (or over 10 MB)"
    return Backup(
        folder,
        clean(data["reason"], 60),
        clean(data["made"], 40),
        tuple(dict.fromkeys(data["files"])),
    )


def list_backups(root: Path) -> list[Backup]:
    """Every usable backup, oldest first; each unusable one is named in one warning line and skipped."""
    backups = backups_dir(root)
    if linked(root) or not backups.exists() and not backups.is_symlink():
        return []
    try:
        if backups.is_symlink() or not backups.is_dir():
            raise NotADirectoryError(0, "not a folder, or a symlink")
        entries = sorted(backups.iterdir())
    except OSError as error:
        warn(
            f"{shown(backups, root)} cannot be read ({error.strerror or error}), so no backups are listed. Fix or "
            "move it away."
        )
        return []
    found = []
    for entry in entries:
        # a backup being written, or the remains of one cut short: not a backup
        if entry.name.startswith("."):
            continue
        backup = read_backup(entry)
        if isinstance(backup, str):
            warn(f"{shown(entry, root)} {backup}: that backup is skipped.")
        else:
            found.append(backup)
    return found


def write_files(root: Path, new_texts: Mapping[str, str]) -> list[str]:
    """Write the new texts, each through a temporary file and a rename (old or new, never half); return those changed."""
    changed = []
    for relative, text in new_texts.items():
        if read(root, relative) != text:
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            if not plain_or_missing(path):
                warn(
                    f"{relative} was {kind(path)}, not a plain file: it was replaced by a plain file without being "
                    "read or followed."
                )
            write_atomic(path, text.encode("utf-8", "surrogateescape"))
            changed.append(relative)
    return changed


def backup_texts(backup: Backup, only: list[str] | None = None) -> dict[str, str]:
    """The files a backup holds, by their place in the kata; KataDataError when one cannot be read safely."""
    texts = {}
    for relative in only or list(backup.files):
        if relative not in backup.files:
            continue
        path = contained(backup.folder, relative)
        data = read_limited(path) if path is not None and relative in LEARNER_FILES else None
        if data is None:
            raise KataDataError(
                f"{backup.name}/{relative} is missing or not a plain file inside the backup: nothing "
                "was restored."
            )
        texts[relative] = data.decode("utf-8", "surrogateescape")
    return texts


def fingerprints(root: Path) -> dict[str, str]:
    """A content hash of each learner file (not its time: a save that changes nothing changes nothing)."""
    found = {}
    for step in STEPS:
        data = read_plain(root / step.learner_file, MAX_FILE)
        found[step.learner_file] = "" if data is None else hashlib.sha256(data).hexdigest()
    return found


@dataclass(frozen=True)
class Remembered:
    """What a check means against the last one: the steps it broke, the files changed since, a cheer."""

    root: Path  # the kata, to follow which files each step runs
    regressions: list[StepResult]
    changed: list[
        tuple[str, str]
    ]  # (learner file, how: '' for the learner's own edit, else the command)
    cheer: str = ""


def remember(root: Path, check: Check, files: dict[str, str] | None = None) -> Remembered:
    """Compare a check with the last one (regressions, what changed, a cheer for a step just turned green), then keep it.

    `files` are the fingerprints taken just before the check ran: a file saved while the tests ran is then a
    change for the next check, not one the tests already saw.
    """
    progress = Progress.load(root)
    regressions = check.regressions(progress.states)
    now = files if files is not None else fingerprints(root)
    changed = [
        (file, progress.rewritten.get(file, ""))
        for file, digest in now.items()
        if file in progress.hashes and progress.hashes[file] != digest
    ]
    newly = [
        r.step.number
        for r in check.steps
        if r.state == "green" and progress.states.get(r.step.number) not in (None, "green")
    ]
    cheer = ""
    if newly and check.current and not regressions:
        cheer = f"Step {max(newly)} passes now. On to step {check.current.step.number}."
    progress.states.update(check.states())
    progress.hashes, progress.rewritten = now, {}
    progress.save(root)
    return Remembered(root, regressions, changed, cheer)
