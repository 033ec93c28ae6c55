"""The tracer against learner code that misbehaves: each case ends in one line, exit 1, in bounded time."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

import pytest

from kata.core.stubs import checkpoint_sources
from tests.tool.conftest import copy_kata, side_by_side, soon

PARABOLA = "def f(x):\n    return (x - 3) ** 2 + 2\n"


def run_in(
    workspace: Path, *argv: str, limit: str = "1"
) -> tuple[subprocess.CompletedProcess[str], float]:
    """Run the tracer in a copy of the kata with small limits; return what it did and how long it took."""
    env = {
        **os.environ,
        "PYTHONDONTWRITEBYTECODE": "1",
        "COLUMNS": "80",
        "KATA_TIME_LIMIT": limit,
        "KATA_MEMORY_LIMIT": "400",
    }
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "kata.trace", *argv],
        cwd=workspace,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return done, time.monotonic() - started


@pytest.fixture
def written(kata_copy: Path) -> Path:
    """A copy of the kata with steps 1 to 3 written (so the tracer runs the learner's code)."""
    for path, text in checkpoint_sources(4).items():
        (kata_copy / path).write_text(text)
    return kata_copy


# the learner's step01_parabola.py, and the words the tracer's one line must contain
MISBEHAVIOURS = [
    (
        "while True:\n    pass\n",
        "your code ran for 1 s without finishing a step (steps/step01_parabola.py, line ",
    ),
    (
        "import time\ntime.sleep(60)\n" + PARABOLA,
        "your code ran for 1 s without finishing a step (steps/step01_parabola.py",
    ),
    (
        "import signal\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)\ndef f(x):\n    while True:\n        pass\n",
        "steps/step01_parabola.py",
    ),  # the probe's own limit or the parent's, whichever is first: both name the file
    (
        "import sys\ndef f(x):\n    sys.exit(0)\n",
        "your code called sys.exit(0) (steps/step01_parabola.py, line 3, in f)",
    ),
    (
        "def f(x):\n    raise SystemExit(3)\n",
        "your code called sys.exit(3) (steps/step01_parabola.py, line 2, in f)",
    ),
    (
        "import os\ndef f(x):\n    os._exit(0)\n",
        "your code ended the traced run (exit status 0) while running steps/step01_parabola.py",
    ),
    (
        "def f(x):\n    raise KeyboardInterrupt\n",
        "your code raised KeyboardInterrupt (steps/step01_parabola.py, line 2, in f)",
    ),
    (
        "def f(x):\n    raise BaseException('boom')\n",
        "your code raised BaseException: boom (steps/step01_parabola.py, line 2, in f)",
    ),
    (
        "def f(x):\n    while True:\n        print('x' * 100000)\n",
        "your code printed more than 1 MB (steps/step01_parabola.py, line 3, in f)",
    ),
]


@pytest.fixture(scope="module")
def traced(
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, tuple[subprocess.CompletedProcess[str], float]]:
    """The parabola traced over each misbehaving step 1 (steps 1 to 3 written), each in its own copy. Three of them
    wait for the one-second limit, so they run side by side, once per module."""
    base = tmp_path_factory.mktemp("traced")

    def one(number: int, code: str) -> tuple[subprocess.CompletedProcess[str], float]:
        root = copy_kata(base / str(number))
        for path, text in checkpoint_sources(4).items():
            (root / path).write_text(text)
        (root / "steps/step01_parabola.py").write_text(code)
        return run_in(root, "parabola")

    return side_by_side(
        {code: partial(one, number, code) for number, (code, _) in enumerate(MISBEHAVIOURS)}
    )


@pytest.mark.parametrize(("code", "said"), MISBEHAVIOURS)
def test_whatever_the_learner_code_does_the_tracer_says_it_in_one_line(traced, code, said):
    done, seconds = traced[code]
    assert done.returncode == 1, done.stderr
    assert said in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stdout + done.stderr and len(done.stdout) < 5000
    assert seconds < soon(10)


def test_a_fork_holding_stdout_open_does_not_keep_the_tracer_waiting(written):
    (written / "steps/step01_parabola.py").write_text(
        "import os, time\ndef f(x):\n    if os.fork() == 0:\n        time.sleep(30)\n        os._exit(0)\n    return (x - 3) ** 2 + 2\n"
    )
    done, seconds = run_in(written, "parabola", "--target", "steps")
    assert "Traceback" not in done.stderr and seconds < soon(15)
    assert "after 40 steps x = 3.0004" in done.stdout


def test_a_huge_allocation_is_stopped_by_the_memory_limit(written):
    (written / "steps/step02_gradient.py").write_text(
        "data = bytearray(10 * 1024**3)\n\ndef gradient(x):\n    return 2 * (x - 3)\n"
    )
    done, _ = run_in(written, "parabola", "--target", "steps")
    assert (
        done.returncode == 1
        and "steps/step02_gradient.py stops while Python loads it: MemoryError" in done.stderr
    )
    assert "Traceback" not in done.stderr


def test_what_the_learner_code_prints_is_kept_apart_and_capped(written):
    (written / "steps/step01_parabola.py").write_text(
        "def f(x):\n    print('height at', x)\n    return (x - 3) ** 2 + 2\n"
    )
    done, _ = run_in(written, "parabola")
    printed = done.stdout.split("Your code printed")[1]
    assert "height at 6" in printed and len(printed.splitlines()) <= 6
    assert "height at" not in done.stdout.split("Your code printed")[0]
