"""Step 17 · Mini-batches: many small steps per pass over the data.

Goal: each epoch, shuffle the days with a random.Random made from seed, cut them
into batches of batch_size (the last may be smaller), and update w and b once per
batch with the gradient on that batch alone. Record the full loss before each epoch.
Beyond the article: stochastic gradient descent, as fast.ai builds it from scratch.
"""

# New here, mini-batches: with millions of days, one step per pass over all of them is
# too slow, so each step looks at a few days only. fast.ai's course book (Practical Deep
# Learning for Coders, chapter 4, "Under the Hood: Training a Digit Classifier") builds
# this same loop from scratch on images of handwritten digits: initialise, predict,
# loss, gradient, step, repeat, with mini-batches from a data loader that shuffles each
# epoch.

import random
from collections.abc import Sequence

from .step07_loss import loss  # your step 7
from .step08_gradient import gradient  # your step 8


# Keep this name and these arguments: the tests call
# train_sgd(X, Y, epochs, lr, batch_size, seed).
def train_sgd(
    X: Sequence[float],
    Y: Sequence[float],
    epochs: int,
    lr: float,
    batch_size: int,
    seed: int,
) -> tuple[float, float, list[float]]:
    """Return (w, b, losses); losses[i] is the loss on all the data before epoch i."""
    # TODO: make one generator of your own from `seed`, before the loop. Each epoch:
    #       record the loss on all the days, shuffle a list of the days' indices, cut it
    #       into batches of batch_size (the last may be smaller), and for each batch
    #       update w and b once, with your gradient() on that batch's days only.
    raise NotImplementedError("step 17: train_sgd()")
