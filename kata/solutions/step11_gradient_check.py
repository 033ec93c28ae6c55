"""Step 11 · Is my gradient right? Ask the loss itself.

Goal: measure both slopes by nudging, with central differences of your loss:
∂loss/∂w ≈ (loss(w + h) − loss(w − h)) / 2h, and the same for b.
Beyond the article: checking the gradient, as cs231n does before trusting it.
"""

from collections.abc import Sequence

from .step07_loss import loss  # your step 7


def numerical_gradient(
    X: Sequence[float], Y: Sequence[float], w: float, b: float, h: float
) -> tuple[float, float]:
    """Return (∂loss/∂w, ∂loss/∂b) measured by central differences with a nudge h."""
    # nudge each knob both ways, the other one held still: the curvature's share cancels
    w_gradient = (loss(X, Y, w + h, b) - loss(X, Y, w - h, b)) / (2 * h)
    b_gradient = (loss(X, Y, w, b + h) - loss(X, Y, w, b - h)) / (2 * h)
    return w_gradient, b_gradient
