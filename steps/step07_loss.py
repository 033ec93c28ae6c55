"""Step 7 · How wrong is the line?

Goal: the mean squared error of the predictions p against the labels y:
loss = mean((p − y)²), one number, smaller is better.
Rebuilds the article's "Loss Function" (MSE).
"""

from collections.abc import Sequence

from .step06_predict import predict  # your step 6


# Keep this name and these arguments: the tests call loss(X, Y, w, b).
def loss(X: Sequence[float], Y: Sequence[float], w: float, b: float) -> float:
    """Return the mean of (prediction − label)² over all the data."""
    # TODO: for each day take the error p − y (your step 6's prediction minus the label)
    #       and square it; return the mean of those squares (divide by how many there
    #       are, not only the sum).
    raise NotImplementedError("step 7: loss()")
