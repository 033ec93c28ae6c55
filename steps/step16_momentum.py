"""Step 16 · Momentum: a heavy ball rolls through the valley.

Goal: from w = b = 0, keep a velocity for each parameter, v = beta·v + gradient,
and step by lr·v; record the loss before each update, as train does.
Beyond the article: the heavy-ball method ("Why Momentum Really Works").
"""

from collections.abc import Sequence

from .step07_loss import loss  # your step 7
from .step08_gradient import gradient  # your step 8


# Keep this name and these arguments: the tests call train_momentum(X, Y, iterations, lr, beta).
def train_momentum(
    X: Sequence[float], Y: Sequence[float], iterations: int, lr: float, beta: float
) -> tuple[float, float, list[float]]:
    """Return (w, b, losses) after heavy-ball descent; losses[i] is the loss before update i."""
    # TODO: as train, with a velocity per parameter that starts at 0 and lives across
    #       iterations: w_velocity = beta * w_velocity + w_gradient, then w -= lr *
    #       w_velocity (the same for b).
    raise NotImplementedError("step 16: train_momentum()")
