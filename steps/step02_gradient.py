"""Step 2 · The slope of the parabola.

Goal: the gradient of f(x) = (x − 3)² + 2, which is f′(x) = 2·(x − 3).
It is 6 at x = 6, 2 at x = 4 and 0 at the minimum x = 3.
Rebuilds the article's "Gradient › One parameter: f(x)".
"""


# Keep this name and these arguments: the tests call gradient(x).
def gradient(x: float) -> float:
    """Return the slope f′(x) = 2·(x − 3) of the parabola at x."""
    # TODO: return the slope f′(x) from the formula above: positive right of the
    #       minimum, negative left of it, 0 at x = 3.
    raise NotImplementedError("step 2: gradient()")
