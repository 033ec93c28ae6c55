"""Step 4 · The descent.

Goal: take `iterations` steps from x and keep every position visited,
x included: a list of length iterations + 1 that ends near the minimum x = 3.
Rebuilds the article's "Gradient Descent" (the steps get smaller and smaller).
"""

from .step03_step import step  # your step 3


# Keep this name and these arguments: the tests call descend(x, lr, iterations).
def descend(x: float, lr: float, iterations: int) -> list[float]:
    """Return the positions visited, starting with x: iterations + 1 of them."""
    # TODO: keep a list that starts with x; then, `iterations` times, take one step from
    #       where you are now and add where it lands to the list. Return the list.
    raise NotImplementedError("step 4: descend()")
