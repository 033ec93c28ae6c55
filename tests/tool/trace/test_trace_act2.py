"""The tracer's act II stories: right at every width, honest on wrong code, every claim measured on the run."""

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
def test_each_story_says_whose_code_runs_and_fits_the_width(screens, story, width):
    status, screen = screens[(story, width)]
    lines = screen.splitlines()
    assert status == 0
    assert lines[0].startswith("Tracing the reference (kata/solutions/)")
    assert all(len(line) <= width for line in lines), max(lines, key=len)


@pytest.mark.parametrize("story", ["check", "scaling", "sgd"])
def test_right_code_at_the_defaults_gets_a_tick_and_no_cross(screens, story):
    _, screen = screens[(story, 80)]
    assert "✓ " in screen and "✗" not in screen


def test_check_compares_per_component_at_seeded_random_lines(screens):
    said = flat(screens[("check", 80)][1])
    assert "at 5 lines, component by component: the largest relative error is" in said
    assert "(below 1e-6: they agree)" in said
    # the lines checked: w = b = 0, and four more with b away from 0
    rows = [
        line.split()
        for line in screens[("check", 120)][1].splitlines()
        if line.count("e-") >= 2 and len(line.split()) == 6
    ]
    assert len(rows) == 5 and rows[0][:2] == ["0", "0"] and all(row[1] != "0" for row in rows[1:])


def test_check_explains_h_with_forward_central_and_a_loss_that_is_not_quadratic(screens):
    said = flat(screens[("check", 80)][1])
    assert "forward differences err like h (slope 1.00" in said
    assert "have no h² term at all: their error is rounding only" in said
    assert "central differences err like h² (slope 2.00)" in said


def test_the_sweep_never_says_converged_of_a_rate_that_did_not(screens):
    said = flat(screens[("sweep", 80)][1])
    assert (
        "walked every rate" not in said
    )  # the reference's train() is not compared: nothing to claim
    assert "lr < 2/λmax = 2/1167 = 0.00171" in said
    assert (
        "Of the 17 rates, 13 on their way (3.43e-05 to 0.0017) and 4 diverged (0.00173 to 0.00214)"
        in said
    )
    assert "converged" not in said.split("The safe bound")[1].split("When to stop")[0]
    assert "3.43e-05 0.02 7.8e+03 on its way" in said  # issue 17, case 4
    # the walk past the bound is explained, with no --lr to try: the sweep takes none
    assert "At lr 0.00173: ✗ DIVERGED" in said
    assert "--lr" not in said


def test_the_sweep_draws_the_final_losses_clipped_at_the_start(screens):
    screen = screens[("sweep", 80)][1]
    assert "clipped at the start's" in flat(screen) and "5.2e+171" not in screen
    assert "came at lr 0.0017, the largest rate that did not diverge: just below the cliff" in flat(
        screen
    )


def test_scaling_counts_the_iterations_each_needs(screens):
    said = flat(screens[("scaling", 80)][1])
    assert "Raw needs 210,793 iterations, standardised 88: 2395 times fewer" in said


def test_scaling_draws_each_valley_in_its_own_units(screens):
    screen = screens[("scaling", 80)][1]
    assert "a column: 0.56 in w a row: 27 in b" in flat(screen)
    assert (
        "equal units a row: 29 in bs 2 columns: 29 in ws" in flat(screen)
        and " ws " in screen
        and "bs up, ws across" in screen
    )


def test_scaling_draws_the_surfaces_side_by_side_only_when_wide(screens):
    wide, narrow = screens[("scaling", 120)][1], screens[("scaling", 80)][1]
    assert any("raw °C" in line and "standardised" in line for line in wide.splitlines())
    assert not any("raw °C" in line and "standardised" in line for line in narrow.splitlines())


def test_momentum_recomputes_the_tuned_figures_from_the_data(screens):
    said = flat(screens[("momentum", 80)][1])
    assert "β* = ((√κ − 1)/(√κ + 1))² = 0.965 and lr* = 4/(√λmax + √λmin)² = 0.003367" in said
    assert (
        "1,369 iterations, against 20,903 iterations at beta 0.9, lr 0.001, and 210,793 iterations"
        in said
    )


def test_momentum_behind_on_the_loss_is_named_for_its_swing_not_its_speed():
    # issue 17, case 5: along the floor the heavy ball is ahead; its loss is higher because it still swings
    status, screen = trace("momentum", "--iterations", "50")
    said = flat(screen)
    assert status == 0
    assert (
        "Along the floor the heavy ball is ahead: 277.404 from the bottom against plain descent's 286.863"
        in said
    )
    assert (
        "its swing across the valley has not died out yet (664.395 of its excess loss lies across"
        in said
    )
    assert "speed builds up" not in said


def test_sgd_runs_on_standardised_temperatures_and_measures_the_noise_floor(screens):
    said = flat(screens[("sgd", 80)][1])
    assert "standardised (z = (x − 23.5714) / 5.1922)" in said
    assert "the smaller the batch, the higher the noise holds it" in said
    assert "lr 0.1 is below every day's own limit" in said
    assert "With a rate that decays, lr/(1 + epoch/10)" in said


def test_sgd_above_a_days_own_limit_names_that_limit():
    # issue 17, case 7: the wobble's cause is the day's own limit, said only when lr is above it
    status, screen = trace("sgd", "--lr", "0.3")
    said = flat(screen)
    assert (
        "lr 0.3 is above the own limit of 1 of the days" in said
        and "below 1/(z² + 1) = 0.268" in said
    )


def test_sgd_that_runs_away_says_which_runs_did():
    status, screen = trace("sgd", "--lr", "1.5")
    said = flat(screen)
    assert status == 1 and "Ran away:" in said and "✗ " in said
    assert "Small batches need a smaller lr" not in said


def test_the_sweep_bound_comes_from_the_data_at_hand(tmp_path):
    data = tmp_path / "days.txt"
    data.write_text("t v\n" + "".join(f"{x} {3 * x + 10}\n" for x in range(1, 11)))
    status, screen = trace("sweep", "--data", str(data), "--iterations", "300")
    said = flat(screen)
    assert "2/1167" not in said and "days.txt" in said and status == 0


def test_the_same_walk_gets_the_same_words_in_every_story():
    # issue 17: scaling --lr 0.002 and park --lr 0.002 walk the same raw valley from w = b = 0
    _, park = trace("park", "--lr", "0.002")
    _, scaling = trace("scaling", "--lr", "0.002")
    park_said = flat(park).split("✗ DIVERGED: ")[1].split(" try --lr")[0]
    assert park_said.startswith("the loss exploded at step 49")
    assert park_said in flat(scaling)


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["check", "--lr", "0.1"], "check takes no --lr: it measures at w = b = 0"),
        (["check", "--iterations", "10"], "check takes no --iterations"),
        (["sweep", "--lr", "0.1"], "sweep takes no --lr: it sweeps the learning rates itself"),
        (["momentum", "--start", "2"], "momentum takes no --start"),
        (["park", "--beta", "0.5"], "park takes no --beta"),
        (
            ["sgd", "--every", "2"],
            "--every, --sample and --step are for the stories that walk step by step",
        ),
        (["scaling", "--step"], "scaling shows its whole result at once"),
        (["sweep", "--iterations", "30000"], "sweep --iterations must be at most 20,000"),
        (["momentum", "--beta", "1"], "--beta must be at least 0 and below 1"),
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
    assert "✓" not in said.split("Tracing your code")[1] and "rounding only" not in said


@TRACED.after(
    "check",
    edits=[("steps/step08_gradient.py", "predict(X, w, b)", "predict(X, w, 0.0)", 1)],
)
def test_a_gradient_that_leaves_b_out_is_caught_at_the_random_lines(done):
    # issue 17, case 6: at w = b = 0 it agrees; at lines with b away from 0 it does not
    said = flat(done.stdout)
    assert done.returncode == 1
    assert "✗ Your gradient disagrees with the slope of your loss at w = " in said
    assert "where your numerical_gradient gives" in said and "relative error" in said
    assert "check steps/step08_gradient.py" in said and "they agree" not in said


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
    assert "✓" not in said.split("Tracing your code")[1]


@TRACED.after(
    "momentum",
    "--lr",
    "0.004",
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
        "check steps/step16_momentum.py" in said and "✓ " not in said.split("Tracing your code")[1]
    )
    # r2 trace 1: both walks run the tracer's loop with the learner's right steps 6–8, not step 16: at lr 0.004
    # they diverge for the learning rate (above 2(1 + 0.9)/λmax = 0.00326 and 2/λmax = 0.00171), and say so
    assert "the learning rate is not the cause" not in said
    assert (
        "Plain descent: DIVERGED" in said
        and "The steps are too large: lr 0.004 is above 2/λmax" in said
    )


@TRACED.after("sgd")
def test_your_own_act_ii_code_is_traced_and_checked_against_the_walk(done):
    said = flat(done.stdout)
    assert done.returncode == 0 and done.stdout.startswith(
        "Tracing your code: steps 6–17 from steps/.\n"
    )
    assert "✓ Your train_sgd() (step 17) agrees with the walk it makes, batch by batch" in said


@TRACED.after(
    "sgd",
    edits=[
        (
            "steps/step17_sgd.py",
            "        shuffler.shuffle(order)",
            "        order = list(range(len(X)))\n        random.Random(seed).shuffle(order)",
            1,
        )
    ],
)
def test_sgd_that_reseeds_every_epoch_gets_no_tick(done):
    # issue 17, case 8: the same order each epoch, and still the same seed gives the same run
    said = flat(done.stdout)
    assert done.returncode == 1
    assert (
        "visits the days in the same order every epoch" in said
        and "check steps/step17_sgd.py" in said
    )
    assert "✓ Your train_sgd()" not in said


@TRACED.after(
    "sgd",
    edits=[
        (
            "steps/step17_sgd.py",
            "        shuffler.shuffle(order)  # indices",
            "        pass  # indices",
            1,
        ),
        (
            "steps/step17_sgd.py",
            "    w = b = 0.0\n",
            "    shuffler.shuffle(order)\n    w = b = 0.0\n",
            1,
        ),
    ],
)
def test_sgd_that_shuffles_once_gets_no_tick(done):
    said = flat(done.stdout)
    assert done.returncode == 1 and "visits the days in the same order every epoch" in said
    assert "✓ Your train_sgd()" not in said


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
    assert "the squared length ∂w² + ∂b²" in said and "check steps/step13_stopping.py" in said
    # r2 trace 1: the walks run steps 6–8, which are right: the walk past the bound diverges for its rate
    assert "the learning rate is not the cause" not in said
    assert (
        "At lr 0.00173: DIVERGED" in said and "The steps are too large: lr 0.00173 is above" in said
    )


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
        "made 12 updates in 3 epochs; batches of 3 from 14 days are 5 an epoch (the last may be smaller)"
        in said
    )
    assert "check steps/step17_sgd.py" in said


@pytest.mark.parametrize("story", STORIES)
def test_with_ascii_no_braille_box_or_shade_characters(story):
    _, screen = trace(story, "--ascii", width=60)
    assert not any(0x2500 <= ord(c) <= 0x28FF or c in "•●✚✓✗×◆→↔" for c in screen)


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


@TRACED.after("sweep")
def test_the_sweep_s_first_line_names_every_step_of_yours_it_runs(done):
    # issue 17, case 10: "steps 6–12" although it runs step 13
    assert done.returncode == 0 and done.stdout.startswith(
        "Tracing your code: steps 6–13 from steps/.\n"
    )
    assert "Your train() walked every rate as the tracer did." in flat(done.stdout)
    assert (
        "✓ Your train_until() (step 13) stops where the gradient's length first falls below 0.01"
        in flat(done.stdout)
    )


@pytest.mark.parametrize("width", [60, 100, 140, 200])
def test_the_maps_side_by_side_or_not_fit_every_width(width):
    _, screen = trace("scaling", "--ascii", width=width)
    assert all(len(line) <= width for line in screen.splitlines()), max(
        screen.splitlines(), key=len
    )


def test_when_to_stop_is_said_in_visitors_not_in_w_and_b_mixed(screens):
    # issue 17, case 10: "0.1082 / 21.8 from the closed form" mixed w's units with b's
    said = flat(screens[("sweep", 80)][1])
    assert (
        "the gradient's length falls below 0.01 after 85,355 iterations, at 558 visitors at 33 °C"
        in said
    )
    assert "0.0363 visitors from the closed form's 558" in said
    assert (
        "would have stopped at iteration 27,944: 551 visitors, 7 short of the closed form's" in said
    )


def test_momentum_says_a_diverged_walk_never_gets_there_and_equal_walks_are_level():
    # r2 trace 6: at lr 0.004 both walks diverge (above 2(1 + 0.9)/λmax = 0.00326 and 2/λmax = 0.00171): no count
    # of iterations is true of them; at beta 0 the heavy ball is plain descent, step for step
    status, screen = trace("momentum", "--lr", "0.004", "--iterations", "300")
    said = flat(screen)
    assert status == 1 and "more than 400" not in said
    assert "At beta 0.9, lr 0.004 the heavy ball never gets there: it diverges" in said
    assert "plain descent at lr 0.004 never gets there: it diverges" in said
    status, screen = trace("momentum", "--beta", "0", "--iterations", "300")
    said = flat(screen)
    assert status == 0 and "behind" not in said and "ahead" not in said
    assert "Along the floor the two walks are level: 280.312 from the bottom each" in said


def test_sgd_says_settled_only_when_measured_settled(tmp_path):
    # r2 trace 5: one epoch: the "loss over the last half" was the start's own excess (117966, from the closed form's
    # floor 4032.96 at w = b = 0); batches of 1 end that epoch 502.938 above the floor
    status, screen = trace("sgd", "--iterations", "1")
    said = flat(screen)
    assert (
        status == 0
        and "1 epoch over 14 days" in said
        and "settled" not in said
        and "stayed" not in said
    )
    assert (
        "After 1 epoch the loss stood 502.938 for batches of 1" in said
        and "no run had run long enough to say where the noise holds it" in said
    )
    # two days lie on one line: there is no noise for a decaying rate to quiet
    data = tmp_path / "two.txt"
    data.write_text("temperature visitors\n20 100\n30 458\n")
    status, screen = trace("sgd", "--data", str(data))
    said = flat(screen)
    assert status == 0 and "so does the noise" not in said and "the days lie on one line" in said


def test_full_batch_at_the_bound_is_said_to_oscillate():
    # r2 trace 15: standardised, 2/λmax = 1: the full batch at lr 1 swings as far each step
    status, screen = trace("sgd", "--lr", "1.0", "--iterations", "20")
    said = flat(screen)
    assert status == 1 and "Batch 14 at lr 1 oscillates" in said and "Did not:" not in said


@TRACED.after(
    "check",
    edits=[
        ("steps/step07_loss.py", "return sum(squares) / len(squares)", "return sum(squares)", 1)
    ],
)
def test_check_draws_no_conclusion_about_h_from_a_broken_loss(done):
    # r2 trace 12: the forward column measures the learner's loss: "err like h (slope 0.00)" contradicted itself
    said = flat(done.stdout)
    assert done.returncode == 1 and "check steps/step07_loss.py" in said
    assert "err like h" not in said and "No conclusion about h from these columns" in said


@TRACED.after(
    "sgd",
    edits=[("steps/step17_sgd.py", "gradient(X_batch, Y_batch, w, b)", "gradient(X, Y, w, b)", 1)],
)
def test_sgd_names_a_gradient_taken_on_all_days(done):
    # r2 trace 13: every day used once per epoch, yet each update's gradient was on the whole data
    said = flat(done.stdout)
    assert (
        done.returncode == 1
        and "took each update's gradient on all 14 days, not on its batch of 3" in said
    )
    assert "a day left out, used twice" not in said


def test_when_to_stop_on_shifted_data_runs_below_its_bound_and_blames_no_code(tmp_path):
    # r2 trace 3: temperatures + 100: the article's lr 0.001 is past this data's bound 2/λmax = 6.54e-5 (numpy's
    # figure, the verifier's), so the stopping run diverged, looped to its limit and was reported as a hang
    from kata.core.registry import ROOT

    lines = (ROOT / "park.txt").read_text().splitlines()
    shifted = [lines[0]] + [
        f"{float(t) + 100:g} {v}" for t, v in (row.split() for row in lines[1:] if row)
    ]
    data = tmp_path / "shifted.txt"
    data.write_text("\n".join(shifted) + "\n")
    status, screen = trace(
        "sweep", "--data", str(data), "--iterations", "200", "--target", "solutions"
    )
    said = flat(screen)
    assert status == 0 and "without finishing a step" not in said
    assert (
        "When to stop: at lr 3.3e-05 (half the safe bound 6.54e-05: the article's 0.001 is past it"
        in said
    )
    assert "more than the 1,000,000 the tracer runs: not run." in said
