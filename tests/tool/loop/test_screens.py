"""The loop's screens where the learner looks, at 80×24 and 40 columns: nothing scrolls off the top, and no command,
no short bracketed expression and no sign with its term is split across lines. Made from checks built here (no test
run), printed on a recording console."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.console import Group
from rich.text import Text

from kata.core.checks import Check, StepResult
from kata.core.look import State
from kata.core.outcome import Outcome
from kata.core.registry import STEPS, step_by_number
from kata.core.workspace import Remembered
from kata.loop import screens
from tests.tool.conftest import capture_console

WIDTHS = [40, 80, 120]


def check_at(number: int, message: str = "", nodeid: str = "", stub: bool = False) -> Check:
    """A check with the steps before `number` green, step `number` red with `message`, the rest untouched stubs."""
    results = []
    for step in STEPS:
        if step.number < number:
            results.append(StepResult(step, State.GREEN, passed=3, total=3))
        elif step.number == number:
            failure = Outcome(
                nodeid or f"tests/test_{step.stem}.py::test_x", step.stem, "red", stub, message
            )
            results.append(StepResult(step, State.RED, stub, 0, 7, failure))
        else:
            results.append(StepResult(step, State.RED, True, 0, 3))
    return Check(results, 0.5)


def all_green() -> Check:
    return Check([StepResult(step, State.GREEN, passed=3, total=3) for step in STEPS], 0.5)


def shown(renderable, width: int, height: int = 24) -> list[str]:
    """The lines a terminal `width` × `height` shows for it."""
    console = capture_console(width, height=height)
    console.print(renderable)
    return console.export_text().rstrip("\n").split("\n")


def memory() -> Remembered:
    return Remembered(Path("."), [], [])


@pytest.mark.parametrize("width", WIDTHS)
def test_a_command_a_short_bracket_and_a_sign_with_its_term_stay_on_one_line(width):
    message = (
        "forecast(33) returned nan: the loss ran away instead of falling: the learning rate is too large for this data "
        "(the article uses lr = 0.001). See it happen: python -m kata.trace park --lr 0.01 and f(3) returned 16, "
        "expected 2. In Python ^ is not 'squared' (it is bitwise xor): write ** 2. Then run "
        "`python -m kata hint 3 --level 2` at 33 °C."
    )
    lines = shown(screens.message_text(message, width), width)
    assert all(len(line) <= width for line in lines)
    text = "\n".join(lines)
    for whole in (
        "python -m kata.trace park --lr 0.01",
        "** 2.",
        "`python -m kata hint 3 --level 2`",
        "33 °C",
    ):
        assert whole in text, f"{whole!r} split at {width} columns:\n{text}"


@pytest.mark.parametrize("width", WIDTHS)
def test_a_test_title_keeps_its_case_whole(width):
    check = check_at(
        1,
        "f(6) returned 9, expected 11.",
        "tests/test_step01_parabola.py::test_the_height_matches_the_formula_worked_by_hand[x = 6]",
    )
    text = "\n".join(shown(screens.StatusScreen(check, memory()), width))
    assert "(x = 6)" in text and "First:" in text


@pytest.mark.parametrize("width", WIDTHS)
def test_an_act_ii_banner_never_splits_its_section_inside_a_part(width):
    check = check_at(11, "numerical_gradient(...) returned (0, 0)")
    lines = shown(screens.StatusScreen(check, memory()), width)
    text = "\n".join(lines)
    assert all(len(line) <= width for line in lines)
    assert "Step 11 (act II: 1 of 7)" in text
    if width >= 100:
        assert "· Is my gradient right? · Beyond the article › Checking the gradient" in text
    elif width >= 45:  # the section on a line of its own
        assert "Beyond the article › Checking the gradient" in lines
    else:  # the › ends a line, the next part starts the next
        assert "Beyond the article ›" in lines and "Checking the gradient" in lines


@pytest.mark.parametrize("width", WIDTHS)
def test_the_progress_line_keeps_its_count_whole(width):
    text = "\n".join(shown(screens.Headline(check_at(4)), width))
    assert "3 of 10 steps done" in text


def watch_screen(check: Check, extra, more: str) -> screens.Within:
    """Watch mode's screen in a terminal (see Watcher.screen): the status, a hint or the list, the footer."""
    status = screens.StatusScreen(check, memory(), watching=True, compact=extra is not None)
    parts = [(status, "")]
    if extra is not None:
        parts.append((Group(Text(""), extra), more))
    footer = Text("Watching steps/ · r re-run · h hint · l list · q quit · checked 10:00:00")
    return screens.Within([*parts, (Text(""), ""), (screens.Fit(footer), "")])


CASES = {
    "the list, act I": (lambda: check_at(3), lambda c: screens.ListScreen(c, only_act=1)),
    "the list, act II": (lambda: check_at(12), lambda c: screens.ListScreen(c, only_act=2)),
    "the list, the article done": (
        lambda: check_at(11, stub=True),
        lambda c: screens.ListScreen(c, only_act=1),
    ),
    "the list, every act done": (all_green, lambda c: screens.ListScreen(c, only_act=2)),
    "hint 2 of step 16": (
        lambda: check_at(16),
        lambda c: screens.hint_screen(step_by_number(16), 2, watching=True),
    ),
    "the code of step 17": (
        lambda: check_at(17),
        lambda c: screens.hint_screen(step_by_number(17), 3, watching=True),
    ),
    "no extra, a long message": (lambda: check_at(17, "a long message. " * 60), lambda c: None),
}


@pytest.mark.parametrize("height", [24, 12])
@pytest.mark.parametrize("width", [40, 80])
@pytest.mark.parametrize("case", CASES)
def test_in_watch_the_progress_and_the_step_stay_at_the_top_and_the_footer_at_the_bottom(
    case, width, height
):
    make_check, make_extra = CASES[case]
    check = make_check()
    lines = shown(watch_screen(check, make_extra(check), "l closes it"), width, height)
    assert len(lines) <= height - 1, f"{case}: {len(lines)} lines on a terminal {height} high"
    assert re.search(r"\d+ of \d+ steps done", lines[0]), lines[0]
    if height >= 24:  # lower, the bottom gives way first
        assert any(line.startswith("Watching steps/") for line in lines[-2:]), lines
    assert all(len(line) <= width for line in lines)


def test_a_cut_says_how_many_lines_it_left_out_and_what_shows_them():
    check = check_at(17)
    lines = shown(
        watch_screen(
            check, screens.hint_screen(step_by_number(17), 3, watching=True), "h closes it"
        ),
        80,
    )
    assert any(re.fullmatch(r"… \d+ more lines: h closes it", line) for line in lines), lines


def test_when_everything_fits_nothing_is_cut():
    check = check_at(2, "gradient(6) returned 3, expected 6.")
    lines = shown(watch_screen(check, None, ""), 80)
    assert (
        not any("more lines" in line for line in lines)
        and "gradient(6) returned 3, expected 6." in lines
    )


def test_act_ii_lists_its_sections_without_repeating_beyond_the_article():
    lines = shown(screens.ListScreen(check_at(12), only_act=2), 80)
    assert any(line.rstrip().endswith("Checking the gradient") for line in lines)
    assert not any("Beyond the article" in line for line in lines)
    assert "section" in "\n".join(lines[:3]) and "article section" not in "\n".join(lines[:3])


def test_python_m_kata_list_fits_80_by_24_with_the_prompt_below_it():
    lines = shown(
        Group(screens.Headline(check_at(12)), screens.ListScreen(check_at(12))), 80, height=100
    )
    assert len(lines) <= 23, "\n".join(lines)
    assert "Act II, beyond the article" in "\n".join(lines) and "optional" not in "\n".join(lines)


def command(root: Path, check: Check, *argv: str) -> str:
    """`python -m kata ARGV` in-process on a kata folder, with a check made here; its words."""
    from datetime import datetime

    from kata.__main__ import run

    console = capture_console(80)
    run(
        list(argv),
        console=console,
        read=lambda prompt: "y",
        now=lambda: datetime(2026, 11, 27, 10, 0, 0),
        check=lambda root, steps=STEPS: check,
        root=root,
    )
    return console.export_text()


@pytest.mark.parametrize(
    ("make", "done", "total", "counting", "act"),
    [
        (lambda: check_at(5), 4, 10, "act", 1),
        (lambda: check_at(11, stub=True), 10, 10, "act", 1),
        (lambda: check_at(13), 2, 7, "act", 2),
        (all_green, 17, 17, "all", 2),
    ],
    ids=["step 5", "the article done", "step 13", "every step done"],
)
def test_status_json_counts_what_the_headline_counts_and_says_which(
    kata_copy, make, done, total, counting, act
):
    import json

    check = make()
    data = json.loads(command(kata_copy, check, "status", "--json"))
    assert (data["done"], data["total"], data["counting"], data["act"]) == (
        done,
        total,
        counting,
        act,
    )
    assert f"{done} of {total} steps done" in "\n".join(shown(screens.Headline(check), 80))


@pytest.mark.parametrize(
    ("number", "said"),
    [
        (1, "No step holds the reference; step 1 is yours"),
        (2, "Step 1 holds the reference; step 2 is yours"),
        (5, "Steps 1 to 4 hold the reference; step 5 is yours"),
    ],
)
def test_goto_says_which_steps_hold_the_reference_in_words_that_fit_the_number(
    kata_copy, number, said
):
    assert said in " ".join(command(kata_copy, check_at(1), "goto", str(number), "--yes").split())


def test_a_fresh_act_ii_stub_points_to_the_idea_at_its_top():
    text = " ".join(
        "\n".join(shown(screens.StatusScreen(check_at(12, stub=True), memory()), 80)).split()
    )
    assert (
        "Open steps/step12_least_squares.py, read what is new here (at its top) and its # TODO"
        in text
    )
    text = " ".join(
        "\n".join(shown(screens.StatusScreen(check_at(2, stub=True), memory()), 80)).split()
    )
    assert "Open steps/step02_gradient.py, read its # TODO, and write it." in text
