"""The tracer, rendered through a recording console at fixed widths with colour off."""

from __future__ import annotations

import copy
import itertools
import json
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import kata.trace.launch
import kata.trace.pictures
import kata.trace.tracer
import tests.tool.conftest
from kata.core.stubs import checkpoint_sources
from kata.trace.protocol import Request
from kata.trace.streaming import Child
from kata.trace.tracer import run_trace
from tests.tool.conftest import capture_console

BRAILLE = re.compile("[\u2800-\u28ff]")
WIDTHS = [40, 60, 80, 120]


# what the guarded child sent for each request it answered to the end (its messages and what the code printed)
SENT: dict[str, tuple[list[Any], str, int]] = {}


class Sent:
    """A child that answered this request before: its messages again, for the parent to draw (at another width,
    in a terminal or piped, in ASCII): the child computes from the request alone, so it would send the same."""

    def __init__(self, messages: list[Any], printed: str, total: int) -> None:
        self.stream = iter(copy.deepcopy(messages))
        self.printed, self.total, self.finished = printed, total, True

    def text(self) -> str:
        return self.printed

    def close(self) -> None:
        pass


class Kept:
    """A real guarded child, whose messages are kept for the same request once it has sent them all."""

    def __init__(
        self, key: str, request: Request, quiet: float, memory: int, root: Path, overall: float
    ) -> None:
        self.child = Child(request, quiet, memory, root, overall)
        self.stream = self.keep(key)

    def keep(self, key: str) -> Iterator[Any]:
        messages = []
        for message in self.child.stream:
            messages.append(copy.deepcopy(message))
            yield message
        if self.child.finished:  # it said done: the whole answer, not a story cut short
            SENT[key] = (messages, self.child.text(), self.child.total)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.child, name)


def child(
    story: Any, request: Request, quiet: float, memory: int, root: Path, overall: float
) -> Kept | Sent:
    """The tracer's guarded child for a request, run once per test session (the tracer's own tests run it
    in copies of the kata, as subprocesses, every time)."""
    key = json.dumps([request.to_json().decode(), quiet, memory, str(root)], sort_keys=True)
    return Sent(*SENT[key]) if key in SENT else Kept(key, request, quiet, memory, root, overall)


def trace(
    *argv: str, width: int = 80, terminal: bool = False, clock=None, keys=None, height: int = 40
) -> tuple[int, str]:
    """Run the tracer on a recording console; return its exit status and the screen as text.

    The parent runs whole; its guarded child runs once per request (see `child`): many tests draw one story,
    at every width, in ASCII, piped and in a terminal, and the child's numbers do not depend on any of that.
    """
    console = capture_console(width, height=height, force_terminal=terminal)
    ticks = itertools.count(step=0.001)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(kata.trace.launch, "start_child", child)
        status = run_trace(
            list(argv),
            console=console,
            clock=clock or (lambda: next(ticks)),
            keys=keys or (lambda timeout: None),
        )
    return status, console.export_text()


def flat(screen: str) -> str:
    """The screen's words with line breaks and runs of spaces folded."""
    return " ".join(screen.split())


@pytest.fixture(scope="module")
def park_screens() -> dict[int, tuple[int, str]]:
    """The park story at each width, run once for all the tests that read it."""
    return {width: trace("park", width=width) for width in WIDTHS}


@pytest.mark.parametrize("width", [80, 120])
def test_the_parabola_shows_every_step_and_reaches_the_minimum(width):
    status, screen = trace("parabola", width=width)
    assert status == 0
    assert "Tracing the reference" in screen.splitlines()[0]
    rows = [line.split() for line in screen.splitlines() if re.match(r"\s+\d+\s+\S", line)]
    assert rows[:3] == [
        ["1", "6", "6", "0.6", "5.4", "7.76"],
        ["2", "5.4", "4.8", "0.48", "4.92", "5.6864"],
        ["3", "4.92", "3.84", "0.384", "4.536", "4.3593"],
    ]
    assert "All 40 steps shown." in screen
    assert "ON ITS WAY: after 40 steps x = 3.0004" in flat(screen)
    assert "step sizes:" in screen and "from 0.6 to 0.0001" in flat(screen)


@pytest.mark.parametrize("width", [40])
def test_at_narrow_widths_each_step_is_a_block_with_every_value_beside_its_name(width):
    status, screen = trace("parabola", width=width)
    assert status == 0 and max(len(line) for line in screen.splitlines()) <= width
    assert "step 1 · f(new x) 7.76\n  x 6 → 5.4  (f′ 6)" in screen
    assert "step 40 · f(new x) 2\n  x 3.0005 → 3.0004  (f′ 0.001)" in screen


@pytest.mark.parametrize("width", WIDTHS)
def test_the_park_story_ends_with_about_543_visitors(park_screens, width):
    status, screen = park_screens[width]
    assert status == 0
    assert "at 33 °C about 543 visitors" in " ".join(screen.split())
    assert max(len(line) for line in screen.splitlines()) <= width


@pytest.mark.parametrize("width", WIDTHS)
def test_the_park_table_is_sampled_and_says_how(park_screens, width):
    _, screen = park_screens[width]
    assert re.search(
        r"Sampled: \d+ of 20000 steps shown \(the first 10, then log-spaced", flat(screen)
    )
    steps = park_steps(screen, width)
    assert (
        [s for s, *_ in steps[:10]] == list(range(1, 11))
        and steps[-1][0] == 20000
        and len(steps) < 60
    )


def park_steps(screen: str, width: int) -> list[tuple[int, float, float, float]]:
    """(step, w before, b before, loss after) for each table row or block, each value read beside its name."""
    if width < 80:  # stacked blocks: the names travel with the values
        found = re.findall(
            r"step (\d+) · loss after (\S+)\n  w (\S+) → \S+  \(∂w \S+\)\n  b (\S+) → \S+  \(∂b \S+\)",
            screen,
        )
        return [(int(s), float(w), float(b), float(loss)) for s, loss, w, b in found]
    found = re.findall(
        r"^\s*(\d+)\s+w (\S+)\s+∂w \S+\s+∂w \S+\s+w \S+\s+(\S+)\s*\n\s+b (\S+)\s+∂b",
        screen,
        re.MULTILINE,
    )
    return [(int(s), float(w), float(b), float(loss)) for s, w, loss, b in found]


@pytest.mark.parametrize("width", WIDTHS)
def test_the_park_loss_falls_and_the_last_row_agrees_with_the_verdict(park_screens, width):
    _, screen = park_screens[width]
    steps = park_steps(screen, width)
    assert steps[0] == (1, 0.0, 0.0, pytest.approx(11054.3, abs=0.1))
    losses = [loss for *_, loss in steps]
    assert all(later <= earlier for earlier, later in itertools.pairwise(losses))
    assert steps[-1][3] == 4128.19 and "loss 4128.19)" in flat(screen)
    assert "The loss column is the loss after each step." in flat(screen)


def test_the_park_story_compares_with_the_closed_form_line(park_screens):
    _, screen = park_screens[120]
    said = flat(screen)
    assert "The best line (closed form) says 558: 15 visitors to go." in said
    assert "33 °C lies outside the days measured (15–31 °C)" in said


def test_the_valley_is_explained_with_numbers_from_the_data(park_screens):
    said = flat(park_screens[80][1])
    assert "it curves 1167 across and only 0.092 along its floor (a ratio near 12600)" in said
    assert "lr 0.001 must stay below 2/λmax = 2/1167 = 0.00171" in said
    assert "most of it is the crawl along its floor" in said and "zig-zag" not in said


def test_the_smallest_loss_with_b_0_comes_from_the_data_not_the_grid(park_screens):
    for width in WIDTHS:
        assert "smallest loss at w = Σxy/Σx² = 13.998" in park_screens[width][1]


def test_the_pictures_have_their_legends(park_screens):
    _, screen = park_screens[80]
    for words in (
        "loss over the iterations (log scale)",
        "a day in park.txt",
        "smallest loss at w",
        "S start",
        "minimum (closed form)",
        "sparkline of the loss above its floor:",
    ):
        assert words in screen
    # r2 trace 9: the figures beside it are the loss above its floor (4032.96, the closed form's): 121999 − 4032.96
    assert "from 117966 down to 95.228 (the loss 121999 to 4128.19)" in flat(screen)


def test_with_ascii_no_braille_and_no_box_characters():
    status, screen = trace("parabola", "--ascii", width=80)
    assert status == 0
    assert not BRAILLE.search(screen)
    assert not set("─│└✚●•") & set(screen)
    assert "@ x = 3.0004" in screen


@pytest.mark.parametrize("width", [40, 80])
def test_a_learning_rate_too_large_on_the_parabola_is_explained(width):
    status, screen = trace("parabola", "--lr", "1.1", width=width)
    said = flat(screen)
    assert status == 1
    assert "DIVERGED" in said and "lr 1.1 is above 2/f″ = 1" in said
    # one convention: the step that caused it
    assert "first overshoot at step 1, first loss increase at step 1" in said
    assert "nan" not in screen and "Traceback" not in screen


@pytest.mark.parametrize("width", [40, 80])
def test_a_learning_rate_too_large_on_the_park_stops_at_the_explosion(width):
    status, screen = trace("park", "--lr", "0.01", width=width)
    said = flat(screen)
    assert status == 1
    assert (
        "the loss exploded at step 6" in said
        and "lr 0.01 is above 2/λmax = 2/1167 = 0.00171" in said
    )
    assert "nan" not in screen and "inf" not in screen.replace("infinite", "")


def test_between_half_and_one_the_parabola_oscillates_and_still_converges():
    status, screen = trace("parabola", "--lr", "0.9")
    assert status == 0
    said = flat(screen)
    assert "ON ITS WAY" in said and "every step overshoots, yet each jump is shorter" in said


def test_at_lr_1_the_parabola_oscillates_neither_diverging_nor_converging():
    status, screen = trace("parabola", "--lr", "1.0")
    said = flat(screen)
    assert status == 0 and "↔ OSCILLATES" in said and "from 6 to 0 and back" in said
    assert "DIVERGED" not in said and "✓" not in said


def test_at_lr_half_the_first_step_lands_on_the_minimum():
    status, screen = trace("parabola", "--lr", "0.5")
    assert status == 0 and "the first step landed exactly on the minimum x = 3" in flat(screen)
    assert "shrank from 3 to 0" not in flat(screen)


def test_starting_at_the_minimum_is_not_divergence():
    status, screen = trace("parabola", "--start", "3")
    assert (
        status == 0 and "x = 3 is already the minimum" in flat(screen) and "DIVERGED" not in screen
    )


def test_rounding_noise_at_the_floor_of_the_loss_is_not_an_event():
    status, screen = trace("park", "--iterations", "200000", "--plain")
    assert status == 0 and "first loss increase" not in screen


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
    assert re.search(r"Stopped after \d+ of 20000 steps", screen)
    assert "Traceback" not in screen
    # r2 trace 7: the walk's events come with its end; a run cut short has not counted them, which is not "none"
    assert "Events: none" not in screen and re.search(
        r"Events: not counted, the run was stopped at step \d+", screen
    )


def test_step_mode_takes_single_keys_ignores_arrows_and_q_stops():
    # "" is an arrow key's escape sequence, read whole and ignored
    answers = iter(["next", "", "next", "quit"])
    asked = []

    def keys(timeout):
        asked.append(timeout)
        return next(answers)

    status, screen = trace("parabola", "--step", keys=keys, terminal=True)
    assert status == 0 and asked == [None] * 4
    assert "Stopped after 3 of 40 steps" in screen
    # a frame per pause (and the last on leaving), redrawn in place
    assert screen.count("Enter or space: next step") <= 4


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
        (["park", "--start", "4"], "park takes no --start: it always starts at w = b = 0"),
        (["park", "--save", "out.pdf"], "must end in .txt, .svg or .html"),
        (["park", "--width", "1000000000"], "--width must be at most 1,000"),
        (["park", "--width", "99999999999999999999"], "--width must be at most 1,000"),
        (["park", "--width", "5"], "--width must be a finite number of at least 20"),
        (["park", "--iterations", "99999999"], "--iterations must be at most 5,000,000"),
        (["park", "--every", "1", "--sample", "5"], "--every and --sample both pick"),
        (["park", "--iterations", "200000", "--every", "1"], "at most 2000: try --every 100"),
        (["parabola", "--data", "park.txt"], "parabola takes no --data: it needs no data"),
        (["park", "--save", "README.md"], "must end in"),
        (["park", "--save", "kata/__init__.py"], "must end in"),
    ],
)
def test_bad_flags_are_one_line_and_exit_2(capsys, argv, said):
    status, _screen = trace(*argv)
    err = capsys.readouterr().err
    assert status == 2 and said in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ("", "the file is empty"),
        ("temperature visitors\n20 300\n25\n", "line 3: expected two columns"),
        ("temperature visitors\n20 300\n25 many\n", "line 3: 'many' is not a number"),
        ("temperature visitors\n", "at least two rows"),
        # r2 trace 17: they differ by 2×; their size is the trouble
        (
            "t v\n1e-200 5\n2e-200 6\n",
            "lie too close to 0 for a float to square how far apart they are",
        ),
        ("t v\n20 5\n20 6\n", "every temperature is the same"),
        ("t v\n20 5\x00\n", "not a text file"),
    ],
)
def test_a_broken_park_file_names_the_line_and_the_problem(tmp_path, capsys, content, said):
    data = tmp_path / "park.txt"
    data.write_text(content)
    status, _ = trace("park", "--data", str(data))
    err = " ".join(capsys.readouterr().err.split())
    assert status == 2 and said in err and str(data) in err


def test_dev_zero_is_refused_at_once(capsys):
    status, _ = trace("park", "--data", "/dev/zero")
    assert status == 2 and "is a device, not a data file" in capsys.readouterr().err


def test_a_file_with_no_header_keeps_its_first_day_and_says_so(tmp_path):
    data = tmp_path / "days.txt"
    data.write_text("10 100\n20 200\n30 310\n")
    status, screen = trace("park", "--data", str(data), "--iterations", "10")
    assert status == 0 and "days.txt has no header line: its first line is read as a day." in flat(
        screen
    )
    assert "(3 days)" in screen


def test_every_number_in_the_explanation_comes_from_the_data_at_hand(tmp_path):
    X = [5.0, 8.0, 11.0, 14.0]
    data = tmp_path / "cool.txt"
    data.write_text("t v\n5 50\n8 90\n11 100\n14 160\n")
    # the Hessian 2·[[mean x², mean x], [mean x, 1]]: its eigenvalues from the characteristic polynomial
    a, c, d = 2 * sum(x * x for x in X) / 4, 2 * sum(X) / 4, 2.0
    steep = (a + d) / 2 + (((a - d) / 2) ** 2 + c * c) ** 0.5
    level = (a * d - c * c) / steep
    status, screen = trace("park", "--data", str(data), "--iterations", "2000", "--lr", "0.005")
    said = flat(screen)
    assert status == 0
    assert f"it curves {steep:.4g} across and only {level:.2g} along its floor" in said
    assert f"below 2/λmax = 2/{steep:.4g} = {2 / steep:.3g}" in said
    assert "outside the days measured (5–14 °C)" in said


def test_save_onto_a_file_that_exists_needs_force(tmp_path, capsys):
    out = tmp_path / "screen.txt"
    out.write_text("mine")
    status, _ = trace("parabola", "--save", str(out))
    assert (
        status == 2
        and "that file exists; add --force" in capsys.readouterr().err
        and out.read_text() == "mine"
    )
    status, _ = trace("parabola", "--save", str(out), "--force")
    assert status == 0 and "3.0004" in out.read_text()


def test_save_never_follows_a_symlink_nor_waits_on_a_fifo(tmp_path, capsys):
    elsewhere = tmp_path / "elsewhere.txt"
    (tmp_path / "dangling.txt").symlink_to(
        elsewhere
    )  # its target does not exist: exists() says False
    os.mkfifo(tmp_path / "fifo.txt")  # opened for writing, it would wait for a reader
    for name, what in (("dangling.txt", "a symlink"), ("fifo.txt", "a FIFO")):
        status, _ = trace("parabola", "--save", str(tmp_path / name), "--force")
        said = capsys.readouterr().err
        assert (
            status == 2 and f"that is {what}, not a file: give the name of a file to write" in said
        )
    assert not elsewhere.exists()


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
    status, _screen = trace("parabola", "--save", str(out))
    assert status == 0 and out.exists() and "3.0004" in out.read_text()


def run_in(workspace: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    """Run the tracer, piped, in a copy of the kata, 80 columns wide."""
    return tests.tool.conftest.run_in(workspace, *argv, columns=80)


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
    assert (
        "steps/step02_gradient.py (step 2): gradient(6) returned None, not a number. Is a `return` missing?"
        in done.stderr
    )
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("value", ["abc", "0", "-1", "nan", "inf"])
def test_a_bad_time_limit_is_one_line_and_exit_2(monkeypatch, capsys, value):
    monkeypatch.setenv("KATA_TIME_LIMIT", value)
    status, _ = trace("parabola")
    err = capsys.readouterr().err
    assert (
        status == 2
        and "KATA_TIME_LIMIT must be a number of seconds" in err
        and len(err.strip().splitlines()) == 1
    )


def test_too_many_rows_of_data_are_refused_with_the_cap(tmp_path, capsys):
    from kata.trace.data import MAX_ROWS

    data = tmp_path / "big.txt"
    data.write_text("t v\n" + "".join(f"{i % 30} {i % 500}\n" for i in range(MAX_ROWS + 1)))
    status, _ = trace("park", "--data", str(data), "--iterations", "1")
    assert status == 2 and f"more than {MAX_ROWS} days" in capsys.readouterr().err


def test_large_data_draws_quickly_from_its_moments(tmp_path):
    data = tmp_path / "many.txt"
    data.write_text(
        "t v\n" + "".join(f"{15 + i % 17} {100 + (i * 7) % 500}\n" for i in range(50000))
    )
    status, screen = trace("park", "--data", str(data), "--iterations", "3")
    assert status == 0 and "(50000 days)" in screen


def test_ctrl_c_while_the_pictures_are_drawn_is_one_line_and_130(monkeypatch, capsys):
    import kata.trace.maps

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(kata.trace.maps.ValleyMap, "draw", interrupted)
    status, _ = trace("park")
    assert status == 130 and capsys.readouterr().err.strip() == "kata.trace: stopped (Ctrl-C)."


BAD_VALUES = {
    "--lr": ["", "x", "-0.1", "0", "nan", "inf", "1e400", "1e7", "0x10"],
    "--iterations": ["", "x", "0", "-3", "1.5", "1e3", "5000001", "99999999999999999999999"],
    "--start": ["", "x", "nan", "inf", "-inf", "1e300"],
    "--every": ["", "x", "0", "-1", "2.5"],
    "--sample": ["", "x", "0", "-1", "2001"],
    "--speed": ["", "x", "0", "-1", "nan", "inf", "1e9"],
    "--width": ["", "x", "0", "19", "1001", "1e3", "99999999999999999999"],
    "--target": ["", "mine", "../steps"],
}


@pytest.mark.parametrize(
    ("flag", "value"), [(flag, value) for flag, values in BAD_VALUES.items() for value in values]
)
def test_every_flag_with_a_bad_value_is_one_line_and_exit_2(capsys, flag, value):
    story = "park" if flag in ("--every", "--sample") else "parabola"
    status, screen = trace(story, f"{flag}={value}")
    err = capsys.readouterr().err
    assert status == 2 and len(err.strip().splitlines()) == 1 and "Traceback" not in err + screen
    # argparse's own choice errors lose the flag's name in cli.Parser
    assert flag in err or flag == "--target"


@pytest.mark.parametrize("data", ["/", "/dev/null", "/proc/self/mem", "/etc/shadow-does-not-exist"])
def test_odd_data_paths_are_one_line_and_exit_2(capsys, data):
    status, _ = trace("park", "--data", data)
    err = capsys.readouterr().err
    assert status == 2 and len(err.strip().splitlines()) == 1 and "Traceback" not in err


# issue 17's cases on the article's stories, each reproduced before it was mended


def test_a_long_park_run_that_reached_the_closed_form_says_converged():
    # case 1: "stopped short" and "both still on their way" next to "0% of it is left"
    status, screen = trace("park", "--iterations", "300000")
    said = flat(screen)
    assert status == 0 and "✓ CONVERGED: within 1e-6 of the minimum from step 210,793 on" in said
    assert (
        "stopped short" not in said
        and "on their way" not in said
        and "558 visitors, as the best line" in said
    )


@pytest.mark.parametrize(
    ("lr", "said"),
    [
        (
            "0.00171",
            "Of the 11866.5 excess loss left, 8376.42 lies across the valley and 3490.07 along its floor: most of it "
            "is the zig-zag across the valley, and the answer above is one moment of that swing",
        ),
        ("0.0017", "Of the 3499.1 excess loss left, 7.0907 lies across the valley"),
    ],
)
def test_a_zig_zag_across_the_valley_is_named_with_its_share_of_the_loss(lr, said):
    # case 2: "100% of the gap lies along the floor" while most of the excess loss was the zig-zag across; at lr
    # 0.0017 the zig-zag fills the table, and by step 300 it has died down to 7 of the 3499 left
    status, screen = trace("park", "--lr", lr, "--iterations", "300")
    text = flat(screen)
    assert status == 0 and "→ ON ITS WAY" in text and said in text
    assert "Across the valley each step jumps to the other side and keeps 0.9" in text


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (
            ["--lr", "0.99", "--iterations", "5"],
            "→ ON ITS WAY: after 5 steps x = 0.2882 (f(x) = 9.3537), 2.7118 from",
        ),
        (["--start", "1e6", "--lr", "0.001"], "→ ON ITS WAY: after 40 steps x = 923043"),
    ],
)
def test_a_parabola_walk_not_there_yet_is_not_called_converged(argv, said):
    # case 3: "still converged" at x = 0.29, 2.7 from the minimum; a tick with no "not there yet"
    status, screen = trace("parabola", *argv)
    assert status == 0 and said in flat(screen) and "✓" not in screen and "CONVERGED" not in screen


def test_a_sparkline_of_a_small_fall_does_not_look_like_a_large_one():
    # case 10: lr 0.001 (the steps shrink 8%) drawn like lr 0.1 (6000 times)
    _, slow = trace("parabola", "--lr", "0.001")
    _, fast = trace("parabola", "--lr", "0.1")
    slow_line = next(line for line in slow.splitlines() if line.startswith("step sizes:"))
    fast_line = next(line for line in fast.splitlines() if line.startswith("step sizes:"))
    assert set(slow_line.split(": ")[1]) <= set("▇█") and "(×0.92)" in flat(slow)
    assert "▁" in fast_line and "█" in fast_line and "(×1.7e-04)" in flat(fast)


@pytest.mark.parametrize(
    ("story", "lr", "said"),
    [("parabola", "1.1", "try --lr 0.5."), ("park", "0.01", "try --lr 0.00086.")],
)
def test_both_stories_suggest_half_their_limit(story, lr, said):
    # case 10: the parabola suggested a twentieth of its limit, the park half of its
    _, screen = trace(story, "--lr", lr)
    assert said in flat(screen)


def test_a_start_near_the_minimum_is_not_called_the_minimum_and_a_rise_shows_its_digits():
    # r2 trace 8: at x = 3.0000005 the slope is 1e-6, not 0, and the steps do move it; from there lr 1.1 makes the
    # loss rise by 1e-12, which "from 2 to 2" hides
    status, screen = trace("parabola", "--start=3.0000005")
    said = flat(screen)
    assert status == 0 and "already the minimum" not in said and "slope there is 0" not in said
    assert (
        "the start x = 3.0000005 already lies within 1e-6 of the minimum x = 3; after 40 steps x = 3"
        in said
    )
    status, screen = trace("parabola", "--start=3.0000005", "--lr", "1.1", "--iterations", "5")
    said = flat(screen)
    # (x − 3)² at 0.0000005 is 2.5e-13; each step keeps |1 − 1.1·2| = 1.2 of the distance: 2.5e-13 · 1.2¹⁰ = 1.5e-12
    assert status == 1 and "from 2 to 2" not in said
    assert "the loss above its minimum 2 rose from 2.5e-13 to 1.5e-12 in 5 steps" in said


def test_data_whose_minimum_is_smaller_than_the_tolerance_says_the_tolerance_cannot_tell(tmp_path):
    # r2 trace 8: visitors × 1e-9: the minimum lies within 1e-6 of w = b = 0, yet the walk moved
    data = tmp_path / "small.txt"
    rows = [(18, 100), (29, 458), (24, 320), (21, 190), (33, 560), (15, 40), (27, 390)]
    data.write_text("temperature visitors\n" + "".join(f"{t} {v * 1e-9}\n" for t, v in rows))
    status, screen = trace("park", "--data", str(data), "--iterations", "200")
    said = flat(screen)
    assert status == 0 and "already the minimum" not in said
    assert "the start w = 0, b = 0 already lies within 1e-6 of the minimum" in said
    assert (
        "1e-6 is more than the minimum's own size on this data: it cannot tell them apart" in said
    )


@pytest.mark.parametrize("columns", [40, 80])
def test_the_help_fits_the_terminal_it_is_read_in(monkeypatch, capsys, columns):
    # r2 trace (a learner): at 40 columns the help kept argparse's 80-column layout, and the terminal broke words
    from kata.trace.cli import build_parser

    monkeypatch.setenv("COLUMNS", str(columns))
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--help"])
    lines = capsys.readouterr().out.splitlines()
    assert lines and all(len(line) <= columns for line in lines), max(lines, key=len)
