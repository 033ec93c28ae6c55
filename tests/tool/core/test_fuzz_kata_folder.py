"""Random garbage in every .kata file, then every command, in-process with a prepared check (no pytest run, so fast).

Each case damages one place in .kata in one way (fixed seed) and runs each command: no exception escapes, stderr
has no traceback, the exit status is 0, 1 or 2, and nothing outside the kata's copy is touched."""

from __future__ import annotations

import json
import os
import random
import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from kata.__main__ import run
from kata.core.checks import Check, StepResult
from kata.core.outcome import Outcome
from kata.core.registry import STEPS
from kata.core.stubs import checkpoint_sources
from tests.tool.conftest import capture_console

SEED = 9
NOW = datetime(2026, 11, 27, 10, 0, 0)
BACKUP = "backups/2026-11-27_090000-reset"
COMMANDS = [
    [],
    ["list"],
    ["hint"],
    ["status", "--json"],
    ["reset", "3", "--yes"],
    ["goto", "4", "--yes"],
    ["restore"],
    ["restore", "2026-11-27_090000-reset", "--yes"],
    ["review"],
    ["review", "--diff", "1", "2"],
    ["review", "--restore", "1", "--yes"],
    ["review", "--runs", "1-3"],
    ["doctor"],
]


def prepared(root: Path, steps=STEPS) -> Check:
    """A check as pytest would give it: steps 1 and 2 pass, step 3 is red, the rest are stubs."""
    return Check(
        [
            StepResult(s, "green", passed=3, total=3)
            if s.number < 3
            else StepResult(
                s,
                "red",
                s.number > 3,
                0,
                3,
                Outcome(f"tests/test_{s.stem}.py::test_x", s.stem, "red", s.number > 3, "no"),
            )
            for s in steps
        ],
        0.1,
    )


def healthy_kata(folder: Path) -> Path:
    """A small kata (steps/ only: file commands need no more) with a healthy .kata: progress, a backup, a run log."""
    root = folder / "kata"
    (root / "steps").mkdir(parents=True)
    for path, text in checkpoint_sources(3).items():
        (root / path).write_text(text)
    (root / "steps/step03_step.py").write_text("def step(x, lr):\n    return x  # mine\n")
    state = root / ".kata"
    (state / BACKUP / "steps").mkdir(parents=True)
    (state / BACKUP / "steps/step03_step.py").write_text(
        "def step(x, lr):\n    return x - lr  # older\n"
    )
    (state / BACKUP / "backup.json").write_text(
        json.dumps(
            {"reason": "reset", "made": "2026-11-27T09:00:00", "files": ["steps/step03_step.py"]}
        )
    )
    (state / "progress.json").write_text(
        json.dumps({"states": {"1": "green", "2": "green"}, "hints": {"3": 1}})
    )
    (state / "runs").mkdir()
    lines = []
    for i in (1, 2):
        copy = f"runs/{i:04d}-step03_step.py"
        (state / copy).write_text(f"def step(x, lr):\n    return x * {i}\n")
        lines.append(
            json.dumps(
                {
                    "run": i,
                    "time": f"2026-11-27T09:3{i}:00",
                    "step": 3,
                    "state": "red",
                    "driver": "Ana",
                    "file": copy,
                }
            )
        )
    (state / "runs.jsonl").write_text("\n".join(lines) + "\n")
    (state / "groups/2026-11-27_080000").mkdir(parents=True)
    shutil.copy(state / "runs.jsonl", state / "groups/2026-11-27_080000/runs.jsonl")
    return root


def random_json(rng: random.Random, depth: int = 0) -> object:
    """A JSON value of any type, sometimes shaped almost like ours."""
    choices: list[Callable[[], object]] = [
        lambda: rng.randint(-(10**30), 10**30),
        lambda: rng.random() * 1e308,
        lambda: None,
        lambda: rng.choice([True, False]),
        lambda: "".join(rng.choice("ab/.\\:\x00\x1b[]é ") for _ in range(rng.randint(0, 30))),
    ]
    if depth < 4:
        choices += [
            lambda: [random_json(rng, depth + 1) for _ in range(rng.randint(0, 4))],
            lambda: {
                rng.choice(
                    [
                        "states",
                        "hints",
                        "files",
                        "reason",
                        "made",
                        "run",
                        "time",
                        "step",
                        "state",
                        "file",
                        "1",
                        "3",
                        "driver",
                    ]
                ): random_json(rng, depth + 1)
                for _ in range(rng.randint(0, 5))
            },
        ]
    return rng.choice(choices)()


def crafted(name: str, canary: Path) -> bytes:
    """Well-formed data whose paths point at the canary outside the kata."""
    if name.endswith("backup.json"):
        return json.dumps(
            {"reason": "r", "made": "m", "files": ["../../../../canary.txt", str(canary)]}
        ).encode()
    if name.endswith("runs.jsonl"):
        return b"".join(
            json.dumps(
                {"run": i, "time": "2026-11-27T09:00:00", "step": 3, "state": "red", "file": f}
            ).encode()
            + b"\n"
            for i, f in enumerate([str(canary), "../../canary.txt", "runs/../../../canary.txt"], 1)
        )
    return json.dumps(
        {"states": {"1": "green", "../x": "red"}, "hints": {"3": 2, "2": -1}}
    ).encode()


KINDS: dict[str, Callable[[random.Random, str, Path], bytes | str]] = {
    "random bytes": lambda rng, name, canary: rng.randbytes(rng.randint(1, 3000)),
    "empty": lambda rng, name, canary: b"",
    "truncated json": lambda rng, name, canary: (s := json.dumps(random_json(rng)) * 3)[
        : rng.randint(1, max(1, len(s) - 1))
    ],
    "wrong json types": lambda rng, name, canary: json.dumps(random_json(rng)),
    "huge numbers": lambda rng, name, canary: (
        '{"hints": {"3": 1e400}, "states": {"1": 10E999}, "run": '
        + "9" * 5000
        + ', "step": -1e400, "files": [1e400]}'
    ),
    "deep nesting": lambda rng, name, canary: rng.choice(["[", '{"a":']) * 200_000,
    "a very long line": lambda rng, name, canary: b"{" + b"x" * 500_000,
    "paths to outside": lambda rng, name, canary: crafted(name, canary),
    "a folder": lambda rng, name, canary: "folder",
    "a symlink outside": lambda rng, name, canary: "symlink",
    "a FIFO": lambda rng, name, canary: (
        "fifo"
    ),  # an open that waits for a writer would hang the command
    "a symlink to /dev/zero": lambda rng, name, canary: (
        "zero"
    ),  # a read without bound would never end
    "a time out of range": lambda rng, name, canary: (
        "".join(
            json.dumps({"run": i, "time": when, "step": 3, "state": "red", "event": "turn"}) + "\n"
            for i, when in enumerate(
                ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "2026-11-27T09:00:00"], 1
            )
        )
        if name.endswith("jsonl")
        else "99999999999999999999"
    ),
}
# files are damaged two groups at a time (each with its own garbage), so every file meets every kind in a few cases;
# a backup's manifest and the file it names are in different groups, so one does not hide the other
FILES = [
    ("progress.json", f"{BACKUP}/backup.json", "runs.jsonl", "watch.lock", "dojo.json"),
    (
        f"{BACKUP}/steps/step03_step.py",
        "runs/0001-step03_step.py",
        "groups/2026-11-27_080000/runs.jsonl",
        "events.jsonl",
    ),
]
# where a write through a predictable temporary name would land outside (the dojo once used .dojo.json.PID.tmp)
TEMPORARY = [
    ".kata/.dojo.json.{pid}.tmp",
    ".kata/.progress.json.{pid}.tmp",
    ".kata/.progress.json.kata-tmp",
    ".kata/runs/.0003-step03_step.py.kata-tmp",
    "steps/.step03_step.py.{pid}.tmp",
    "steps/.step03_step.py.kata-tmp",
]
FOLDERS = ["", "backups", BACKUP, "runs", "groups"]  # "" is .kata itself
CASES = [(names, kind) for names in FILES for kind in KINDS] + [
    ((name,), kind) for name in FOLDERS for kind in ("random bytes", "a symlink outside")
]


def damage(root: Path, name: str, kind: str, rng: random.Random, outside: Path) -> None:
    """Put garbage of this kind at .kata/NAME, in place of what was there."""
    path = root / ".kata" / name if name else root / ".kata"
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    made = KINDS[kind](rng, name, outside / "canary.txt")
    if made == "folder":
        (path / "inside").mkdir(parents=True)
    elif made == "symlink":
        path.symlink_to(outside / ("elsewhere" if name in FOLDERS else "canary.txt"))
    elif made == "fifo":
        os.mkfifo(path)
    elif made == "zero":
        path.symlink_to("/dev/zero")
    else:
        path.write_bytes(made if isinstance(made, bytes) else made.encode("utf-8", "surrogatepass"))


def everything_outside(folder: Path) -> dict[str, bytes]:
    """Every file around the kata's copy (not inside it), with its bytes."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else b"<dir>")
        for p in sorted(folder.rglob("*"))
        if "kata" not in p.relative_to(folder).parts
    }


@pytest.mark.parametrize(
    ("names", "kind"),
    CASES,
    ids=[f"{'+'.join(n or '.kata' for n in names)}:{k}" for names, k in CASES],
)
def test_garbage_in_kata_never_gives_a_traceback_or_touches_anything_outside(
    tmp_path, capsys, names, kind
):
    rng = random.Random(f"{SEED}:{names}:{kind}")
    root = healthy_kata(tmp_path)
    (tmp_path / "canary.txt").write_text("the canary\n")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere/backup.json").write_text(
        '{"reason": "r", "made": "m", "files": ["steps/step03_step.py"]}'
    )
    for name in names:
        damage(root, name, kind, rng, tmp_path)
    before = everything_outside(tmp_path)
    run_everything(root, tmp_path, capsys, before)


def run_everything(root: Path, folder: Path, capsys, before: dict[str, bytes]) -> None:
    """Every command, then the dojo's rotation read and saved: no traceback, no exit status but 0, 1 or 2, and
    nothing outside the kata touched."""
    from kata.dojo.projector import Rotation, load_rotation, save_rotation

    for argv in COMMANDS:
        console = capture_console(80)
        try:
            status = run(
                argv,
                console=console,
                read=lambda prompt: "y",
                now=lambda: NOW,
                check=prepared,
                root=root,
            )
        except BaseException as error:  # noqa: BLE001 -- the point: nothing may escape run()
            pytest.fail(f"python -m kata {' '.join(argv)} raised {type(error).__name__}: {error}")
        err = capsys.readouterr().err
        assert status in (0, 1, 2), f"python -m kata {' '.join(argv)} exited {status}"
        assert "Traceback" not in err, f"python -m kata {' '.join(argv)}: {err}"
        assert everything_outside(folder) == before, (
            f"python -m kata {' '.join(argv)} touched a file outside the kata"
        )
    load_rotation(root, ["Ana", "Bo"])
    save_rotation(root, Rotation(["Ana", "Bo"], 60.0, 0.0))
    save_rotation(root, Rotation(["Ana", "Bo"], 60.0, 0.0), given=["Ana", "Bo"])
    assert "Traceback" not in capsys.readouterr().err
    assert everything_outside(folder) == before, (
        "the dojo's rotation touched a file outside the kata"
    )


@pytest.mark.parametrize("planted", TEMPORARY)
def test_a_symlink_planted_where_a_temporary_file_could_go_is_never_written_through(
    tmp_path, capsys, planted
):
    root = healthy_kata(tmp_path)
    (tmp_path / "canary.txt").write_text("the canary\n")
    (tmp_path / "elsewhere").mkdir()
    link = root / planted.format(pid=os.getpid())
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(tmp_path / "canary.txt")
    before = everything_outside(tmp_path)
    run_everything(root, tmp_path, capsys, before)
    assert (tmp_path / "canary.txt").read_text() == "the canary\n"
