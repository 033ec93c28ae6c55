"""Learner code that hangs, exits, floods, allocates or forks: the kata says what happened in one line, and nothing escapes.

Each case writes a misbehaving steps/step01_parabola.py into its own copy of the kata and runs
`python -m kata` there (in-process, with a real guarded pytest child), with small limits. The cases
run side by side in a few threads, once per module, so the whole file stays fast.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import pytest
from rich.console import Console

from kata.__main__ import run
from kata.core import checks, guard, limits
from kata.core.checks import Check, run_check
from kata.core.registry import STEPS, Step
from kata.core.stubs import checkpoint_sources
from tests.tool.conftest import capture_console, copy_kata, soon
from tests.tool.sessions import settle

LIMITS = {"KATA_TIME_LIMIT": "1", "KATA_MEMORY_LIMIT": "400", "COLUMNS": "80"}
MINE = "steps/step01_parabola.py"
T = TypeVar("T")
RIGHT = "    return (x - 3) ** 2 + 2\n"

RECORD = "open('forked.pids', 'a').write(f'{os.getpid()}\\n')"  # a process the learner's code started notes its pid


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip()


def forking(leave: str) -> str:
    """A step 1 whose f forks a process that leaves the check's process group with `leave`, notes its pid, sleeps."""
    return dedent(
        f"""
        import os, time
        def f(x):
            if os.fork() == 0:
                {leave}
                {RECORD}
                time.sleep(300)
            return (x - 3) ** 2 + 2
        """
    )


# the learner's code starts processes that leave the check's process group, each noting its pid in forked.pids
ESCAPES = {
    "a fork in a process group of its own": forking("os.setpgid(0, 0)"),
    "a fork in a session of its own": forking("os.setsid()"),
    "a Popen with process_group=0": dedent(
        """
        import os, subprocess, time
        def f(x):
            subprocess.Popen(["sh", "-c", "echo $$ >> forked.pids; exec sleep 300"], process_group=0)
            while not os.path.exists("forked.pids"):  # it has started
                time.sleep(0.01)
            return (x - 3) ** 2 + 2
        """
    ),
    "a double fork": dedent(
        f"""
        import os, time
        def f(x):
            if os.fork() == 0:
                if os.fork() == 0:
                    os.setsid()
                    {RECORD}
                    time.sleep(300)
                os._exit(0)
            os.wait()
            return (x - 3) ** 2 + 2
        """
    ),
    "a fork loop at import": dedent(
        f"""
        import os, time
        if os.fork() == 0:
            os.setsid()
            {RECORD}
            for _ in range(100):
                if os.fork() == 0:
                    os.setsid()
                    {RECORD}
                    time.sleep(300)
                time.sleep(0.01)
            time.sleep(300)
        def f(x):
            return (x - 3) ** 2 + 2
        """
    ),
}

CASES = {
    "loop at import": "while True:\n    pass\n",
    "sleep at import": "import time\ntime.sleep(60)\n",
    "alarm turned off, then a loop": (
        "import signal\ndef f(x):\n    signal.setitimer(signal.ITIMER_REAL, 0)\n    while True:\n        pass\n"
    ),
    "alarm ignored at import, then a loop": (
        "import signal\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)\ndef f(x):\n    while True:\n        pass\n"
    ),
    "time limit caught, then a loop": (
        "def f(x):\n    while True:\n        try:\n            while True:\n                pass\n"
        "        except BaseException:\n            pass\n"
    ),
    "os._exit replaced, then the limit caught": (
        "import os\nos._exit = lambda status: None\ndef f(x):\n    while True:\n        try:\n"
        "            while True:\n                pass\n        except BaseException:\n            pass\n"
    ),
    "sys.exit(0) in f": "import sys\ndef f(x):\n    sys.exit(0)\n",
    "sys.exit(3) in f": "import sys\ndef f(x):\n    sys.exit(3)\n",
    "sys.exit(0) at import": "import sys\nsys.exit(0)\n",
    "os._exit(0) in f": "import os\ndef f(x):\n    os._exit(0)\n",
    "os._exit(0) at import": "import os\nos._exit(0)\n",
    "KeyboardInterrupt in f": "def f(x):\n    raise KeyboardInterrupt\n",
    "KeyboardInterrupt at import": "raise KeyboardInterrupt\n",
    "BaseException in f": "def f(x):\n    raise BaseException('boom')\n",
    "BaseException at import": "raise BaseException('boom')\n",
    "a 100 MB print flood": "def f(x):\n    for i in range(100_000):\n        print('x' * 1000)\n"
    + RIGHT,
    "a 10 GB allocation in f": "def f(x):\n    a = bytearray(10**10)\n" + RIGHT,
    "a 10 GB allocation at import": "a = [0.0] * (10**10 // 8)\ndef f(x):\n" + RIGHT,
    "a kill of its own process group": "import os, signal\ndef f(x):\n    os.killpg(0, signal.SIGKILL)\n",
    "the memory limit raised, then 10 GB": (
        "import resource\nresource.setrlimit(resource.RLIMIT_AS, (resource.RLIM_INFINITY,) * 2)\n"
        "a = bytearray(10**10)\ndef f(x):\n" + RIGHT
    ),
    "a fork whose child sleeps": (
        "import os, time\ndef f(x):\n    if os.fork() == 0:\n"
        "        with open('forked.pids', 'a') as file:\n            file.write(f'{os.getpid()}\\n')\n"
        "        time.sleep(300)\n        os._exit(0)\n" + RIGHT
    ),
    **ESCAPES,
    "a kill of the process above it": dedent(
        f"""
        import os, time
        def f(x):
            if os.fork() == 0:
                os.setsid()
                {RECORD}
                time.sleep(300)
            time.sleep(0.2)
            os.kill(os.getppid(), 9)
            time.sleep(5)
        """
    ),
    "a thread that never ends": (
        "import threading, time\nthreading.Thread(target=time.sleep, args=(300,)).start()\ndef f(x):\n"
        + RIGHT
    ),
    "builtins and json.dumps replaced": (
        "import builtins, json\nbuiltins.isinstance = lambda *args: False\nbuiltins.len = lambda *args: 0\n"
        "json.dumps = lambda *args, **kwargs: 1 / 0\ndef f(x):\n" + RIGHT
    ),
    "a 5 MB answer": "def f(x):\n    return 'z' * 5_000_000\n",
    "the time limit's functions rebound in f": (
        "import signal\ndef f(x):\n    signal.setitimer = signal.signal = lambda *args: None\n"
        + RIGHT
    ),
}


def check_step_1(root: Path, steps: Sequence[Step] = STEPS) -> Check:
    """The kata's check, of step 1 only: the case is there, and one test file starts faster than ten."""
    return run_check(root, steps[:1])


def kata_screen(root: Path) -> tuple[int, list[str], float, Check]:
    """Run `python -m kata` on a copy (checking step 1); return the exit status, the screen's lines, the seconds
    and the check the screen was drawn from."""
    console = capture_console(80)
    checks: list[Check] = []

    def check(root: Path, steps: Sequence[Step] = STEPS) -> Check:
        checks.append(check_step_1(root, steps))
        return checks[-1]

    started = time.monotonic()
    status = run([], console=console, read=lambda prompt: "", check=check, root=root)
    lines = [line.strip() for line in console.export_text().splitlines() if line.strip()]
    return status, lines, time.monotonic() - started, checks[-1]


Screens = dict[str, tuple[int, list[str], float, Path]]
WORKING = {"a 100 MB print flood"}  # cases that end by themselves, if given the time


def each_case(one: Callable[[str], T]) -> dict[str, T]:
    """one(case) for every case, side by side, with LIMITS. A case that must finish its work (a flood, capped)
    gets a time limit it cannot race on a busy machine; the others, which hang, keep the short one (the
    environment is the process's, so one group at a time)."""
    done: dict[str, T] = {}
    for limit, cases in (("1", [c for c in CASES if c not in WORKING]), ("20", list(WORKING))):
        with pytest.MonkeyPatch.context() as patch:
            for name, value in {**LIMITS, "KATA_TIME_LIMIT": limit}.items():
                patch.setenv(name, value)
            with ThreadPoolExecutor(max_workers=6) as pool:
                done |= dict(zip(cases, pool.map(one, cases)))
    return {name: done[name] for name in CASES}


def every_screen(base: Path) -> tuple[Screens, dict[str, Check]]:
    """Every case's screen, run side by side (the checks are child processes; the threads only wait), and the
    check behind it. The conftest's `misbehaving` runs this once for this file and test_warm.py."""

    def one(name: str) -> tuple[int, list[str], float, Path, Check]:
        root = copy_kata(base / name.replace(" ", "-").replace("/", "-"))
        (root / MINE).write_text(CASES[name], encoding="utf-8")
        status, lines, seconds, check = kata_screen(root)
        return status, lines, seconds, root, check

    done = each_case(one)
    return {name: found[:4] for name, found in done.items()}, {
        name: found[4] for name, found in done.items()
    }


@pytest.fixture(scope="module")
def screens(runs, misbehaving: tuple[Screens, dict[str, Check]]) -> Screens:
    """Every case's screen; and the learner's command lines (`runs`) start now."""
    return misbehaving[0]


def said(screens: Screens, case: str) -> tuple[str, str]:
    """The state line and the words below it: what the learner reads first (after the progress bar)."""
    status, lines, seconds, _ = screens[case]
    assert status == 1, lines
    assert seconds < soon(15), f"{case} took {seconds:.1f} s"
    state = next(line for line in lines if "Step 1 of 10" in line)
    return state, " ".join(lines[lines.index(state) + 1 :])


@pytest.mark.parametrize("case", ["loop at import", "sleep at import"])
def test_a_hang_at_import_is_a_timeout_that_names_the_file(screens, case):
    state, words = said(screens, case)
    assert state.startswith("⏱ TIMEOUT")
    assert words.startswith(
        "step 1 ran past its time limit of 1 s while Python loaded steps/step01_parabola.py"
    )


@pytest.mark.parametrize(
    "case",
    [
        "alarm turned off, then a loop",
        "time limit caught, then a loop",
        "os._exit replaced, then the limit caught",
    ],
)
def test_a_loop_that_defeats_the_time_limit_is_ended_by_the_watchdog(screens, case):
    state, words = said(screens, case)
    assert state.startswith("⏱ TIMEOUT")
    assert words.startswith("step 1 ran past its time limit of 1 s and would not stop")
    assert "steps/step01_parabola.py" in words.split("Edit")[0]
    assert "at steps/step01_parabola.py, line " in words  # where the watchdog found it


def test_a_time_limit_ignored_at_import_is_put_back_for_each_test(screens):
    state, words = said(screens, "alarm ignored at import, then a loop")
    assert state.startswith("⏱ TIMEOUT") and words.startswith(
        "step 1 ran past its time limit of 1 s"
    )


@pytest.mark.parametrize("case, code", [("sys.exit(0) in f", "0"), ("sys.exit(3) in f", "3")])
def test_sys_exit_in_f_is_red_not_green(screens, case, code):
    state, words = said(screens, case)
    assert state.startswith("✗ RED")
    assert f"steps/step01_parabola.py called sys.exit({code}) (SystemExit)" in words


def test_sys_exit_at_import_is_amber(screens):
    state, words = said(screens, "sys.exit(0) at import")
    assert state.startswith("! AMBER") and words.startswith(
        "steps/step01_parabola.py stops while Python loads it: SystemExit"
    )


@pytest.mark.parametrize("case", ["os._exit(0) in f", "os._exit(0) at import"])
def test_os_exit_ends_the_run_and_is_named_red(screens, case):
    state, words = said(screens, case)
    assert state.startswith("✗ RED")
    assert (
        "steps/step01_parabola.py ended the whole test run in the middle of a test (exit status 0)"
        in words
    )
    assert "0 of 0" not in words


def test_a_kill_of_its_own_group_ends_only_the_run_and_is_named(screens):
    state, words = said(screens, "a kill of its own process group")
    assert state.startswith("✗ RED")
    assert "steps/step01_parabola.py was running when the test run was ended by SIGKILL" in words
    assert screens["a kill of its own process group"][1][1].startswith(
        "Note: the test run was ended by SIGKILL"
    )


def test_keyboard_interrupt_in_f_is_a_failing_test_not_the_end_of_the_session(screens):
    state, words = said(screens, "KeyboardInterrupt in f")
    assert state.startswith("✗ RED") and "12 of 12 tests fail" in words
    assert "steps/step01_parabola.py raised KeyboardInterrupt" in words


def test_keyboard_interrupt_at_import_is_amber(screens):
    state, words = said(screens, "KeyboardInterrupt at import")
    assert state.startswith("! AMBER") and words.startswith(
        "steps/step01_parabola.py stops while Python loads it"
    )


def test_base_exception_is_red_in_f_and_amber_at_import(screens):
    state, words = said(screens, "BaseException in f")
    assert state.startswith("✗ RED") and "BaseException: boom" in words
    state, words = said(screens, "BaseException at import")
    assert state.startswith("! AMBER")
    assert words.startswith(
        "steps/step01_parabola.py stops while Python loads it: BaseException: boom (line 1)"
    )


def test_a_print_flood_is_capped_and_named(screens):
    state, words = said(screens, "a 100 MB print flood")
    assert state.startswith("✗ RED")
    assert (
        f"steps/step01_parabola.py: your code printed more than the kata keeps ({guard.OUTPUT_LIMIT >> 20} MB)"
        in words
    )


@pytest.mark.parametrize(
    "case, look",
    [("a 10 GB allocation in f", "✗ RED"), ("a 10 GB allocation at import", "! AMBER")],
)
def test_a_huge_allocation_hits_the_memory_limit_and_is_never_green(screens, case, look):
    state, words = said(screens, case)
    assert state.startswith(look)
    assert (
        "steps/step01_parabola.py: your code tried to use more memory than the kata allows (400 MB)"
    ) in words


def test_learner_code_cannot_raise_the_memory_limit(screens):
    state, words = said(screens, "the memory limit raised, then 10 GB")
    assert state.startswith("! AMBER") and "ValueError: not allowed to raise maximum limit" in words


@pytest.mark.parametrize("case", ["a fork whose child sleeps", *ESCAPES])
def test_no_process_the_learners_code_starts_outlives_the_check(screens, case):
    _, lines, _, root = screens[case]
    assert "1 of 1 steps done" in lines[0]  # the parent returned the right answer
    pids = [int(pid) for pid in (root / "forked.pids").read_text().split()]
    assert pids and not [pid for pid in pids if alive(pid)]


def test_a_kill_of_the_process_above_ends_the_run_and_nothing_escapes(screens):
    state, words = said(screens, "a kill of the process above it")
    assert state.startswith("✗ RED")
    assert "steps/step01_parabola.py was running when the test run was ended by SIGKILL" in words
    pids = [
        int(pid)
        for pid in (screens["a kill of the process above it"][3] / "forked.pids")
        .read_text()
        .split()
    ]
    assert pids and not [pid for pid in pids if alive(pid)]


def test_a_thread_that_never_ends_does_not_hold_the_check_to_the_runs_limit(screens):
    _, lines, seconds, _ = screens["a thread that never ends"]
    assert "1 of 1 steps done" in lines[0]
    assert seconds < limits.MARGIN  # the run's limit is 21 s: it did not wait for it


def test_replaced_builtins_and_json_do_not_break_the_kata_s_report(screens):
    state, words = said(screens, "builtins and json.dumps replaced")
    assert state.startswith("✗ RED") and "tests fail" in words
    assert "ended the whole test run" not in words and "INTERNALERROR" not in words


def test_the_time_limit_keeps_its_own_functions_whatever_f_rebinds(screens):
    _, lines, _, _ = screens["the time limit's functions rebound in f"]
    assert "1 of 1 steps done" in lines[0]


def test_a_huge_answer_is_cut_in_the_message_not_the_end_of_the_run(screens):
    state, words = said(screens, "a 5 MB answer")
    assert state.startswith("✗ RED") and "characters cut]" in words
    assert len(words) < 5_000 and "ended the whole test run" not in words


def alive(pid: int) -> bool:
    """Whether a process still runs (a zombie waiting for its reaper does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def test_a_run_that_stops_itself_is_killed_whole_and_named(kata_copy, monkeypatch):
    (kata_copy / MINE).write_text(
        "import os, signal\ndef f(x):\n    os.kill(os.getpid(), signal.SIGSTOP)\n"
    )
    monkeypatch.setenv("KATA_TIME_LIMIT", "1")
    # neither SIGALRM nor the watchdog can run: the parent kills
    monkeypatch.setattr(checks, "SLACK", 0.5)
    # the parent's patience with a busy machine (it sees only the wall clock) is tested in test_limits.py
    monkeypatch.setattr(checks, "patience", lambda: 1.0)
    started = time.monotonic()
    check = run_check(kata_copy, STEPS[:1])
    # the test's limit, not the whole run's
    assert time.monotonic() - started < 1 + limits.GRACE + 0.5 + 3
    result = check.steps[0]
    assert result.state == "timeout"
    assert check.trouble == (
        "tests/test_step01_parabola.py::test_the_lowest_point_is_2_at_x_equals_3 went past its "
        "time limit and would not stop, so the test run was stopped"
    )
    assert result.message.startswith("step 1 ran past its time limit of 1 s and would not stop")
    assert "steps/step01_parabola.py" in result.message


BAD_LIMITS = ["0", "-1", "nan", "inf", "abc", "1e9"]


@pytest.mark.parametrize("value", BAD_LIMITS)
def test_a_bad_time_limit_is_one_line_and_exit_2_from_the_kata(
    kata_copy, monkeypatch, capsys, value
):
    monkeypatch.setenv("KATA_TIME_LIMIT", value)
    status = run([], console=Console(file=io.StringIO()), check=run_check, root=kata_copy)
    err = capsys.readouterr().err
    assert status == 2 and len(err.strip().splitlines()) == 1
    assert err.startswith(
        f"kata: KATA_TIME_LIMIT must be a number of seconds above 0 and at most 600, like 30, not {value!r}"
    )


@pytest.mark.parametrize("value", ["0", "-5", "30", "nan", "inf", "lots"])
def test_a_bad_memory_limit_is_one_line_and_exit_2(kata_copy, monkeypatch, capsys, value):
    monkeypatch.setenv("KATA_MEMORY_LIMIT", value)
    status = run([], console=Console(file=io.StringIO()), check=run_check, root=kata_copy)
    err = capsys.readouterr().err
    assert status == 2 and len(err.strip().splitlines()) == 1
    assert err.startswith(
        f"kata: KATA_MEMORY_LIMIT must be a number of megabytes from 100 to 1048576, like 2048, not {value!r}"
    )


PLAIN = ["-m", "pytest", "-p", "no:cacheprovider", "--target", "steps"]  # as a learner types it
BAD_PLAIN_LIMITS = ["0", "nan", "abc"]

WINDOWS_LIKE = textwrap.dedent(
    """
    import json, signal, sys
    for name in ("resource", "termios", "tty", "fcntl"):
        sys.modules[name] = None  # import fails, as on Windows
    del signal.setitimer, signal.SIGALRM
    import kata.core.guard, kata.core.limits, kata.core.checks, kata.core.pytest_plugin
    import pytest
    print(json.dumps(kata.core.guard.missing()), flush=True)
    pytest.main(["-q", "-p", "no:cacheprovider", "--target", "steps", "--kata-report", "report.json",
                 "tests/test_step01_parabola.py"])
    """
)

# name: (the learner's files, the command after `python`, more environment), each run in its own copy with LIMITS
RUNS: dict[str, tuple[dict[str, str], list[str], dict[str, str]]] = {
    **{
        f"KATA_TIME_LIMIT={value}": (
            {},
            [*PLAIN, "tests/test_step01_parabola.py"],
            {"KATA_TIME_LIMIT": value},
        )
        for value in BAD_PLAIN_LIMITS
    },
    "plain, a hang at import": (
        {MINE: CASES["sleep at import"]},
        [*PLAIN, "tests/test_step01_parabola.py"],
        {},
    ),
    "plain, the alarm turned off": (
        {MINE: CASES["alarm turned off, then a loop"]},
        [*PLAIN, "tests/test_step01_parabola.py"],
        {},
    ),
    "plain, a flood": (
        {MINE: "def f(x):\n    print('y' * 100_000)\n" + RIGHT},
        [*PLAIN, "-rA", "tests/test_step01_parabola.py"],
        {},
    ),
    "plain, steps 1 to 3 solved": (
        checkpoint_sources(4),
        [*PLAIN, "-q", "tests/test_step03_step.py"],
        {},
    ),
    "plain, KATA_GUARDED=1 and 3 GB": (
        {MINE: "def f(x):\n    a = bytearray(3 * 10**9)\n" + RIGHT},
        [*PLAIN, "tests/test_step01_parabola.py"],
        {"KATA_GUARDED": "1"},
    ),
    "plain, atexit writes 100 MB to fd 1": (
        {
            MINE: "import atexit, os\natexit.register(lambda: os.write(1, b'x' * 100_000_000))\ndef f(x):\n"
            + RIGHT
        },
        [*PLAIN, "tests/test_step01_parabola.py"],
        {},
    ),
    "plain -s, 2 MB printed by each test": (
        {MINE: "def f(x):\n    print('y' * 2_000_000)\n" + RIGHT},
        [*PLAIN, "-s", "tests/test_step01_parabola.py"],
        {},
    ),
    "plain, a fork in a session of its own": (
        {MINE: ESCAPES["a fork in a session of its own"]},
        [*PLAIN, "tests/test_step01_parabola.py"],
        {},
    ),
    "no POSIX modules, a loop at import": (
        {MINE: CASES["loop at import"]},
        ["-c", WINDOWS_LIKE],
        {},
    ),
}


@pytest.fixture(scope="module")
def runs(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[str, Future[tuple[subprocess.CompletedProcess[str], float, Path]]]]:
    """Each of RUNS, started at once in threads: what it did, its seconds and its copy (futures). Most of each run
    waits for a time limit: `screens` asks for them, so they start with the module's first test (once the screens,
    a session fixture, are drawn) and wait while the tests before theirs run."""
    settle()  # one-second limits: see sessions.py
    base = tmp_path_factory.mktemp("runs")
    env = {**os.environ, **LIMITS}

    def one(name: str) -> tuple[subprocess.CompletedProcess[str], float, Path]:
        files, argv, more = RUNS[name]
        root = copy_kata(base / "".join(c if c.isalnum() else "-" for c in name))
        for path, text in files.items():
            (root / path).write_text(text)
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, *argv],
            cwd=root,
            env={**env, **more},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        return done, time.monotonic() - started, root

    with ThreadPoolExecutor(max_workers=4) as pool:
        yield {name: pool.submit(one, name) for name in RUNS}


@pytest.mark.parametrize("value", BAD_PLAIN_LIMITS)
def test_a_bad_time_limit_is_one_line_and_exit_2_from_plain_pytest(runs, value):
    done, _, _ = runs[f"KATA_TIME_LIMIT={value}"].result()
    assert done.returncode == 2 and "Traceback" not in done.stderr + done.stdout
    assert done.stderr.strip().splitlines() == [
        f"kata: KATA_TIME_LIMIT must be a number of seconds above 0 and at most 600, like 30, not {value!r}"
    ]


def test_plain_pytest_is_guarded_a_hang_at_import_ends_with_the_next_move(runs):
    done, seconds, _ = runs["plain, a hang at import"].result()
    assert seconds < soon(15) and done.returncode == 1
    assert "kata target: steps/ (your code)" in done.stdout
    assert (
        "kata: step 1, The parabola: step 1 ran past its time limit of 1 s while Python loaded"
        in done.stdout
    )
    assert "kata: edit steps/step01_parabola.py" in done.stdout


def test_plain_pytest_watchdog_names_the_test_and_the_file(runs):
    done, _, _ = runs["plain, the alarm turned off"].result()
    assert done.returncode == 1
    assert (
        "kata: TIMEOUT steps/step01_parabola.py: tests/test_step01_parabola.py::test_the_lowest_point_is_2_at_x_equals_3 "
        "ran past its time limit of 1 s and would not stop"
    ) in done.stdout
    # the next move
    assert done.stdout.rstrip().endswith(
        "python -m pytest --target steps tests/test_step01_parabola.py"
    )


def test_plain_pytest_shows_only_the_end_of_a_flood(runs):
    done, _, _ = runs["plain, a flood"].result()
    assert done.returncode == 0 and len(done.stdout) < 12 * 2_500 + 10_000
    assert "characters cut; the last 2,000 follow" in done.stdout


def test_kata_guarded_in_the_environment_does_not_switch_the_guard_off(runs):
    done, _, _ = runs["plain, KATA_GUARDED=1 and 3 GB"].result()
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "your code tried to use more memory than the kata allows (400 MB)" in done.stdout


def test_plain_pytest_passes_on_at_most_16_mb_then_the_runs_last_lines(runs):
    done, _, _ = runs["plain -s, 2 MB printed by each test"].result()
    assert done.returncode == 0 and "INTERNALERROR" not in done.stdout + done.stderr
    assert len(done.stdout) + len(done.stderr) < guard.OUTPUT_LIMIT + 20_000
    assert "kata: the test run printed more than 16 MB:" in done.stdout
    assert done.stdout.rstrip().endswith("kata:   python -m kata")  # the next move still comes last


def test_what_atexit_code_writes_to_the_terminal_is_capped_too(runs):
    done, _, _ = runs["plain, atexit writes 100 MB to fd 1"].result()
    assert done.returncode == 0 and "INTERNALERROR" not in done.stdout + done.stderr
    assert "12 passed" in done.stdout
    assert len(done.stdout) + len(done.stderr) < guard.OUTPUT_LIMIT + 20_000


def test_plain_pytest_kills_what_the_learners_code_started(runs):
    done, _, root = runs["plain, a fork in a session of its own"].result()
    assert done.returncode == 0
    pids = [int(pid) for pid in (root / "forked.pids").read_text().split()]
    assert pids and not [pid for pid in pids if alive(pid)]


def test_plain_pytest_of_solved_steps_passes_through_the_guard(runs):
    done, _, _ = runs["plain, steps 1 to 3 solved"].result()
    assert done.returncode == 0 and "passed" in done.stdout


def test_missing_says_what_this_platform_lacks(monkeypatch):
    real = guard.optional_module
    monkeypatch.setattr(
        guard, "optional_module", lambda name: None if name == "resource" else real(name)
    )
    monkeypatch.delattr(signal, "setitimer", raising=False)
    lacks = guard.missing()
    assert (
        "no memory limit: this Python has no resource module (Windows), so a huge allocation is not stopped"
        in lacks
    )
    assert any(line.startswith("no SIGALRM") for line in lacks)
    assert guard.limit_memory(10**9) is False and guard.limit_output() is False


def test_missing_says_when_a_process_can_leave_the_group(monkeypatch):
    from kata.core import keeper
    from kata.loop.doctor import guard_findings

    monkeypatch.setattr(keeper, "able", lambda: False)  # not Linux, or no /proc: no keeper
    lacks = guard.missing()
    assert any(
        line.startswith("no subreaper")
        and "a session or process group of its own outlives the check" in line
        for line in lacks
    )
    assert any("no subreaper" in line for _, line in guard_findings())


def test_a_crash_inside_pytest_is_not_shown_as_the_learners_output():
    from kata.core.checks import StepResult, summarise, unfinished

    crash = 'INTERNALERROR> Traceback (most recent call last):\nINTERNALERROR>   File "/x/_pytest/main.py"\n'
    results = [summarise(STEPS[0], [])]
    unfinished(results, [], "tests/test_step01_parabola.py::test_a", 3, "", crash)
    result: StepResult = results[0]
    assert result.message.startswith(
        "the test run broke inside pytest while steps/step01_parabola.py ran (exit status 3)"
    )
    assert result.failure is not None and result.failure.learner_output == ""


def test_without_posix_modules_the_kata_imports_and_the_watchdog_still_ends_a_loop(runs):
    """Simulate a platform with no resource, termios, tty, fcntl or SIGALRM: the modules import, and a hang is ended."""
    done, _, root = runs["no POSIX modules, a loop at import"].result()
    assert "Traceback" not in done.stderr
    lacks = json.loads(done.stdout.splitlines()[0])
    assert [line.split(":")[0] for line in lacks] == ["no memory limit", "no SIGALRM"]
    # the watchdog, as there is no SIGALRM
    assert "kata: TIMEOUT steps/step01_parabola.py" in done.stdout
    report = (root / "report.json").read_text()
    assert '"state": "timeout"' in report


def test_after_killing_a_hung_plain_pytest_run_it_names_the_test_and_the_file(
    tmp_path, monkeypatch
):
    from kata.core.checks import progress_records
    from kata.core.pytest_plugin import killed_lines

    monkeypatch.setenv("KATA_TIME_LIMIT", "1")
    progress = tmp_path / "progress.jsonl"
    progress.write_text(
        '{"start": "tests/test_step01_parabola.py::test_a"}\n{"outcome": {"nodeid": "tests/test_st'
    )
    lines = killed_lines(progress_records(progress), 21.0)
    assert lines[0] == (
        "kata: TIMEOUT steps/step01_parabola.py: tests/test_step01_parabola.py::test_a would not stop, "
        "so the test run was stopped."
    )
    assert lines[1].startswith(
        "kata: step 1, The parabola: step 1 ran past its time limit of 1 s and would not stop"
    )
    assert killed_lines(([], ""), 21.0) == ["kata: the test run went past 21 s and was stopped."]
