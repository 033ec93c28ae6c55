"""Step 10 · How many visitors at 33 °C?   Your file: steps/step10_forecast.py"""

from pytest import approx

from kata.registry import ROOT
from tests.support import function_under_test

forecast = function_under_test("step10_forecast", "forecast")


def test_33_degrees_bring_about_543_visitors(forecast):
    got = forecast(33)
    assert got == approx(543, abs=1), (
        f"forecast(33) returned {got!r}; the article's answer is about 543 visitors, from 20000 "
        "iterations at lr = 0.001 on park.txt, starting at w = b = 0."
    )


def test_warmer_days_bring_more_visitors_along_one_straight_line(forecast):
    at_13, at_23, at_33 = forecast(13), forecast(23), forecast(33)
    assert at_13 < at_23 < at_33, (
        f"forecast gave {at_13!r}, {at_23!r}, {at_33!r} at 13, 23 and 33 °C: the trained line rises with "
        "temperature. Is the temperature used, or is the answer fixed?"
    )
    assert at_33 - at_23 == approx(at_23 - at_13), (
        f"forecast gave {at_13!r}, {at_23!r}, {at_33!r} at 13, 23 and 33 °C: on the line w·x + b each "
        "10 °C add the same number of visitors."
    )


def test_park_txt_is_found_from_any_working_directory(forecast, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    got = forecast(33)
    assert got == approx(543, abs=1), (
        f"run from another folder, forecast(33) returned {got!r}: PARK finds park.txt beside the kata, "
        "not in the folder you run from. Keep the PARK line as it was given."
    )


def test_the_file_given_as_path_is_the_one_read(forecast, tmp_path):
    lines = (ROOT / "park.txt").read_text().splitlines()
    doubled = [lines[0]] + [f"{x} {2 * float(y)}" for x, y in (line.split() for line in lines[1:] if line.strip())]
    (tmp_path / "busy.txt").write_text("\n".join(doubled) + "\n")
    got = forecast(33, tmp_path / "busy.txt")
    # starting from w = b = 0, each update is linear in the labels: twice the visitors, twice the forecast
    assert got == approx(2 * 543.05, abs=2), (
        f"with every visitor count doubled, forecast(33, path) returned {got!r}; expected twice the park "
        "forecast, about 1086. Is `path` the file you load?"
    )
