"""Step 13 · When do I stop? When the ground is flat enough.

Goal: descend from w = b = 0 until the gradient's length √(∂w² + ∂b²) is below
`tolerance` (checked before each update), or say it did not converge.
Beyond the article: a stopping rule instead of a fixed number of iterations.
"""

import math
from collections.abc import Sequence

from .step08_gradient import gradient  # your step 8


def train_until(
    X: Sequence[float],
    Y: Sequence[float],
    lr: float,
    tolerance: float,
    max_iterations: int,
) -> tuple[float, float, int]:
    """Return (w, b, iterations): descend until the gradient is below tolerance."""
    w = b = 0.0
    iterations = 0
    while True:
        w_gradient, b_gradient = gradient(X, Y, w, b)
        length = math.hypot(w_gradient, b_gradient)
        # at the bottom both slopes are 0: a short gradient means we are close, within
        # its length divided by the gentlest curvature
        if length < tolerance:
            return w, b, iterations
        if iterations == max_iterations:
            raise RuntimeError(f"did not converge in {max_iterations} iterations")
        w -= lr * w_gradient
        b -= lr * b_gradient
        iterations += 1
