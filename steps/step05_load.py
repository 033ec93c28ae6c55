"""Step 5 · The park's notes.

Goal: read park.txt into two lists of floats, X (temperature in °C) and
Y (visitors): one header line, then two columns split by spaces or tabs.
Rebuilds the article's "The Scenario" (np.loadtxt(..., skiprows=1), by hand).
"""

from pathlib import Path


# Keep this name and these arguments: the tests call load(path).
def load(path: str | Path) -> tuple[list[float], list[float]]:
    """Return (X, Y), the two columns of the file as lists of floats."""
    # TODO: skip blank lines, then the header (the first line left); split each row in
    #       two, turn both into floats.
    raise NotImplementedError("step 5: load()")
