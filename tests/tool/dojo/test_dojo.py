"""The dojo screen and the review, through a recording console with a fake clock: nothing here sleeps."""

from __future__ import annotations

import io
import json
import os
import random
import threading
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from rich.console import Console

from kata.__main__ import run
from kata.core.checks import Check, StepResult
from kata.core.outcome import Outcome
from kata.core.registry import STEPS
from kata.core.runlog import iter_events, read_runs
from kata.dojo.bigtext import SCALES, Scale, draw
from kata.dojo.projector import DojoWatcher, Rotation, start_new_group
from kata.dojo.review import ReviewScreen, gather
from kata.loop.app import Context
from tests.tool.conftest import capture_console
from tests.tool.loop.test_runner import ScriptedKeys

START = datetime(2026, 11, 27, 14, 0, 0)


def check_with(
    focus: int, state: str, message: str = "descend(6, 0.1, 5) returned 5 positions, expected 6"
) -> Check:
    """A check where the steps before `focus` pass, `focus` is in `state`, and the rest are stubs."""
    steps = []
    for step in STEPS:
        if step.number < focus or (step.number == focus and state == "green"):
            steps.append(StepResult(step, "green", passed=3, total=3))
        elif step.number == focus:
            failure = Outcome(
                f"tests/test_{step.stem}.py::test_one_position_more",
                step.stem,
                state,
                False,
                message,
            )
            steps.append(StepResult(step, state, False, 1, 3, failure))
        else:
            steps.append(
                StepResult(
                    step,
                    "red",
                    True,
                    0,
                    3,
                    Outcome("x", step.stem, "red", True, "NotImplementedError"),
                )
            )
    return Check(steps, 0.4)


class Script(ScriptedKeys):
    """Scripted keys that fail the test when the script is over and the dojo still runs (instead of hanging)."""

    def read(self, timeout: float) -> str | None:
        if not self.script and not self.pending:
            self.idle = getattr(self, "idle", 0) + 1
            assert self.idle < 2000, (
                "the script is over and the dojo still runs (a q without its second q?)"
            )
        return super().read(timeout)


class Room:
    """A dojo session on a copy of the kata, with scripted checks, keys, saves and a fake clock."""

    def __init__(
        self,
        root: Path,
        states: list[tuple],
        script: list,
        predict: bool = False,
        width: int = 80,
        height: int = 24,
        seconds: float = 60,
        drivers: tuple[str, ...] = ("Ana", "Bo", "Cy"),
        console: Console | None = None,
        **options,
    ) -> None:
        self.root, self.clock = root, [0.0]
        self.console = console or capture_console(width, height=height)
        self.bells: list[float] = []
        self.console.bell = self.ring  # type: ignore[method-assign]
        results = iter(states)
        self.checks = 0

        def check(root: Path, steps=STEPS) -> Check:
            self.checks += 1
            item = next(results)
            if isinstance(item, Check):  # a check made by hand
                return item
            focus, state, *wait = item
            if wait:
                wait[0].wait(10)  # a slow check: it ends when the script says so
            return check_with(focus, state)

        minutes = [START + timedelta(seconds=s) for s in range(0, 7200)]
        context = Context(
            root, self.console, self.console, input, lambda: minutes[int(self.clock[0])], check
        )
        self.rotation = Rotation(list(drivers), seconds, 0.0)
        self.watcher = DojoWatcher(
            context,
            Script(self.clock, script),
            self.rotation,
            predict,
            clock=lambda: self.clock[0],
            **options,
        )

        self.frames: list[str] = []
        if console is None:  # a console given is drawn on as the dojo draws (piped, TERM=dumb)
            self.watcher.show = self.show  # type: ignore[method-assign]
            self.watcher.live = True  # each frame kept as a terminal redraws it, every second

    def show(self) -> None:
        """Keep each frame as the room sees it (the height of the console, its last row free)."""
        with self.console.capture() as frame:
            self.console.print(self.watcher.screen())
        self.frames.append(frame.get())

    def ring(self) -> None:
        self.bells.append(round(self.clock[0], 1))

    def run(self) -> str:
        """Run the dojo to its end: every frame drawn, one after the other, parted by a form feed."""
        assert self.watcher.run() == 0
        return "\f".join(self.frames)

    def save(self, number: int, text: str = "# a change\n"):
        path = self.root / STEPS[number - 1].learner_file
        return lambda: path.write_text(path.read_text() + text)


def screens_of(text: str) -> list[str]:
    """The screens one after the other, each flattened to words."""
    return [" ".join(part.split()) for part in text.split("\f") if part.strip()]


def drawn(words: str, text: str) -> bool:
    """True when the words are drawn in block letters (at any scale) in the text."""
    return any(all(row.strip() in text for row in draw(words, scale)) for scale in SCALES)


def test_the_banner_shows_the_state_big_with_a_word_the_step_and_the_driver(kata_folder):
    room = Room(kata_folder, [(4, "red")], [(0.5, "qq")])
    text = room.run()
    assert drawn("RED", text)
    flat = " ".join(text.split())
    assert "✗" in text and "Step 4/10 · The descent" in flat
    assert "descend(6, 0.1, 5) returned 5 positions, expected 6" in flat
    assert "RED: let the pair think" in flat
    assert "Driver: Ana Navigator: Bo round 1 ⏱ 1:00 left in this turn" in flat
    assert drawn("Ana 1:00", text)  # the driver and the time, big


def test_green_invites_the_room_and_amber_says_the_file_does_not_load(kata_folder):
    room = Room(kata_folder, [(4, "amber"), (4, "green")], [])
    room.watcher.keys.script = [(0.5, room.save(4)), (1.0, "qq")]
    screens = screens_of(room.run())
    assert "AMBER: the file does not load" in screens[0]
    assert (
        "GREEN: suggestions from the room are welcome" in screens[-1]
        and "Step 4 passes." in screens[-1]
    )


def test_the_timer_warns_before_the_end_then_hands_over_with_bells(kata_folder):
    room = Room(kata_folder, [(4, "red")], [(100.0, "\r"), (101.0, "qq")])
    screens = screens_of(room.run())
    assert any("0:15 left: time to wrap up" in s for s in screens)  # a quarter of a one-minute turn
    # the warning, time up, and every 30 s while over time
    assert room.bells == pytest.approx([45, 60, 90], abs=0.15)
    handover = next(s for s in screens if "Time is up for Ana · the bar" in s)
    assert (
        "Time is up for Ana · the bar: ✗ RED" in handover and "Bo drives, Cy navigates." in handover
    )
    assert "The bar is ✗ RED. f: finish the cycle to green first · Enter: hand over now" in handover
    assert "Driver: Bo Navigator: Cy round 1 ⏱ 1:00 left" in screens[-2]


def test_a_short_turn_warns_at_a_quarter_not_at_the_start_and_quiet_rings_nothing(kata_folder):
    room = Room(kata_folder, [(4, "red")], [(31.0, "qq")], seconds=30)
    room.run()
    assert room.bells == pytest.approx([22.5, 30], abs=0.15)  # 7.5 s before the end, then time up
    quiet = Room(kata_folder, [(4, "red")], [(31.0, "qq")], seconds=30, quiet=True)
    quiet.run()
    assert quiet.bells == []


def test_on_red_the_pair_may_finish_the_cycle_to_green_before_handing_over(kata_folder):
    room = Room(kata_folder, [(4, "red"), (4, "green")], [])
    room.watcher.keys.script = [(61.0, "f"), (70.0, room.save(4)), (72.0, "\r"), (73.0, "qq")]
    screens = screens_of(room.run())
    assert any("finishing the cycle: hand over at the next green (0:09 over)" in s for s in screens)
    handover = [s for s in screens if "Time is up for Ana · the bar" in s]
    assert handover and "The bar is ✓ GREEN. Enter: start the next turn" in handover[-1]
    assert "Driver: Bo Navigator: Cy" in screens[-1]


def test_a_break_due_at_time_up_on_red_waits_while_the_pair_finishes_to_green(kata_folder):
    room = Room(kata_folder, [(4, "red"), (4, "green")], [], break_every=("minutes", 0.5))
    room.watcher.keys.script = [(61.0, "f"), (70.0, room.save(4)), (72.0, "\r"), (73.0, "qq")]
    screens = screens_of(room.run())
    came = next(s for s in screens if "Time for a break" in s)  # time up on red, a break due
    assert "The bar is ✗ RED. f: finish the cycle to green first, then the break" in came
    assert any("finishing the cycle: hand over at the next green (0:09 over)" in s for s in screens)
    after = [s for s in screens if "Time for a break" in s]
    assert after and "The bar is ✓ GREEN. Enter: start the next turn" in after[-1]
    assert "Driver: Bo Navigator: Cy" in screens[-1]


def test_pause_resume_and_skip(kata_folder):
    room = Room(
        kata_folder,
        [(4, "red")],
        [(10.0, "p"), (40.0, "p"), (45.0, "ss"), (46.0, "\r"), (47.0, "qq")],
    )
    screens = screens_of(room.run())
    assert any("PAUSED at 0:50 (p resumes)" in s for s in screens)
    # 30 s paused did not count
    assert any("Driver: Ana Navigator: Bo round 1 ⏱ 0:46 left" in s for s in screens)
    assert any("PAUSED: the clock has stopped" in s for s in screens)
    assert any("Ana hands over early · the bar" in s for s in screens) and not any(
        "Time is up" in s for s in screens
    )
    assert "Driver: Bo Navigator: Cy" in screens[-1]


def test_every_check_is_logged_with_the_driver_and_a_copy_of_the_file(kata_folder):
    room = Room(kata_folder, [(4, "red"), (4, "green")], [])
    room.watcher.keys.script = [(5.0, room.save(4, "# Ana was here\n")), (6.0, "qq")]
    room.run()
    runs = read_runs(kata_folder / ".kata")
    assert [(r.run, r.step, r.state, r.driver, r.navigator) for r in runs] == [
        (1, 4, "red", "Ana", "Bo"),
        (2, 4, "green", "Ana", "Bo"),
    ]
    assert (
        runs[0].test.endswith("::test_one_position_more") and runs[0].time == "2026-11-27T14:00:00"
    )
    assert (kata_folder / ".kata" / runs[1].file).read_text().endswith("# Ana was here\n")


def test_predict_mode_asks_before_the_run_and_logs_the_prediction(kata_folder):
    room = Room(kata_folder, [(4, "red"), (4, "red")], [], predict=True)
    room.watcher.keys.script = [(5.0, room.save(4)), (6.0, "g"), (7.0, "qq")]
    screens = screens_of(room.run())
    # the question is the banner itself, where a driver beside the editor sees it
    assert any(drawn("PREDICT", f) and "? " in f for f in room.frames)
    assert any("g green · r red · a amber · n no guess" in s for s in screens)
    assert room.checks == 2
    assert [r.prediction for r in read_runs(kata_folder / ".kata")] == ["", "green"]
    assert "You said GREEN, the bar is RED: ✗ not this time." in screens[-1]


def write_log(folder: Path, rows: list[tuple], machine: str = "laptop", table: str = "") -> None:
    """A run log by hand: (seconds after START, driver, state, prediction[, step[, trigger[, message]]]) with file copies;
    the step is 4 for the first four runs and 5 after, unless given."""
    (folder / "runs").mkdir(parents=True, exist_ok=True)
    with open(folder / "runs.jsonl", "w") as log:
        for i, (seconds, driver, state, prediction, *more) in enumerate(rows, start=1):
            step = more[0] if more else (4 if i < 5 else 5)
            trigger = more[1] if len(more) > 1 else "save"
            message = (
                more[2]
                if len(more) > 2
                else ("AssertionError: it said no" if state != "green" else "")
            )
            copy = f"runs/{i:04d}-{STEPS[step - 1].stem}.py"
            (folder / copy).write_text(f"def descend(x, lr, iterations):\n    return [x] * {i}\n")
            record = {
                "run": i,
                "time": (START + timedelta(seconds=seconds)).isoformat(),
                "step": step,
                "state": state,
                "driver": driver,
                "navigator": "",
                "test": "tests/t.py::test_x" if state != "green" else "",
                "message": message,
                "prediction": prediction,
                "machine": machine,
                "file": copy,
                "trigger": trigger,
                "table": table,
            }
            log.write(json.dumps(record) + "\n")


LOG = [
    (0, "Ana", "red", "red"),
    (60, "Ana", "red", ""),
    (120, "Bo", "amber", "green"),
    (300, "Bo", "green", ""),
    (330, "Cy", "red", ""),
    (400, "Cy", "green", "green"),
]


def test_at_40_columns_each_run_of_the_review_is_a_short_paragraph_not_a_table_of_slivers(tmp_path):
    write_log(tmp_path / ".kata", LOG)
    console = capture_console(40)
    console.print(ReviewScreen(gather([tmp_path / ".kata"])))
    lines = [line.rstrip() for line in console.export_text().splitlines()]
    assert "#3 14:02:00 step 4 ! AMBER" in lines and "  Bo · predicted green · it said no" in lines
    assert "#6 14:06:40 step 5 ✓ GREEN" in lines and "  Cy · predicted green" in lines
    assert all(len(line) <= 40 for line in lines)


def test_the_review_shows_lights_per_driver_and_step_the_longest_red_and_the_cycles(tmp_path):
    write_log(tmp_path / ".kata", LOG)
    console = capture_console(100)
    console.print(ReviewScreen(gather([tmp_path / ".kata"])))
    flat = " ".join(console.export_text().split())
    assert (
        "Session review: 6 saves checked, from 2026-11-27 14:00 to 14:06 (6m 40s), drivers Ana, Bo, Cy"
        in flat
    )
    assert "All saves: ✗✗!✓✗✓" in flat
    # cycles: who turned it green
    assert "Ana 2 ✗✗ 0 1 of 1" in flat and "Bo 2 !✓ 1 0 of 1" in flat and "Cy 2 ✗✓ 1 1 of 1" in flat
    assert (
        "4 The descent 4 ✗✗!✓ 5m 00s 5m 00s" in flat  # to its green at 300 s
        and "5 The park's notes 2 ✗✓ 1m 40s 1m 10s"
        in flat  # from step 4's green to its own, at 400 s
    )
    assert "Longest red: 5m 00s on step 4, 3 runs (1–3), drivers Ana, Bo." in flat
    assert "Red-green cycles completed: 2." in flat
    assert "Predictions: 2 right, 1 wrong, 3 saves without one." in flat


def review(root: Path, *argv: str) -> tuple[int, str]:
    console = capture_console(100)
    status = run(
        ["review", *argv], console=console, read=lambda prompt: "y", now=lambda: START, root=root
    )
    return status, console.export_text()


def test_the_review_diffs_two_runs_and_restores_one_with_a_backup(kata_folder):
    write_log(kata_folder / ".kata", LOG)
    status, text = review(kata_folder, "--diff", "1", "3")
    assert status == 0 and "-    return [x] * 1" in text and "+    return [x] * 3" in text
    mine = kata_folder / "steps/step04_descend.py"
    mine.write_text("def descend(x, lr, iterations):\n    return 'my latest'\n")
    status, text = review(kata_folder, "--restore", "2", "--yes")
    assert status == 0 and mine.read_text().endswith("return [x] * 2\n")
    backup = next((kata_folder / ".kata/backups").glob("*-review-run-2"))
    assert (backup / "steps/step04_descend.py").read_text().endswith("'my latest'\n")


def test_merge_reads_several_machines_into_one_review(kata_folder, tmp_path):
    write_log(kata_folder / ".kata", LOG[:3], machine="table-1")
    write_log(
        tmp_path / "table-2" / ".kata",
        [(30, "Di", "red", ""), (90, "Di", "green", "")],
        machine="table-2",
    )
    status, text = review(kata_folder, "--merge", str(tmp_path / "table-2"))
    flat = " ".join(text.split())
    assert status == 0 and "5 saves" in flat and "2 tables" in flat and "table-2" in flat
    assert "All saves: ✗✗✗✓!" in flat  # in time order across the machines


def test_merge_says_which_table_came_from_which_folder_and_that_the_local_log_joins(
    kata_folder, tmp_path
):
    write_log(kata_folder / ".kata", LOG[:1], machine="vm")
    for name in ("table-2", "table-3"):
        write_log(tmp_path / "kake" / name / ".kata", [(30, "Di", "red", "")], table=name)
    kake = tmp_path / "kake"
    status, text = review(kata_folder, "--merge", str(kake / "table-2"), str(kake / "table-3"))
    said = " ".join(text.split("Legend")[0].split())  # the review's first lines
    assert status == 0 and "3 tables" in said
    assert "vm from this kata's own log (it joins every --merge)" in said
    # a long path may wrap anywhere: compared without the spaces
    assert f"table-2from{(kake / 'table-2').as_posix()}" in said.replace(" ", "")
    status, text = review(kata_folder)  # no merge: nothing to say
    assert status == 0 and "Logs merged" not in text


def test_merge_of_a_folder_without_a_log_is_a_usage_error(kata_folder, tmp_path, capsys):
    status, _ = review(kata_folder, "--merge", str(tmp_path))
    assert status == 2 and "no run log there" in capsys.readouterr().err


def test_a_new_group_archives_the_log_and_resets_with_backups(kata_folder):
    write_log(kata_folder / ".kata", LOG)
    (kata_folder / "steps/step04_descend.py").write_text(
        "def descend(x, lr, iterations):\n    return [x]  # group 1\n"
    )
    console = capture_console(100)
    context = Context(
        kata_folder, console, console, lambda prompt: "y", lambda: START, lambda *a: None
    )
    assert start_new_group(context, yes=True) == 0
    assert not (kata_folder / ".kata/runs.jsonl").exists()
    assert len(read_runs(kata_folder / ".kata/groups/2026-11-27_140000")) == 6
    backup = next((kata_folder / ".kata/backups").glob("*-new-group"))
    assert (backup / "steps/step04_descend.py").read_text().endswith("# group 1\n")


def test_at_40_columns_the_state_stays_big_and_nothing_is_wider(kata_folder):
    room = Room(kata_folder, [(4, "timeout")], [(0.5, "qq")], width=40)
    text = room.run()
    assert drawn("TIMEOUT", text) and "⏱" in text
    assert max(len(line) for line in text.splitlines()) <= 40


# keys and timing (the cases seen in a rehearsal)

UP, HOME, END = b"\x1b[A", b"\x1b[H", b"\x1b[F"


def test_arrow_home_and_end_are_read_whole_and_do_nothing(kata_folder):
    room = Room(kata_folder, [(4, "red"), (4, "red")], [], predict=True)
    room.watcher.keys.script = [
        (1.0, room.save(4)),
        (2.0, UP),
        (2.5, HOME),
        (3.0, END),
        (3.5, "g"),
        (4.0, "qq"),
    ]
    screens = screens_of(room.run())
    assert [r.prediction for r in read_runs(kata_folder / ".kata")] == [
        "",
        "green",
    ]  # Up was no "amber"
    assert not any("Hint 1 of 3" in s for s in screens)  # Home was no "h"
    assert room.checks == 2


def test_time_up_while_a_prediction_is_pending_runs_the_save_then_hands_over(kata_folder):
    room = Room(kata_folder, [(4, "red"), (4, "green")], [], predict=True)
    room.watcher.keys.script = [(55.0, room.save(4)), (62.0, "\r"), (63.0, "qq")]
    screens = screens_of(room.run())
    assert room.checks == 2 and [r.prediction for r in read_runs(kata_folder / ".kata")] == ["", ""]
    handover = next(s for s in screens if "Time is up for Ana · the bar" in s)
    # the bar after the save, not before
    assert "The bar is ✓ GREEN. Enter: start the next turn" in handover
    assert "Driver: Bo Navigator: Cy" in screens[-1]  # the first Enter handed over


def test_a_slow_run_at_time_up_comes_before_the_handover_and_its_log(kata_folder):
    done = threading.Event()
    room = Room(kata_folder, [(4, "red"), (4, "green", done)], [], predict=True)
    room.watcher.keys.script = [(50.0, room.save(4)), (64.0, done.set), (66.0, "\r"), (67.0, "qq")]
    screens = screens_of(room.run())
    # while the save runs the room sees the run, not a handover on the bar from before it
    assert not any("Time is up" in s and "RUNNING" in s for s in screens)
    handovers = [s for s in screens if "Time is up for Ana" in s]
    assert handovers and all("the bar: ✓ GREEN" in s for s in handovers)
    assert not any("✗ RED" in s for s in handovers)
    events = [(e.event, e.detail) for e in iter_events(kata_folder / ".kata")]
    assert ("handover", "time; the bar green") in events


def test_a_save_still_settling_at_time_up_is_run_before_the_handover(kata_folder):
    room = Room(kata_folder, [(4, "red"), (4, "green")], [])
    room.watcher.keys.script = [(59.99, room.save(4)), (62.0, "\r"), (63.0, "qq")]
    screens = screens_of(room.run())
    assert room.checks == 2
    assert all("the bar: ✓ GREEN" in s for s in screens if "Time is up for Ana" in s)
    events = [(e.event, e.detail) for e in iter_events(kata_folder / ".kata")]
    assert ("handover", "time; the bar green") in events


def test_a_right_prediction_is_said_right(kata_folder):
    room = Room(kata_folder, [(4, "red"), (4, "red")], [], predict=True)
    room.watcher.keys.script = [(5.0, room.save(4)), (6.0, "r"), (7.0, "qq")]
    assert "You said RED, the bar is RED: ✓ right." in screens_of(room.run())[-1]


def test_h_and_l_toggle_and_the_state_stays_on_screen(kata_folder):
    room = Room(kata_folder, [(4, "red")], [(1.0, "l"), (2.0, "l"), (3.0, "h"), (4.0, "qq")])
    room.run()
    frames = room.frames
    listed = [
        i for i, frame in enumerate(frames) if "✓ GREEN 1 The parabola" in " ".join(frame.split())
    ]
    # the state in a line, the clock still big
    assert (
        listed and "✗ RED" in frames[listed[0]] and "Step 4/10 · The descent" in frames[listed[0]]
    )
    assert drawn("Ana 0:59", frames[listed[0]])
    # the list never pushes the banner off 24 rows
    assert all(len(frame.splitlines()) <= 23 for frame in frames)
    hinted = [i for i, frame in enumerate(frames) if "Hint 1 of 3 · step 4" in frame]
    # l again closed the list
    assert hinted and any(i not in listed for i in range(listed[-1] + 1, hinted[0]))
    assert "h closes it" in " ".join(frames[hinted[0]].split())


def test_the_handover_screen_shows_a_hint_and_the_list_when_asked(kata_folder):
    room = Room(kata_folder, [(4, "red")], [(5.0, "ss"), (6.0, "h"), (7.0, "l"), (8.0, "qq")])
    screens = screens_of(room.run())
    assert any(
        "Hint 1 of 3 · step 4" in s and "Time is up" not in s and "early" in s for s in screens
    )
    assert any("✗ RED 4 The descent" in s and "hands over early" in s for s in screens)


def test_a_slow_check_shows_running_and_the_clock_goes_on(kata_folder):
    done = threading.Event()
    room = Room(kata_folder, [(4, "red"), (4, "green", done)], [])
    room.watcher.keys.script = [(2.0, room.save(4)), (5.0, done.set), (6.0, "qq")]
    screens = screens_of(room.run())
    running = [s for s in screens if "RUNNING: the tests are running" in s]
    assert running and "the bar: ✗ RED" in running[0]
    assert any("0:57 left" in s for s in running) and any("0:56 left" in s for s in running)
    assert "GREEN: suggestions from the room" in screens[-1]


def test_the_footer_says_when_the_check_ran_not_when_the_screen_was_drawn(kata_folder):
    room = Room(kata_folder, [(4, "red")], [(5.0, "qq")])
    screens = screens_of(room.run())
    assert all("checked 14:00:00" in s for s in screens)


def test_what_new_group_said_stays_on_the_first_screen(kata_folder):
    room = Room(
        kata_folder, [(4, "red")], [(3.0, "qq")], notice="Backed up 2 file(s) to .kata/backups/x/"
    )
    screens = screens_of(room.run())
    assert all("Backed up 2 file(s) to .kata/backups/x/" in s for s in screens)


def test_dojo_passes_on_what_new_group_printed(kata_folder, monkeypatch):
    seen = {}
    monkeypatch.setattr(
        "kata.dojo.projector.dojo", lambda context, *args: seen.setdefault("notice", args[5]) and 0
    )
    (kata_folder / "steps/step04_descend.py").write_text(
        "def descend(x, lr, iterations):\n    return [x]  # mine\n"
    )
    console = capture_console(100)
    run(
        ["dojo", "--new-group", "--yes"],
        console=console,
        read=lambda prompt: "y",
        now=lambda: START,
        root=kata_folder,
    )
    assert "Backed up 1 file(s) to .kata/backups/" in seen["notice"]


def test_the_dojo_screen_says_what_the_plain_loop_says(kata_folder):
    room = Room(kata_folder, [(5, "red")], [(1.0, "qq")])
    room.watcher.context.check = lambda root, steps=STEPS: check_with(5, "red")
    focus = check_with(5, "red").steps[4]
    assert focus.failure is not None
    focus.failure = replace(
        focus.failure, where="steps/step05_load.py, line 19: temperature, visitors = line.split()"
    )
    room.watcher.context.check = lambda root, steps=STEPS: Check(
        [*check_with(5, "red").steps[:4], focus, *check_with(5, "red").steps[5:]], 0.3
    )
    flat = screens_of(room.run())[-1]
    assert "2 of 3 tests fail. First: one position more" in flat
    assert "at steps/step05_load.py, line 19: temperature, visitors = line.split()" in flat


def test_a_syntax_error_keeps_its_caret_under_the_character_at_40_columns(kata_folder):
    message = (
        "steps/step01_parabola.py has a syntax error on line 2: invalid character '−' (U+2212).\n"
        "    return (x - 3) ** 2 + 2 + a_long_name_here * another_long_name + (x − 3)\n"
        + " " * 72
        + "^\nFix that line, save, and run again."
    )
    room = Room(
        kata_folder,
        [
            (
                1,
                "amber",
            )
        ],
        [(1.0, "qq")],
        width=40,
    )
    room.watcher.context.check = lambda root, steps=STEPS: check_with(1, "amber", message)
    lines = room.run().splitlines()
    caret = next(i for i, line in enumerate(lines) if line.strip() == "^")
    assert lines[caret - 1][lines[caret].index("^")] == "−"


def test_hint_levels_start_afresh_for_a_new_group(kata_folder):
    from kata.core.workspace import Progress

    progress = Progress.load(kata_folder)
    progress.hints = {4: 3}
    progress.save(kata_folder)
    console = capture_console(100)
    context = Context(
        kata_folder, console, console, lambda prompt: "y", lambda: START, lambda *a: None
    )
    start_new_group(context, yes=True)
    assert Progress.load(kata_folder).hints == {}


# the projector


def test_at_120_by_40_the_state_and_the_driver_fill_the_screen(kata_folder):
    room = Room(kata_folder, [(4, "red")], [(0.5, "qq")], width=120, height=40)
    room.run()
    last = room.frames[-1]
    big = Scale(
        3, 5
    )  # 13 rows each, the biggest 120 columns take for GREEN and the clock side by side
    assert all(row.strip() in last for row in draw("RED", big))
    assert all(row.strip() in last for row in draw("Ana 1:00", big))
    assert all(len(frame.splitlines()) <= 39 for frame in room.frames)


@pytest.mark.parametrize(("width", "height"), [(40, 24), (80, 24), (120, 40), (40, 10)])
def test_a_long_amber_message_never_pushes_the_banner_off(kata_folder, width, height):
    message = "steps/step05_load.py stops while Python loads it:\n" + "\n".join(
        f"line {i} of a long story" for i in range(40)
    )
    room = Room(kata_folder, [(5, "amber")], [(0.5, "qq")], width=width, height=height)
    room.watcher.context.check = lambda root, steps=STEPS: check_with(5, "amber", message)
    room.run()
    last = room.frames[-2]  # before the q that asks for a second one
    assert len(last.splitlines()) <= height - 1 and drawn("AMBER", last)
    if height > 10:
        assert "more lines: see python -m kata" in last
    else:  # a pane of ten rows: the first line of the message
        assert "steps/step05_load.py stops while" in last


# the roster


def test_skip_add_remove_and_shuffle_on_the_handover_screen(kata_folder):
    room = Room(
        kata_folder, [(4, "red")], [], drivers=("Ana", "Bo", "Cy", "Di"), rng=random.Random(3)
    )
    room.watcher.keys.script = [
        (1.0, "ss"),
        (2.0, "x"),
        (3.0, "+"),
        (3.1, "Eve"),
        (3.2, "\r"),
        (4.0, "-"),
        (4.1, "bo"),
        (4.2, "\r"),
        (5.0, "\r"),
        (6.0, "qq"),
    ]
    screens = screens_of(room.run())
    assert any("Bo is skipped (away: + Bo brings them back). Cy drives next." in s for s in screens)
    assert any("Name to add: Eve" in s for s in screens) and any(
        "Eve joins the rotation." in s for s in screens
    )
    assert any("Bo leaves the rotation." in s for s in screens)
    assert room.rotation.drivers == ["Ana", "Cy", "Di", "Eve"]
    assert "Driver: Cy Navigator: Di" in screens[-1]


def test_the_rotation_resumes_where_it_stopped_even_after_the_roster_changed(kata_folder):
    from kata.dojo.projector import load_rotation, save_rotation

    rotation = Rotation(["Ana", "Bo", "Cy", "Eve"], 60, 0.0, index=2, turns=5, away={"Bo"})
    # Di left, Eve came, Bo is away
    save_rotation(kata_folder, rotation, given=["Ana", "Bo", "Cy", "Di"])
    for given in (
        ["Ana", "Bo", "Cy", "Di"],
        [],
    ):  # the same --drivers as at the start, or none: resume
        saved, said = load_rotation(kata_folder, given)
        assert (
            saved is not None
            and (saved.drivers, saved.index, saved.turns, saved.away)
            == (["Ana", "Bo", "Cy", "Eve"], 2, 5, ["Bo"])
            and said == ""
        )
    # another roster: a fresh start, and the room is told
    saved, said = load_rotation(kata_folder, ["Zoe", "Yan"])
    assert saved is None and said.startswith("A new roster: the rotation starts afresh with Zoe")
    (kata_folder / ".kata/dojo.json").write_text('{"drivers": "x", "index": -4}')
    # damaged: a fresh start, no traceback, and a sentence for the room on the first screen
    assert load_rotation(kata_folder, ["Ana"]) == (
        None,
        "The saved rotation (.kata/dojo.json) was damaged, so the rotation starts afresh.",
    )


def test_a_restarted_dojo_carries_on_towards_its_break_from_where_it_stopped(kata_folder):
    from kata.dojo.projector import load_rotation

    # 45 s into a break every minute, the dojo stops: it keeps how long it ran since the last break
    room = Room(kata_folder, [(4, "red")], [(45.0, "qq")], break_every=("minutes", 1))
    room.run()
    saved, _ = load_rotation(kata_folder, [])
    assert saved is not None and saved.since_break == (pytest.approx(45.0, abs=0.5), 0)
    # started again, the break comes at the first handover after 15 s more, not after a whole minute
    again = Room(
        kata_folder,
        [(4, "red")],
        [(20.0, "ss"), (21.0, "qq")],
        break_every=("minutes", 1),
        since_break=saved.since_break,
    )
    screens = screens_of(again.run())
    assert any("Time for a break" in s for s in screens)
    damaged = (
        (kata_folder / ".kata/dojo.json")
        .read_text()
        .replace('"since_break": [', '"since_break": ["x", ')
    )
    (kata_folder / ".kata/dojo.json").write_text(damaged)
    saved, said = load_rotation(kata_folder, [])
    assert saved is not None and saved.since_break is None and said == ""  # its clock starts afresh


def test_a_round_ends_when_everyone_here_has_driven_and_a_roster_change_never_takes_one_back(
    kata_copy,
):
    from kata.dojo.projector import load_rotation, save_rotation

    rotation = Rotation(["Ana", "Bo", "Cy"], 60, 0.0)
    for _ in range(3):
        rotation.hand_over(0.0)
    assert (rotation.round, rotation.driver) == (2, "Ana")
    rotation.add("Di")  # counted as turns // people + 1, this was round 3 // 4 + 1 = 1 again
    assert rotation.round == 2
    for expected in ("Bo", "Cy", "Di"):  # round 2 takes the newcomer in
        rotation.hand_over(0.0)
        assert (rotation.round, rotation.driver) == (2, expected)
    rotation.hand_over(0.0)
    assert (rotation.round, rotation.driver) == (3, "Ana")
    rotation.remove("Cy")
    rotation.skip_next()  # Bo is away: Ana and Di make a round now
    rotation.hand_over(0.0)
    assert (rotation.round, rotation.driver) == (3, "Di")
    rotation.hand_over(0.0)
    assert (rotation.round, rotation.driver) == (4, "Ana")
    save_rotation(kata_copy, rotation, given=["Ana", "Bo", "Cy"])
    saved, _ = load_rotation(kata_copy, [])
    assert saved is not None and (saved.rounds, saved.in_round) == (3, 0)
    # a file saved before rounds were kept resumes as they were counted then
    (kata_copy / ".kata/dojo.json").write_text(
        '{"given": ["Ana", "Bo"], "drivers": ["Ana", "Bo"], "index": 1, "turns": 5, "away": []}'
    )
    saved, _ = load_rotation(kata_copy, [])
    assert saved is not None and (saved.rounds, saved.in_round) == (2, 1)


def test_an_away_person_stays_out_after_a_shuffle_and_comes_back_with_plus():
    rotation = Rotation(["Ana", "Bo", "Cy", "Di"], 60, 0.0)
    assert rotation.skip_next() == "Bo is skipped (away: + Bo brings them back). Cy drives next."
    rotation.shuffle(random.Random(1))
    assert rotation.next_driver != "Bo" and rotation.next_navigator != "Bo"
    assert rotation.add("bo") == "Bo is back in the rotation."


def test_overtime_reads_as_over_and_a_break_says_break(kata_folder):
    room = Room(kata_folder, [(4, "red")], [(61.0, "f"), (70.0, "qq")])
    text = room.run()
    assert drawn("Ana +0:09", text)
    room = Room(
        kata_folder, [(4, "red")], [(1.0, "ss"), (2.0, "qq")], break_every=("minutes", 0.01)
    )
    text = room.run()
    assert drawn("BREAK", text) and "then Bo drives · back at 14:10" in text


def test_a_save_on_the_handover_screen_is_checked_and_enter_still_starts_the_turn(kata_folder):
    room = Room(kata_folder, [(4, "red"), (4, "green")], [], predict=True)
    room.watcher.keys.script = [(1.0, "ss"), (2.0, room.save(4)), (3.0, "\r"), (4.0, "qq")]
    screens = screens_of(room.run())
    assert room.checks == 2 and "Driver: Bo" in screens[-1]


def test_while_a_prediction_is_asked_the_footer_says_r_is_red(kata_folder):
    room = Room(kata_folder, [(4, "red")], [], predict=True)
    room.watcher.keys.script = [(1.0, room.save(4)), (2.0, "qq")]
    screens = screens_of(room.run())
    assert "g green · r red · a amber · n no guess" in screens[-1] and "r run" not in screens[-1]


def test_the_first_check_may_be_slow_without_a_crash(kata_folder):
    done = threading.Event()
    room = Room(kata_folder, [(4, "red", done)], [(1.0, done.set), (2.0, "qq")])
    text = room.run()
    assert "Checking the steps for the first time" in text and "Driver: Ana" in text


def test_a_break_comes_after_the_rounds_asked(kata_folder):
    room = Room(kata_folder, [(4, "red")], [], drivers=("Ana", "Bo"), break_every=("rounds", 1))
    room.watcher.keys.script = [(1.0, "ss"), (2.0, "\r"), (3.0, "ss"), (4.0, "\r"), (5.0, "qq")]
    screens = screens_of(room.run())
    assert not any("BREAK" in s for s in screens[:3])
    assert any("Time for a break (every round, 10 minutes long)" in s for s in screens)
    assert "round 2" in screens[-1]


# the review that teaches


def review_of(folder: Path, *folders: Path) -> str:
    console = capture_console(140)
    session = gather([folder, *folders])
    console.print(ReviewScreen(session))
    return " ".join(console.export_text().split())


def test_the_longest_red_is_the_longest_in_time_and_ends_at_a_change_of_step(tmp_path):
    rows = [
        (0, "Ana", "red", "", 3),
        (62, "Ana", "green", "", 3),  # one run, 62 s red
        (70, "Bo", "red", "", 4),
        (75, "Bo", "red", "", 4),
        (80, "Bo", "green", "", 4),  # three runs, 10 s
        (90, "Cy", "red", "", 5),
        (95, "Cy", "red", "", 7),
        (99, "Cy", "red", "", 7),
    ]  # a --from jump: 5, then 7
    write_log(tmp_path / ".kata", rows)
    flat = review_of(tmp_path / ".kata")
    assert (
        'Longest red: 1m 02s on step 3, 1 run (1), driver Ana. First it said: "it said no"' in flat
    )
    # the jump ended step 5's stretch, not spanned to step 7
    assert (
        "5 The park's notes 1 ✗ 0m 10s 0m 00s" in flat
    )  # from the run before it (80 s) to it (90 s)


def test_the_time_the_dojo_was_stopped_is_no_red_time(tmp_path):
    rows = [
        (0, "Ana", "red", "", 3),
        (10, "Ana", "red", "", 3),  # then the dojo stops, for lunch
        (3610, "Ana", "red", "", 3, "start"),  # an hour later it starts again
        (3630, "Ana", "green", "", 3),
    ]
    write_log(tmp_path / ".kata", rows)
    flat = review_of(tmp_path / ".kata")
    # red from 0 to 10 s and from the restart to the green: 30 s, not an hour
    assert "Longest red: 0m 30s on step 3, 2 runs (1–2)" in flat


def test_start_and_rerun_checks_are_listed_but_not_counted(tmp_path):
    rows = [
        (0, "Ana", "red", "", 4, "start"),
        (10, "Ana", "red", "", 4, "rerun"),
        (20, "Ana", "red", "", 4),
        (30, "Ana", "green", "", 4),
    ]
    write_log(tmp_path / ".kata", rows)
    flat = review_of(tmp_path / ".kata")
    assert (
        "2 saves checked (and 2 start or re-run checks, not counted)" in flat
        and "All saves: ✗✓" in flat
    )
    assert (
        "(start) AssertionError" not in flat
        and "(start) it said no" in flat
        and "(re-run) it said no" in flat
    )


def test_two_machines_with_one_name_stay_two_tables_and_keep_their_own_stretches(tmp_path):
    write_log(
        tmp_path / "one" / ".kata",
        [(0, "Ana", "red", "", 4), (100, "Ana", "green", "", 4)],
        machine="vm",
    )
    write_log(
        tmp_path / "two" / ".kata",
        [(50, "Di", "red", "", 4), (60, "Di", "green", "", 4)],
        machine="vm",
    )
    flat = review_of(tmp_path / "one" / ".kata", tmp_path / "two" / ".kata")
    assert "2 tables" in flat and "vm (two)" in flat
    # Di's red→green counts, though Ana's table was red in between
    assert "Red-green cycles completed: 2." in flat
    assert "Longest red: 1m 40s on step 4 at vm, 1 run (1), driver Ana." in flat


def test_a_table_name_stands_for_the_machine(tmp_path):
    write_log(tmp_path / "a" / ".kata", [(0, "Ana", "red", "")], machine="vm", table="table-1")
    write_log(tmp_path / "b" / ".kata", [(5, "Di", "red", "")], machine="vm", table="table-2")
    flat = review_of(tmp_path / "a" / ".kata", tmp_path / "b" / ".kata")
    assert "table-1" in flat and "table-2" in flat and "(b)" not in flat


def test_group_reviews_one_archived_group_alone(kata_folder, capsys):
    write_log(kata_folder / ".kata", LOG)
    write_log(kata_folder / ".kata" / "groups" / "2026-11-26_090000", [(0, "Zoe", "red", "")])
    status, text = review(kata_folder, "--group", "2026-11-26_090000")
    flat = " ".join(text.split())
    assert status == 0 and "1 save checked" in flat and "Zoe" in flat and "Ana" not in flat
    status, _ = review(kata_folder, "--group", "nope")
    assert status == 2 and "the groups are 2026-11-26_090000" in capsys.readouterr().err


def test_diff_of_two_steps_says_so_and_diff_n_compares_with_the_run_before(kata_folder):
    write_log(kata_folder / ".kata", LOG)
    status, text = review(kata_folder, "--diff", "4", "5")
    assert (
        status == 0
        and "Runs 4 and 5 are on different steps (4 and 5): this compares two different files."
        in " ".join(text.split())
    )
    status, text = review(kata_folder, "--diff", "3")
    assert (
        status == 0 and "run 2: steps/step04_descend.py" in text and "+    return [x] * 3" in text
    )
    status, text = review(kata_folder, "--diff", "5")
    assert "Run 5 is the first on step 5" in " ".join(text.split())


def test_the_review_tells_why_and_what_the_dojo_did(kata_folder):
    write_log(kata_folder / ".kata", LOG)
    events = [
        ("turn", "Bo", "round 1"),
        ("handover", "Ana", "time; the bar red"),
        ("finish", "Ana", "the bar red"),
        ("handover", "Bo", "skip; the bar green"),
        ("hint", "Bo", "step 4, hint 1 of 3"),
        ("hint", "Cy", "step 4, hint 2 of 3"),
        ("break", "Cy", ""),
    ]
    with open(kata_folder / ".kata/events.jsonl", "w") as log:
        for i, (event, driver, detail) in enumerate(events):
            log.write(
                json.dumps(
                    {
                        "time": (START + timedelta(seconds=i)).isoformat(),
                        "event": event,
                        "driver": driver,
                        "detail": detail,
                    }
                )
                + "\n"
            )
    flat = review_of(kata_folder / ".kata")
    assert "it said no" in flat  # each run with what its tests said
    assert (
        "Turns: 2; handovers: 1 when time was up, 1 early; 1 pair finished the cycle to green after time; 1 break."
        in flat
    )
    assert "Hints shown: 2 (step 4: 2)." in flat


@pytest.mark.parametrize("suffix", [".md", ".html"])
def test_save_writes_the_review_for_the_group(kata_folder, tmp_path, suffix):
    write_log(kata_folder / ".kata", LOG)
    out = tmp_path / f"review{suffix}"
    status, text = review(kata_folder, "--save", str(out))
    assert status == 0 and out.exists() and "Saved the review" in text
    written = out.read_text()
    assert "Session review" in written and "it said no" in written
    if suffix == ".md":
        assert written.startswith("# Session review") and "| 4 The descent | 4 |" in written


def test_save_never_follows_a_symlink_nor_waits_on_a_fifo_nor_writes_into_a_folder(
    kata_folder, tmp_path, capsys
):
    write_log(kata_folder / ".kata", LOG)
    elsewhere = tmp_path / "elsewhere.md"
    elsewhere.write_text("not the review's\n")
    (tmp_path / "link.md").symlink_to(elsewhere)
    os.mkfifo(tmp_path / "fifo.md")  # opened for writing, it would wait for a reader
    (tmp_path / "folder.md").mkdir()
    for name, what in (("link.md", "a symlink"), ("fifo.md", "a FIFO"), ("folder.md", "a folder")):
        status, _ = review(kata_folder, "--save", str(tmp_path / name))
        said = capsys.readouterr().err
        assert status == 2 and said.count("\n") == 1, said
        assert f"that is {what}, not a file: give the name of a file to write" in said
    assert elsewhere.read_text() == "not the review's\n"


def test_the_guides_tmux_lines_parse_and_only_the_first_starts_a_new_group():
    import re
    import shlex

    from kata.__main__ import build_parser

    readme = (Path(__file__).parents[3] / "README.md").read_text(encoding="utf-8")
    guide = readme.split("### A facilitator's guide", 1)[1].split("\n## ", 1)[0]
    panes = re.findall(r"^tmux (?:new|respawn-pane).*?'(python -m kata dojo[^']*)'", guide, re.M)
    assert len(panes) == 2, panes  # the start, and the restart after q q
    parsed = [build_parser().parse_args(shlex.split(p.split(";")[0])[3:]) for p in panes]
    assert [a.new_group for a in parsed] == [True, False]
    # --new-group asks before it resets a step with work in it; the pane stays open: its last words are read
    assert not any(a.yes for a in parsed)
    assert all(p.endswith("; read _") for p in panes)
    assert "M-n" in guide  # no guess, from the editor's pane too


def test_a_steps_time_ends_at_its_own_green_not_at_the_next_steps_first_save(tmp_path):
    rows = [
        (0, "Ana", "red", "", 1, "start"),
        (8, "Ana", "amber", "", 1),
        (19, "Ana", "green", "", 1),  # step 1: 19 s from the start
        (27, "Ana", "red", "", 2),
        (40, "Ana", "green", "", 2),  # step 2: from step 1's green, 21 s
    ]
    write_log(tmp_path / ".kata", rows)
    flat = review_of(tmp_path / ".kata")
    assert "1 The parabola 2 !✓ 0m 19s" in flat and "2 The slope 2 ✗✓ 0m 21s" in flat
    assert "time: from the run before a step's first save to its last save" in flat


def test_time_up_on_a_step_not_begun_offers_no_cycle_to_finish(kata_folder):
    # step 4 is green; step 5 is the stub the next pair opens: red, but nobody has written a line of it
    room = Room(kata_folder, [(4, "green")], [(61.0, "f"), (62.0, "qq")])
    screens = screens_of(room.run())
    handover = next(s for s in screens if "Time is up for Ana" in s)
    assert "step 5 is not begun. Enter: start the next turn" in handover
    assert "finish the cycle" not in handover
    assert any("f does nothing here" in s for s in screens)  # f finishes nothing: said so


@pytest.mark.parametrize("where", ["piped", "TERM=dumb"])
def test_piped_or_on_a_dumb_terminal_a_frame_is_printed_when_something_happens(kata_folder, where):
    done = threading.Event()
    console = Console(
        file=io.StringIO(),
        width=80,
        height=24,
        color_system=None,
        force_terminal=where != "piped",
        _environ={"TERM": "dumb"} if where != "piped" else {},
    )
    room = Room(kata_folder, [(4, "red", done)], [], console=console)
    room.watcher.keys.script = [
        (7.0, done.set),
        (9.0, "qq"),
    ]  # a first check of 7 s, then 2 s on red
    assert room.watcher.run() == 0
    out = console.file.getvalue()
    assert "\x1b[" not in out  # no cursor moves, no clearing
    assert out.count("Checking the steps for the first time") == 1
    # the red frame after the check, and again with the first q's question: not once a second
    assert out.count("let the pair think") == 2 and "q again: quit the dojo" in out


def test_keys_pressed_while_the_tests_run_are_answered_after_the_run(kata_folder):
    done = threading.Event()
    room = Room(kata_folder, [(4, "red", done)], [])
    room.watcher.keys.script = [
        (2.0, "q"),
        (2.5, "q"),
        (5.0, done.set),
    ]  # q q during a first check of 5 s
    screens = screens_of(room.run())  # it ends: the script's guard fails a dojo that runs on
    assert "let the pair think" in screens[-1] or "q again" in screens[-1]
