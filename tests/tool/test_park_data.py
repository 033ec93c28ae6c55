"""park.txt reproduces every figure the article states (it was reconstructed: see the README)."""

from pathlib import Path

from pytest import approx

from kata.core.registry import ROOT


def rows() -> list[tuple[float, float]]:
    lines = Path(ROOT / "park.txt").read_text(encoding="utf-8").splitlines()
    return [(float(x), float(y)) for x, y in (line.split() for line in lines[1:] if line.strip())]


def test_one_header_line_then_14_days():
    lines = Path(ROOT / "park.txt").read_text(encoding="utf-8").splitlines()
    assert len(lines[0].split()) == 2 and not lines[0].split()[0][0].isdigit()
    assert len(rows()) == 14


def test_a_plausible_season_with_620_visitors_at_30_degrees():
    data = rows()
    assert (30.0, 620.0) in data
    assert all(0 <= visitors for _, visitors in data)
    assert all(5 <= temperature <= 40 for temperature, _ in data)


def test_with_b_0_the_best_weight_is_near_14():
    data = rows()
    w = sum(x * y for x, y in data) / sum(x * x for x, _ in data)  # minimum of the loss along b = 0
    assert w == approx(14, abs=0.5)


def test_lr_0_001_is_safe_and_0_01_is_not():
    # gradient descent on the mean squared error is stable while lr < 2 / (largest eigenvalue of its Hessian)
    data = rows()
    n = len(data)
    sxx, sx = sum(x * x for x, _ in data) / n, sum(x for x, _ in data) / n
    largest = (sxx + 1) + (
        (sxx - 1) ** 2 + 4 * sx * sx
    ) ** 0.5  # of 2·[[mean x², mean x], [mean x, 1]]
    assert 0.001 < 2 / largest < 0.01
