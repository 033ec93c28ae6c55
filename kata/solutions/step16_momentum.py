"""Step 16 · Momentum: a heavy ball rolls through the valley.

Goal: from w = b = 0, keep a velocity for each parameter, v = beta·v + gradient,
and step against it, w −= lr·v; record the loss before each update, as train does.
Beyond the article: the heavy-ball method ("Why Momentum Really Works").
"""

from collections.abc import Sequence

from .step07_loss import loss  # your step 7
from .step08_gradient import gradient  # your step 8


def train_momentum(
    X: Sequence[float], Y: Sequence[float], iterations: int, lr: float, beta: float
) -> tuple[float, float, list[float]]:
    """Return (w, b, losses) of heavy-ball descent, losses[i] before update i."""
    w = b = 0.0
    w_velocity = b_velocity = 0.0
    losses = []
    for _ in range(iterations):
        losses.append(loss(X, Y, w, b))
        w_gradient, b_gradient = gradient(X, Y, w, b)
        # the velocity remembers past slopes: a steady one (along the floor) piles up,
        # to about 1/(1 − beta) times a step; one that flips sign (across the valley)
        # swings it, the swing shrinking only by √beta a step
        w_velocity = beta * w_velocity + w_gradient
        b_velocity = beta * b_velocity + b_gradient
        w -= lr * w_velocity
        b -= lr * b_velocity
    return w, b, losses
