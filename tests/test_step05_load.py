"""Step 5 · Reading the park's notes into two lists.   Your file: steps/step05_load.py"""

from pathlib import Path

import pytest
from pytest import approx

from kata.core.look import counted
from kata.core.registry import ROOT
from tests.support import function_under_test

load = function_under_test("step05_load", "load")


def notes(tmp_path: Path, text: str) -> Path:
    """Write a small notes file, exactly as given, and return its path."""
    path = tmp_path / "notes.txt"
    path.write_bytes(text.encode("utf-8"))
    return path


def read(load, path: Path, advice: str = ""):
    """Call load(path) and return (X, Y) as lists, naming the slip when it raises or returns another shape."""
    text = path.read_text(encoding="utf-8")
    header = text.splitlines()[0].split()
    try:
        result = load(path)
    except FileNotFoundError as error:
        if "park.txt" in str(error):
            pytest.fail(
                f"load() looked for park.txt ({error}), but it was given {path.name}: open the file named by "
                "`path`, not 'park.txt'.",
                pytrace=False,
            )
        raise
    except ValueError as error:
        if any(repr(word) in str(error) for word in header):
            pytest.fail(
                f"load() tried to turn the header line {' '.join(header)!r} into numbers ({error}). "
                "The first line names the columns and holds no numbers: skip it.",
                pytrace=False,
            )
        if "values to unpack" in str(error) and "got 0)" in str(error):
            pytest.fail(
                f"load() raised ValueError ({error}): a row was empty, so it split into nothing. A file ends with a "
                "newline, so the text after the last one is an empty row (and a blank line is one too): skip the "
                "rows that hold nothing, `if line.strip():`.",
                pytrace=False,
            )
        if "values to unpack" in str(error):
            pytest.fail(
                f"load() raised ValueError ({error}): a row did not split into its two numbers. "
                f"{advice or 'split() with no argument splits on any run of spaces or tabs (the rows have no commas).'}",
                pytrace=False,
            )
        if (
            "could not convert string to float" in str(error)
            and len(str(error).split(":", 1)[-1].split()) > 1
        ):
            pytest.fail(
                f"load() raised ValueError ({error}): float() was given a whole row. Cut each row into its two "
                "parts first (split()), then turn each part into a float.",
                pytrace=False,
            )
        if "invalid literal for int()" in str(error):
            pytest.fail(
                f"load() raised ValueError ({error}): int() cannot read a number with decimals. The temperatures and "
                "visitors may have them: use float(...).",
                pytrace=False,
            )
        if advice:
            pytest.fail(f"load() raised ValueError: {error}. {advice}", pytrace=False)
        raise
    if not (
        isinstance(result, (tuple, list))
        and len(result) == 2
        and all(isinstance(c, (list, tuple)) for c in result)
    ):
        shape = (
            "a list of rows"
            if isinstance(result, list) and result and isinstance(result[0], (list, tuple))
            else repr(result)[:80]
        )
        pytest.fail(
            f"load() returned {shape}; it returns two lists, X (the temperatures) and Y (the visitors): return X, Y.",
            pytrace=False,
        )
    X, Y = list(result[0]), list(result[1])
    if any(isinstance(value, str) for value in [*X, *Y]):
        pytest.fail(
            f"load() returned X = {X!r}, Y = {Y!r}: the values are still text. Turn each part into a number "
            "with float(...).",
            pytrace=False,
        )
    return X, Y


def swapped(X, Y, expected_X, expected_Y) -> str:
    """The words for columns read the wrong way round, or rows returned as they are; '' for neither."""
    if list(X) == approx(expected_Y) and list(Y) == approx(expected_X):
        return (
            " The columns are swapped: the temperature comes first on each line, then the visitors."
        )
    if list(X) == approx(expected_X) and list(Y) == approx(expected_X):
        return " Y holds the temperatures again: the visitors are the second number of each row."
    if list(X) == approx(expected_Y) and list(Y) == approx(expected_Y):
        return " X holds the visitors too: the temperature is the first number of each row."
    rows = list(zip(expected_X, expected_Y))
    if len(rows) == 2 and [tuple(X), tuple(Y)] == [approx(row) for row in rows]:
        return " That is the rows as they are, one (temperature, visitors) pair per line: return X, Y, two columns."
    return ""


def test_a_small_file_comes_back_as_two_columns(load, tmp_path):
    X, Y = read(load, notes(tmp_path, "temperature visitors\n10 100\n20 200\n"))
    said = {
        14: " That is park.txt's 14 days: open the file named by `path`, not 'park.txt'.",
        3: " Three: is the header line counted as a day?",
    }.get(len(X), "")
    assert len(X) == len(Y) == 2, (
        f"load() of a file with a header and two rows returned {counted(len(X), 'temperature')} and "
        f"{counted(len(Y), 'visitor count')}, expected 2 of each.{said}"
    )


def test_temperatures_come_first_and_visitors_second(load, tmp_path):
    X, Y = read(load, notes(tmp_path, "temperature visitors\n30 620\n"))
    assert list(X) == approx([30]) and list(Y) == approx([620]), (
        f"for the row '30 620' load() returned X = {X!r}, Y = {Y!r}; expected X = [30.0] (the "
        f"temperature, the feature) and Y = [620.0] (the visitors, the label).{swapped(X, Y, [30], [620])}"
    )


def test_the_header_line_is_skipped(load, tmp_path):
    X, Y = read(load, notes(tmp_path, "temperature visitors\n10 100\n20 200\n"))
    assert list(X) == approx([10, 20]) and list(Y) == approx([100, 200]), (
        f"load() returned X = {X!r}, Y = {Y!r} for a header and two rows; expected [10.0, 20.0] and "
        f"[100.0, 200.0].{swapped(X, Y, [10, 20], [100, 200]) or ' The first line names the columns.'}"
    )


def test_every_value_is_a_float(load, tmp_path):
    X, Y = read(load, notes(tmp_path, "temperature visitors\n22.5 310\n18 140.5\n"))
    kinds = {type(value).__name__ for value in [*X, *Y]}
    said = {"int": " int(...) drops the decimals (22.5 became 22): use float(...)."}
    assert kinds == {"float"}, (
        f"load() returned X = {X!r}, Y = {Y!r}: values of type {', '.join(sorted(kinds))}, expected floats."
        + "".join(said.get(kind, "") for kind in sorted(kinds))
    )
    assert list(X) == approx([22.5, 18]) and list(Y) == approx([310, 140.5]), (
        f"load() returned X = {X!r}, Y = {Y!r}; expected [22.5, 18.0] and [310.0, 140.5]."
    )


def test_blank_lines_are_ignored(load, tmp_path):
    advice = "A blank line is no day: skip it (line.strip() is empty)."
    X, Y = read(load, notes(tmp_path, "temperature visitors\n\n10 100\n \t\n20 200\n\n\n"), advice)
    assert list(X) == approx([10, 20]) and list(Y) == approx([100, 200]), (
        f"with blank lines between and after the rows (one of them a space and a tab) load() returned X = {X!r}, Y = {Y!r}. {advice}"
    )


@pytest.mark.parametrize(
    "rows",
    ["10\t100\n20\t200\n", "10    100\n  20 200  \n", "10 100\r\n20 200\r\n", "10 100\n20 200"],
    ids=["tabs", "several spaces", "windows line endings", "no newline at the end"],
)
def test_any_whitespace_separates_the_columns(load, tmp_path, rows):
    advice = (
        "split() with no argument splits on any run of spaces or tabs, and drops the line ending."
    )
    X, Y = read(load, notes(tmp_path, "temperature visitors\n" + rows), advice)
    assert list(X) == approx([10, 20]) and list(Y) == approx([100, 200]), (
        f"for rows {rows!r} load() returned X = {X!r}, Y = {Y!r}. {advice}"
    )


def test_negative_and_decimal_temperatures_are_read(load, tmp_path):
    X, Y = read(load, notes(tmp_path, "temperature visitors\n-2.5 10\n0.25 20\n"))
    assert list(X) == approx([-2.5, 0.25]) and list(Y) == approx([10, 20]), (
        f"load() returned X = {X!r}, Y = {Y!r}; expected X = [-2.5, 0.25] and Y = [10.0, 20.0]: "
        "a winter day can be below zero, and float() reads '-2.5' as it is."
    )


@pytest.mark.parametrize(
    "header", ["temp count", "°C visitors", "day_temperature number_of_visitors"]
)
def test_the_header_may_name_the_columns_in_other_words(load, tmp_path, header):
    X, Y = read(load, notes(tmp_path, f"{header}\n10 100\n20 200\n"))
    assert list(X) == approx([10, 20]) and list(Y) == approx([100, 200]), (
        f"with the header {header!r} load() returned X = {X!r}, Y = {Y!r}: the first line names the "
        "columns, whatever its words; skip it without looking for 'temperature'."
    )


def test_park_txt_holds_14_days_with_620_visitors_at_30_degrees(load):
    X, Y = read(load, ROOT / "park.txt")
    assert len(X) == len(Y) == 14, (
        f"park.txt has 14 days; load() returned {counted(len(X), 'temperature')} and {counted(len(Y), 'visitor count')}."
    )
    assert (30.0, 620.0) in zip(X, Y), (
        "park.txt has a day at 30 °C with 620 visitors; load() lost it."
    )


def test_the_path_may_be_a_string_too(load):
    X, _ = load(str(ROOT / "park.txt"))
    assert len(X) == 14, (
        f"load() of park.txt given as a string returned {counted(len(X), 'temperature')}, expected 14."
    )
