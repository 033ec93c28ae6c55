"""`python -m kata` on a copy of the kata with prepared learner files: the screen text and the exit status."""

from __future__ import annotations

import io
import json
from datetime import datetime
from pathlib import Path

import pytest
from rich.console import Console

from kata.__main__ import run
from kata.checks import run_check
from kata.stubs import checkpoint_sources, stub_source
from kata.registry import STEPS

STEP1_WRONG = "def f(x):\n    return (x + 3) ** 2 + 2\n"
STEP1_SYNTAX = "def f(x):\n    return (x - 3 ** 2 + 2\n"
STEP1_MISNAMED = "def ff(x):\n    return (x - 3) ** 2 + 2\n"
STEP1_ENDLESS = "def f(x):\n    while True:\n        pass\n"
STEP1_CHATTY = "def f(x):\n    for i in range(5000):\n        print('thinking', i)\n    return x\n"
STEP1_EXIT_ON_IMPORT = "import sys\nsys.exit('bye')\n"


@pytest.fixture
def kata(kata_copy: Path, monkeypatch: pytest.MonkeyPatch):
    """Run `python -m kata ARGS` in-process on the copy; the check itself is a real pytest subprocess there."""
    monkeypatch.setenv("KATA_TIME_LIMIT", "1")
    monkeypatch.setenv("COLUMNS", "80")

    def call(*argv: str, answers: tuple[str, ...] = (), width: int = 80) -> tuple[int, str]:
        console = Console(record=True, width=width, file=io.StringIO(), color_system=None)
        replies = iter(answers)
        status = run(list(argv), console=console, read=lambda prompt: next(replies), now=lambda: datetime(2026, 11, 27, 10, 0, 0),
                     check=run_check, root=kata_copy)
        return status, " ".join(console.export_text().split())

    call.root = kata_copy  # type: ignore[attr-defined]
    return call


def solve(root: Path, up_to: int) -> None:
    for path, text in checkpoint_sources(up_to + 1).items():
        (root / path).write_text(text, encoding="utf-8")


def test_on_the_shipped_stubs_it_names_the_first_file(kata):
    status, screen = kata()
    assert status == 1
    assert "0 of 10 steps done" in screen and "✗ RED Step 1 of 10 · The parabola" in screen
    assert "f() is not written yet (it still raises NotImplementedError)" in screen
    assert "Open steps/step01_parabola.py, read its # TODO, and write it." in screen
    assert "Edit steps/step01_parabola.py" in screen and "python -m kata hint 1" in screen


def test_with_steps_1_to_3_solved_it_names_step_4(kata):
    solve(kata.root, 3)
    status, screen = kata()
    assert status == 1 and "3 of 10 steps done" in screen and "Edit steps/step04_descend.py" in screen


def test_with_every_step_solved_it_exits_0_and_points_to_the_tracer(kata):
    solve(kata.root, 10)
    status, screen = kata()
    assert status == 0 and "ALL 10 STEPS PASS" in screen and "python -m kata.trace" in screen


def test_red_shows_the_tests_own_message(kata):
    (kata.root / "steps/step01_parabola.py").write_text(STEP1_WRONG)
    status, screen = kata()
    assert status == 1 and "✗ RED Step 1" in screen
    assert "f(3) returned 38, expected 2" in screen
    assert "assert 38 ==" not in screen  # pytest's own comparison is left out: the test's words say it


def test_amber_for_a_syntax_error_shows_the_line_and_the_caret(kata):
    (kata.root / "steps/step01_parabola.py").write_text(STEP1_SYNTAX)
    status, screen = kata()
    assert status == 1 and "! AMBER Step 1" in screen
    assert "steps/step01_parabola.py has a syntax error on line 2: '(' was never closed." in screen
    assert "return (x - 3 ** 2 + 2 ^" in screen


def test_amber_for_a_misnamed_function_names_the_near_miss(kata):
    (kata.root / "steps/step01_parabola.py").write_text(STEP1_MISNAMED)
    _, screen = kata()
    assert "! AMBER" in screen and "has no function f(); the tests call it by that name. It has ff(): rename it to f." in screen


def test_amber_for_sys_exit_on_import(kata):
    (kata.root / "steps/step01_parabola.py").write_text(STEP1_EXIT_ON_IMPORT)
    _, screen = kata()
    assert "! AMBER" in screen and "SystemExit: bye" in screen


def test_an_endless_loop_is_a_timeout_not_a_hang(kata):
    (kata.root / "steps/step01_parabola.py").write_text(STEP1_ENDLESS)
    status, screen = kata()
    assert status == 1 and "⏱ TIMEOUT Step 1" in screen and "ran past its time limit of 1 s" in screen


def test_a_flood_of_prints_is_cut_to_a_few_lines(kata):
    (kata.root / "steps/step01_parabola.py").write_text(STEP1_CHATTY)
    _, screen = kata()
    assert "Your code printed (last 8 of" in screen and "thinking 4999" in screen and "thinking 10 " not in screen


def test_a_regression_is_named_plainly(kata):
    solve(kata.root, 3)
    kata()
    (kata.root / "steps/step02_gradient.py").write_text("def gradient(x):\n    return x - 3\n")
    status, screen = kata()
    assert status == 1
    assert "Steps 2 and 3 passed before and fail now: something you changed since broke them (first: steps/step02_gradient.py)" in screen
    assert "✗ RED Step 2 of 10" in screen


def test_list_shows_every_step_with_its_state(kata):
    solve(kata.root, 2)
    _, screen = kata("list")
    assert "✓ GREEN 1 The parabola" in screen and "✓ GREEN 2 The slope" in screen and "✗ RED 3 One step downhill" in screen


def test_hints_go_from_a_nudge_to_nearly_the_code_and_are_remembered(kata):
    _, first = kata("hint")
    _, second = kata("hint")
    _, third = kata("hint")
    _, fourth = kata("hint")
    assert "Hint 1 of 3 · step 1" in first and "Hint 2 of 3" in second
    assert "Hint 3 of 3" in third and "return (x - 3) ** 2 + 2" in third and "That was the last hint" in fourth
    status, out = kata("status", "--json")
    assert json.loads(out)["hints_used"] == {"1": 3}


def test_status_json_is_the_same_state_as_data(kata):
    solve(kata.root, 4)
    _, out = kata("status", "--json")
    data = json.loads(out)
    assert data["done"] == 4 and data["current"]["number"] == 5 and data["current"]["file"] == "steps/step05_load.py"
    assert [s["state"] for s in data["steps"]] == ["green"] * 4 + ["red"] * 6


def test_the_solution_waits_until_the_step_passes(kata):
    status, screen = kata("solution", "1")
    assert status == 1 and "kata/solutions" not in screen
    status, screen = kata("solution", "1", "--force", answers=("y",))
    assert status == 0 and "return (x - 3) ** 2 + 2" in screen
    solve(kata.root, 1)
    status, screen = kata("solution", "1")
    assert status == 0 and "return (x - 3) ** 2 + 2" in screen


@pytest.mark.parametrize("argv", [["goto", "11"], ["hint", "zero"], ["frobnicate"], ["reset"]])
def test_usage_errors_are_one_line_with_exit_2(kata, capsys, argv):
    status, _ = kata(*argv)
    err = capsys.readouterr().err
    assert status == 2 and err.startswith("kata: ") and len(err.strip().splitlines()) == 1


def fake_check(root: Path, steps=STEPS):
    raise AssertionError("reset, goto and restore need no test run")


@pytest.fixture
def files(kata_copy: Path):
    """Run a file command with no test run; return the status and the screen."""

    def call(*argv: str, answers: tuple[str, ...] = ()) -> tuple[int, str]:
        console = Console(record=True, width=100, file=io.StringIO(), color_system=None)
        replies = iter(answers)
        stamps = iter(datetime(2026, 11, 27, 10, 0, s) for s in range(60))
        status = run(list(argv), console=console, read=lambda prompt: next(replies), now=lambda: next(stamps),
                     check=fake_check, root=kata_copy)
        return status, " ".join(console.export_text().split())

    return call


WORK = "def step(x, lr):\n    # my own try, with a comment I care about\n    return x - lr * 2 * (x - 3)\n\n\n\t# odd whitespace too \n"


def test_reset_backs_up_every_byte_first_and_restore_brings_it_back(files, kata_copy):
    mine = kata_copy / "steps/step03_step.py"
    mine.write_bytes(WORK.encode())
    status, screen = files("reset", "3", "--yes")
    assert status == 0 and "Backed up 1 file(s) to .kata/backups/2026-11-27_100000-reset/" in screen
    assert mine.read_text() == stub_source(STEPS[2])
    assert (kata_copy / ".kata/backups/2026-11-27_100000-reset/steps/step03_step.py").read_bytes() == WORK.encode()
    status, screen = files("restore")
    assert "2026-11-27_100000-reset" in screen and "steps/step03_step.py" in screen
    status, _ = files("restore", "2026-11-27_100000-reset", "--yes")
    assert status == 0 and mine.read_bytes() == WORK.encode()


def test_reset_asks_first_and_no_means_nothing_changes(files, kata_copy):
    mine = kata_copy / "steps/step03_step.py"
    mine.write_text(WORK)
    status, screen = files("reset", "3", answers=("n",))
    assert status == 1 and "Nothing changed" in screen and mine.read_text() == WORK
    assert not (kata_copy / ".kata/backups").exists()


def test_reset_without_a_terminal_or_yes_refuses_in_one_line(kata_copy, capsys, monkeypatch):
    (kata_copy / "steps/step03_step.py").write_text(WORK)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    status = run(["reset", "3"], console=Console(file=io.StringIO()), check=fake_check, root=kata_copy)
    err = capsys.readouterr().err
    assert status == 2 and "add --yes to go ahead" in err and (kata_copy / "steps/step03_step.py").read_text() == WORK


def test_goto_solves_the_steps_before_and_keeps_the_work_it_replaces(files, kata_copy):
    (kata_copy / "steps/step01_parabola.py").write_text("def f(x):\n    return (x - 3) * (x - 3) + 2  # mine\n")
    (kata_copy / "steps/step05_load.py").write_text("def load(path):\n    return [], []  # a start\n")
    status, screen = files("goto", "4", "--yes")
    assert status == 0 and "Backed up 2 file(s)" in screen
    for path, text in checkpoint_sources(4).items():
        assert (kata_copy / path).read_text() == text
    backup = next((kata_copy / ".kata/backups").iterdir())
    assert (backup / "steps/step01_parabola.py").read_text().endswith("# mine\n")
    assert (backup / "steps/step05_load.py").read_text().endswith("# a start\n")


def test_restore_backs_up_what_it_overwrites_too(files, kata_copy):
    mine = kata_copy / "steps/step03_step.py"
    mine.write_text(WORK)
    files("reset", "3", "--yes")
    mine.write_text(WORK + "# a second try\n")
    files("restore", "2026-11-27_100000-reset", "--yes")
    assert mine.read_text() == WORK
    second = next((kata_copy / ".kata/backups").glob("*-restore")) / "steps/step03_step.py"
    assert second.read_text() == WORK + "# a second try\n"


def test_restore_of_an_unknown_backup_is_a_usage_error(files):
    status, _ = files("restore", "nope")
    assert status == 2


def test_doctor_finds_step_1_red_for_the_right_reason(kata):
    status, screen = kata("doctor")
    assert status == 0 and "Step 1 is red for the right reason" in screen and "steps/ is writable" in screen


class ScriptedKeys:
    """Keys for the watch loop: each read advances a fake clock and may save a file or press a key."""

    def __init__(self, clock: list[float], script: list[tuple[float, object]]) -> None:
        self.clock, self.script = clock, script

    def read(self, timeout: float) -> str | None:
        self.clock[0] += timeout
        while self.script and self.script[0][0] <= self.clock[0]:
            _, action = self.script.pop(0)
            if isinstance(action, str):
                return action
            action()  # a save
        return None


def test_watch_checks_again_after_a_save_and_quits_on_q(kata_copy, monkeypatch):
    from kata.__main__ import Context
    from kata.watch import Watcher

    monkeypatch.setenv("KATA_TIME_LIMIT", "1")
    console = Console(record=True, width=80, file=io.StringIO(), color_system=None)
    checks = []

    def counting_check(root, steps=STEPS):
        checks.append(1)
        return run_check(root, steps)

    clock = [0.0]
    mine = kata_copy / "steps/step01_parabola.py"
    script = [(0.5, lambda: mine.write_text("def f(x):\n    return (x - 3) ** 2 + 2\n")), (1.0, "h"), (1.5, "l"), (2.0, "q")]
    context = Context(kata_copy, console, console, input, datetime.now, counting_check)
    watcher = Watcher(context, ScriptedKeys(clock, script), clock=lambda: clock[0])
    assert watcher.run() == 0
    screen = " ".join(console.export_text().split())
    assert len(checks) == 2  # once at the start, once after the save
    assert "Step 1 passes now. On to step 2." in screen and "Edit steps/step02_gradient.py" in screen
    assert "Hint 1 of 3 · step 2" in screen and "✓ GREEN 1 The parabola" in screen
    assert "r re-run · h hint · l list · q quit" in screen
    assert watcher.latencies and watcher.latencies[0] <= 0.5  # fake seconds from the save seen to its result


def test_a_step_reset_on_purpose_is_not_called_a_regression(kata):
    solve(kata.root, 10)
    kata()
    status, screen = kata("goto", "8", "--yes")
    status, screen = kata()
    assert "passed before" not in screen and "Edit steps/step08_gradient.py" in screen
