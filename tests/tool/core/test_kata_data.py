""".kata is data from outside: damaged or crafted files give one warning line, paths stay inside the kata, writes are
atomic, Ctrl-C leaves every file old or new, and the run log and the review take bounded work. No test here runs pytest."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from rich.console import Console

from kata.__main__ import run
from kata.core import workspace
from kata.core.checks import Check, StepResult
from kata.core.outcome import Outcome
from kata.core.registry import STEPS
from kata.core.runlog import append_run, claim_log, read_runs, release_log
from kata.core.stubs import checkpoint_sources, stub_source
from kata.loop.app import Context
from kata.loop.watch import Watcher
from tests.tool.conftest import capture_console
from tests.tool.loop.test_runner import ScriptedKeys

NOW = datetime(2026, 11, 27, 10, 0, 0)
WORK = "def step(x, lr):\n    return x - lr * 2 * (x - 3)  # mine\n"
MINE = "steps/step03_step.py"


def stubs_red(root: Path, steps=STEPS) -> Check:
    """A check with no pytest run: every step asked for is a red stub."""
    return Check(
        [
            StepResult(
                s,
                "red",
                True,
                0,
                3,
                Outcome(
                    f"tests/test_{s.stem}.py::test_x", s.stem, "red", True, "NotImplementedError"
                ),
            )
            for s in steps
        ],
        0.1,
    )


def small_kata(folder: Path) -> Path:
    """Just what file commands touch: steps/ with the shipped stubs (no copy of the whole kata, so many are cheap)."""
    (folder / "steps").mkdir(parents=True)
    for path, text in checkpoint_sources(1).items():
        (folder / path).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return small_kata(tmp_path / "kata")


@pytest.fixture
def kata(root: Path, capsys: pytest.CaptureFixture[str]):
    """Run `python -m kata ARGS` in-process with a fake check; return (status, screen, stderr)."""

    def call(*argv: str, answers: tuple[str, ...] = ("y",) * 5) -> tuple[int, str, str]:
        console = capture_console(100)
        replies = iter(answers)
        status = run(
            list(argv),
            console=console,
            read=lambda prompt: next(replies),
            now=lambda: NOW,
            check=stubs_red,
            root=root,
        )
        return status, " ".join(console.export_text().split()), capsys.readouterr().err

    return call


def make_backup(root: Path, name: str, manifest: object, files: dict[str, bytes]) -> Path:
    folder = root / ".kata/backups" / name
    folder.mkdir(parents=True)
    for relative, data in files.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_bytes(data)
    (folder / "backup.json").write_text(
        manifest if isinstance(manifest, str) else json.dumps(manifest), encoding="utf-8"
    )
    return folder


def record(number: int, **changes: object) -> str:
    data = {
        "run": number,
        "time": (NOW + timedelta(seconds=number)).isoformat(),
        "step": 4,
        "state": "red",
        "driver": "Ana",
        "navigator": "",
        "test": "",
        "message": "",
        "prediction": "",
        "machine": "laptop",
        "file": "",
    }
    data.update(changes)
    return json.dumps(data)


def write_log(root: Path, lines: list[str], copies: dict[str, str] | None = None) -> None:
    folder = root / ".kata"
    (folder / "runs").mkdir(parents=True, exist_ok=True)
    for relative, text in (copies or {}).items():
        (folder / relative).write_text(text)
    (folder / "runs.jsonl").write_text("".join(line + "\n" for line in lines))


# 1. paths from .kata stay inside the kata


@pytest.mark.parametrize(
    "named",
    [
        "../../outside.py",
        "steps/../../../outside.py",
        "/tmp/kata-abs-outside.py",
        "kata/__main__.py",
        "steps/step03_step.py/../../../outside.py",
    ],
)
def test_a_manifest_naming_a_file_outside_the_kata_is_refused(kata, root, named):
    outside = root.parent / "outside.py"
    outside.write_text("# not the kata's\n")
    make_backup(root, "crafted", {"reason": "reset", "made": "2026", "files": [named]}, {})
    status, _, err = kata("restore", "crafted", "--yes")
    assert status == 2 and "no usable backup 'crafted'" in err
    assert "crafted" in err.splitlines()[0] and "that backup is skipped" in err.splitlines()[0]
    assert (
        outside.read_text() == "# not the kata's\n"
        and not Path("/tmp/kata-abs-outside.py").exists()
    )
    assert "Traceback" not in err


def test_a_backup_file_that_is_a_symlink_to_outside_is_not_read(kata, root):
    secret = root.parent / "secret.txt"
    secret.write_text("not for the kata\n")
    folder = make_backup(root, "linked", {"reason": "reset", "made": "2026", "files": [MINE]}, {})
    (folder / "steps").mkdir()
    (folder / MINE).symlink_to(secret)
    status, _, err = kata("restore", "linked", "--yes")
    assert status == 2 and "not a plain file inside the backup" in err
    assert (root / MINE).read_text() == stub_source(STEPS[2])


def test_a_backups_folder_that_links_outside_is_never_written(kata, root):
    elsewhere = root.parent / "elsewhere"
    elsewhere.mkdir()
    (root / ".kata").mkdir()
    (root / ".kata/backups").symlink_to(elsewhere)
    (root / MINE).write_text(WORK)
    status, _, err = kata("reset", "3", "--yes")
    assert (
        status == 1
        and "cannot back up your work to .kata/backups/" in err
        and "nothing was changed" in err
    )
    assert (root / MINE).read_text() == WORK and list(elsewhere.iterdir()) == []


@pytest.mark.parametrize(
    "named",
    [
        "/etc/hostname",
        "../../outside.py",
        "runs/../../outside.py",
        "steps/step04_descend.py",
        "runs/../runs.jsonl/../../outside.py",
    ],
)
def test_a_run_log_naming_a_file_outside_its_runs_folder_is_refused(kata, root, named):
    outside = root.parent / "outside.py"
    outside.write_text("SECRET = 1\n")
    write_log(
        root,
        [record(1, file="runs/0001-step04_descend.py"), record(2, file=named)],
        {"runs/0001-step04_descend.py": "def descend(x, lr, iterations):\n    return []\n"},
    )
    status, screen, err = kata("review", "--diff", "1", "2")
    assert (
        status == 1
        and "which is not a file inside" in err
        and ".kata/runs/: it is not read." in err
        and "SECRET" not in screen
    )
    status, _, err = kata("review", "--restore", "2", "--yes")
    assert status == 1 and len(err.strip().splitlines()) == 1
    assert (root / "steps/step04_descend.py").read_text() == stub_source(
        STEPS[3]
    ) and outside.read_text() == "SECRET = 1\n"


def test_a_run_copy_that_is_a_symlink_is_not_followed(kata, root):
    secret = root.parent / "secret.txt"
    secret.write_text("SECRET\n")
    write_log(
        root,
        [
            record(1, file="runs/0001-step04_descend.py"),
            record(2, file="runs/0002-step04_descend.py"),
        ],
        {"runs/0001-step04_descend.py": "x = 1\n"},
    )
    (root / ".kata/runs/0002-step04_descend.py").symlink_to(secret)
    status, screen, err = kata("review", "--diff", "1", "2")
    assert status == 1 and "SECRET" not in screen and "it is not read" in err


def test_the_run_log_never_writes_through_a_planted_symlink(root):
    canary = root.parent / "canary.txt"
    canary.write_text("unchanged\n")
    (root / ".kata/runs").mkdir(parents=True)
    (root / ".kata/runs/0001-step01_parabola.py").symlink_to(canary)
    logged = append_run(root, stubs_red(root), NOW)
    assert logged.run == 1 and canary.read_text() == "unchanged\n"
    assert not (root / ".kata/runs/0001-step01_parabola.py").is_symlink()
    (root / ".kata/runs.jsonl").unlink()
    (root / ".kata/runs.jsonl").symlink_to(canary)
    said: list[str] = []
    workspace.warnings_to(said.append)
    append_run(root, stubs_red(root), NOW)
    assert canary.read_text() == "unchanged\n" and len(said) == 1 and "cannot log runs" in said[0]


# 2. a damaged .kata: one warning line per file, never a traceback

PROGRESS_DAMAGE = {
    "a folder": lambda p: p.mkdir(),
    "garbage": lambda p: p.write_bytes(b"\x00\xff{not json"),
    "a negative hint": lambda p: p.write_text('{"states": {}, "hints": {"1": -5}}'),
    "a hint past the last": lambda p: p.write_text('{"hints": {"1": 99999999999999999999999}}'),
    "a list": lambda p: p.write_text("[1, 2, 3]"),
    "an unknown step": lambda p: p.write_text('{"states": {"99": "green"}}'),
    "a strange state": lambda p: p.write_text('{"states": {"1": 5}}'),
    "an infinite hint": lambda p: p.write_text('{"hints": {"1": 1e400}}'),
    "deep nesting": lambda p: p.write_text("[" * 100_000 + "]" * 100_000),
}


@pytest.mark.parametrize("damage", PROGRESS_DAMAGE, ids=list(PROGRESS_DAMAGE))
def test_a_damaged_progress_file_starts_afresh_with_one_warning(kata, root, damage):
    path = root / ".kata/progress.json"
    path.parent.mkdir()
    PROGRESS_DAMAGE[damage](path)
    status, screen, err = kata("hint")
    assert status == 0 and "Hint 1 of 3 · step 1" in screen
    lines = err.strip().splitlines()
    assert (
        "progress.json is damaged, so the kata starts afresh" in lines[0] and "Traceback" not in err
    )
    assert len([line for line in lines if "progress.json" in line]) == 1


def test_with_kata_a_file_the_loop_works_and_says_once_that_progress_cannot_be_saved(kata, root):
    (root / ".kata").write_text("I am a file")
    status, screen, err = kata()
    assert status == 1 and "Step 1 of 10" in screen
    assert err.count("progress cannot be saved") == 1 and len(err.strip().splitlines()) == 1
    (root / MINE).write_text(WORK)
    status, _, err = kata("reset", "3", "--yes")
    assert status == 1 and "cannot back up your work" in err and (root / MINE).read_text() == WORK
    status, _, err = kata("restore")
    assert status == 0 and "Traceback" not in err


def test_a_read_only_kata_folder_leaves_the_loop_working(kata, root, monkeypatch):
    (root / ".kata").mkdir()

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    # as a read-only folder answers (root ignores chmod)
    monkeypatch.setattr(workspace.tempfile, "mkstemp", refuse)
    monkeypatch.setattr(workspace.tempfile, "mkdtemp", refuse)
    status, screen, err = kata("hint")
    assert status == 0 and "Hint 1 of 3" in screen
    assert len(err.strip().splitlines()) == 1
    assert err.startswith(
        f"kata: progress cannot be saved in {workspace.shown(root / '.kata')}/ (Permission denied): the kata "
        "works, but forgets hints and last states."
    )
    (root / MINE).write_text(WORK)
    status, _, err = kata("reset", "3", "--yes")
    assert status == 1 and "cannot back up your work" in err and (root / MINE).read_text() == WORK


@pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0, reason="a read-only folder is writable for root"
)
def test_a_really_read_only_kata_folder(kata, root):
    (root / ".kata").mkdir()
    (root / ".kata").chmod(0o555)
    try:
        status, _, err = kata()
        assert status == 1 and err.count("progress cannot be saved") == 1
    finally:
        (root / ".kata").chmod(0o755)


def test_a_backups_entry_that_is_a_file_is_skipped_with_one_line(kata, root):
    (root / ".kata").mkdir()
    (root / ".kata/backups").write_text("oops")
    status, screen, err = kata("restore")
    assert (
        status == 0
        and "No backups yet" in screen
        and len(err.strip().splitlines()) == 1
        and "backups" in err
    )


def test_a_manifest_naming_a_missing_file_is_skipped_and_a_non_utf8_file_comes_back_byte_for_byte(
    kata, root
):
    make_backup(
        root,
        "2026-11-27_090000-reset",
        {"reason": "reset", "made": "2026-11-27T09:00:00", "files": [MINE]},
        {},
    )
    odd = b"def step(x, lr):\r\n    return x  # caf\xe9 in latin-1\r\n"
    make_backup(
        root,
        "2026-11-27_090001-reset",
        {"reason": "reset", "made": "2026-11-27T09:00:01", "files": [MINE]},
        {MINE: odd},
    )
    status, screen, err = kata("restore")
    assert (
        status == 0
        and "2026-11-27_090001-reset" in screen
        and "2026-11-27_090000-reset" not in screen
    )
    assert (
        "2026-11-27_090000-reset lacks steps/step03_step.py" in err
        and len(err.strip().splitlines()) == 1
    )
    status, _, _ = kata("restore", "2026-11-27_090001-reset", "--yes")
    assert status == 0 and (root / MINE).read_bytes() == odd


def test_markup_and_terminal_escapes_in_a_manifest_are_printed_as_plain_text(kata, root):
    make_backup(
        root,
        "b",
        {"reason": "[bold]x[/] \x1b]0;pwned\x07", "made": "[/]", "files": [MINE]},
        {MINE: WORK.encode()},
    )
    status, screen, err = kata("restore")
    assert status == 0 and "[bold]x[/]" in screen and "\x1b" not in screen and not err


BAD_RECORDS = [
    record(3, step=99),
    record(4, step="x"),
    record(5, time="yesterday"),
    record(6, state=5),
    record(7, state="purple"),
    record(8, run=True),
    record(9, driver=["Ana"]),
    record(10, extra="field"),
    "[1, 2]",
    "{not json",
    '"a string"',
    "[" * 50_000 + "]" * 50_000,
    record(11, message="x" * 100_000),
]


def test_bad_lines_in_the_run_log_are_skipped_with_one_warning(kata, root):
    write_log(root, [record(1), *BAD_RECORDS, record(2, state="green")])
    with open(root / ".kata/runs.jsonl", "ab") as log:
        log.write(
            b'{"run": 12, "time": "2026-11-27T10:00:12", "step": 4, "state": "red", "driver": "\xff"}\n'
        )
    status, screen, err = kata("review")
    assert status == 0 and "Session review: 2 saves checked" in screen
    log = workspace.shown(root / ".kata/runs.jsonl")
    assert err.strip().splitlines() == [
        f"kata: {log}: 14 damaged lines skipped (not a run record this kata can read)."
    ]


def test_a_time_zone_in_a_merged_log_still_sorts_with_local_times(kata, root, tmp_path):
    write_log(root, [record(1)])
    other = tmp_path / "other/.kata"
    other.mkdir(parents=True)
    (other / "runs.jsonl").write_text(
        record(1, time="2026-11-27T10:00:30+00:00", machine="b") + "\n"
    )
    status, screen, err = kata("review", "--merge", str(other))
    assert status == 0 and "2 saves checked" in screen and not err


# 3. atomic writes: Ctrl-C at any point leaves every file old or new and every backup whole


def interrupt_at(monkeypatch: pytest.MonkeyPatch, n: int) -> list[int]:
    """Raise KeyboardInterrupt at the n-th call of any write step (0: never); return the running count."""
    calls = [0]
    for owner, name in [(os, "replace"), (os, "rename"), (os, "fsync"), (shutil, "copy2")]:
        original = getattr(owner, name)

        def wrapped(*args: object, __original=original, **kwargs: object) -> object:
            calls[0] += 1
            if calls[0] == n:
                raise KeyboardInterrupt
            return __original(*args, **kwargs)

        monkeypatch.setattr(owner, name, wrapped)
    return calls


COMMANDS = {
    "reset --all": (
        ["reset", "--all", "--yes"],
        lambda: {s.learner_file: stub_source(s) for s in STEPS},
    ),
    "goto 7": (["goto", "7", "--yes"], lambda: checkpoint_sources(7)),
    "restore": (["restore", "2026-11-27_090000-reset", "--yes"], None),
}


@pytest.mark.parametrize("command", COMMANDS)
def test_ctrl_c_at_any_write_leaves_every_file_old_or_new_and_every_backup_whole(
    tmp_path, monkeypatch, capsys, command
):
    argv, new_texts = COMMANDS[command]

    def prepare(folder: Path) -> dict[str, str]:
        root = small_kata(folder)
        work = {s.learner_file: f"# my work on step {s.number}\n" for s in STEPS}
        if command == "restore":
            kept = {s.learner_file: f"# kept {s.number}\n".encode() for s in STEPS}
            make_backup(
                root,
                "2026-11-27_090000-reset",
                {"reason": "reset", "made": "x", "files": list(kept)},
                kept,
            )
        for path, text in work.items():
            (root / path).write_text(text)
        return work

    def attempt(n: int) -> tuple[int, Path, dict[str, str]]:
        root = tmp_path / f"try{n}"
        work = prepare(root)
        with monkeypatch.context() as patch:
            calls = interrupt_at(patch, n)
            status = run(
                argv,
                console=Console(file=io.StringIO()),
                now=lambda: NOW,
                check=stubs_red,
                root=root,
            )
        return status, root, work if n else {"calls": str(calls[0])}

    status, _, counted = attempt(0)
    assert status == 0
    capsys.readouterr()
    total = int(counted["calls"])
    assert total >= 10
    for n in range(1, total + 1):
        status, root, work = attempt(n)
        err = capsys.readouterr().err
        assert (
            status == 130
            and err.startswith("kata: stopped; nothing half-written.")
            and "Traceback" not in err
        )
        new = (
            new_texts()
            if new_texts
            else {p: f"# kept {s}\n" for p, s in ((s.learner_file, s.number) for s in STEPS)}
        )
        backups = workspace.list_backups(root)
        for folder in (root / ".kata/backups").iterdir():
            assert folder.name.startswith(".") or (folder / "backup.json").exists(), (
                f"call {n}: {folder.name} has no manifest"
            )
        assert not any(
            folder.name.startswith(".partial") for folder in (root / ".kata/backups").iterdir()
        )
        saved = {path: (b.folder / path).read_text() for b in backups for path in b.files}
        for path, mine in work.items():
            now_text = (root / path).read_text()
            assert now_text in (mine, new.get(path, mine)), f"call {n}: {path} is half-written"
            assert now_text == mine or saved.get(path) == mine or mine == new.get(path), (
                f"call {n}: the work in {path} is lost"
            )
        assert sorted(p.name for p in (root / "steps").iterdir()) == sorted(
            Path(s.learner_file).name for s in STEPS
        )


# 4. bounded work


def test_a_run_is_numbered_without_reading_the_log(root, monkeypatch):
    write_log(root, [record(i) for i in range(1, 1001)])
    with open(root / ".kata/runs.jsonl", "a") as log:
        log.write('{"run": 1001, "time": "cut off by a crash')  # the last line lacks its newline
    monkeypatch.setattr(
        "kata.core.runlog.parse", lambda line: pytest.fail("append_run parsed the log")
    )
    assert append_run(root, stubs_red(root), NOW).run == 1002
    assert append_run(root, stubs_red(root), NOW).run == 1003
    with open(root / ".kata/runs.jsonl", "a") as log:
        # another writer: the size changed, so the count is made again
        log.write(record(1004) + "\n")
    assert append_run(root, stubs_red(root), NOW).run == 1005
    monkeypatch.undo()
    runs = read_runs(root / ".kata")
    assert [r.run for r in runs[-3:]] == [1003, 1004, 1005] and len(runs) == 1004


def test_the_review_of_a_long_session_fits_a_screen_or_two(kata, root):
    write_log(
        root,
        [
            record(i, state=("red", "green", "amber")[i % 3], step=1 + i % 10)
            for i in range(1, 5001)
        ],
    )
    status, _, err = kata("review")
    console_lines = status, err
    assert console_lines == (0, "")
    out = io.StringIO()
    console = Console(file=out, width=100, color_system=None)
    assert run(["review"], console=console, now=lambda: NOW, check=stubs_red, root=root) == 0
    text = out.getvalue()
    assert len(text.splitlines()) < 90 and "Session review: 5000 saves checked" in text
    assert "4980 earlier runs not shown: python -m kata review --runs 4961-4980" in " ".join(
        text.split()
    )
    status, screen, _ = kata("review", "--runs", "10-12")
    assert (
        status == 0
        and " 10 " in screen
        and " 12 " in screen
        and " 13 " not in screen
        and "4999" not in screen
    )
    status, _, err = kata("review", "--runs", "9-3")
    assert status == 2 and "--runs takes a range A-B" in err


# 5. one watch or dojo logs a kata


def watch_once(root: Path) -> tuple[list[str], str]:
    """Watch mode for one check, then q; return its warnings and its screen."""
    console = capture_console(80)
    context = Context(root, console, console, input, lambda: NOW, stubs_red)
    clock = [0.0]
    watcher = Watcher(context, ScriptedKeys(clock, [(0.5, "q")]), clock=lambda: clock[0])
    assert watcher.run() == 0
    return watcher.notes, " ".join(console.export_text().split())


def test_a_second_watch_on_the_same_kata_checks_without_logging(root):
    (root / ".kata").mkdir()
    # a live process that is not us: the first watch
    (root / ".kata/watch.lock").write_text(str(os.getppid()))
    said, screen = watch_once(root)
    assert not (root / ".kata/runs.jsonl").exists()
    assert (
        len(said) == 1
        and f"another watch or dojo (process {os.getppid()}) is already logging" in said[0]
    )
    assert "checks without logging" in said[0] and (root / ".kata/watch.lock").read_text() == str(
        os.getppid()
    )
    # under the screen, which clearing would otherwise hide
    assert "kata: another watch or dojo" in screen


def test_a_lock_left_by_a_dead_watch_is_taken_over(root):
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    (root / ".kata").mkdir()
    (root / ".kata/watch.lock").write_text(str(gone.pid))
    said, _ = watch_once(root)
    assert (
        said == []
        and len(read_runs(root / ".kata")) == 1
        and not (root / ".kata/watch.lock").exists()
    )


def test_watch_on_a_kata_file_goes_on_and_says_so_once_under_the_screen(root):
    (root / ".kata").write_text("a file")
    said, screen = watch_once(root)
    assert len(said) == 2 and "progress cannot be saved" in said[0] and "cannot log runs" in said[1]
    assert screen.count("kata: cannot log runs") == 1 and "Step 1 of 10" in screen


def test_claiming_the_log_twice_in_one_process_is_fine(root):
    assert claim_log(root) and claim_log(root)
    release_log(root)
    assert not (root / ".kata/watch.lock").exists()


# doctor


def test_doctor_checks_the_kata_folder(kata, root):
    status, screen, _ = kata("doctor")
    assert ".kata/ can be made when needed" in screen
    (root / ".kata").write_text("a file")
    status, screen, _ = kata("doctor")
    assert status == 1 and "PROBLEM .kata is a file, not a folder: move it away" in screen


def test_two_new_groups_in_one_second_keep_both_logs_and_a_linked_groups_folder_is_refused(
    root, tmp_path
):
    from kata.dojo.projector import start_new_group

    console = capture_console(100)
    context = Context(root, console, console, lambda prompt: "y", lambda: NOW, stubs_red)
    for first in (1, 2):
        write_log(root, [record(first)])
        assert start_new_group(context, yes=True) == 0
    kept = sorted((root / ".kata/groups").iterdir())
    assert [p.name for p in kept] == ["2026-11-27_100000", "2026-11-27_100000-2"]
    assert [read_runs(p)[0].run for p in kept] == [1, 2]
    shutil.rmtree(root / ".kata/groups")
    (tmp_path / "elsewhere").mkdir()
    (root / ".kata/groups").symlink_to(tmp_path / "elsewhere")
    write_log(root, [record(3)])
    with pytest.raises(workspace.KataDataError, match="is a symlink"):
        start_new_group(context, yes=True)
    assert list((tmp_path / "elsewhere").iterdir()) == [] and len(read_runs(root / ".kata")) == 1


def test_remaking_the_stubs_keeps_a_learners_work_and_force_backs_it_up_first(root, capsys):
    from kata.stubs import main as remake_stubs

    step = STEPS[2]
    mine = "def step(x, lr):\n    return x - lr * 2 * (x - 3)  # mine\n"
    (root / step.learner_file).write_text(mine, encoding="utf-8")
    (root / STEPS[4].learner_file).unlink()  # a stub gone missing is written again
    assert remake_stubs([], root) == 0
    said = capsys.readouterr().out
    assert (root / step.learner_file).read_text(encoding="utf-8") == mine
    assert f"kept {step.learner_file}: work of yours" in said and "--force" in said
    assert f"wrote {STEPS[4].learner_file}" in said and said.count("wrote") == 1
    assert remake_stubs(["--force"], root) == 0
    assert (root / step.learner_file).read_text(encoding="utf-8") == stub_source(step)
    [backup] = (root / ".kata/backups").iterdir()
    assert (backup / step.learner_file).read_text(encoding="utf-8") == mine
    assert remake_stubs([], root) == 0 and "nothing to write" in capsys.readouterr().out
    assert remake_stubs(["--bogus"], root) == 2
    assert capsys.readouterr().err.startswith("kata.stubs: unrecognized arguments: --bogus")


# symlinks, FIFOs and devices: never followed under .kata or steps/, one line each


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A file outside the kata, which nothing may read into it or write over."""
    path = tmp_path / "outside.txt"
    path.write_text("SECRET\n")
    return path


def test_the_dojo_s_rotation_never_writes_through_a_planted_temporary_symlink(root, outside):
    from kata.dojo.projector import Rotation, load_rotation, save_rotation

    (root / ".kata").mkdir()
    # the name the dojo once used for its temporary file, planted
    (root / f".kata/.dojo.json.{os.getpid()}.tmp").symlink_to(outside)
    save_rotation(root, Rotation(["Ana", "Bo"], 60.0, 0.0), given=["Ana", "Bo"])
    assert outside.read_text() == "SECRET\n"
    assert load_rotation(root, [])[0].drivers == ["Ana", "Bo"]
    assert not list((root / ".kata").glob("*.kata-tmp"))


@pytest.mark.parametrize("what", ["a symlink to a file outside", "/dev/zero", "a FIFO"])
def test_a_rotation_file_that_is_no_plain_file_is_not_read_and_said_on_the_first_screen(
    root, outside, what
):
    from kata.dojo.projector import Rotation, load_rotation, save_rotation

    saved = root / ".kata/dojo.json"
    saved.parent.mkdir()
    if what == "a FIFO":
        os.mkfifo(saved)  # an open that waited for a writer would hang here
    else:
        saved.symlink_to(outside if what.startswith("a symlink") else Path(what))
    kind = "a FIFO" if what == "a FIFO" else "a symlink"
    # said on the dojo's first screen
    assert load_rotation(root, ["Ana"]) == (
        None,
        f"The saved rotation (.kata/dojo.json) was {kind}, not a plain file, so the rotation starts afresh.",
    )
    save_rotation(root, Rotation(["Ana"], 60.0, 0.0))  # replaces the link or FIFO itself
    assert outside.read_text() == "SECRET\n" and saved.is_file() and not saved.is_symlink()


@pytest.mark.parametrize("group", ["..", ".", "...", "../..", "/etc", "x/../.."])
def test_review_group_reads_only_a_group_inside_kata_groups(kata, root, group):
    # a run log one folder up, where `--group ..` once looked
    (root.parent / "runs.jsonl").write_text(record(1, file="runs/0001-step04_descend.py") + "\n")
    (root.parent / "runs").mkdir()
    (root.parent / "runs/0001-step04_descend.py").write_text("print('outside')\n")
    before = (root / "steps/step04_descend.py").read_bytes()
    status, screen, err = kata("review", "--group", group, "--restore", "1", "--yes")
    assert status == 2 and "--group" in err and "Traceback" not in err
    assert (root / "steps/step04_descend.py").read_bytes() == before


def test_review_group_does_not_follow_a_symlinked_group(kata, root, tmp_path):
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere/runs.jsonl").write_text(record(1) + "\n")
    (root / ".kata/groups").mkdir(parents=True)
    (root / ".kata/groups/linked").symlink_to(tmp_path / "elsewhere")
    status, _, err = kata("review", "--group", "linked")
    assert status == 2 and "is no archived group" in err


def test_a_step_file_that_is_a_symlink_is_never_copied_into_the_backups(kata, root):
    mine = root / MINE
    mine.unlink()
    mine.symlink_to("/etc/passwd")
    status, screen, err = kata("reset", "3", "--yes")
    assert status == 0 and "Backed up" not in screen
    assert "steps/step03_step.py was a symlink, not a plain file" in err
    assert mine.is_file() and not mine.is_symlink() and mine.read_text() == stub_source(STEPS[2])
    copied = [p for p in (root / ".kata").rglob("*") if p.is_file() and b"root:" in p.read_bytes()]
    assert copied == []


def test_a_step_file_that_is_a_fifo_is_amber_without_a_run_and_reset_replaces_it(root):
    from kata.core.checks import run_check

    (root / MINE).unlink()
    os.mkfifo(root / MINE)
    check = run_check(root, STEPS[:3])  # an open or an import of the FIFO would wait for ever
    result = check.steps[2]
    assert result.state == "amber" and result.message.startswith(
        "steps/step03_step.py is a FIFO, not a plain file, so the kata does not run it"
    )
    assert workspace.fingerprints(root)[MINE] == "" and workspace.read(root, MINE) is None
    assert workspace.write_files(root, {MINE: "x = 1\n"}) == [MINE]
    assert (root / MINE).read_text() == "x = 1\n"


def test_a_step_that_imports_a_symlinked_step_file_is_amber_too(root, tmp_path):
    from kata.core.checks import run_check

    (tmp_path / "elsewhere.py").write_text("def f(x):\n    return 0\n")
    (root / "steps/step01_parabola.py").unlink()
    (root / "steps/step01_parabola.py").symlink_to(tmp_path / "elsewhere.py")
    (root / "steps/step02_gradient.py").write_text(
        "from .step01_parabola import f\ndef gradient(x):\n    return 0\n"
    )
    result = run_check(root, STEPS[:2]).steps[1]
    assert result.state == "amber" and result.message.startswith(
        "steps/step02_gradient.py imports steps/step01_parabola.py, which is a symlink"
    )


@pytest.mark.parametrize(
    "when", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00"]
)
@pytest.mark.parametrize(
    "argv",
    [
        ["review"],
        ["review", "--runs", "1-3"],
        ["review", "--diff", "2"],
        ["review", "--save", "saved.md"],
    ],
)
def test_a_date_out_of_range_is_a_damaged_line_not_a_traceback(kata, root, when, argv):
    write_log(root, [record(1, time=when), record(2), record(3)])
    (root / ".kata/events.jsonl").write_text(
        json.dumps({"time": when, "event": "turn", "driver": "Ana"}) + "\n"
    )
    if argv[-1] == "saved.md":
        argv = [*argv[:-1], str(root / "saved.md")]
    status, _, err = kata(*argv)
    assert "Traceback" not in err and status in (0, 1, 2), err
    if argv == ["review"] and ("+" in when or "-14" in when):
        assert "damaged line skipped" in err


@pytest.mark.parametrize("pid", ["99999999999999999999", "-1", "0", "2147483648", "1e9", " "])
def test_a_damaged_watch_lock_is_taken_over(root, pid):
    (root / ".kata").mkdir()
    (root / ".kata/watch.lock").write_text(pid)
    assert claim_log(root)
    assert (root / ".kata/watch.lock").read_text() == str(os.getpid())
    release_log(root)


@pytest.mark.parametrize("name", ["runs.jsonl", "events.jsonl"])
def test_a_run_log_that_is_a_fifo_is_never_waited_on(root, name):
    from kata.core.runlog import append_event

    (root / ".kata").mkdir()
    os.mkfifo(root / ".kata" / name)  # an open for writing would wait for a reader for ever
    append_run(root, stubs_red(root), NOW)
    append_event(root, NOW, "turn", "Ana")
    assert (root / ".kata" / name).is_fifo()
