"""Step 9 · Training.

Goal: start at w = b = 0; each iteration records the loss, computes both
partial derivatives at the current (w, b), then moves both against them.
Rebuilds the article's train(), returning the losses as its last listing expects.
"""

from collections.abc import Sequence

from .step07_loss import loss  # your step 7
from .step08_gradient import gradient  # your step 8


def train(
    X: Sequence[float], Y: Sequence[float], iterations: int, lr: float
) -> tuple[float, float, list[float]]:
    """Return (w, b, losses), where losses[i] is the loss before update i."""
    w = b = 0.0
    losses = []
    for _ in range(iterations):
        losses.append(loss(X, Y, w, b))
        # both slopes at the same point, before either parameter moves
        w_gradient, b_gradient = gradient(X, Y, w, b)
        w -= lr * w_gradient
        b -= lr * b_gradient
    return w, b, losses
