"""Step 16 · Momentum: a heavy ball rolls through the valley.

Goal: from w = b = 0, keep a velocity for each parameter, v = beta·v + gradient,
and step against it, w −= lr·v; record the loss before each update, as train does.
Beyond the article: the heavy-ball method ("Why Momentum Really Works").
"""

# New here, the heavy ball: gradient descent with a memory, a velocity that the slopes
# push on and the line rolls with. Gabriel Goh's "Why Momentum Really Works"
# (Distill, 2017) lets you drag the learning rate and beta on a narrow valley like the
# park's and watch the ball: it takes the valley one direction at a time, shows the ball
# swinging across the steep one, and why good momentum needs about the square root of
# the steps plain descent needs.

from collections.abc import Sequence

from .step07_loss import loss  # your step 7
from .step08_gradient import gradient  # your step 8


# Keep this name and these arguments: the tests call
# train_momentum(X, Y, iterations, lr, beta).
def train_momentum(
    X: Sequence[float], Y: Sequence[float], iterations: int, lr: float, beta: float
) -> tuple[float, float, list[float]]:
    """Return (w, b, losses) of heavy-ball descent, losses[i] before update i."""
    # TODO: as train, plus a velocity for w and one for b, 0 before the loop and kept
    #       from one iteration to the next: each iteration a velocity becomes beta times
    #       itself plus its slope, and its parameter moves against the velocity, by lr
    #       times it (downhill, as train moves against the slope).
    raise NotImplementedError("step 16: train_momentum()")
