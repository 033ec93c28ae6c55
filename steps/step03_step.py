"""Step 3 · One step downhill.

Goal: one gradient step, x − lr·f′(x): the gradient step lr·f′(x) is taken
against the slope, so a positive slope moves x to the left.
Rebuilds the article's "Gradient Descent" (learning rate and gradient step).
"""

from .step02_gradient import gradient  # your step 2


# Keep this name and these arguments: the tests call step(x, lr).
def step(x: float, lr: float) -> float:
    """Return the new x after one gradient step with learning rate lr."""
    # TODO: move x against the slope: work out the gradient step, lr times the slope
    #       your gradient() from step 2 gives at x, and take it away from x.
    raise NotImplementedError("step 3: step()")
