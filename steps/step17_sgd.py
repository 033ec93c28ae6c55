"""Step 17 · Mini-batches: many small steps per pass over the data.

Goal: each epoch, shuffle the days with random.Random(seed), cut them into batches
of batch_size (the last may be smaller), and update w and b once per batch with
the gradient on that batch alone. Record the full loss before each epoch.
Beyond the article: stochastic gradient descent, as fast.ai builds it from scratch.
"""

import random
from collections.abc import Sequence

from .step07_loss import loss  # your step 7
from .step08_gradient import gradient  # your step 8


# Keep this name and these arguments: the tests call train_sgd(X, Y, epochs, lr, batch_size, seed).
def train_sgd(
    X: Sequence[float], Y: Sequence[float], epochs: int, lr: float, batch_size: int, seed: int
) -> tuple[float, float, list[float]]:
    """Return (w, b, losses), where losses[i] is the loss on all the data before epoch i."""
    # TODO: shuffler = random.Random(seed); each epoch: record the loss, shuffle a list
    #       of indices, and for each slice of batch_size indices update w and b with
    #       gradient() on those days only.
    raise NotImplementedError("step 17: train_sgd()")
