"""Every command and flag of `python -m kata`, with bad values: exit status 2, one line on stderr starting 'kata: ', no traceback.

The commands and flags come from build_parser itself, so a new flag is fuzzed as soon as it exists.
Most cases run in-process (fast); a few run as a learner types them, in a subprocess.
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from kata.__main__ import build_parser, run
from kata.core.registry import STEPS
from kata.core.workspace import STATE_DIR
from tests.tool.conftest import copy_kata

BAD = [
    "",
    " ",
    "0",
    "-1",
    "99999999999999999999",
    "-99999999999999999999",
    "nan",
    "inf",
    "-inf",
    "1e999",
    "abc",
    "3.5",
    "\udcff\udcfe",
    "x" * 10_000,
    "\x1b[31mred",
    "../../etc/passwd",
]
# values that mean something for a flag that takes free text: these are not mistakes there
VALID = {
    ("dojo", "--drivers"): {  # ("" and " " name nobody: a usage error)
        "0",
        "-1",
        "99999999999999999999",
        "-99999999999999999999",
        "nan",
        "inf",
        "-inf",
        "1e999",
        "abc",
        "3.5",
        "../../etc/passwd",
    },
    ("restore", "backup"): {""},  # no name: list the backups
    ("dojo", "--rotate"): {"3.5"},  # three and a half minutes per turn
    ("dojo", "--break"): {"3.5"},  # a break every three and a half minutes
    ("dojo", "--table"): {
        "0",
        "-1",
        "99999999999999999999",
        "-99999999999999999999",
        "nan",
        "inf",
        "1e999",
        "abc",
        "3.5",
        "../../etc/passwd",
    },
}  # a machine's name: any short printable text


def commands() -> dict[str, argparse.ArgumentParser]:
    """Each subcommand's parser, by name."""
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def flag_cases() -> list[list[str]]:
    """A command line per (command, flag that takes a value, bad value), plus unknown flags and missing values."""
    cases: list[list[str]] = [["frobnicate"], ["--nope"], ["\udcff"], ["check", "extra"]]
    for name, parser in commands().items():
        cases += [[name, "--nope"], [name, "--nope=1"], [name, "-z"]]
        for action in parser._actions:
            if action.nargs == 0 or isinstance(action, argparse._HelpAction):
                continue  # --yes, --force, --json: no value to get wrong
            flag = action.option_strings[0] if action.option_strings else None
            key = flag or action.dest
            others = ["1"] * (action.nargs - 1) if isinstance(action.nargs, int) else []
            for value in BAD:
                if value not in VALID.get((name, key), set()):
                    cases.append([name, *([flag] if flag else []), value, *others])
            if flag:
                cases.append([name, flag])  # the value left out
    return cases


def fake_check(root: Path, steps=STEPS):
    raise AssertionError("a bad command line must be refused before any test run")


def no_answer(prompt: str) -> str:
    raise AssertionError(f"a bad command line must be refused before asking: {prompt}")


CASES = flag_cases()


def run_in_process(argv: list[str], root: Path) -> tuple[int, str]:
    """Run `python -m kata ARGV`; return its status and stderr, as UTF-8 with undecodable bytes shown (as Python's is)."""
    raw = io.BytesIO()
    stderr = io.TextIOWrapper(raw, encoding="utf-8", errors="backslashreplace", write_through=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sys, "stderr", stderr)
        status = run(
            argv, console=Console(file=io.StringIO()), read=no_answer, check=fake_check, root=root
        )
    return status, raw.getvalue().decode("utf-8")


@pytest.fixture(scope="module")
def shared_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of the kata for every case: a refused command line changes nothing (the last test checks)."""
    return copy_kata(tmp_path_factory.mktemp("fuzz") / "kata")


@pytest.mark.parametrize("argv", CASES, ids=[" ".join(argv)[:60] for argv in CASES])
def test_a_bad_flag_is_one_line_and_exit_2(shared_copy, argv):
    status, err = run_in_process(argv, shared_copy)
    assert status == 2, err
    assert err.startswith("kata: ") and len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err and len(err) < 400


def test_the_fuzz_covers_every_command_and_flag():
    covered = {
        (argv[0], argv[1])
        for argv in CASES
        if len(argv) > 2 and argv[1].startswith("--") and argv[1] != "--nope"
    }
    for name, parser in commands().items():
        for action in parser._actions:
            if (
                action.option_strings
                and action.nargs != 0
                and not isinstance(action, argparse._HelpAction)
            ):
                assert (name, action.option_strings[0]) in covered


@pytest.mark.parametrize(
    "argv",
    [
        ["goto", "99999999999999999999"],
        ["--nope"],
        ["dojo", "--rotate", "nan"],
        ["hint", b"\xff\xfe"],
        ["review", "--merge", "x" * 5000],
        ["review", "--diff", "1"],
        ["dojo", "--drivers", "y" * 100_000],
    ],
    ids=[
        "huge step",
        "unknown flag",
        "nan minutes",
        "non-UTF-8 bytes",
        "path too long",
        "one of two",
        "huge drivers",
    ],
)
def test_as_a_learner_types_it(kata_copy, argv):
    done = subprocess.run(
        [sys.executable, "-m", "kata", *argv],
        cwd=kata_copy,
        capture_output=True,
        timeout=60,
        env={**os.environ, "COLUMNS": "80"},
        stdin=subprocess.DEVNULL,
        check=False,
    )
    err = done.stderr.decode("utf-8", "replace")
    assert (
        done.returncode == 2 and err.startswith("kata: ") and len(err.strip().splitlines()) == 1
    ), err
    assert "Traceback" not in err and not done.stdout


def test_the_refused_command_lines_changed_nothing(shared_copy):
    fresh = copy_kata(shared_copy.parent / "fresh")
    for path in sorted((fresh / "steps").iterdir()):
        assert (shared_copy / "steps" / path.name).read_bytes() == path.read_bytes()
    assert not (shared_copy / STATE_DIR / "backups").exists()


# closed and full streams: every command, as a learner's shell or a script might start it

STREAMS = {"stdin closed": "<&-", "stdout on /dev/full": ">/dev/full", "stdout closed": ">&-"}
STREAM_COMMANDS = [
    [],
    ["list"],
    ["hint"],
    ["solution", "2", "--force"],
    ["reset", "1"],
    ["goto", "3"],
    ["status", "--json"],
    ["review"],
]
ASKING = {
    "solution",
    "reset",
    "goto",
}  # they ask before overwriting work, or before showing a solution early
FULL = "kata: the output cannot be written (No space left on device): stopped."


@pytest.fixture(scope="module")
def streamed(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], tuple[int, str]]:
    """Each command under each stream condition, in a copy of its own with work in step 1: (status, stderr)."""
    from tests.tool.conftest import side_by_side

    base = tmp_path_factory.mktemp("streams")

    def one(number: int, argv: list[str], stream: str) -> tuple[int, str]:
        root = copy_kata(base / str(number))
        if argv and argv[0] in ASKING and stream != "stdin closed":
            argv = [*argv, "--yes"]  # stdin is no terminal here either: go ahead, and write
        (root / "steps/step01_parabola.py").write_text("def f(x):\n    return (x - 3) ** 2 + 2\n")
        done = subprocess.run(
            ["sh", "-c", f'exec "$0" "$@" {STREAMS[stream]}', sys.executable, "-m", "kata", *argv],
            cwd=root,
            env={**os.environ, "COLUMNS": "80"},
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL if stream == "stdin closed" else None,
            timeout=120,
            check=False,
        )
        return done.returncode, done.stderr.decode("utf-8", "replace")

    cases = [(argv, stream) for argv in STREAM_COMMANDS for stream in STREAMS]
    jobs = {
        (" ".join(argv), stream): (lambda n=n, argv=argv, stream=stream: one(n, argv, stream))
        for n, (argv, stream) in enumerate(cases)
    }
    return side_by_side(jobs, workers=4)


@pytest.mark.parametrize("stream", STREAMS)
@pytest.mark.parametrize(
    "argv", STREAM_COMMANDS, ids=[" ".join(a) or "check" for a in STREAM_COMMANDS]
)
def test_a_closed_or_full_stream_is_one_line_and_a_clean_exit(streamed, argv, stream):
    status, err = streamed[" ".join(argv), stream]
    assert "Traceback" not in err and "Exception ignored" not in err, err
    assert status in (0, 1, 2), err
    lines = err.strip().splitlines()
    if stream == "stdout on /dev/full":
        assert status == 1 and lines[-1] == FULL, err
    if stream == "stdin closed" and argv and argv[0] in ASKING:
        assert status == 2 and len(lines) == 1 and "there is no terminal to ask" in lines[0], err
