"""Step 14 · Standardise the temperatures.

Goal: shift X to mean 0 and scale it to spread 1: (x − mean) / spread, where the
spread is the population standard deviation √(mean((x − mean)²)), divided by n.
Beyond the article: feature scaling, which turns a narrow valley into a round bowl.
"""

from collections.abc import Sequence


def standardise(X: Sequence[float]) -> tuple[list[float], float, float]:
    """Return (scaled, mean, spread): each x as (x − mean) / spread, and the two."""
    # compare the values themselves: rounding can leave each x − mean at 1e-17, not 0
    if min(X) == max(X):
        raise ValueError("every x is the same: there is no spread to scale by")
    mean = sum(X) / len(X)
    # divide by n, not n − 1: the spread of these very numbers, as statistics.pstdev
    spread = (sum((x - mean) ** 2 for x in X) / len(X)) ** 0.5
    scaled = [(x - mean) / spread for x in X]
    return scaled, mean, spread
