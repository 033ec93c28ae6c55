"""Step 13 · When do I stop? When the ground is flat enough.

Goal: descend from w = b = 0 until the gradient's length √(∂w² + ∂b²) is below
`tolerance` (checked before each update), or say it did not converge.
Beyond the article: a stopping rule instead of a fixed number of iterations.
"""

# How close is close: in the valley of step 12 a gradient is at least the gentlest
# curvature (0.092 on park.txt) times the distance to the bottom. So a gradient shorter
# than tolerance puts the line at most tolerance/0.092 from the bottom: for tolerance
# 0.01, up to 0.108 in (w, b).

import math
from collections.abc import Sequence

from .step08_gradient import gradient  # your step 8


# Keep this name and these arguments: the tests call
# train_until(X, Y, lr, tolerance, max_iterations).
def train_until(
    X: Sequence[float],
    Y: Sequence[float],
    lr: float,
    tolerance: float,
    max_iterations: int,
) -> tuple[float, float, int]:
    """Return (w, b, iterations): descend until the gradient is below tolerance."""
    # TODO: from w = b = 0, repeat: take the gradient; if its length (math.hypot gives
    #       it) is below tolerance, return w, b and the number of updates made; if
    #       max_iterations updates are made already, raise RuntimeError; else update w
    #       and b as train does.
    raise NotImplementedError("step 13: train_until()")
