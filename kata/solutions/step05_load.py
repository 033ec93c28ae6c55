"""Step 5 · The park's notes.

Goal: read park.txt into two lists of floats, X (temperature in °C) and
Y (visitors): one header line, then two columns split by spaces or tabs.
Rebuilds the article's "The Scenario" (numpy's loadtxt with skiprows=1, by hand).
"""

from pathlib import Path


def load(path: str | Path) -> tuple[list[float], list[float]]:
    """Return (X, Y), the two columns of the file as lists of floats."""
    with open(path, encoding="utf-8") as file:
        # the first line names the columns; it holds no numbers
        rows = file.readlines()[1:]
    X, Y = [], []
    for row in rows:
        if row.strip():  # a blank line carries no day
            temperature, visitors = row.split()  # any run of spaces or tabs
            X.append(float(temperature))
            Y.append(float(visitors))
    return X, Y
