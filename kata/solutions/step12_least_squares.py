"""Step 12 · The best line, in closed form: the yardstick.

Goal: the (w, b) with the smallest loss, without descending:
w = Σ(x − x̄)(y − ȳ) / Σ(x − x̄)² and b = ȳ − w·x̄ (x̄, ȳ the means).
Beyond the article: the least-squares line that gradient descent walks towards.
"""

from collections.abc import Sequence


def least_squares(X: Sequence[float], Y: Sequence[float]) -> tuple[float, float]:
    """Return (w, b) of the line with the smallest mean squared error on (X, Y)."""
    # compare the values themselves: rounding can leave each x − x̄ at 1e-17, not 0
    if min(X) == max(X):
        raise ValueError("no line can be fitted when every x is the same")
    mean_x, mean_y = sum(X) / len(X), sum(Y) / len(Y)
    # how x and y move together, over how much x moves on its own
    together = sum((x - mean_x) * (y - mean_y) for x, y in zip(X, Y))
    w = together / sum((x - mean_x) ** 2 for x in X)
    b = mean_y - w * mean_x  # the best line passes through the point of the means
    return w, b
