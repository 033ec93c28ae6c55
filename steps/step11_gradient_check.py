"""Step 11 · Is my gradient right? Ask the loss itself.

Goal: measure both slopes by nudging, with central differences of your loss:
∂loss/∂w ≈ (loss(w + h) − loss(w − h)) / 2h, and the same for b.
Beyond the article: checking the gradient, as cs231n does before trusting it.
"""

# New here, curvature: the slope says how fast the loss changes when you turn a knob;
# the curvature says how fast the slope itself changes, the slope of the slope. On the
# parabola of step 1 the slope 2·(x − 3) grows by 2 for each unit of x: a curvature of
# 2, the same everywhere. The park's loss curves by 2·mean(x²) = 1165 along w and by 2
# along b. A nudge to one side only is off by half the curvature times h; nudging both
# ways cancels that. The course notes of Stanford's cs231n ("Gradient checks", in Neural
# Networks part 3) check every gradient this way before trusting it: central
# differences, and the relative error to compare by (about 1e-7 or less: right; above
# 1e-2: wrong).

from collections.abc import Sequence

from .step07_loss import loss  # your step 7


# Keep this name and these arguments: the tests call numerical_gradient(X, Y, w, b, h).
def numerical_gradient(
    X: Sequence[float], Y: Sequence[float], w: float, b: float, h: float
) -> tuple[float, float]:
    """Return (∂loss/∂w, ∂loss/∂b) measured by central differences with a nudge h."""
    # TODO: with your loss() from step 7, nudge w up by h and down by h (b held still)
    #       and divide the change in the loss by the distance between the two nudges;
    #       then the same for b (w held still). Return the two slopes, w's first.
    raise NotImplementedError("step 11: numerical_gradient()")
