"""`python -m kata` on a copy of the kata with prepared learner files: the screen text and the exit status."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TypeVar

import pytest
from rich.console import Console

from kata.__main__ import run
from kata.core.checks import run_check
from kata.core.registry import STEPS
from kata.core.stubs import checkpoint_sources, stub_source
from tests.tool.conftest import capture_console, copy_kata, side_by_side

STEP1_WRONG = "def f(x):\n    return (x + 3) ** 2 + 2\n"
STEP1_SYNTAX = "def f(x):\n    return (x - 3 ** 2 + 2\n"
STEP1_MISNAMED = "def ff(x):\n    return (x - 3) ** 2 + 2\n"
STEP1_ENDLESS = "def f(x):\n    while True:\n        pass\n"
STEP1_CHATTY = "def f(x):\n    for i in range(5000):\n        print('thinking', i)\n    return x\n"
STEP1_EXIT_ON_IMPORT = "import sys\nsys.exit('bye')\n"

T = TypeVar("T")


# a time limit no real check races on a busy machine (step 10 trains 20000 iterations five times); the endless
# loop's screen asks for 1 s
ENV = {"KATA_TIME_LIMIT": "30", "COLUMNS": "80"}


def kata_in(
    root: Path, *argv: str, answers: tuple[str, ...] = (), width: int = 80
) -> tuple[int, str]:
    """Run `python -m kata ARGS` in-process on a copy (with ENV set); return the status and the screen's words."""
    console = capture_console(width)
    replies = iter(answers)
    status = run(
        list(argv),
        console=console,
        read=lambda prompt: next(replies),
        now=lambda: datetime(2026, 11, 27, 10, 0, 0),
        check=run_check,
        root=root,
    )
    return status, " ".join(console.export_text().split())


@pytest.fixture
def kata(kata_copy: Path, monkeypatch: pytest.MonkeyPatch):
    """Run `python -m kata ARGS` in-process on the copy; the check itself is a real pytest subprocess there."""
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    call = partial(kata_in, kata_copy)
    call.root = kata_copy  # type: ignore[attr-defined]
    return call


def solve(root: Path, up_to: int) -> None:
    for path, text in checkpoint_sources(up_to + 1).items():
        (root / path).write_text(text, encoding="utf-8")


class Screens:
    """One `python -m kata ARGV` per test, declared above the test: on a copy with steps 1 to `solved` written as
    the reference does, then `files`. Each check is a real pytest child, mostly waited for, so the module runs
    them side by side (in-process, as the `kata` fixture does, with the same ENV), each in its own copy."""

    def __init__(self) -> None:
        self.runs: dict[str, tuple[int, dict[str, str], tuple[str, ...], str]] = {}

    def after(
        self,
        solved: int = 0,
        files: dict[str, str] | None = None,
        argv: tuple[str, ...] = (),
        limit: str = ENV["KATA_TIME_LIMIT"],
    ) -> Callable[[T], T]:
        """`limit`: the KATA_TIME_LIMIT of the run (a short one for code that never ends)."""

        def declare(test: T) -> T:
            self.runs[test.__name__] = (solved, files or {}, argv, limit)
            return test

        return declare

    def run(self, base: Path) -> dict[str, tuple[int, str]]:
        def one(number: int, name: str) -> tuple[int, str]:
            solved, files, argv, _ = self.runs[name]
            root = copy_kata(base / str(number))
            if solved:
                solve(root, solved)
            for path, text in files.items():
                (root / path).write_text(text)
            return kata_in(root, *argv)

        shown: dict[str, tuple[int, str]] = {}
        for limit in sorted(
            {declared[3] for declared in self.runs.values()}
        ):  # the environment is the process's
            with pytest.MonkeyPatch.context() as patch:
                for name, value in {**ENV, "KATA_TIME_LIMIT": limit}.items():
                    patch.setenv(name, value)
                jobs = {
                    name: partial(one, number, name)
                    for number, name in enumerate(self.runs)
                    if self.runs[name][3] == limit
                }
                shown |= side_by_side(jobs, workers=3)
        return shown


SCREENS = Screens()


@pytest.fixture(scope="module")
def screens(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[int, str]]:
    return SCREENS.run(tmp_path_factory.mktemp("screens"))


@pytest.fixture
def shown(screens, request: pytest.FixtureRequest) -> tuple[int, str]:
    """The status and the screen's words of this test's `python -m kata`."""
    return screens[request.function.__name__]


def test_on_the_shipped_stubs_it_names_the_first_file(kata):
    status, screen = kata()
    assert status == 1
    assert "0 of 10 steps done" in screen and "✗ RED Step 1 of 10 · The parabola" in screen
    assert "f() is not written yet (it still raises NotImplementedError)" in screen
    assert "Open steps/step01_parabola.py, read its # TODO, and write it." in screen
    assert "Edit steps/step01_parabola.py" in screen and "python -m kata hint 1" in screen


@SCREENS.after(solved=3)
def test_with_steps_1_to_3_solved_it_names_step_4(shown):
    status, screen = shown
    assert (
        status == 1 and "3 of 10 steps done" in screen and "Edit steps/step04_descend.py" in screen
    )


@SCREENS.after(solved=10)
def test_with_the_article_solved_it_exits_0_points_to_the_tracer_and_offers_act_ii(shown):
    status, screen = shown
    assert (
        status == 0
        and "ALL 10 STEPS OF THE ARTICLE PASS" in screen
        and "python -m kata.trace" in screen
    )
    assert (
        "Optional, beyond the article: act II, 7 more steps" in screen
        and "steps/step11_gradient_check.py" in screen
    )


def test_act_ii_once_started_is_the_work_and_counted_apart(kata):
    solve(kata.root, 10)
    (kata.root / "steps/step11_gradient_check.py").write_text(
        "def numerical_gradient(X, Y, w, b, h):\n    return 0, 0\n"
    )
    status, screen = kata()
    assert status == 1 and "0 of 7 steps done in act II" in screen
    # the section, too long for the line at 80 columns, on a line of its own, whole
    assert (
        "Step 11 (act II: 1 of 7) · Is my gradient right? Beyond the article › Checking the gradient"
        in screen
    )
    solve(kata.root, len(STEPS))
    status, screen = kata()
    assert status == 0 and "BOTH ACTS PASS: ALL 17 STEPS" in screen


def test_goto_into_act_ii_opens_it_and_goto_back_or_reset_all_closes_it(kata):
    # goto 11 said "step 11 is yours", then python -m kata said every step of the article passes: act II, untouched,
    # was optional. Opened on purpose it is the work, stubs and all; going back to act I (or a reset) closes it.
    status, said = kata("goto", "11", "--yes")
    assert status == 0 and "step 11 is yours" in said
    status, screen = kata()
    assert status == 1 and "0 of 7 steps done in act II" in screen
    assert "Step 11 (act II: 1 of 7)" in screen and "ALL 10 STEPS OF THE ARTICLE PASS" not in screen
    status, listing = kata("status", "--json")
    assert json.loads(listing)["act"] == 2
    kata("goto", "10", "--yes")
    solve(kata.root, 10)
    status, screen = kata()
    assert (
        status == 0
        and "ALL 10 STEPS OF THE ARTICLE PASS" in screen
        and "act II, 7 more steps" in screen
    )
    kata("goto", "11", "--yes")
    kata("reset", "--all", "--yes")
    solve(kata.root, 10)
    status, screen = kata()
    assert status == 0 and "ALL 10 STEPS OF THE ARTICLE PASS" in screen


@SCREENS.after(files={"steps/step01_parabola.py": STEP1_WRONG})
def test_red_shows_the_tests_own_message(shown):
    status, screen = shown
    assert status == 1 and "✗ RED Step 1" in screen
    assert "f(3) returned 38, expected 2" in screen
    # pytest's own comparison is left out: the test's words say it
    assert "assert 38 ==" not in screen


@SCREENS.after(files={"steps/step01_parabola.py": STEP1_SYNTAX})
def test_amber_for_a_syntax_error_shows_the_line_and_the_caret(shown):
    status, screen = shown
    assert status == 1 and "! AMBER Step 1" in screen
    assert "steps/step01_parabola.py has a syntax error on line 2: '(' was never closed." in screen
    assert "return (x - 3 ** 2 + 2 ^" in screen


@SCREENS.after(files={"steps/step01_parabola.py": STEP1_MISNAMED})
def test_amber_for_a_misnamed_function_names_the_near_miss(shown):
    _, screen = shown
    assert (
        "! AMBER" in screen
        and "has no function f(); the tests call it by that name. It has ff(): rename it to f."
        in screen
    )


@SCREENS.after(files={"steps/step01_parabola.py": STEP1_EXIT_ON_IMPORT})
def test_amber_for_sys_exit_on_import(shown):
    _, screen = shown
    assert "! AMBER" in screen and "SystemExit: bye" in screen


@SCREENS.after(files={"steps/step01_parabola.py": STEP1_ENDLESS}, limit="1")
def test_an_endless_loop_is_a_timeout_not_a_hang(shown):
    status, screen = shown
    assert (
        status == 1 and "⏱ TIMEOUT Step 1" in screen and "ran past its time limit of 1 s" in screen
    )


@SCREENS.after(files={"steps/step01_parabola.py": STEP1_CHATTY})
def test_a_flood_of_prints_is_cut_to_a_few_lines(shown):
    _, screen = shown
    assert (
        "Your code printed (last 8 of" in screen
        and "thinking 4999" in screen
        and "thinking 10 " not in screen
    )


def test_a_regression_is_named_plainly(kata):
    solve(kata.root, 3)
    kata()
    (kata.root / "steps/step02_gradient.py").write_text("def gradient(x):\n    return x - 3\n")
    status, screen = kata()
    assert status == 1
    assert (
        "Steps 2 and 3 passed before and fail now: since then steps/step02_gradient.py changed; step 3 builds on it."
        in screen
    )
    assert "✗ RED Step 2 of 10" in screen


def test_after_a_reset_the_regression_names_the_step_that_was_reset(kata):
    solve(kata.root, 10)
    kata()
    kata("reset", "6", "--yes")
    status, screen = kata()
    assert (
        "Steps 7, 8, 9 and 10 passed before and fail now: since then steps/step06_predict.py (rewritten by "
        "reset of step 6) changed; steps 7, 8, 9 and 10 build on it."
    ) in screen
    assert "✗ RED Step 6 of 10" in screen


def test_a_save_that_changes_nothing_blames_no_file(kata):
    solve(kata.root, 3)
    kata()
    (kata.root / "steps/step03_step.py").write_text(
        "from .step02_gradient import gradient\ndef step(x, lr):\n    return x\n"
    )
    _, screen = kata()
    assert "Step 3 passed before and fails now: since then steps/step03_step.py changed." in screen


@SCREENS.after(solved=2, argv=("list",))
def test_list_shows_every_step_with_its_state(shown):
    _, screen = shown
    assert (
        "✓ GREEN 1 The parabola" in screen
        and "✓ GREEN 2 The slope" in screen
        and "✗ RED 3 One step downhill" in screen
    )
    assert "Gradient › One parameter" in screen


def test_under_60_columns_the_list_leaves_out_the_sections(kata):
    solve(kata.root, 2)
    _, narrow = kata("list", width=40)  # the sections would fold a word a line: the titles alone
    assert "✗ RED 3 One step downhill" in narrow and "Gradient ›" not in narrow.split("state")[1]


def test_hints_go_from_a_nudge_to_nearly_the_code_and_are_remembered(kata):
    _, first = kata("hint")
    _, second = kata("hint")
    _, third = kata("hint")
    _, fourth = kata("hint")
    assert "Hint 1 of 3 · step 1" in first and "Hint 2 of 3" in second
    assert (
        "Hint 3 of 3" in third
        and "return (x - 3) ** 2 + 2" in third
        and "That was the last hint" in fourth
    )
    status, out = kata("status", "--json")
    assert json.loads(out)["hints_used"] == {"1": 3}


def test_an_earlier_hint_can_be_read_again_without_moving_on(kata):
    kata("hint", "2")
    kata("hint", "2")
    status, screen = kata("hint", "2", "--level", "1")
    assert (
        status == 0
        and "Hint 1 of 3 · step 2" in screen
        and "You have seen hints 1 to 2 of step 2" in screen
    )
    _, screen = kata("hint", "2")
    assert "Hint 3 of 3 · step 2" in screen
    status, _ = kata("hint", "2", "--level", "4")
    assert status == 2


def test_a_fresh_stub_starts_again_at_hint_1(kata):
    for _ in range(3):
        kata("hint", "7")
    kata("goto", "7", "--yes")
    _, screen = kata("hint", "7")
    assert "Hint 1 of 3 · step 7" in screen
    for _ in range(2):
        kata("hint", "7")
    kata("reset", "7", "--yes")
    _, screen = kata("hint", "7")
    assert "Hint 1 of 3 · step 7" in screen


def test_the_last_hint_is_the_reference_body_ready_to_paste():
    from kata.core.registry import reference_body

    for step in STEPS:
        body = reference_body(step)
        assert step.hints[-1] == body
        assert all(line.startswith("    ") or not line.strip() for line in body.splitlines()), (
            step.stem
        )
        assert body.strip() in (step.reference_file.read_text(encoding="utf-8"))


@SCREENS.after(
    solved=4,
    argv=(
        "status",
        "--json",
    ),
)
def test_status_json_is_the_same_state_as_data(shown):
    _, out = shown
    data = json.loads(out)
    assert (
        data["done"] == 4
        and data["current"]["number"] == 5
        and data["current"]["file"] == "steps/step05_load.py"
    )
    assert [s["state"] for s in data["steps"]] == ["green"] * 4 + ["red"] * (len(STEPS) - 4)
    assert data["total"] == 10 and data["acts"] == [
        {"act": 1, "done": 4, "total": 10},
        {"act": 2, "done": 0, "total": 7},
    ]


@pytest.mark.parametrize("width", [40, 80])
def test_the_solution_is_never_cut(kata, width):
    solve(kata.root, 9)
    console = capture_console(width, force_terminal=True)
    assert run(["solution", "9"], console=console, check=run_check, root=kata.root) == 0
    rebuilt: list[str] = []
    for line in [line for line in console.export_text().splitlines() if " │ " in line]:
        mark, _, code = line.partition(" │ ")
        if mark.strip() == "↪":
            rebuilt[-1] += code  # a long line goes on under a ↪, whole
        else:
            rebuilt.append(code)
    reference = STEPS[8].reference_file.read_text(encoding="utf-8").rstrip("\n").splitlines()
    assert [line.rstrip() for line in rebuilt] == [line.rstrip() for line in reference]


def test_piped_the_solution_is_the_reference_as_it_is(kata, capsys):
    solve(kata.root, 9)
    console = Console(width=40, file=io.StringIO(), color_system=None)
    run(["solution", "9"], console=console, check=run_check, root=kata.root)
    assert STEPS[8].reference_file.read_text(encoding="utf-8") in console.file.getvalue()


def test_the_solution_waits_until_the_step_passes(kata):
    status, screen = kata("solution", "1")
    assert status == 1 and "kata/solutions" not in screen
    status, screen = kata("solution", "1", "--force", answers=("y",))
    assert status == 0 and "return (x - 3) ** 2 + 2" in screen
    solve(kata.root, 1)
    status, screen = kata("solution", "1")
    assert status == 0 and "return (x - 3) ** 2 + 2" in screen


@pytest.mark.parametrize("argv", [["goto", "99"], ["hint", "zero"], ["frobnicate"], ["reset"]])
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
        console = capture_console(100)
        replies = iter(answers)
        stamps = iter(datetime(2026, 11, 27, 10, 0, s) for s in range(60))
        status = run(
            list(argv),
            console=console,
            read=lambda prompt: next(replies),
            now=lambda: next(stamps),
            check=fake_check,
            root=kata_copy,
        )
        return status, " ".join(console.export_text().split())

    return call


WORK = "def step(x, lr):\n    # my own try, with a comment I care about\n    return x - lr * 2 * (x - 3)\n\n\n\t# odd whitespace too \n"


def test_reset_backs_up_every_byte_first_and_restore_brings_it_back(files, kata_copy):
    mine = kata_copy / "steps/step03_step.py"
    mine.write_bytes(WORK.encode())
    status, screen = files("reset", "3", "--yes")
    assert status == 0 and "Backed up 1 file(s) to .kata/backups/2026-11-27_100000-reset/" in screen
    assert mine.read_text() == stub_source(STEPS[2])
    assert (
        kata_copy / ".kata/backups/2026-11-27_100000-reset/steps/step03_step.py"
    ).read_bytes() == WORK.encode()
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
    status = run(
        ["reset", "3"], console=Console(file=io.StringIO()), check=fake_check, root=kata_copy
    )
    err = capsys.readouterr().err
    assert (
        status == 2
        and "add --yes to go ahead" in err
        and (kata_copy / "steps/step03_step.py").read_text() == WORK
    )


def test_goto_solves_the_steps_before_and_keeps_the_work_it_replaces(files, kata_copy):
    (kata_copy / "steps/step01_parabola.py").write_text(
        "def f(x):\n    return (x - 3) * (x - 3) + 2  # mine\n"
    )
    (kata_copy / "steps/step05_load.py").write_text(
        "def load(path):\n    return [], []  # a start\n"
    )
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


def test_reference_files_that_goto_wrote_are_not_backed_up_as_your_work(files, kata_copy):
    files("goto", "7", "--yes")
    status, screen = files("reset", "--all", "--yes")
    assert status == 0 and "Backed up" not in screen
    _, screen = files("restore")
    assert "No backups yet" in screen


def test_restore_of_an_unknown_backup_is_a_usage_error(files):
    status, _ = files("restore", "nope")
    assert status == 2


@SCREENS.after(argv=("doctor",))
def test_doctor_finds_step_1_red_for_the_right_reason(shown):
    status, screen = shown
    assert (
        status == 0
        and "Step 1 is red for the right reason" in screen
        and "steps/ is writable" in screen
    )


class ScriptedKeys:
    """Keys for the watch loop: each read advances a fake clock and may save a file or send bytes as a terminal does."""

    def __init__(self, clock: list[float], script: list[tuple[float, object]]) -> None:
        self.clock, self.script = clock, script
        self.pending: list[str] = []

    def read(self, timeout: float) -> str | None:
        from kata.loop.keys import keys_from

        if self.pending:
            return self.pending.pop(0)
        self.clock[0] += timeout
        while self.script and self.script[0][0] <= self.clock[0]:
            _, action = self.script.pop(0)
            if isinstance(action, (str, bytes)):
                self.pending += keys_from(action.encode() if isinstance(action, str) else action)
                return self.pending.pop(0) if self.pending else None
            action()  # a save
        return None


def test_watch_checks_again_after_a_save_and_quits_on_q(kata_copy, monkeypatch):
    from kata.loop.app import Context
    from kata.loop.watch import Watcher

    monkeypatch.setenv("KATA_TIME_LIMIT", "30")
    console = capture_console(80)
    checks = []

    def counting_check(root, steps=STEPS):
        checks.append(1)
        return run_check(root, steps)

    clock = [0.0]
    mine = kata_copy / "steps/step01_parabola.py"
    script = [
        (0.5, lambda: mine.write_text("def f(x):\n    return (x - 3) ** 2 + 2\n")),
        (1.0, "h"),
        (1.5, "l"),
        (2.0, "q"),
    ]
    context = Context(kata_copy, console, console, input, datetime.now, counting_check)
    watcher = Watcher(context, ScriptedKeys(clock, script), clock=lambda: clock[0])
    assert watcher.run() == 0
    screen = " ".join(console.export_text().split())
    assert len(checks) == 2  # once at the start, once after the save
    assert (
        "Step 1 passes now. On to step 2." in screen and "Edit steps/step02_gradient.py" in screen
    )
    assert "Hint 1 of 3 · step 2" in screen and "✓ GREEN 1 The parabola" in screen
    assert "r re-run · h hint · l list · q quit" in screen
    # fake seconds from the save seen to its result
    assert watcher.latencies and watcher.latencies[0] <= 0.5
    # the log keeps the save under the step it turned green (not the next step's red)
    from kata.core.runlog import read_runs

    logged = [(run.trigger, run.step, run.state) for run in read_runs(kata_copy / ".kata")]
    assert logged == [("start", 1, "red"), ("save", 1, "green")]


def test_a_step_reset_on_purpose_is_not_called_a_regression(kata):
    solve(kata.root, 10)
    kata()
    status, screen = kata("goto", "8", "--yes")
    status, screen = kata()
    assert "passed before" not in screen and "Edit steps/step08_gradient.py" in screen


def test_a_green_pytest_run_ends_with_the_next_move_too(kata_copy):
    import subprocess
    import sys

    solve(kata_copy, 3)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--target", "steps", "tests/test_step03_step.py"],
        cwd=kata_copy,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0
    assert (
        "kata: step 3 passes. Next, to check every step and see which one is yours to do:"
        in done.stdout
    )
    assert "kata:   python -m kata\n" in done.stdout


@SCREENS.after(files={"steps/step01_parabola.py": "def f(x):\n    return (x - 3) * 2 + 2\n"})
def test_a_failing_test_is_named_with_its_case_in_words(shown):
    _, screen = shown
    assert "First: the height matches the formula worked by hand (x = 6)" in screen


@SCREENS.after(files={"steps/step01_parabola.py": "def f(x):\n    return (x \u2212 3) ** 2 + 2\n"})
def test_a_typographic_minus_from_the_stub_is_named_with_the_key_to_type(shown):
    _, screen = shown
    assert (
        "! AMBER Step 1" in screen
        and "has a syntax error on line 2: invalid character '−' (U+2212)" in screen
    )
    assert "type - (the minus key) instead of −" in screen


def test_untouched_stubs_are_red_without_running_their_tests(kata_copy):
    import time as clock

    started = clock.monotonic()
    check = run_check(kata_copy)
    assert clock.monotonic() - started < 1 and all(r.state == "red" and r.stub for r in check.steps)
    assert check.steps[0].message == "NotImplementedError: step 1: f()"


def test_watch_reruns_only_the_steps_whose_files_changed(kata_copy, monkeypatch):
    from kata.core.checks import depends_on

    monkeypatch.setenv("KATA_TIME_LIMIT", "30")
    solve(kata_copy, 9)
    cache: dict = {}
    first = run_check(kata_copy, cache=cache)
    assert [r.state for r in first.steps[:9]] == ["green"] * 9
    (kata_copy / "steps/step02_gradient.py").write_text("def gradient(x):\n    return x - 3\n")
    second = run_check(kata_copy, cache=cache)
    kept = [a is b for a, b in zip(first.steps, second.steps)]
    assert kept[:9] == [
        True,
        False,
        False,
        False,
        True,
        True,
        True,
        True,
        True,
    ]  # 3 and 4 import step 2
    assert [r.state for r in second.steps[:4]] == ["green", "red", "red", "red"]
    assert depends_on(kata_copy, STEPS[9]) == {
        f"steps/{s}.py"
        for s in (
            "step10_forecast",
            "step05_load",
            "step06_predict",
            "step09_train",
            "step07_loss",
            "step08_gradient",
        )
    }
    (kata_copy / "steps/step05_load.py").write_text(
        "import importlib\n" + (kata_copy / "steps/step05_load.py").read_text()
    )
    # an import no scan can follow: every file counts
    assert len(depends_on(kata_copy, STEPS[4])) == len(STEPS)
