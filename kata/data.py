"""Reading park.txt with a clear word for every way it can be wrong, and the closed-form answers."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from .registry import ROOT

PARK = ROOT / "park.txt"


class DataError(Exception):
    """A data file that cannot be used; the message is one line naming the file and the line."""


@dataclass(frozen=True)
class Dataset:
    """The park's notes: temperatures X (°C) and visitors Y."""

    X: list[float]
    Y: list[float]
    path: Path


def read_park(path: Path = PARK) -> Dataset:
    """Read a file with one header line and rows of two numbers; raise DataError on any problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(f"{path}: no such file. Run from the kata's folder, or pass --data FILE.") from None
    except UnicodeDecodeError:
        raise DataError(f"{path}: not a text file (it is not UTF-8).") from None
    except OSError as error:
        raise DataError(f"{path}: cannot read it ({error.strerror}).") from None
    lines = text.splitlines()
    if not lines or not text.strip():
        raise DataError(f"{path}: the file is empty; it needs a header line, then rows of 'temperature visitors'.")
    X: list[float] = []
    Y: list[float] = []
    for number, line in enumerate(lines[1:], start=2):
        fields = line.split()
        if not fields:
            continue
        if len(fields) != 2:
            raise DataError(
                f"{path}, line {number}: expected two columns (temperature visitors), found {len(fields)}: {line.strip()!r}."
            )
        for field, column in zip(fields, (X, Y)):
            try:
                value = float(field)
            except ValueError:
                raise DataError(f"{path}, line {number}: {field!r} is not a number.") from None
            if not math.isfinite(value):
                raise DataError(f"{path}, line {number}: {field!r} is not a finite number.")
            column.append(value)
    if len(X) < 2:
        raise DataError(f"{path}: it needs at least two rows of data after the header line, found {len(X)}.")
    if len(set(X)) < 2:
        raise DataError(f"{path}: every temperature is the same, so no line can be fitted.")
    return Dataset(X, Y, path)


def least_squares(X: list[float], Y: list[float]) -> tuple[float, float]:
    """Return the best line (w, b) in closed form: the bottom of the loss surface."""
    n = len(X)
    mean_x, mean_y = math.fsum(X) / n, math.fsum(Y) / n
    w = math.fsum((x - mean_x) * (y - mean_y) for x, y in zip(X, Y)) / math.fsum((x - mean_x) ** 2 for x in X)
    return w, mean_y - w * mean_x


def safe_learning_rate(X: list[float]) -> float:
    """Return the largest stable lr for the mean squared error on X: 2 / the loss's largest curvature."""
    n = len(X)
    sxx, sx = math.fsum(x * x for x in X) / n, math.fsum(X) / n
    largest = (sxx + 1) + math.sqrt((sxx - 1) ** 2 + 4 * sx * sx)  # eigenvalue of 2·[[mean x², mean x], [mean x, 1]]
    return 2 / largest
