"""Step 11 · Is my gradient right? Ask the loss itself.

Goal: measure both slopes by nudging, with central differences of your loss:
∂loss/∂w ≈ (loss(w + h) − loss(w − h)) / 2h, and the same for b.
Beyond the article: checking the gradient, as cs231n does before trusting it.
"""

from collections.abc import Sequence

from .step07_loss import loss  # your step 7


# Keep this name and these arguments: the tests call numerical_gradient(X, Y, w, b, h).
def numerical_gradient(
    X: Sequence[float], Y: Sequence[float], w: float, b: float, h: float
) -> tuple[float, float]:
    """Return (∂loss/∂w, ∂loss/∂b) measured by central differences with a nudge h."""
    # TODO: return ((loss(X, Y, w + h, b) - loss(X, Y, w - h, b)) / (2 * h), the same
    #       with b ± h), using your loss() from step 7.
    raise NotImplementedError("step 11: numerical_gradient()")
