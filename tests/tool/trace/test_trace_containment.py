"""The tracer against hostile input and learner code that escapes (issue 19's cases on the tracer's side): one
line, the right exit status, no traceback, and never a hang."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

import pytest

from kata.core import keeper
from kata.core.stubs import checkpoint_sources
from kata.trace.cli import build_parser
from tests.tool.conftest import copy_kata, side_by_side, soon
from tests.tool.trace.test_trace import flat, trace
from tests.tool.trace.test_trace_guard import run_in

FORK_AWAY = """import os, time
def f(x):
    if not os.path.exists("forked.pid"):
        if os.fork() == 0:
            os.setsid()  # out of the child's process group, holding its pipes
            with open("forked.pid", "w") as out:
                out.write(str(os.getpid()))
            time.sleep(30)
            os._exit(0)
    return (x - 3) ** 2 + 2
"""
# the messages' pipe is whichever descriptor the child was given: write on every one that takes it
WRITES_ON_THE_PIPE = """import os
def f(x):
    for fd in range(3, 64):
        try:
            os.write(fd, b'{"kind": "error"}\\n')
        except OSError:
            pass
    return (x - 3) ** 2 + 2
"""
SLOW_GRADIENT = """import time
from .step06_predict import predict  # your step 6
def gradient(X, Y, w, b):
    time.sleep(0.05)
    errors = [p - y for p, y in zip(predict(X, w, b), Y)]
    return 2 * sum(e * x for e, x in zip(errors, X)) / len(X), 2 * sum(errors) / len(X)
"""
CASES = {
    "fork away": ("steps/step01_parabola.py", FORK_AWAY, ("parabola", "--target", "steps")),
    "write on the pipe": (
        "steps/step01_parabola.py",
        WRITES_ON_THE_PIPE,
        ("parabola", "--target", "steps"),
    ),
    "slow gradient": ("steps/step08_gradient.py", SLOW_GRADIENT, ("park", "--target", "steps")),
}


@pytest.fixture(scope="module")
def escapes(
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, tuple[subprocess.CompletedProcess[str], float, Path]]:
    """Each case traced in a copy of its own, the article's steps written, with one-second limits."""
    base = tmp_path_factory.mktemp("escapes")

    def one(number: int, name: str) -> tuple[subprocess.CompletedProcess[str], float, Path]:
        file, code, argv = CASES[name]
        root = copy_kata(base / str(number))
        for path, text in checkpoint_sources(11).items():
            (root / path).write_text(text)
        (root / file).write_text(code)
        done, seconds = run_in(root, *argv)
        return done, seconds, root

    return side_by_side({name: partial(one, number, name) for number, name in enumerate(CASES)})


def alive(pid: int) -> bool:
    """Whether a process runs (a zombie has ended: only its parent's wait is missing)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except OSError:
        return False


def test_a_fork_that_leaves_the_process_group_cannot_keep_the_tracer_waiting(escapes):
    # issue 19, case 1: the fork holds the child's pipes after the child has ended
    done, seconds, root = escapes["fork away"]
    pid = int((root / "forked.pid").read_text()) if (root / "forked.pid").exists() else 0
    try:
        assert seconds < soon(15) and "Traceback" not in done.stderr
        assert "after 40 steps x = 3.0004" in done.stdout
        # and the guard's keeper killed it with the tree before the tracer ended (Linux, where /proc tells)
        if pid and keeper.able():
            assert not alive(pid), "the fork that left its process group outlived the tracer"
    finally:
        if pid:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def test_learner_code_writing_a_message_on_the_pipe_is_one_line(escapes):
    # issue 19, case 7: {"kind": "error"} on the messages' pipe was a KeyError
    done, _, _ = escapes["write on the pipe"]
    assert done.returncode == 1 and len(done.stderr.strip().splitlines()) == 1
    assert "your code wrote on the tracer's own pipe" in done.stderr and "no said" in done.stderr
    assert "Traceback" not in done.stdout + done.stderr


def test_a_story_has_an_overall_time_limit_set_from_its_work(escapes):
    # issue 19, case 6: a gradient that sleeps 0.05 s a call never goes quiet, so only an overall limit stops it
    done, seconds, _ = escapes["slow gradient"]
    assert done.returncode == 1 and len(done.stderr.strip().splitlines()) == 1
    assert (
        "the story ran past its time limit, 2 s" in done.stderr
        and "steps/step08_gradient.py" in done.stderr
    )
    assert seconds < soon(20)


def test_too_much_work_is_refused_before_it_starts(tmp_path, capsys):
    # issue 19, case 6: 99 999 days at 20000 iterations ran for minutes with the reference
    data = tmp_path / "big.txt"
    data.write_text(
        "t v\n" + "".join(f"{15 + i % 17} {100 + (i * 7) % 500}\n" for i in range(99_999))
    )
    started = time.monotonic()
    status, _ = trace("park", "--data", str(data))
    err = capsys.readouterr().err
    assert (
        status == 2
        and "is about 1000 s of work for the reference" in err
        and "fewer --iterations" in err
    )
    assert time.monotonic() - started < 10


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_as_data_is_named_at_once(tmp_path, capsys):
    # issue 19, case 4: --data naming a FIFO hung the tracer
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    status, _ = trace("park", "--data", str(fifo))
    err = capsys.readouterr().err
    assert status == 2 and "is a FIFO (a named pipe), not a data file" in err


def test_a_file_name_with_control_characters_is_shown_escaped(tmp_path, capsys):
    # issue 19, case 11: ESC in a --data name reached the terminal
    name = tmp_path / "evil\x1b[31mred.txt"
    status, _ = trace("park", "--data", str(name))
    err = capsys.readouterr().err
    assert status == 2 and "\x1b" not in err and "evil\\x1b[31mred.txt" in err
    name.write_text("t v\n10 100\n20 200\n30 310\n")
    status, screen = trace("park", "--data", str(name), "--iterations", "10")
    assert status == 0 and "\x1b" not in screen and "evil\\x1b[31mred.txt (3 days)" in flat(screen)


def test_numbers_near_the_float_range_are_traced_without_an_overflow(tmp_path, capsys):
    # issue 19, case 7: 1e100 1, -1e100 2, 0 3 gave OverflowError
    data = tmp_path / "huge.txt"
    data.write_text("t v\n1e100 1\n-1e100 2\n0 3\n")
    status, screen = trace("park", "--data", str(data))
    err = capsys.readouterr().err
    assert status == 1 and "DIVERGED" in flat(screen) and "Traceback" not in err + screen
    data.write_text("t v\n1e200 1\n-1e200 2\n0 3\n")
    status, _ = trace("park", "--data", str(data))
    err = capsys.readouterr().err
    assert (
        status == 2
        and "too large to square in floating point" in err
        and len(err.strip().splitlines()) == 1
    )


def test_a_save_name_the_system_cannot_take_is_one_line(tmp_path, capsys):
    # issue 19, case 7: --save with a 300-character name was an OSError
    status, _ = trace("parabola", "--save", str(tmp_path / ("x" * 300 + ".txt")))
    err = capsys.readouterr().err
    assert status == 2 and "--save" in err and len(err.strip().splitlines()) == 1


def shell(workspace: Path, command: str) -> subprocess.CompletedProcess[str]:
    """A tracer command line run by the shell (for its redirections), in a copy of the kata."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "COLUMNS": "80"}
    return subprocess.run(
        ["bash", "-c", command.replace("python", sys.executable, 1)],
        cwd=workspace,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
def test_stdout_on_a_full_disk_is_one_line(kata_copy):
    # issue 19, case 7: an OSError traceback where the loop says one line
    done = shell(kata_copy, "python -m kata.trace parabola > /dev/full")
    assert done.returncode == 1 and done.stderr.strip().splitlines() == [
        "kata.trace: cannot write the output (No space left on device)."
    ]


def test_stdin_closed_with_step_runs_on(kata_copy):
    # issue 19, case 8: AttributeError: 'NoneType' object has no attribute 'isatty'
    done = shell(kata_copy, "python -m kata.trace parabola --step <&-")
    assert done.returncode == 0 and "Traceback" not in done.stderr and "ON ITS WAY" in done.stdout


def test_help_fits_80_columns():
    # issue 18: a line of the help was 82 columns
    text = build_parser().format_help()
    assert max(len(line) for line in text.splitlines()) <= 80


@pytest.mark.parametrize("story", ["check", "sweep", "scaling", "momentum", "sgd"])
def test_every_story_takes_numbers_near_the_float_range_without_a_traceback(
    tmp_path, capsys, story
):
    data = tmp_path / "huge.txt"
    data.write_text("t v\n1e100 1\n-1e100 2\n0 3\n")
    status, screen = trace(story, "--data", str(data))
    err = capsys.readouterr().err
    assert (
        status in (0, 1)
        and not err
        and "Traceback" not in screen
        and "tracer itself failed" not in screen
    )


SLOW_CURVE = """import time
def f(x):
    time.sleep(3)
    return (x - 3) ** 2 + 2
"""


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_or_sighup_stops_the_child_and_says_so_in_one_line(tmp_path, signum):
    # issue 19: one line and a clean exit, temporary files removed
    root = copy_kata(tmp_path / "kata")
    for path, text in checkpoint_sources(4).items():
        (root / path).write_text(text)
    (root / "steps/step01_parabola.py").write_text(SLOW_CURVE)
    dumps = tmp_path / "tmp"
    dumps.mkdir()
    env = {
        **os.environ,
        "PYTHONDONTWRITEBYTECODE": "1",
        "TMPDIR": str(dumps),
        "KATA_TIME_LIMIT": "30",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "kata.trace", "parabola", "--target", "steps"],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(2)  # the child is in the learner's slow f
    process.send_signal(signum)
    out, err = process.communicate(timeout=30)
    name = signal.Signals(signum).name
    assert process.returncode == 128 + signum and err.strip().splitlines() == [
        f"kata.trace: stopped ({name})."
    ]
    assert not list(dumps.iterdir())  # the child's dump file is gone with it
