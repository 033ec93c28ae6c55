"""Step 6 · A line through the data.

Goal: the model y = w·x + b, applied to every x: a new list, X unchanged.
The weight w is the slope of the line, the bias b where it crosses x = 0.
Rebuilds the article's "Linear Regression" (predict, without numpy).
"""

from collections.abc import Sequence


# Keep this name and these arguments: the tests call predict(X, w, b).
def predict(X: Sequence[float], w: float, b: float) -> list[float]:
    """Return a new list with x·w + b for each x in X."""
    # TODO: return a new list: the line's prediction x·w + b for each temperature x in
    #       X, in the same order. Don't change X itself.
    raise NotImplementedError("step 6: predict()")
