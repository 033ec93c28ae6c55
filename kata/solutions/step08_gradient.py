"""Step 8 · Two slopes at once.

Goal: the gradient of the loss, one partial derivative per parameter:
∂loss/∂w = 2·mean((p − y)·x) and ∂loss/∂b = 2·mean(p − y).
Rebuilds the article's "Gradient › Two parameters".
"""

from collections.abc import Sequence

from .step06_predict import predict  # your step 6


def gradient(
    X: Sequence[float], Y: Sequence[float], w: float, b: float
) -> tuple[float, float]:
    """Return (∂loss/∂w, ∂loss/∂b) at the line (w, b)."""
    errors = [p - y for p, y in zip(predict(X, w, b), Y)]
    w_gradient = 2 * sum(e * x for e, x in zip(errors, X)) / len(X)
    b_gradient = 2 * sum(errors) / len(X)
    return w_gradient, b_gradient
