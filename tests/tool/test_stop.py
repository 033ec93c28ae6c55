"""SIGTERM, SIGHUP and SIGKILL to every entry point while the learner's code runs: one line, a clean exit, and
nothing left behind (no process the learner's code started, no temporary file).

Each case runs as a learner starts it, in a copy of its own, with a step 1 that starts a process in a session of its
own (which says through a FIFO that it is in place) and then sleeps in f: the signal comes in the middle of a check.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kata.core.registry import ROOT
from tests.tool.conftest import copy_kata, side_by_side
from tests.tool.core.test_guard import alive

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX signals and FIFOs")

ESCAPING = """\
import os, time
def f(x):
    if not os.path.exists("forked.pids"):
        if os.fork() == 0:
            os.setsid()
            with open("forked.pids", "a") as file:
                file.write(f"{os.getpid()}\\n")
            ready = os.open("ready.fifo", os.O_WRONLY)  # the test reads it: the process is in place
            os.write(ready, b"x")
            time.sleep(300)
            os._exit(0)
    time.sleep(30)
    return (x - 3) ** 2 + 2
"""

COMMANDS = {
    "python -m kata": ["-m", "kata"],
    "watch": ["-m", "kata", "watch"],
    "dojo": ["-m", "kata", "dojo", "--drivers", "Ana,Bo"],
    "pytest --target steps": [
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        "--target",
        "steps",
        "tests/test_step01_parabola.py",
    ],
}
SIGNALS = {"SIGTERM": signal.SIGTERM, "SIGHUP": signal.SIGHUP, "SIGKILL": signal.SIGKILL}


def stopped(base: Path, command: str, name: str) -> tuple[int, str, list[int], Path]:
    """Start COMMAND in a fresh copy with stdin closed, send it the signal once the learner's process is in place;
    return its exit status, its stderr, the pids the learner's code noted, and the copy."""
    root = copy_kata(base / f"{command}-{name}".replace(" ", "-"))
    (root / "steps/step01_parabola.py").write_text(ESCAPING)
    os.mkfifo(root / "ready.fifo")
    ready = os.open(root / "ready.fifo", os.O_RDONLY | os.O_NONBLOCK)
    (root / "tmp").mkdir()
    env = {**os.environ, "TMPDIR": str(root / "tmp"), "COLUMNS": "80", "KATA_TIME_LIMIT": "60"}
    process = subprocess.Popen(
        ["sh", "-c", 'exec "$0" "$@" <&-', sys.executable, *COMMANDS[command]],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        assert select.select([ready], [], [], 90)[0], (
            f"{command}: the learner's process never started"
        )
        process.send_signal(SIGNALS[name])
        _, err = process.communicate(timeout=60)
    finally:
        os.close(ready)
        if process.poll() is None:
            process.kill()
    pids = [int(pid) for pid in (root / "forked.pids").read_text().split()]
    return process.returncode, err.decode("utf-8", "replace"), pids, root


@pytest.fixture(scope="module")
def ends(
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[tuple[str, str], tuple[int, str, list[int], Path]]:
    base = tmp_path_factory.mktemp("stop")
    jobs = {
        (command, name): (lambda command=command, name=name: stopped(base, command, name))
        for command in COMMANDS
        for name in SIGNALS
        if name != "SIGKILL" or command in ("python -m kata", "watch")
    }
    return side_by_side(jobs, workers=4)


def gone(pids: list[int], seconds: float = 10.0) -> list[int]:
    """The pids still alive once they have had `seconds` to die (a keeper cleans up after a SIGKILLed kata)."""
    ends = time.monotonic() + seconds
    while [pid for pid in pids if alive(pid)] and time.monotonic() < ends:
        time.sleep(0.05)
    return [pid for pid in pids if alive(pid)]


@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP"])
@pytest.mark.parametrize("command", ["python -m kata", "watch", "dojo"])
def test_a_signal_to_the_kata_stops_it_in_one_line_and_kills_the_learners_processes(
    ends, command, name
):
    status, err, pids, root = ends[command, name]
    assert status == 128 + SIGNALS[name], err
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1].startswith("kata: stopped; nothing half-written.")
    assert pids and gone(pids, 0.0) == []
    assert not list(root.rglob("*.kata-tmp")) and not list((root / "tmp").iterdir())


@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP"])
def test_a_signal_to_plain_pytest_stops_its_guarded_run(ends, name):
    status, err, pids, root = ends["pytest --target steps", name]
    assert status == 2 and err.strip().splitlines() == ["kata: stopped."], err
    assert pids and gone(pids, 0.0) == []
    assert not list((root / "tmp").iterdir())


@pytest.mark.parametrize("command", ["python -m kata", "watch"])
def test_a_sigkilled_kata_takes_the_learners_processes_with_it(ends, command):
    status, _, pids, _ = ends[command, "SIGKILL"]
    assert status == -signal.SIGKILL
    assert pids and gone(pids) == []  # the keeper's parent-death signal: it kills the tree


@pytest.mark.parametrize("stream", ["<&-", ">&-", ">/dev/full"])
def test_plain_pytest_with_a_closed_or_full_stream_ends_cleanly(kata_copy, stream):
    done = subprocess.run(
        [
            "sh",
            "-c",
            f'exec "$0" "$@" {stream}',
            sys.executable,
            *COMMANDS["pytest --target steps"],
        ],
        cwd=kata_copy,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        timeout=120,
        check=False,
    )
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 1 and "Traceback" not in err, err  # the stubs' red, nothing else


@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP"])
@pytest.mark.parametrize("prog", ["kata", "kata.trace"])
def test_a_signal_while_an_entry_point_still_loads_is_one_line_and_its_own_exit_status(prog, name):
    # before an entry point's own handlers are in place, quiet_start's hook says it, and the process ends with
    # 128 + the signal's number (Python alone would end a KeyboardInterrupt's subclass with status 1)
    code = (
        "from kata.core.cli import quiet_start\n"
        f"quiet_start({prog!r})\n"
        "import os, signal\n"
        f"os.kill(os.getpid(), signal.{name})\n"
        "import kata.core.registry\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 128 + SIGNALS[name]
    assert done.stderr.splitlines() == [f"{prog}: stopped ({name}) before anything was written."]


def test_ctrl_c_while_plain_pytest_starts_its_guarded_run_is_one_line():
    # a Ctrl-C that lands while the guarded child is being started (issue 19's verifier hit it at 0.3–0.65 s)
    code = (
        "import sys, types\n"
        "from kata.core import guard, pytest_plugin\n"
        "def popen(*args, **kwargs):\n"
        "    raise KeyboardInterrupt\n"
        "guard.popen = popen\n"
        "class Config:\n"
        "    invocation_params = types.SimpleNamespace(args=('tests/test_step01_parabola.py',), dir='.')\n"
        "    def getoption(self, name, default=None):\n"
        "        return None\n"
        "sys.exit(pytest_plugin.run_guarded(Config(), 0))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2 and done.stderr.strip().splitlines() == ["kata: stopped."], (
        done.stderr
    )
