"""Every story over a grid of settings (lr below, at and above the limit, short and long runs, starts at and far from
the minimum): what the verdict claims (converged, on its way, oscillates, diverged; which direction) must agree
with the test's own walk, measured here with its own gradient, closed form and eigenvectors, not the tracer's
maths."""

from __future__ import annotations

import math
import random
import re
from pathlib import Path

import pytest

from kata.core.registry import ROOT
from tests.tool.trace.test_trace import flat, trace

TOLERANCE = 1e-6  # the verdict's stated tolerance: every parameter within 1e-6 of the minimum
EXPLODED = 1e12  # the stated blow-up: the loss past 1e12 times where it started
STATES = ("CONVERGED", "ON ITS WAY", "OSCILLATES", "DIVERGED")


def rows(path: Path) -> tuple[list[float], list[float]]:
    lines = [line.split() for line in path.read_text().splitlines()[1:] if line.strip()]
    return [float(x) for x, _ in lines], [float(y) for _, y in lines]


def line_of(X: list[float], Y: list[float]) -> tuple[float, float]:
    """The least-squares line by the normal equations, solved by Cramer's rule."""
    n, sx, sxx = len(X), sum(X), sum(x * x for x in X)
    sy, sxy = sum(Y), sum(x * y for x, y in zip(X, Y))
    det = sxx * n - sx * sx
    return (sxy * n - sx * sy) / det, (sxx * sy - sx * sxy) / det


def eigen(X: list[float]) -> tuple[tuple[float, float], list[tuple[float, float]]]:
    """The Hessian 2·[[mean x², mean x], [mean x, 1]]: its eigenvalues from the characteristic polynomial, steepest
    first, and unit eigenvectors from (H − λI)v = 0."""
    a, off, c = 2 * sum(x * x for x in X) / len(X), 2 * sum(X) / len(X), 2.0
    half = math.sqrt(((a - c) / 2) ** 2 + off * off)
    lams = ((a + c) / 2 + half, (a + c) / 2 - half)
    vectors = []
    for lam in lams:
        v = (off, lam - a) if abs(off) > 1e-300 else ((1.0, 0.0) if lam == a else (0.0, 1.0))
        size = math.hypot(*v)
        vectors.append((v[0] / size, v[1] / size))
    return lams, vectors


def classify(
    X: list[float], Y: list[float], lr: float, iterations: int, beta: float = 0.0
) -> tuple[str, int]:
    """The test's own walk from w = b = 0: its state, and the direction that matters (0 across, 1 along)."""
    n = len(X)
    best = line_of(X, Y)
    lams, vectors = eigen(X)

    def loss(w: float, b: float) -> float:
        return sum((w * x + b - y) ** 2 for x, y in zip(X, Y)) / n

    def parts(w: float, b: float) -> list[float]:
        gap = (w - best[0], b - best[1])
        return [gap[0] * u + gap[1] * v for u, v in vectors]

    w = b = vw = vb = 0.0
    start = loss(0.0, 0.0)
    previous = (w, b)
    for _ in range(iterations):
        errors = [w * x + b - y for x, y in zip(X, Y)]
        gw, gb = 2 * sum(e * x for e, x in zip(errors, X)) / n, 2 * sum(errors) / n
        vw, vb = beta * vw + gw, beta * vb + gb
        previous, (w, b) = (w, b), (w - lr * vw, b - lr * vb)
        if not (math.isfinite(w) and math.isfinite(b)) or loss(w, b) > EXPLODED * max(start, 1.0):
            first = parts(0.0, 0.0)
            grew = [abs(p) / abs(f) if f else 0 for p, f in zip(parts(*previous), first)]
            return "DIVERGED", max(range(2), key=lambda i: grew[i])
    if abs(w - best[0]) <= TOLERANCE and abs(b - best[1]) <= TOLERANCE:
        return "CONVERGED", -1
    excess = [0.5 * lam * p * p for lam, p in zip(lams, parts(w, b))]
    start_excess = sum(0.5 * lam * p * p for lam, p in zip(lams, parts(0.0, 0.0)))
    if sum(excess) > start_excess * (1 + 1e-9) + 1e-12:
        grew = [abs(p) / abs(f) if f else 0 for p, f in zip(parts(w, b), parts(0.0, 0.0))]
        return "DIVERGED", max(range(2), key=lambda i: grew[i])
    main = max(range(2), key=lambda i: excess[i])
    before, after = parts(*previous)[main], parts(w, b)[main]
    if beta == 0 and before and after / before <= -1 + 1e-9:
        return "OSCILLATES", main
    return "ON ITS WAY", main


def claimed(said: str) -> tuple[str, int]:
    """What a verdict claims: its state, and the direction it names (0 across, 1 along, -1 none)."""
    state = next(s for s in STATES if f"{s}:" in said)
    if state == "DIVERGED":
        return (
            state,
            0
            if "across the valley each step" in said
            else 1
            if "along its floor each step" in said
            else -1,
        )
    if state in ("ON ITS WAY", "OSCILLATES"):
        if "most of it is the zig-zag across" in said or "most of it is across the valley" in said:
            return state, 0
        if "most of it is the crawl along its floor" in said:
            return state, 1
        if "across the valley, each step lands" in said:
            return state, 0
    return state, -1


PARK = rows(ROOT / "park.txt")
DATASETS = {
    "park.txt": PARK,  # far from the minimum: w = b = 0 against (25.6, −287.4)
    "at the minimum": (
        PARK[0],
        [0.0] * len(PARK[0]),
    ),  # the best line is y = 0: the walk starts on it
    "far": (PARK[0], [1000 * x + 20000 for x in PARK[0]]),  # the minimum 2·10⁴ away
}
FACTORS = {"below": 0.5, "near": 0.99, "at": 1.0, "above": 1.01}  # × the data's own limit 2/λmax


def data_file(tmp_path: Path, name: str) -> Path:
    X, Y = DATASETS[name]
    path = tmp_path / f"{name.replace(' ', '_')}.txt"
    path.write_text("t v\n" + "".join(f"{x!r} {y!r}\n" for x, y in zip(X, Y)))
    return path


@pytest.mark.parametrize("data", DATASETS)
@pytest.mark.parametrize("factor", FACTORS)
@pytest.mark.parametrize("iterations", [300, 30000])
def test_the_park_verdict_agrees_with_the_walk(tmp_path, data, factor, iterations):
    X, Y = DATASETS[data]
    lr = FACTORS[factor] * 2 / eigen(X)[0][0]
    status, screen = trace(
        "park",
        "--data",
        str(data_file(tmp_path, data)),
        "--lr",
        repr(lr),
        "--iterations",
        str(iterations),
    )
    state, direction = classify(X, Y, lr, iterations)
    said = flat(screen)
    assert claimed(said) == (state, direction if state != "CONVERGED" else -1), said[-900:]
    assert status == (1 if state == "DIVERGED" else 0)


@pytest.mark.parametrize("lr", [0.1, 0.5, 0.9, 0.999, 1.0, 1.1])
@pytest.mark.parametrize("iterations", [5, 200])
@pytest.mark.parametrize("start", ["3", "6", "-2.5", "1e6"])
def test_the_parabola_verdict_agrees_with_the_walk(lr, iterations, start):
    x, x0 = float(start), float(start)
    for _ in range(iterations):
        x = x - lr * 2 * (x - 3)
        if not math.isfinite(x) or (x - 3) ** 2 + 2 > EXPLODED * max((x0 - 3) ** 2 + 2, 1.0):
            break
    if abs(x - 3) <= TOLERANCE:
        state = "CONVERGED"
    elif not math.isfinite(x) or abs(x - 3) > abs(x0 - 3) * (1 + 1e-9):
        state = "DIVERGED"
    elif abs(1 - 2 * lr) >= 1 - 1e-9:
        state = "OSCILLATES"
    else:
        state = "ON ITS WAY"
    status, screen = trace(
        "parabola", "--lr", str(lr), "--iterations", str(iterations), f"--start={start}"
    )
    assert claimed(flat(screen))[0] == state, flat(screen)[-600:]
    assert status == (1 if state == "DIVERGED" else 0)


@pytest.mark.parametrize("lr", ["0.001", "0.0018"])
@pytest.mark.parametrize("iterations", ["100", "300000"])
def test_both_scaling_verdicts_agree_with_their_walks(lr, iterations):
    X, Y = PARK
    _, screen = trace("scaling", "--lr", lr, "--iterations", iterations)
    said = flat(screen)
    raw, scaled = said.split("Raw °C: ")[1].split("Standardised: ")
    # the raw walk stops once within the tolerance: the test's own walk says whether it gets there
    state, direction = classify(X, Y, float(lr), int(iterations))
    assert claimed(raw) == (state, direction if state != "CONVERGED" else -1)
    mean = sum(X) / len(X)
    spread = math.sqrt(sum((x - mean) ** 2 for x in X) / len(X))
    Z = [(x - mean) / spread for x in X]
    state, _ = classify(Z, Y, 0.1, int(iterations))
    assert claimed(scaled)[0] == state


@pytest.mark.parametrize(("lr", "beta"), [("0.001", "0.9"), ("0.004", "0.9"), ("0.0005", "0.5")])
@pytest.mark.parametrize("iterations", ["50", "20000"])
def test_both_momentum_verdicts_agree_with_their_walks(lr, beta, iterations):
    X, Y = PARK
    status, screen = trace("momentum", "--lr", lr, "--beta", beta, "--iterations", iterations)
    said = flat(screen)
    heavy, plain = said.split("Heavy ball: ")[1].split("Plain descent: ")
    state, _ = classify(X, Y, float(lr), int(iterations), float(beta))
    assert claimed(heavy)[0] == state
    state_plain, direction = classify(X, Y, float(lr), int(iterations))
    assert claimed(plain.split("Tuned:")[0]) == (
        state_plain,
        direction if state_plain != "CONVERGED" else -1,
    )
    assert status == (1 if state == "DIVERGED" else 0)


@pytest.mark.parametrize("iterations", ["50", "2000"])
def test_every_rate_of_the_sweep_is_told_as_its_walk_went(iterations):
    X, Y = PARK
    _, screen = trace("sweep", "--iterations", iterations, width=120)
    table = re.findall(
        r"^\s*(\S+)\s+(\S+)\s+(\S+)\s+(on its way|converged|diverged|oscillates)\s*$", screen, re.M
    )
    assert len(table) == 17
    for lr, _, _, state in table:
        assert state.upper() == classify(X, Y, float(lr), int(iterations))[0], lr


def sgd(X: list[float], Y: list[float], epochs: int, lr: float, size: int, seed: int = 0) -> bool:
    """The test's own mini-batch descent (one random.Random(seed), indices shuffled in place each epoch): True when
    it stayed finite and ended no higher than it started."""
    n, shuffler, order = len(X), random.Random(seed), list(range(len(X)))
    w = b = 0.0
    start = sum(y * y for y in Y) / n
    for _ in range(epochs):
        shuffler.shuffle(order)
        for first in range(0, n, size):
            batch = order[first : first + size]
            errors = [w * X[i] + b - Y[i] for i in batch]
            gw = 2 * sum(e * X[i] for e, i in zip(errors, batch)) / len(batch)
            gb = 2 * sum(errors) / len(batch)
            w, b = w - lr * gw, b - lr * gb
            if not (math.isfinite(w) and math.isfinite(b)) or abs(w) + abs(b) > 1e150:
                return False
    return sum((w * x + b - y) ** 2 for x, y in zip(X, Y)) / n <= start


@pytest.mark.parametrize("lr", ["0.1", "0.6", "1.5"])
def test_the_sgd_story_says_which_runs_ran_away(lr):
    X, Y = PARK
    mean = sum(X) / len(X)
    spread = math.sqrt(sum((x - mean) ** 2 for x in X) / len(X))
    Z = [(x - mean) / spread for x in X]
    status, screen = trace("sgd", "--lr", lr, "--iterations", "100")
    said = flat(screen)
    away = [size for size in (1, 2, 3, 14) if not sgd(Z, Y, 100, float(lr), size)]
    found = re.search(r"Ran away: (.*?)\.(?: [A-Z]|$)", said)
    named = found.group(1) if found else ""
    for size in (1, 2, 3, 14):
        assert (f"batch {size} at lr {lr}" in named) == (size in away), (size, said[-800:])
    assert status == (1 if away else 0)
