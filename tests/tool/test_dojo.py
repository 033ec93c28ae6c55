"""The dojo screen and the review, through a recording console with a fake clock: nothing here sleeps."""

from __future__ import annotations

import io
import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from rich.console import Console

from kata.__main__ import Context, run
from kata.checks import Check, StepResult
from kata.dojo import DojoWatcher, Rotation, big, start_new_group
from kata.registry import STEPS
from kata.review import gather, review_screen
from kata.runlog import read_runs
from tests.tool.test_runner import ScriptedKeys

START = datetime(2026, 11, 27, 14, 0, 0)


def check_with(focus: int, state: str, message: str = "descend(6, 0.1, 5) returned 5 positions, expected 6") -> Check:
    """A check where the steps before `focus` pass, `focus` is in `state`, and the rest are stubs."""
    steps = []
    for step in STEPS:
        if step.number < focus or (step.number == focus and state == "green"):
            steps.append(StepResult(step, "green", passed=3, total=3))
        elif step.number == focus:
            failure = {"nodeid": f"tests/test_{step.stem}.py::test_one_position_more", "message": message, "where": ""}
            steps.append(StepResult(step, state, False, 1, 3, failure))
        else:
            steps.append(StepResult(step, "red", True, 0, 3, {"nodeid": "x", "message": "NotImplementedError"}))
    return Check(steps, 0.4)


class Room:
    """A dojo session on a copy of the kata, with scripted checks, keys, saves and a fake clock."""

    def __init__(self, root: Path, states: list[tuple], script: list, predict: bool = False, width: int = 80,
                 height: int = 24, seconds: float = 60, drivers: tuple[str, ...] = ("Ana", "Bo", "Cy"), **options) -> None:
        self.root, self.clock = root, [0.0]
        self.console = Console(record=True, width=width, height=height, file=io.StringIO(), color_system=None)
        self.bells: list[float] = []
        self.console.bell = self.ring  # type: ignore[method-assign]
        results = iter(states)
        self.checks = 0

        def check(root: Path, steps=STEPS) -> Check:
            self.checks += 1
            focus, state, *wait = next(results)
            if wait:
                wait[0].wait(10)  # a slow check: it ends when the script says so
            return check_with(focus, state)

        minutes = [START + timedelta(seconds=s) for s in range(0, 7200)]
        context = Context(root, self.console, self.console, input, lambda: minutes[int(self.clock[0])], check)
        self.rotation = Rotation(list(drivers), seconds, 0.0)
        self.watcher = DojoWatcher(context, ScriptedKeys(self.clock, script), self.rotation, predict,
                                   clock=lambda: self.clock[0], **options)

    def ring(self) -> None:
        self.bells.append(round(self.clock[0], 1))

    def run(self) -> str:
        assert self.watcher.run() == 0
        return self.console.export_text()

    def save(self, number: int, text: str = "# a change\n"):
        path = self.root / STEPS[number - 1].learner_file
        return lambda: path.write_text(path.read_text() + text)


def screens_of(text: str) -> list[str]:
    """The screens one after the other: each starts with its banner's top border."""
    return [" ".join(part.split()) for part in text.split("┏") if part.strip()]


def test_the_banner_shows_the_state_big_with_a_word_the_step_and_the_driver(kata_copy):
    room = Room(kata_copy, [(4, "red")], [(0.5, "q")])
    text = room.run()
    assert all(row.strip() in text for row in big("RED", 2))
    flat = " ".join(text.split())
    assert "✗" in text and "Step 4/10 · The descent" in flat
    assert "descend(6, 0.1, 5) returned 5 positions, expected 6" in flat
    assert "RED: let the pair think" in flat
    assert "Driver: Ana Navigator: Bo round 1 ⏱ 1:00 left in this turn" in flat
    assert all(row.strip() in text for row in big("Ana 1:00"))  # the driver and the time, big


def test_green_invites_the_room_and_amber_says_the_file_does_not_load(kata_copy):
    room = Room(kata_copy, [(4, "amber"), (4, "green")], [])
    room.watcher.keys.script = [(0.5, room.save(4)), (1.0, "q")]
    screens = screens_of(room.run())
    assert "AMBER: the file does not load" in screens[0]
    assert "GREEN: suggestions from the room are welcome" in screens[-1] and "Step 4 passes." in screens[-1]


def test_the_timer_warns_before_the_end_then_hands_over_with_bells(kata_copy):
    room = Room(kata_copy, [(4, "red")], [(100.0, "\r"), (101.0, "q")])
    screens = screens_of(room.run())
    assert any("0:15 left: time to wrap up" in s for s in screens)  # a quarter of a one-minute turn
    assert room.bells == pytest.approx([45, 60, 90], abs=0.15)  # the warning, time up, and every 30 s while over time
    handover = next(s for s in screens if "Time is up for Ana." in s)
    assert "SWAP: next driver" in handover and "Bo drives, Cy navigates." in handover
    assert "The bar is ✗ RED. f: finish the cycle to green first · Enter: hand over now" in handover
    assert "Driver: Bo Navigator: Cy round 1 ⏱ 1:00 left" in screens[-1]


def test_a_short_turn_warns_at_a_quarter_not_at_the_start_and_quiet_rings_nothing(kata_copy):
    room = Room(kata_copy, [(4, "red")], [(31.0, "q")], seconds=30)
    room.run()
    assert room.bells == pytest.approx([22.5, 30], abs=0.15)  # 7.5 s before the end, then time up
    quiet = Room(kata_copy, [(4, "red")], [(31.0, "q")], seconds=30, quiet=True)
    quiet.run()
    assert quiet.bells == []


def test_on_red_the_pair_may_finish_the_cycle_to_green_before_handing_over(kata_copy):
    room = Room(kata_copy, [(4, "red"), (4, "green")], [])
    room.watcher.keys.script = [(61.0, "f"), (70.0, room.save(4)), (72.0, "\r"), (73.0, "q")]
    screens = screens_of(room.run())
    assert any("finishing the cycle: hand over at the next green (0:09 over)" in s for s in screens)
    handover = [s for s in screens if "Time is up for Ana." in s]
    assert handover and "The bar is ✓ GREEN. Enter: start the next turn" in handover[-1]
    assert "Driver: Bo Navigator: Cy" in screens[-1]


def test_pause_resume_and_skip(kata_copy):
    room = Room(kata_copy, [(4, "red")], [(10.0, "p"), (40.0, "p"), (45.0, "s"), (46.0, "\r"), (47.0, "q")])
    screens = screens_of(room.run())
    assert any("PAUSED at 0:50 (p resumes)" in s for s in screens)
    assert any("Driver: Ana Navigator: Bo round 1 ⏱ 0:46 left" in s for s in screens)  # 30 s paused did not count
    assert any("PAUSED: the clock has stopped" in s for s in screens)
    assert any("Ana hands over early (s)." in s for s in screens) and not any("Time is up" in s for s in screens)
    assert "Driver: Bo Navigator: Cy" in screens[-1]


def test_every_check_is_logged_with_the_driver_and_a_copy_of_the_file(kata_copy):
    room = Room(kata_copy, [(4, "red"), (4, "green")], [])
    room.watcher.keys.script = [(5.0, room.save(4, "# Ana was here\n")), (6.0, "q")]
    room.run()
    runs = read_runs(kata_copy / ".kata")
    assert [(r.run, r.step, r.state, r.driver, r.navigator) for r in runs] == [(1, 4, "red", "Ana", "Bo"), (2, 4, "green", "Ana", "Bo")]
    assert runs[0].test.endswith("::test_one_position_more") and runs[0].time == "2026-11-27T14:00:00"
    assert (kata_copy / ".kata" / runs[1].file).read_text().endswith("# Ana was here\n")


def test_predict_mode_asks_before_the_run_and_logs_the_prediction(kata_copy):
    room = Room(kata_copy, [(4, "red"), (4, "red")], [], predict=True)
    room.watcher.keys.script = [(5.0, room.save(4)), (6.0, "g"), (7.0, "q")]
    screens = screens_of(room.run())
    assert any("Driver, predict before we run: g green · r red · a amber" in s for s in screens)
    assert room.checks == 2
    assert [r.prediction for r in read_runs(kata_copy / ".kata")] == ["", "green"]
    assert "You said GREEN, the bar is RED: ✗ not this time." in screens[-1]


def write_log(folder: Path, rows: list[tuple[int, str, str, str]], machine: str = "laptop") -> None:
    """A run log by hand: (seconds after START, driver, state, prediction) on step 4, with file copies."""
    (folder / "runs").mkdir(parents=True, exist_ok=True)
    with open(folder / "runs.jsonl", "w") as log:
        for i, (seconds, driver, state, prediction) in enumerate(rows, start=1):
            copy = f"runs/{i:04d}-step04_descend.py"
            (folder / copy).write_text(f"def descend(x, lr, iterations):\n    return [x] * {i}\n")
            record = {"run": i, "time": (START + timedelta(seconds=seconds)).isoformat(), "step": 4 if i < 5 else 5,
                      "state": state, "driver": driver, "navigator": "", "test": "tests/t.py::test_x" if state != "green" else "",
                      "message": "", "prediction": prediction, "machine": machine, "file": copy}
            log.write(json.dumps(record) + "\n")


LOG = [(0, "Ana", "red", "red"), (60, "Ana", "red", ""), (120, "Bo", "amber", "green"), (300, "Bo", "green", ""),
       (330, "Cy", "red", ""), (400, "Cy", "green", "green")]


def test_the_review_shows_lights_per_driver_and_step_the_longest_red_and_the_cycles(tmp_path):
    write_log(tmp_path / ".kata", LOG)
    console = Console(record=True, width=100, file=io.StringIO(), color_system=None)
    console.print(review_screen(gather([tmp_path / ".kata"])))
    flat = " ".join(console.export_text().split())
    assert "Session review: 6 runs from 2026-11-27 14:00 to 14:06 (6m 40s), drivers Ana, Bo, Cy" in flat
    assert "All runs: ✗✗!✓✗✓" in flat
    assert "Ana 2 ✗✗ 0" in flat and "Bo 2 !✓ 1" in flat and "Cy 2 ✗✓ 1" in flat  # the cycle goes to who turned it green
    assert "4 The descent 4 ✗✗!✓ 5m 30s" in flat and "5 The park's notes 2 ✗✓ 1m 10s" in flat
    assert "Longest red stretch: 3 runs, 5m 00s, on step 4, drivers Ana, Bo." in flat
    assert "Red-green cycles completed: 2." in flat
    assert "Predictions: 2 right, 1 wrong, 3 runs without one." in flat


def review(root: Path, *argv: str) -> tuple[int, str]:
    console = Console(record=True, width=100, file=io.StringIO(), color_system=None)
    status = run(["review", *argv], console=console, read=lambda prompt: "y", now=lambda: START, root=root)
    return status, console.export_text()


def test_the_review_diffs_two_runs_and_restores_one_with_a_backup(kata_copy):
    write_log(kata_copy / ".kata", LOG)
    status, text = review(kata_copy, "--diff", "1", "3")
    assert status == 0 and "-    return [x] * 1" in text and "+    return [x] * 3" in text
    mine = kata_copy / "steps/step04_descend.py"
    mine.write_text("def descend(x, lr, iterations):\n    return 'my latest'\n")
    status, text = review(kata_copy, "--restore", "2", "--yes")
    assert status == 0 and mine.read_text().endswith("return [x] * 2\n")
    backup = next((kata_copy / ".kata/backups").glob("*-review-run-2"))
    assert (backup / "steps/step04_descend.py").read_text().endswith("'my latest'\n")


def test_merge_reads_several_machines_into_one_review(kata_copy, tmp_path):
    write_log(kata_copy / ".kata", LOG[:3], machine="table-1")
    write_log(tmp_path / "table-2" / ".kata", [(30, "Di", "red", ""), (90, "Di", "green", "")], machine="table-2")
    status, text = review(kata_copy, "--merge", str(tmp_path / "table-2"))
    flat = " ".join(text.split())
    assert status == 0 and "5 runs" in flat and "2 machines" in flat and "table-2" in flat
    assert "All runs: ✗✗✗✓!" in flat  # in time order across the machines


def test_merge_of_a_folder_without_a_log_is_a_usage_error(kata_copy, tmp_path, capsys):
    status, _ = review(kata_copy, "--merge", str(tmp_path))
    assert status == 2 and "no run log there" in capsys.readouterr().err


def test_a_new_group_archives_the_log_and_resets_with_backups(kata_copy):
    write_log(kata_copy / ".kata", LOG)
    (kata_copy / "steps/step04_descend.py").write_text("def descend(x, lr, iterations):\n    return [x]  # group 1\n")
    console = Console(record=True, width=100, file=io.StringIO(), color_system=None)
    context = Context(kata_copy, console, console, lambda prompt: "y", lambda: START, lambda *a: None)
    assert start_new_group(context, yes=True) == 0
    assert not (kata_copy / ".kata/runs.jsonl").exists()
    assert len(read_runs(kata_copy / ".kata/groups/2026-11-27_140000")) == 6
    backup = next((kata_copy / ".kata/backups").glob("*-new-group"))
    assert (backup / "steps/step04_descend.py").read_text().endswith("# group 1\n")


def test_at_40_columns_the_banner_steps_down_to_a_word_and_a_symbol(kata_copy):
    room = Room(kata_copy, [(4, "timeout")], [(0.5, "q")], width=40)
    text = room.run()
    assert "⏱ TIMEOUT" in text and "█" not in text
    assert max(len(line) for line in text.splitlines()) <= 40
