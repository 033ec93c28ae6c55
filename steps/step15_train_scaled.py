"""Step 15 · Train on standardised temperatures, answer in °C.

Goal: standardise X (step 14), train on it with your train (step 9), then map the
line back: w·(x − mean)/spread + b is the line w/spread·x + (b − w·mean/spread).
Beyond the article: the same line as the closed form, in a handful of iterations.
"""

from collections.abc import Sequence

from .step09_train import train  # your step 9
from .step14_standardise import standardise  # your step 14


# Keep this name and these arguments: the tests call train_scaled(X, Y, iterations, lr).
def train_scaled(
    X: Sequence[float], Y: Sequence[float], iterations: int, lr: float
) -> tuple[float, float, list[float]]:
    """Return (w, b, losses) in the original units, trained on standardised X."""
    # TODO: standardise X with your step 14, train on the scaled values with your
    #       train() from step 9, then turn the line you get into one that reads °C (the
    #       formula above) and return it with the losses.
    raise NotImplementedError("step 15: train_scaled()")
