"""The figures act II quotes, computed from park.txt in plain Python: the narrow valley, the safe bound, scaling.

`python -m tests.tool.trace.test_act2_figures` prints every figure, the slow one too: how
many plain iterations at the article's lr 0.001 bring the line within 1e-6 of the
closed form (about a second). The tests below check the cheap ones.
"""

from __future__ import annotations

import math

from pytest import approx

from kata.core.registry import ROOT

# "within 1e-6": both w and b within 1e-6 of the closed-form line, in the original units
CLOSE = 1e-6


def park() -> tuple[list[float], list[float]]:
    """park.txt's two columns."""
    rows = [
        line.split() for line in (ROOT / "park.txt").read_text().splitlines()[1:] if line.strip()
    ]
    return [float(x) for x, _ in rows], [float(y) for _, y in rows]


def curvatures(X: list[float]) -> tuple[float, float]:
    """The loss's curvature across and along its valley: the eigenvalues of [[2·mean(x²), 2·mean(x)], [2·mean(x), 2]]."""
    a, c, d = 2 * sum(x * x for x in X) / len(X), 2 * sum(X) / len(X), 2.0
    middle, half_gap = (a + d) / 2, math.sqrt(((a - d) / 2) ** 2 + c * c)
    return middle + half_gap, middle - half_gap


def closed_form(X: list[float], Y: list[float]) -> tuple[float, float]:
    """The least-squares line."""
    mean_x, mean_y = sum(X) / len(X), sum(Y) / len(Y)
    w = sum((x - mean_x) * (y - mean_y) for x, y in zip(X, Y)) / sum((x - mean_x) ** 2 for x in X)
    return w, mean_y - w * mean_x


def iterations_to_closed_form(lr: float, scaled: bool, limit: int, beta: float = 0.0) -> int | None:
    """Descent from w = b = 0 (on standardised X if scaled; the heavy ball when beta > 0): updates until the line is
    within CLOSE (in °C, or in the standardised line's own numbers, which give the same count on park.txt)."""
    X, Y = park()
    best = closed_form(X, Y)
    mean = sum(X) / len(X)
    spread = math.sqrt(sum((x - mean) ** 2 for x in X) / len(X)) if scaled else 1.0
    shift = mean if scaled else 0.0
    data = [(x - shift) / spread for x in X]
    w = b = vw = vb = 0.0
    for iterations in range(limit + 1):
        w_c, b_c = w / spread, b - w * shift / spread  # the line in °C
        if abs(w_c - best[0]) < CLOSE and abs(b_c - best[1]) < CLOSE:
            return iterations
        errors = [x * w + b - y for x, y in zip(data, Y)]
        gw, gb = 2 * sum(e * x for e, x in zip(errors, data)) / len(X), 2 * sum(errors) / len(X)
        vw, vb = beta * vw + gw, beta * vb + gb
        w, b = w - lr * vw, b - lr * vb
    return None


def tuned() -> tuple[float, float]:
    """The heavy ball's critical damping on park.txt: β* = ((√κ − 1)/(√κ + 1))², lr* = 4/(√λmax + √λmin)²."""
    across, along = curvatures(park()[0])
    root = math.sqrt(across / along)
    return ((root - 1) / (root + 1)) ** 2, 4 / (math.sqrt(across) + math.sqrt(along)) ** 2


def test_the_park_loss_is_a_narrow_valley():
    across, along = curvatures(park()[0])
    assert across == approx(1167, abs=0.5) and along == approx(0.092, abs=0.0005)
    assert across / along == approx(12600, rel=0.005)


def test_the_safe_learning_rate_is_below_2_over_the_steepest_curvature():
    across, _ = curvatures(park()[0])
    assert 2 / across == approx(0.00171, abs=5e-6)


def test_the_article_s_20000_iterations_do_not_reach_the_closed_form():
    assert iterations_to_closed_form(0.001, scaled=False, limit=20000) is None


def test_standardised_the_valley_is_round():
    X = park()[0]
    mean = sum(X) / len(X)
    spread = math.sqrt(sum((x - mean) ** 2 for x in X) / len(X))
    assert curvatures([(x - mean) / spread for x in X]) == approx((2, 2))


def test_standardised_lr_0_5_lands_in_1_iteration_and_lr_0_1_takes_88():
    assert iterations_to_closed_form(0.5, scaled=True, limit=100) == 1
    assert iterations_to_closed_form(0.1, scaled=True, limit=1000) == 88


def test_the_tuned_heavy_ball_reaches_the_closed_form_in_1369_iterations():
    beta, lr = tuned()
    assert (beta, lr) == approx((0.96503, 0.0033673), rel=1e-4)
    assert iterations_to_closed_form(lr, scaled=False, limit=5000, beta=beta) == 1369


def test_the_heavy_ball_at_beta_0_9_and_lr_0_001_takes_20903():
    assert iterations_to_closed_form(0.001, scaled=False, limit=30000, beta=0.9) == 20903


def main() -> None:
    """Print every figure act II quotes."""
    across, along = curvatures(park()[0])
    print(
        f"curvature across the valley {across:.1f}, along it {along:.4f}, ratio {across / along:.0f}"
    )
    print(f"plain descent is stable while lr < 2/{across:.0f} = {2 / across:.5f}")
    beta, lr = tuned()
    print(f"the heavy ball's critical damping: beta* = {beta:.5f}, lr* = {lr:.6f}")
    for label, lr_, beta_ in [("beta*, lr*", lr, beta), ("beta 0.9, lr 0.001", 0.001, 0.9)]:
        count = iterations_to_closed_form(lr_, scaled=False, limit=100_000, beta=beta_)
        print(f"heavy ball, {label}: {count} iterations to within {CLOSE:g} of the closed form")
    for lr, scaled, limit in [(0.001, False, 1_000_000), (0.5, True, 1000), (0.1, True, 1000)]:
        count = iterations_to_closed_form(lr, scaled, limit)
        print(
            f"{'standardised' if scaled else 'raw'} temperatures, lr {lr}: {count} iteration{'' if count == 1 else 's'} to within {CLOSE:g} "
            "of the closed form (both w and b, in °C)"
        )


if __name__ == "__main__":
    main()
