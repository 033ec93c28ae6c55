"""Step 1 · The parabola we will walk down.

Goal: the curve f(x) = (x − 3)² + 2. Its lowest point is x = 3, where f(3) = 2.
Rebuilds the article's "Gradient › One parameter: f(x)".
"""


# Keep this name and these arguments: the tests call f(x).
def f(x: float) -> float:
    """Return the height of the parabola (x − 3)² + 2 at x."""
    # TODO: write the formula above in Python. Its signs are the article's, not
    #       Python's: type the minus key for −, and use Python's power operator for the
    #       square (not ^, which is something else).
    raise NotImplementedError("step 1: f()")
