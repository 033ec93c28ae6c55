"""Step 9 · Training.

Goal: start at w = b = 0; each iteration records the loss, computes both
partial derivatives at the current (w, b), then moves both against them.
Rebuilds the article's train(), returning the losses as its last listing expects.
"""

from collections.abc import Sequence

from .step07_loss import loss  # your step 7
from .step08_gradient import gradient  # your step 8


# Keep this name and these arguments: the tests call train(X, Y, iterations, lr).
def train(
    X: Sequence[float], Y: Sequence[float], iterations: int, lr: float
) -> tuple[float, float, list[float]]:
    """Return (w, b, losses), where losses[i] is the loss before update i."""
    # TODO: from w = b = 0, each iteration: record the loss, get both slopes at the
    #       current (w, b), then move w and b against them, by lr times each. Return
    #       (w, b, losses).
    raise NotImplementedError("step 9: train()")
