"""Step 6 · A line through the data.

Goal: the model y = w·x + b, applied to every x: a new list, X unchanged.
The weight w is the slope of the line, the bias b where it crosses x = 0.
Rebuilds the article's "Linear Regression" (predict, without numpy).
"""

from collections.abc import Sequence


def predict(X: Sequence[float], w: float, b: float) -> list[float]:
    """Return a new list with x·w + b for each x in X."""
    return [x * w + b for x in X]
