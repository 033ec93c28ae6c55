"""Step 5 · Reading the park's notes into two lists.   Your file: steps/step05_load.py"""

from pathlib import Path

import pytest
from pytest import approx

from kata.registry import ROOT
from tests.support import function_under_test

load = function_under_test("step05_load", "load")


def notes(tmp_path: Path, text: str) -> Path:
    """Write a small notes file, exactly as given, and return its path."""
    path = tmp_path / "notes.txt"
    path.write_bytes(text.encode("utf-8"))
    return path


def test_the_header_line_is_skipped(load, tmp_path):
    X, Y = load(notes(tmp_path, "temperature visitors\n10 100\n20 200\n"))
    assert list(X) == approx([10, 20]) and list(Y) == approx([100, 200]), (
        f"load() returned X = {X!r}, Y = {Y!r} for a header and two rows; expected [10.0, 20.0] and "
        "[100.0, 200.0]. The first line names the columns and holds no numbers."
    )


def test_temperatures_come_first_and_visitors_second(load, tmp_path):
    X, Y = load(notes(tmp_path, "temperature visitors\n30 620\n"))
    assert list(X) == approx([30]) and list(Y) == approx([620]), (
        f"for the row '30 620' load() returned X = {X!r}, Y = {Y!r}; expected X = [30.0] (the "
        "temperature, the feature) and Y = [620.0] (the visitors, the label). Columns swapped?"
    )


def test_every_value_is_a_float(load, tmp_path):
    X, Y = load(notes(tmp_path, "temperature visitors\n22.5 310\n18 140.5\n"))
    assert list(X) == approx([22.5, 18]) and list(Y) == approx([310, 140.5]), (
        f"load() returned X = {X!r}, Y = {Y!r}; expected [22.5, 18.0] and [310.0, 140.5]."
    )
    kinds = {type(value).__name__ for value in [*X, *Y]}
    assert kinds == {"float"}, f"the values are of type {kinds}; expected floats: use float(...)."


def test_blank_lines_are_ignored(load, tmp_path):
    X, Y = load(notes(tmp_path, "temperature visitors\n\n10 100\n\n20 200\n\n\n"))
    assert list(X) == approx([10, 20]) and list(Y) == approx([100, 200]), (
        f"with blank lines between and after the rows load() returned X = {X!r}, Y = {Y!r}; "
        "a blank line is no day: skip it (line.strip() is empty)."
    )


@pytest.mark.parametrize(
    "rows",
    ["10\t100\n20\t200\n", "10    100\n  20 200  \n", "10 100\r\n20 200\r\n", "10 100\n20 200"],
    ids=["tabs", "several spaces", "windows line endings", "no newline at the end"],
)
def test_any_whitespace_separates_the_columns(load, tmp_path, rows):
    X, Y = load(notes(tmp_path, "temperature visitors\n" + rows))
    assert list(X) == approx([10, 20]) and list(Y) == approx([100, 200]), (
        f"for rows {rows!r} load() returned X = {X!r}, Y = {Y!r}: split() with no argument splits "
        "on any run of spaces and tabs and drops line endings."
    )


def test_park_txt_holds_14_days_with_620_visitors_at_30_degrees(load):
    X, Y = load(ROOT / "park.txt")
    assert len(X) == len(Y) == 14, f"park.txt has 14 days; load() returned {len(X)} and {len(Y)} values."
    assert (30.0, 620.0) in zip(X, Y), "park.txt has a day at 30 °C with 620 visitors; load() lost it."


def test_the_path_may_be_a_string_too(load):
    X, _ = load(str(ROOT / "park.txt"))
    assert len(X) == 14, f"load() of park.txt given as a string returned {len(X)} temperatures, expected 14."
