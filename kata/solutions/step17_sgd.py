"""Step 17 · Mini-batches: many small steps per pass over the data.

Goal: each epoch, shuffle the days with a random.Random made from seed, cut them
into batches of batch_size (the last may be smaller), and update w and b once per
batch with the gradient on that batch alone. Record the full loss before each epoch.
Beyond the article: stochastic gradient descent, as fast.ai builds it from scratch.
"""

import random
from collections.abc import Sequence

from .step07_loss import loss  # your step 7
from .step08_gradient import gradient  # your step 8


def train_sgd(
    X: Sequence[float],
    Y: Sequence[float],
    epochs: int,
    lr: float,
    batch_size: int,
    seed: int,
) -> tuple[float, float, list[float]]:
    """Return (w, b, losses); losses[i] is the loss on all the data before epoch i."""
    # a generator of its own: the same seed, the same batches
    shuffler = random.Random(seed)
    order = list(range(len(X)))
    w = b = 0.0
    losses = []
    for _ in range(epochs):
        losses.append(loss(X, Y, w, b))
        shuffler.shuffle(order)  # indices, so that each x stays with its y
        for start in range(0, len(order), batch_size):
            batch = order[start : start + batch_size]
            X_batch, Y_batch = [X[i] for i in batch], [Y[i] for i in batch]
            w_gradient, b_gradient = gradient(X_batch, Y_batch, w, b)
            w -= lr * w_gradient
            b -= lr * b_gradient
    return w, b, losses
