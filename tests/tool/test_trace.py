"""The tracer, rendered through a recording console at fixed widths with colour off."""

from __future__ import annotations

import io
import itertools
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from kata.stubs import checkpoint_sources
from kata.trace import run_trace

BRAILLE = re.compile("[\u2800-\u28ff]")
WIDTHS = [40, 80, 120]


def trace(*argv: str, width: int = 80, terminal: bool = False, clock=None, read=None) -> tuple[int, str]:
    """Run the tracer on a recording console; return its exit status and the screen as text."""
    console = Console(record=True, width=width, height=40, file=io.StringIO(), color_system=None,
                      force_terminal=terminal, legacy_windows=False)
    ticks = itertools.count(step=0.001)
    status = run_trace(list(argv), console=console, clock=clock or (lambda: next(ticks)), read=read or (lambda prompt: ""))
    return status, console.export_text()


@pytest.fixture(scope="module")
def park_screens() -> dict[int, tuple[int, str]]:
    """The park story at each width, run once for all the tests that read it."""
    return {width: trace("park", width=width) for width in WIDTHS}


@pytest.mark.parametrize("width", WIDTHS)
def test_the_parabola_shows_every_step_and_reaches_the_minimum(width):
    status, screen = trace("parabola", width=width)
    assert status == 0
    assert "Tracing the reference" in screen.splitlines()[0]
    rows = [line.split() for line in screen.splitlines() if re.match(r"\s+\d+\s+\S", line)]
    assert [row[:2] for row in rows[:3]] == [["1", "6"], ["2", "5.4"], ["3", "4.92"]]
    assert "All 40 steps shown." in screen
    assert "After 40 steps x = 3.0004" in screen
    assert "steps shrank from 0.6 to" in " ".join(screen.split())


@pytest.mark.parametrize("width", WIDTHS)
def test_the_park_story_ends_with_about_543_visitors(park_screens, width):
    status, screen = park_screens[width]
    assert status == 0
    assert "At 33 °C: about 543 visitors" in " ".join(screen.split())
    assert max(len(line) for line in screen.splitlines()) <= width


@pytest.mark.parametrize("width", WIDTHS)
def test_the_park_table_is_sampled_and_says_how(park_screens, width):
    _, screen = park_screens[width]
    flat = " ".join(screen.split())
    assert re.search(r"Sampled: \d+ of 20000 steps shown \(the first 10, then log-spaced", flat)
    steps = [int(line.split()[0]) for line in screen.splitlines() if re.match(r"\s*\d+\s+w -?\d", line)]
    assert steps[:10] == list(range(1, 11)) and steps[-1] == 20000 and len(steps) < 60


@pytest.mark.parametrize("width", WIDTHS)
def test_the_park_loss_falls(park_screens, width):
    _, screen = park_screens[width]
    losses = [float(line.split()[-1]) for line in screen.splitlines() if re.match(r"\s*\d+\s+w -?\d", line)]
    assert losses[0] == pytest.approx(121999, abs=1)
    assert all(later <= earlier for earlier, later in zip(losses, losses[1:]))
    assert "down to 4128" in " ".join(screen.split())


def test_the_park_story_compares_with_the_closed_form_line(park_screens):
    _, screen = park_screens[120]
    assert "closed-form least-squares line is w = 25.6257, b = -287.39, 558 visitors" in screen


def test_the_pictures_have_their_legends(park_screens):
    _, screen = park_screens[80]
    for words in ("loss over the iterations (log scale)", "a day in park.txt", "smallest loss near w = 1",
                  "S start (0, 0)", "best line (closed form)", "sparkline:"):
        assert words in screen


def test_with_ascii_no_braille_and_no_box_characters():
    status, screen = trace("parabola", "--ascii", width=80)
    assert status == 0
    assert not BRAILLE.search(screen)
    assert not set("─│└✚●•") & set(screen)
    assert "@ x = 3.0004" in screen


@pytest.mark.parametrize("width", [40, 80])
def test_a_learning_rate_too_large_on_the_parabola_is_explained(width):
    status, screen = trace("parabola", "--lr", "1.1", width=width)
    flat = " ".join(screen.split())
    assert status == 1
    assert "DIVERGED" in flat and "lr must stay below 1" in flat and "first overshoot at step 1" in flat
    assert "nan" not in screen and "Traceback" not in screen


@pytest.mark.parametrize("width", [40, 80])
def test_a_learning_rate_too_large_on_the_park_stops_at_the_explosion(width):
    status, screen = trace("park", "--lr", "0.01", width=width)
    flat = " ".join(screen.split())
    assert status == 1
    assert "the loss exploded at step 7" in flat and "lr must stay below 0.00171" in flat
    assert "nan" not in screen and "inf" not in screen.replace("infinite", "")


def test_between_half_and_one_the_parabola_oscillates_and_still_converges():
    status, screen = trace("parabola", "--lr", "0.9")
    flat = " ".join(screen.split())
    assert status == 0
    assert "each step overshot" in flat and "still converged" in flat


def test_live_mode_shows_the_same_final_screen_in_a_terminal():
    status, screen = trace("park", terminal=True)
    assert status == 0 and "about 543 visitors" in screen


def test_ctrl_c_stops_cleanly_and_keeps_the_steps_so_far():
    calls = itertools.count()

    def clock() -> float:
        if next(calls) == 500:
            raise KeyboardInterrupt
        return 0.0

    status, screen = trace("park", terminal=True, clock=clock)
    assert status == 130
    assert "Stopped after 501 of 20000 steps" in screen  # the clock is read once per step, after it
    assert "Traceback" not in screen


def test_step_mode_pauses_at_each_shown_step_and_q_stops():
    answers = iter(["", "", "q"])
    prompts = []

    def read(prompt: str) -> str:
        prompts.append(prompt)
        return next(answers)

    status, screen = trace("parabola", "--step", read=read)
    assert status == 0 and len(prompts) == 3
    assert "Stopped after 3 of 40 steps" in screen


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["parabola", "--lr", "abc"], "--lr must be a number, not 'abc'"),
        (["parabola", "--lr", "-1"], "--lr must be a finite number above zero, not -1"),
        (["park", "--lr", "0"], "--lr must be a finite number above zero, not 0"),
        (["park", "--lr", "nan"], "--lr must be a finite number above zero, not nan"),
        (["park", "--iterations", "0"], "--iterations must be a finite number above zero, not 0"),
        (["park", "--iterations", "2.5"], "--iterations must be a whole number, not '2.5'"),
        (["--lr", "0.5"], "need a story"),
        (["park", "--start", "4"], "--start is for the parabola"),
        (["park", "--save", "out.pdf"], "must end in .txt, .svg or .html"),
    ],
)
def test_bad_flags_are_one_line_and_exit_2(capsys, argv, said):
    status, screen = trace(*argv)
    err = capsys.readouterr().err
    assert status == 2 and said in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ("", "the file is empty"),
        ("temperature visitors\n20 300\n25\n", "line 3: expected two columns"),
        ("temperature visitors\n20 300\n25 many\n", "line 3: 'many' is not a number"),
        ("temperature visitors\n", "at least two rows"),
    ],
)
def test_a_broken_park_file_names_the_line_and_the_problem(tmp_path, capsys, content, said):
    data = tmp_path / "park.txt"
    data.write_text(content)
    status, _ = trace("park", "--data", str(data))
    err = " ".join(capsys.readouterr().err.split())
    assert status == 2 and said in err and str(data) in err


def test_a_missing_park_file_says_so(tmp_path, capsys):
    status, _ = trace("park", "--data", str(tmp_path / "nowhere.txt"))
    assert status == 2 and "no such file" in capsys.readouterr().err


def test_target_steps_on_the_stubs_says_what_is_missing(capsys):
    status, _ = trace("parabola", "--target", "steps")
    err = " ".join(capsys.readouterr().err.split())
    assert status == 1 and "needs your steps 1–3" in err and "f() is not written yet" in err


@pytest.mark.parametrize("suffix", [".txt", ".svg", ".html"])
def test_save_writes_the_final_screen(tmp_path, suffix):
    out = tmp_path / f"screen{suffix}"
    status, screen = trace("parabola", "--save", str(out))
    assert status == 0 and out.exists() and "3.0004" in out.read_text()


def run_in(workspace: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "COLUMNS": "80"}
    return subprocess.run([sys.executable, "-m", "kata.trace", *argv], cwd=workspace, env=env,
                          capture_output=True, text=True, timeout=60, check=False)


def test_piped_output_traces_your_code_when_written_with_no_escape_codes(kata_copy):
    for path, text in checkpoint_sources(4).items():
        (kata_copy / path).write_text(text)
    done = run_in(kata_copy, "parabola")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Tracing your code: steps 1–3 from steps/.")
    assert "\x1b[" not in done.stdout


def test_your_function_returning_nonsense_is_named_with_its_file(kata_copy):
    for path, text in checkpoint_sources(4).items():
        (kata_copy / path).write_text(text)
    (kata_copy / "steps/step02_gradient.py").write_text("def gradient(x):\n    print('slope', x)\n")
    done = run_in(kata_copy, "parabola")
    assert done.returncode == 1
    assert "steps/step02_gradient.py (step 2): gradient(6) returned None, not a number. Is a `return` missing?" in done.stderr
    assert "Traceback" not in done.stderr
