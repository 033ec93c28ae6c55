"""Step 7 · How wrong is the line?

Goal: the mean squared error of the predictions p against the labels y:
loss = mean((p − y)²), one number, smaller is better.
Rebuilds the article's "Loss Function" (MSE).
"""

from collections.abc import Sequence

from .step06_predict import predict  # your step 6


def loss(X: Sequence[float], Y: Sequence[float], w: float, b: float) -> float:
    """Return the mean of (prediction − label)² over all the data."""
    squares = [(p - y) ** 2 for p, y in zip(predict(X, w, b), Y)]
    return sum(squares) / len(squares)
