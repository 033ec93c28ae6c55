"""The tracer's act II stories: right at every width, honest on wrong code, figures computed from the data."""

from __future__ import annotations

import pytest

from tests.tool.conftest import Traced, traced_fixtures
from tests.tool.trace.test_trace import flat, trace

STORIES = ("check", "sweep", "scaling", "momentum", "sgd")
WIDTHS = (40, 80, 120)


@pytest.fixture(scope="module")
def screens() -> dict[tuple[str, int], tuple[int, str]]:
    """Every act II story at each width, on the reference (the repository's steps/ are stubs)."""
    return {(story, width): trace(story, width=width) for story in STORIES for width in WIDTHS}


@pytest.mark.parametrize("story", STORIES)
@pytest.mark.parametrize("width", WIDTHS)
def test_each_story_says_whose_code_runs_fits_the_width_and_ends_with_a_tick(screens, story, width):
    status, screen = screens[(story, width)]
    lines = screen.splitlines()
    assert status == 0
    assert lines[0].startswith("Tracing the reference (kata/solutions/)")
    assert all(len(line) <= width for line in lines), max(lines, key=len)
    assert "✓ " in screen and "✗" not in screen


def test_check_shows_forward_error_falling_like_h_and_the_gradient_agreeing(screens):
    said = flat(screens[("check", 80)][1])
    assert "slope 1.00 on the log-log picture" in said
    assert (
        "the reference's gradient (step 8) and the reference's numerical_gradient (step 11, h = 0.0001)"
        in said
    )
    assert "(below 1e-6: they agree)" in said
    assert "the h² term is exactly 0, so the error is rounding only" in said


def test_sweep_puts_the_cliff_at_the_bound_computed_from_the_data(screens):
    said = flat(screens[("sweep", 80)][1])
    assert "lr < 2/λmax = 2/1167 = 0.00171" in said
    assert "every rate up to 0.0017 converged, and from 0.00173 on the loss grew" in said


def test_scaling_counts_the_iterations_each_needs(screens):
    said = flat(screens[("scaling", 80)][1])
    assert "raw 210 793 iterations, standardised 88" in said


def test_scaling_draws_the_surfaces_side_by_side_only_when_wide(screens):
    wide, narrow = screens[("scaling", 120)][1], screens[("scaling", 80)][1]
    assert any("raw °C" in line and "standardised" in line for line in wide.splitlines())
    assert not any(
        "raw °C" in line and "standardised" in line for line in narrow.splitlines() if "│" in line
    )


def test_momentum_reaches_the_closed_form_where_plain_descent_stops_short(screens):
    said = flat(screens[("momentum", 80)][1])
    assert "momentum 4032.96 558" in said and "plain 4128.19 543" in said


def test_sgd_says_which_batch_size_ended_lowest(screens):
    said = flat(screens[("sgd", 80)][1])
    assert "batches of 1 ended lowest" in said and "the full batch (plain descent) at" in said


def test_the_sweep_bound_comes_from_the_data_at_hand(tmp_path):
    data = tmp_path / "days.txt"
    data.write_text("t v\n" + "".join(f"{x} {3 * x + 10}\n" for x in range(1, 11)))
    status, screen = trace("sweep", "--data", str(data), "--iterations", "300")
    said = flat(screen)
    assert "2/1167" not in said and "days.txt" in said and status == 0


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["check", "--lr", "0.1"], "check takes no --lr"),
        (["check", "--iterations", "10"], "check takes no --iterations"),
        (["sweep", "--lr", "0.1"], "sweep takes no --lr"),
        (["momentum", "--start", "2"], "--start is for the parabola"),
        (["sgd", "--every", "2"], "--every is for the parabola and park stories"),
        (["scaling", "--step"], "--step is for the parabola and park stories"),
        (["sweep", "--iterations", "30000"], "sweep --iterations must be at most 20000"),
    ],
)
def test_bad_flags_for_act_ii_are_one_line_and_exit_2(capsys, argv, said):
    status, _ = trace(*argv)
    err = capsys.readouterr().err
    assert status == 2 and said in err and len(err.strip().splitlines()) == 1


# each test's tracer run, in a copy of the kata with both acts written as the reference does, then its edits
TRACED = Traced(solved=17)

traced, done = traced_fixtures(TRACED)


@TRACED.after(
    "check",
    edits=[
        (
            "steps/step11_gradient_check.py",
            "loss(X, Y, w - h, b)) / (2 * h)",
            "loss(X, Y, w, b)) / h",
            1,
        )
    ],
)
def test_a_forward_difference_at_step_11_is_named_and_gets_no_tick(done):
    said = flat(done.stdout)
    assert done.returncode == 1 and done.stdout.startswith(
        "step 11 does not pass its tests yet: traced anyway.\n"
    )
    assert (
        "✗ Your numerical_gradient is a forward difference" in said
        and "check steps/step11_gradient_check.py" in said
    )
    assert "✓ At" not in said and "rounding only" not in said


@TRACED.after(
    "check",
    edits=[
        ("steps/step08_gradient.py", "w_gradient = 2 * sum", "w_gradient = sum", 1),
        ("steps/step08_gradient.py", "b_gradient = 2 * sum", "b_gradient = sum", 1),
    ],
)
def test_a_gradient_missing_its_factor_2_is_named_in_the_check_story(done):
    said = flat(done.stdout)
    assert done.returncode == 1 and done.stdout.startswith(
        "step 8 does not pass its tests yet: traced anyway.\n"
    )
    assert (
        "✗ Your gradient is half the slope of your loss" in said
        and "check the factor 2 in steps/step08_gradient.py" in said
    )
    assert "✓ At" not in said


@TRACED.after(
    "momentum",
    edits=[
        (
            "steps/step16_momentum.py",
            "        losses.append(loss(X, Y, w, b))\n",
            "        losses.append(loss(X, Y, w, b))\n        w_velocity = b_velocity = 0.0\n",
            1,
        )
    ],
)
def test_a_momentum_that_resets_its_velocity_is_named(done):
    said = flat(done.stdout)
    assert done.returncode == 1 and done.stdout.startswith(
        "step 16 does not pass its tests yet: traced anyway.\n"
    )
    assert "✗ Your train_momentum() gives the same losses as plain descent" in said
    assert (
        "check steps/step16_momentum.py" in said
        and "heavy ball swings" not in said
        and "✓ After" not in said
    )


@TRACED.after("sgd")
def test_your_own_act_ii_code_is_traced_with_ticks_when_right(done):
    assert done.returncode == 0 and done.stdout.startswith(
        "Tracing your code: steps 6–17 from steps/.\n"
    )
    assert "✓ Your train_sgd() (step 17) with one batch of all 14 days is train() exactly" in flat(
        done.stdout
    )


@pytest.mark.parametrize(
    ("argv", "status", "said", "unsaid"),
    [
        (["momentum", "--lr", "0.004"], 1, "✗ After 20000 iterations", "heavy ball swings"),
        (
            ["momentum", "--lr", "0.002"],
            0,
            "Plain descent ran away: lr 0.002 is above its bound 2/λmax = 0.00171",
            "DIVERGED",
        ),
        (
            ["momentum", "--iterations", "3"],
            0,
            "So far momentum is behind plain descent",
            "and settles",
        ),
        (["scaling", "--lr", "0.002"], 0, "raw ran away at iteration", "210 793"),
        (
            ["scaling", "--iterations", "100"],
            0,
            "raw not within 100 iterations, standardised 88 iterations",
            "times fewer",
        ),
        (["sgd", "--lr", "0.002"], 1, "DIVERGED: batches of", "ended lowest"),
    ],
)
def test_other_settings_are_told_for_what_they_are(argv, status, said, unsaid):
    done, screen = trace(*argv)
    text = flat(screen)
    assert done == status and said in text and unsaid not in text
    if status:
        assert "✓" not in text.split("Tracing the reference")[1]


def test_momentum_above_its_bound_says_diverged_and_gives_the_bound_from_the_data():
    _, screen = trace("momentum", "--lr", "0.004")
    assert (
        "DIVERGED: with beta 0.9 the heavy ball is stable only while lr < 2·(1 + beta)/λmax = 0.00326"
        in flat(screen)
    )


def test_sweep_says_when_to_stop_and_where_the_loss_rule_would_have_stopped(screens):
    said = flat(screens[("sweep", 80)][1])
    assert (
        "the gradient's length falls below 0.01 after 85 355 iterations: 558 visitors at 33 °C"
        in said
    )
    assert "would have stopped at iteration 27 944: 551 visitors" in said


@TRACED.after(
    "sweep",
    edits=[
        (
            "steps/step13_stopping.py",
            "length = math.hypot(w_gradient, b_gradient)",
            "length = w_gradient ** 2 + b_gradient ** 2",
            1,
        )
    ],
)
def test_a_stopping_rule_on_the_squared_length_is_named(done):
    said = flat(done.stdout)
    assert done.returncode == 1 and done.stdout.startswith(
        "step 13 does not pass its tests yet: traced anyway.\n"
    )
    assert "✗ Your train_until(X, Y, 0.001, 0.01, 1000000) stopped after 60436 iterations" in said
    assert (
        "the squared length ∂w² + ∂b²" in said
        and "check steps/step13_stopping.py" in said
        and "✓ The safe bound" not in said
    )


@pytest.mark.parametrize("story", STORIES)
def test_with_ascii_no_braille_box_or_shade_characters(story):
    _, screen = trace(story, "--ascii", width=60)
    assert not any(0x2500 <= ord(c) <= 0x28FF or c in "•●✚✓✗×◆" for c in screen)


def test_with_ascii_in_a_terminal_the_spinner_is_ascii_too():
    _, screen = trace("check", "--ascii", terminal=True)
    assert "Running the story" in screen
    assert not any(0x2500 <= ord(c) <= 0x28FF for c in screen)


def test_in_a_terminal_the_parts_come_one_at_a_time_and_a_key_shows_the_rest():
    waits: list[float | None] = []

    def keys(timeout):
        waits.append(timeout)
        return None if len(waits) < 2 else "next"

    status, screen = trace("sweep", terminal=True, keys=keys)
    assert status == 0 and "The safe bound" in screen
    assert waits == [1.5, 1.5]  # the first pause ran out, a key at the second: no more pauses


def test_piped_there_is_no_pause():
    waits: list[float | None] = []
    trace("sweep", keys=lambda timeout: waits.append(timeout))
    assert waits == []


@TRACED.after(
    "sgd",
    edits=[
        (
            "steps/step17_sgd.py",
            "for start in range(0, len(order), batch_size):",
            "for start in range(0, len(order) - batch_size + 1, batch_size):",
            1,
        )
    ],
)
def test_sgd_that_drops_the_last_batch_is_named(done):
    said = flat(done.stdout)
    assert done.returncode == 1 and done.stdout.startswith(
        "step 17 does not pass its tests yet: traced anyway.\n"
    )
    assert (
        "your train_sgd made 2 updates (the last, smaller batch is dropped): check steps/step17_sgd.py"
        in said
    )


BLOWING_UP = [
    (["momentum", "--lr", "0.004"], "DIVERGED: with beta 0.9"),
    (["sgd", "--lr", "0.002"], "DIVERGED: batches of"),
]
for argv, _ in BLOWING_UP:
    TRACED.declare(" ".join(argv), *argv)


@pytest.mark.parametrize(("argv", "said"), BLOWING_UP)
def test_your_run_blowing_up_is_divergence_not_your_code_raising(traced, argv, said):
    done = traced[" ".join(argv)]
    text = flat(done.stdout + done.stderr)
    assert (
        done.stdout.splitlines()[0] == "Tracing your code: steps 6–17 from steps/."
        or "steps 6–16" in done.stdout.splitlines()[0]
    )
    assert (
        done.returncode == 1
        and said in text
        and "raised OverflowError" not in text
        and "✓ After" not in text
    )
