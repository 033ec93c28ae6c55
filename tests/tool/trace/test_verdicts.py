"""Which walk a broken step is blamed for: only a walk that runs it (r2 trace 1)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from kata.trace.verdicts import blames, broken


@dataclass
class Record:
    problems: list[str] = field(default_factory=list)
    red: list[str] = field(default_factory=list)
    notes: list[tuple[bool, str]] = field(default_factory=list)


@pytest.mark.parametrize(
    "record, numbers",
    [
        (Record(red=["step 13"]), {13}),
        (Record(problems=["your gradient is wrong: check steps/step08_gradient.py"]), {8}),
        (Record(notes=[(False, "your forecast(33) says 1: check steps/step10_forecast.py")]), {10}),
        (
            Record(notes=[(True, "The data: park.txt as read by your load() (step 5), 14 days.")]),
            set(),
        ),
        (Record(problems=["a problem that names no step"]), None),
    ],
)
def test_the_broken_steps_are_read_from_what_names_them(record, numbers):
    assert broken(record) == numbers


def test_a_walk_is_blamed_only_for_a_step_it_runs():
    assert not blames(Record(red=["step 13"]))  # the sweep's walks run steps 6–8
    assert not blames(Record(red=["step 16"], problems=["… check steps/step16_momentum.py"]))
    assert blames(Record(red=["step 8"]))
    parabola = ("step01_parabola", "step02_gradient", "step03_step")
    assert blames(Record(red=["step 2"]), parabola) and not blames(Record(red=["step 4"]), parabola)
    assert blames(Record(problems=["a problem that names no step"]))  # nothing can be ruled out


# r2 trace 2: a finite difference is compared within the rounding it can resolve, with a nudge scaled to the data


def mean_squared_error(X, Y, w, b):
    return sum((w * x + b - y) ** 2 for x, y in zip(X, Y)) / len(X)


def slope(X, Y, w, b, sign=1.0):
    errors = [w * x + b - y for x, y in zip(X, Y)]
    return (
        sign * 2 * sum(e * x for e, x in zip(errors, X)) / len(X),
        sign * 2 * sum(errors) / len(X),
    )


PARK_X = [18.0, 29.0, 24.0, 21.0, 33.0, 15.0, 27.0]
PARK_Y = [100.0, 458.0, 320.0, 190.0, 560.0, 40.0, 390.0]


@pytest.mark.parametrize(
    "x_scale, y_scale", [(1.0, 1.0), (1.0, 1e9), (1000.0, 1e6), (1e150, 1e150), (1.0, 1e-9)]
)
def test_a_right_gradient_passes_on_data_of_any_size(x_scale, y_scale):
    from kata.trace.checking import check_gradient

    X, Y = [x * x_scale for x in PARK_X], [y * y_scale for y in PARK_Y]
    code = {"step07_loss": mean_squared_error, "step08_gradient": slope}
    points = [(0.0, 0.0), (17.0 * y_scale / x_scale, -300.0 * y_scale)]
    assert check_gradient(code, X, Y, points) == []


@pytest.mark.parametrize("y_scale", [1.0, 1e9])
def test_a_gradient_pointing_uphill_is_still_named_on_large_data(y_scale):
    from kata.trace.checking import check_gradient

    X, Y = PARK_X, [y * y_scale for y in PARK_Y]
    code = {
        "step07_loss": mean_squared_error,
        "step08_gradient": lambda X, Y, w, b: slope(X, Y, w, b, -1.0),
    }
    (said,) = check_gradient(code, X, Y, [(0.0, 0.0)])
    assert said.startswith("your gradient points uphill at w = 0, b = 0")


def test_when_to_stop_runs_below_the_data_s_safe_bound():
    # r2 trace 3: park.txt's bound 2/λmax = 0.0017137 allows the article's 0.001; temperatures + 100 give 6.54e-5,
    # past which the walk diverges and never stops: then half the bound, as a learner would type it
    from kata.trace.stories.sweep import stop_rate

    assert stop_rate(0.0017137) == 0.001
    assert stop_rate(6.54e-5) == 3.3e-5
    assert stop_rate(0.001) == 0.0005


@pytest.mark.parametrize(
    "value, other, said",
    [
        (2 / 1167.0, 0.00171, "0.001714"),
        (1.00003, 1.0, "1.00003"),
        (0.5, 0.001, "0.5"),
        (2.0, 2.0, "2"),
    ],
)
def test_a_figure_has_the_digits_that_tell_it_from_the_one_beside_it(value, other, said):
    # r2 trace 10: lr 0.00171 "must stay below 0.00171"; "landed 1 times as far"
    from kata.trace.text import apart

    assert apart(value, other) == said


def test_tiny_temperatures_that_differ_are_not_called_the_same(tmp_path):
    # r2 trace 17: 1.5e-149 to 3.1e-149 differ by 2×: only their size is unusual; equal ones are still refused
    from kata.trace.data import DataError, read_park

    tiny = tmp_path / "tiny.txt"
    tiny.write_text("temperature visitors\n1.5e-149 1e-148\n3.1e-149 4.6e-148\n2.2e-149 3e-148\n")
    assert read_park(tiny).X == [1.5e-149, 3.1e-149, 2.2e-149]
    same = tmp_path / "same.txt"
    same.write_text("temperature visitors\n20 100\n20 300\n")
    with pytest.raises(DataError, match="every temperature is the same"):
        read_park(same)


def test_a_huge_ratio_is_said_in_three_figures():
    from kata.trace.verdicts import ratio_words

    assert ratio_words(12_634.2) == "12600" and ratio_words(3.714e298) == "3.71e+298"


def test_h_is_said_to_matter_only_as_it_was_measured_to():
    # the check story on visitors × 1e9: the errors fell as h grew (slope −1.06), yet it said "err like h"
    from kata.trace.stories.check import h_words

    rounding = [[10.0**-k, 1e-6 * 10**k, 1e-6 * 10**k, 1e-5 * 10**k] for k in range(13)]
    said = h_words(rounding, 1.0, 2.0, False)
    assert "err like h (" not in said and "err like h²" not in said
    assert "forward differences do not err like h here (slope -1.00" in said
    truncation = [[10.0**-k, 10.0**-k, 1e-15, 10.0 ** (-2 * k)] for k in range(13)]
    said = h_words(truncation, 1.0, 2.0, False)
    assert (
        "forward differences err like h (slope 1.00" in said and "err like h² (slope 2.00)" in said
    )
