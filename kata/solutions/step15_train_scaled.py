"""Step 15 · Train on standardised temperatures, answer in °C.

Goal: standardise X (step 14), train on it with your train (step 9), then map the
line back: w·(x − mean)/spread + b is the line w/spread·x + (b − w·mean/spread).
Beyond the article: the same line as the closed form, in a handful of iterations.
"""

from collections.abc import Sequence

from .step09_train import train  # your step 9
from .step14_standardise import standardise  # your step 14


def train_scaled(
    X: Sequence[float], Y: Sequence[float], iterations: int, lr: float
) -> tuple[float, float, list[float]]:
    """Return (w, b, losses) in the original units, trained on standardised X."""
    scaled, mean, spread = standardise(X)
    w_scaled, b_scaled, losses = train(scaled, Y, iterations, lr)
    # multiply out w_scaled·(x − mean)/spread + b_scaled: the same predictions, per °C
    w = w_scaled / spread
    b = b_scaled - w_scaled * mean / spread
    return w, b, losses
