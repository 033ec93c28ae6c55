"""Step 5 · The park's notes.

Goal: read park.txt into two lists of floats, X (temperature in °C) and
Y (visitors): one header line, then two columns split by spaces or tabs.
Rebuilds the article's "The Scenario" (numpy's loadtxt with skiprows=1, by hand).
"""

from pathlib import Path


# Keep this name and these arguments: the tests call load(path).
def load(path: str | Path) -> tuple[list[float], list[float]]:
    """Return (X, Y), the two columns of the file as lists of floats."""
    # TODO: read the file named by `path`; leave out its first line, the header; skip
    #       blank lines; cut each row into its two numbers and keep them as floats,
    #       temperatures in X and visitors in Y.
    raise NotImplementedError("step 5: load()")
