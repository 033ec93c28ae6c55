"""Step 13 · When do I stop? When the ground is flat enough.

Goal: descend from w = b = 0 until the gradient's length √(∂w² + ∂b²) is below
`tolerance` (checked before each update), or say it did not converge.
Beyond the article: a stopping rule instead of a fixed number of iterations.
"""

import math
from collections.abc import Sequence

from .step08_gradient import gradient  # your step 8


# Keep this name and these arguments: the tests call train_until(X, Y, lr, tolerance, max_iterations).
def train_until(
    X: Sequence[float], Y: Sequence[float], lr: float, tolerance: float, max_iterations: int
) -> tuple[float, float, int]:
    """Return (w, b, iterations): descend until the gradient is shorter than tolerance."""
    # TODO: from w = b = 0: get the gradient; if math.hypot(w_gradient, b_gradient) <
    #       tolerance, return w, b and the updates made; after max_iterations updates,
    #       raise RuntimeError; else update and go on.
    raise NotImplementedError("step 13: train_until()")
