"""The dojo's record is exact: one run per save, under the step saved, with its state; the stub kept as each step's
first version. The cases seen in a Randori, and their family (the end of an act, act II after act I, a step saved that
is not the one shown), with scripted checks and a fake clock."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from kata.core.checks import Check
from kata.core.registry import STEPS
from kata.core.runlog import read_runs
from kata.core.stubs import stub_source
from kata.dojo.review import ReviewScreen, gather
from kata.loop.app import Context
from kata.loop.watch import Watcher
from tests.tool.conftest import capture_console
from tests.tool.dojo.test_dojo import START, Room, check_with, review, screens_of
from tests.tool.loop.test_runner import ScriptedKeys


def logged(root: Path) -> list[tuple[int, str, str]]:
    """Each run of the log as (step, state, trigger)."""
    return [(r.step, r.state, r.trigger) for r in read_runs(root / ".kata")]


def with_step(check: Check, number: int, state: str) -> Check:
    """The check with one step's state changed (its failure kept or made up)."""
    steps = list(check.steps)
    old = steps[number - 1]
    failing = check_with(number, state if state != "green" else "red").steps[number - 1]
    steps[number - 1] = replace(
        old if state == "green" else failing,
        state=state,
        stub=False,
        passed=3 if state == "green" else 1,
    )
    return Check(steps, check.seconds)


def test_saving_a_correct_step_10_after_from_10_logs_step_10_green(kata_folder):
    """The case seen: `dojo --from 10`, a correct step 10 saved, logged as step 17 red (the stub nobody touched)."""
    room = Room(kata_folder, [(10, "red"), (10, "green")], [], drivers=("Ana", "Bo"), start=10)
    room.watcher.keys.script = [(5.0, room.save(10)), (6.0, "qq")]
    screens = screens_of(room.run())
    assert logged(kata_folder) == [(10, "red", "start"), (10, "green", "save")]
    assert "All 10 steps of the article pass" in screens[-2]
    # what comes after step 10, said on the screen: act II, or the review
    assert "The article is rebuilt: about 543 visitors at 33 °C." in screens[-2]
    assert (
        "open steps/step11_gradient_check.py to go on, or end here: python -m kata review"
        in screens[-2]
    )


def test_from_11_opens_on_step_11_not_on_the_article_passing(kata_folder):
    room = Room(kata_folder, [(10, "green")], [(1.0, "qq")], start=11)
    screens = screens_of(room.run())
    assert f"Step 11 (act II: 1/7) · {STEPS[10].title}" in screens[0]
    assert "All 10 steps of the article pass" not in screens[0]
    assert (
        "Open steps/step11_gradient_check.py, read what is new here (at its top) and its # TODO"
        in screens[0]
    )
    assert logged(kata_folder) == [(11, "red", "start")]


@pytest.mark.parametrize(
    ("before", "saved", "after", "expected", "shown"),
    [
        # the last step of an act: act II finished, every step green
        (
            check_with(17, "red"),
            17,
            check_with(17, "green"),
            (17, "green"),
            "All 7 steps of act II pass",
        ),
        # act II after act I: the first save of step 11, still red
        (check_with(10, "green"), 11, check_with(11, "red"), (11, "red"), "Step 11 (act II: 1/7)"),
        # a step saved that is not the one shown: the room is on step 5, someone breaks step 3
        (
            check_with(5, "red"),
            3,
            with_step(check_with(5, "red"), 3, "amber"),
            (3, "amber"),
            "Step 3/10",
        ),
        # and mends it again: step 3 green, though step 5 is still red
        (
            with_step(check_with(5, "red"), 3, "amber"),
            3,
            check_with(5, "red"),
            (3, "green"),
            "Step 3 passes. Refactor, then open steps/step05_load.py.",
        ),
    ],
    ids=["end of act II", "act II after act I", "another step broken", "another step mended"],
)
def test_a_save_is_logged_under_the_step_saved_and_shown(
    kata_folder, before, saved, after, expected, shown
):
    room = Room(kata_folder, [before, after], [])
    room.watcher.keys.script = [(5.0, room.save(saved)), (6.0, "qq")]
    screens = screens_of(room.run())
    assert logged(kata_folder)[-1] == (*expected, "save")
    assert shown in screens[-2]


def test_watch_mode_logs_the_step_saved_too(kata_folder):
    console = capture_console(80)
    checks = iter([check_with(10, "red"), check_with(10, "green")])
    context = Context(
        kata_folder, console, console, input, lambda: START, lambda root, steps=STEPS: next(checks)
    )
    clock = [0.0]
    mine = kata_folder / STEPS[9].learner_file
    keys = ScriptedKeys(
        clock, [(1.0, lambda: mine.write_text(mine.read_text() + "# done\n")), (2.0, "q")]
    )
    assert Watcher(context, keys, lambda: clock[0]).run() == 0
    assert logged(kata_folder) == [(10, "red", "start"), (10, "green", "save")]


def test_the_stub_is_kept_as_each_steps_first_version_so_a_first_try_has_a_diff(kata_folder):
    room = Room(kata_folder, [(4, "red"), (5, "red"), (5, "red")], [])
    room.watcher.keys.script = [
        (5.0, room.save(5, "# first try at step 5\n")),
        (6.0, room.save(5, "# second\n")),
        (7.0, "qq"),
    ]
    room.run()
    kept = kata_folder / ".kata/runs"
    assert (kept / "stub-step04_descend.py").read_text() == stub_source(STEPS[3])
    assert (kept / "stub-step05_load.py").read_text() == stub_source(STEPS[4])
    status, text = review(kata_folder, "--diff", "2")  # step 5's first try: against the stub
    assert status == 0 and "the stub of steps/step05_load.py" in text
    assert "+# first try at step 5" in text
    status, text = review(kata_folder, "--diff", "3")  # the second: against the first
    assert "run 2: steps/step05_load.py" in text and "+# second" in text


def test_a_scripted_randori_replays_into_a_review_whose_every_figure_is_the_scripts(kata_folder):
    """Four drivers, --predict, a pause, a break in the middle of a red stretch, a skip, a finish to green, the end of
    act I: the review counts what the script did, second by second."""
    saves = [
        check_with(9, "red"),  # the start: --from 9
        check_with(9, "red"),  # 2 Ana predicts red: right
        check_with(9, "amber"),  # 3 Ana predicts green: wrong
        check_with(9, "green"),  # 4 Ana, no prediction: step 9's cycle
        check_with(10, "red"),  # 5 Bo predicts red: right
        check_with(10, "red"),  # 6 Cy predicts green: wrong (after the break)
        check_with(10, "green"),  # 7 Cy predicts green: right, finishing after time; act I is done
        check_with(11, "red"),  # 8 Di predicts red: right
        check_with(11, "red"),  # 9 Ana, round 2, no prediction
    ]
    room = Room(
        kata_folder,
        saves,
        [],
        predict=True,
        drivers=("Ana", "Bo", "Cy", "Di"),
        seconds=60,
        break_every=("minutes", 2, 1),
        start=9,
        width=100,
    )
    room.watcher.keys.script = [
        (10.0, room.save(9)),
        (11.0, "r"),
        (30.0, room.save(9)),
        (31.0, "g"),
        (50.0, "p"),  # a pause of 20 s: Ana's turn ends at 80 s
        (70.0, "p"),
        (75.0, room.save(9)),
        (76.0, "n"),
        (82.0, "\r"),  # Bo, from 82 s to 142 s
        (95.0, room.save(10)),
        (96.0, "r"),
        # 142 s: time is up on red and a break is due (every 2 minutes): it lasts until 202 s
        (202.0, "\r"),  # Cy, from 202 s to 262 s
        (210.0, room.save(10)),
        (211.0, "g"),
        (263.0, "f"),  # time is up on red: Cy and Di finish the cycle to green
        (270.0, room.save(10)),
        (271.0, "g"),
        (272.0, "\r"),  # Di, from 272 s
        (280.0, room.save(11)),
        (281.0, "r"),
        (290.0, "p"),  # 10 s paused
        (300.0, "p"),
        (305.0, "ss"),  # Di hands over early
        (307.0, "\r"),  # Ana, round 2
        (320.0, room.save(11)),
        (321.0, "n"),
        (330.0, "qq"),
    ]
    room.run()
    runs = read_runs(kata_folder / ".kata")
    assert [(r.run, r.step, r.state, r.driver, r.prediction, r.trigger) for r in runs] == [
        (1, 9, "red", "Ana", "", "start"),
        (2, 9, "red", "Ana", "red", "save"),
        (3, 9, "amber", "Ana", "green", "save"),
        (4, 9, "green", "Ana", "", "save"),
        (5, 10, "red", "Bo", "red", "save"),
        (6, 10, "red", "Cy", "green", "save"),
        (7, 10, "green", "Cy", "green", "save"),  # the end of act I: step 10 green, not step 17 red
        (8, 11, "red", "Di", "red", "save"),
        (9, 11, "red", "Ana", "", "save"),
    ]
    assert [r.time[-5:] for r in runs] == [
        "00:00",
        "00:11",
        "00:31",
        "01:16",
        "01:36",
        "03:31",
        "04:31",
        "04:41",
        "05:21",
    ]
    console = capture_console(140)
    console.print(ReviewScreen(gather([kata_folder / ".kata"])))
    flat = " ".join(console.export_text().split())
    assert (
        "Session review: 8 saves checked (and 1 start or re-run check, not counted), "
        "from 2026-11-27 14:00 to 14:05 (5m 21s), drivers Ana, Bo, Cy, Di" in flat
    )
    assert "All saves: ✗!✓✗✗✓✗✗" in flat
    # driver, saves, lights, cycles, predictions right
    assert "Ana 4 ✗!✓✗ 1 1 of 2" in flat
    assert "Bo 1 ✗ 0 1 of 1" in flat
    assert "Cy 2 ✗✓ 1 1 of 2" in flat
    assert "Di 1 ✗ 0 1 of 1" in flat
    # step, saves, lights, time (from the run before its first save to its last save, pauses and breaks left
    # out), longest red
    # 0 s to its green at 76 s, less the 20 s pause; red from 11 s to 76 s, less it
    assert "9 Training 3 ✗!✓ 0m 56s 0m 45s" in flat
    # 76 s to its green at 271 s, less the 60 s break; red from 96 s to 271 s, less it
    assert "10 33 °C tomorrow 3 ✗✗✓ 2m 15s 1m 55s" in flat
    # 271 s to its last save at 321 s, less the 10 s pause
    assert "11 Is my gradient right? 2 ✗✗ 0m 40s 0m 30s" in flat
    assert (
        'Longest red: 1m 55s on step 10, 2 runs (5–6), drivers Bo, Cy. First it said: "descend(6, 0.1, 5) '
        'returned 5 positions, expected 6"' in flat
    )
    assert "Red-green cycles completed: 2." in flat
    assert "Predictions: 4 right, 2 wrong, 2 saves without one." in flat
    assert (
        "Turns: 5; handovers: 3 when time was up, 1 early; 1 pair finished the cycle to green after time; "
        "1 break (1m 00s); paused 2 times (0m 30s)." in flat
    )


def test_from_11_gives_the_hint_of_step_11(kata_folder):
    room = Room(kata_folder, [(10, "green")], [(1.0, "h"), (2.0, "qq")], start=11)
    screens = screens_of(room.run())
    assert any("Hint 1 of" in s and "step 11" in s for s in screens)
