"""Step 13 · When do I stop? When the ground is flat enough.

Goal: descend from w = b = 0 until the gradient's length √(∂w² + ∂b²) is below
`tolerance` (checked before each update), or say it did not converge.
Beyond the article: a stopping rule instead of a fixed number of iterations.
"""

import math
from collections.abc import Sequence

from .step08_gradient import gradient  # your step 8


def train_until(
    X: Sequence[float], Y: Sequence[float], lr: float, tolerance: float, max_iterations: int
) -> tuple[float, float, int]:
    """Return (w, b, iterations): the line where the gradient got shorter than tolerance, and the updates made."""
    w = b = 0.0
    iterations = 0
    while True:
        w_gradient, b_gradient = gradient(X, Y, w, b)
        # at the bottom both slopes are 0: a short gradient means we are close
        if math.hypot(w_gradient, b_gradient) < tolerance:
            return w, b, iterations
        if iterations == max_iterations:
            raise RuntimeError(f"did not converge in {max_iterations} iterations: the gradient is still "
                               f"{math.hypot(w_gradient, b_gradient):.3g} long, not below {tolerance:g}")
        w -= lr * w_gradient
        b -= lr * b_gradient
        iterations += 1
