"""Step 12 · The best line, in closed form: the yardstick.

Goal: the (w, b) with the smallest loss, without descending:
w = Σ(x − x̄)(y − ȳ) / Σ(x − x̄)² and b = ȳ − w·x̄ (x̄, ȳ the means).
Beyond the article: the least-squares line that gradient descent walks towards.
"""

from collections.abc import Sequence


# Keep this name and these arguments: the tests call least_squares(X, Y).
def least_squares(X: Sequence[float], Y: Sequence[float]) -> tuple[float, float]:
    """Return (w, b) of the line with the smallest mean squared error on (X, Y)."""
    # TODO: raise ValueError if every x is the same (min(X) == max(X)); else w = sum((x
    #       - mean_x) * (y - mean_y)) / sum((x - mean_x) ** 2) and b = mean_y - w *
    #       mean_x.
    raise NotImplementedError("step 12: least_squares()")
