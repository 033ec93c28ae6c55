"""Reading park.txt with a clear word for every way it can be wrong, and the closed-form answers."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kata.core.registry import ROOT

PARK = ROOT / "park.txt"


class DataError(Exception):
    """A data file that cannot be used; the message is one line naming the file and the line."""


MAX_ROWS = 100_000  # days read from a data file: plenty for a lesson, and every picture stays quick
MAX_BYTES = 8 * 1024 * 1024  # a file larger than this is not a table of days (or is /dev/zero)
SNIFF = 8192  # bytes looked at first: a NUL among them means a binary file


@dataclass(frozen=True)
class Dataset:
    """The park's notes: temperatures X (°C) and visitors Y, and whether the file had a header line."""

    X: list[float]
    Y: list[float]
    path: Path
    header: bool = True

    def moments(self) -> tuple[float, float, float, float]:
        """Mean x, mean x², mean y and mean x·y: all the loss surface depends on, besides its floor."""
        n = len(self.X)
        return (
            math.fsum(self.X) / n,
            math.fsum(x * x for x in self.X) / n,
            math.fsum(self.Y) / n,
            math.fsum(x * y for x, y in zip(self.X, self.Y)) / n,
        )


def numbers(line: str) -> list[float] | None:
    """The line's fields as numbers, or None when one of them is not a number."""
    try:
        return [float(field) for field in line.split()]
    except ValueError:
        return None


def read_text(path: Path) -> str:
    """The file's text, refusing binary and oversized files before reading them whole."""
    try:
        with open(path, "rb") as file:
            head = file.read(SNIFF)
            if b"\0" in head:
                raise DataError(f"{path}: not a text file (it holds binary data).")
            rest = file.read(MAX_BYTES + 1 - len(head))
    except FileNotFoundError:
        raise DataError(
            f"{path}: no such file. Run from the kata's folder, or pass --data FILE."
        ) from None
    except IsADirectoryError:
        raise DataError(f"{path}: is a folder, not a data file.") from None
    except OSError as error:
        raise DataError(f"{path}: cannot read it ({error.strerror}).") from None
    if len(head) + len(rest) > MAX_BYTES:
        raise DataError(
            f"{path}: larger than {MAX_BYTES // (1024 * 1024)} MB; the tracer reads at most {MAX_ROWS} days."
        )
    try:
        return (head + rest).decode("utf-8")
    except UnicodeDecodeError:
        raise DataError(f"{path}: not a text file (it is not UTF-8).") from None


def read_park(path: Path = PARK) -> Dataset:
    """Read a file with a header line (or none: a first line of two numbers is a day) and rows of two numbers."""
    text = read_text(path)
    lines = text.splitlines()
    if not lines or not text.strip():
        raise DataError(
            f"{path}: the file is empty; it needs a header line, then rows of 'temperature visitors'."
        )
    first = numbers(lines[0])
    # a first line of two numbers is a day, not a header
    header = not (first is not None and len(first) == 2)
    X: list[float] = []
    Y: list[float] = []
    for number, line in enumerate(lines[1:] if header else lines, start=2 if header else 1):
        fields = line.split()
        if not fields:
            continue
        if len(fields) != 2:
            raise DataError(
                f"{path}, line {number}: expected two columns (temperature visitors), found {len(fields)}: {line.strip()[:60]!r}."
            )
        for field, column in zip(fields, (X, Y)):
            try:
                value = float(field)
            except ValueError:
                raise DataError(f"{path}, line {number}: {field[:30]!r} is not a number.") from None
            if not math.isfinite(value) or abs(value) > 1e100:
                raise DataError(
                    f"{path}, line {number}: {field[:30]!r} is not a finite number of a sensible size."
                )
            column.append(value)
        if len(X) > MAX_ROWS:
            raise DataError(
                f"{path}: more than {MAX_ROWS} days; the tracer reads at most {MAX_ROWS}: use a smaller file."
            )
    if len(X) < 2:
        raise DataError(
            f"{path}: it needs at least two rows of data after the header line, found {len(X)}."
        )
    low, high = min(X), max(X)
    # equal, or too close to tell apart in the sums
    if high - low <= 1e-9 * max(1.0, abs(low), abs(high)):
        raise DataError(
            f"{path}: every temperature is the same (or nearly: {low:g} to {high:g}), so no line can be fitted."
        )
    return Dataset(X, Y, path, header)


def least_squares(X: list[float], Y: list[float]) -> tuple[float, float]:
    """Return the best line (w, b) in closed form: the bottom of the loss surface."""
    n = len(X)
    mean_x, mean_y = math.fsum(X) / n, math.fsum(Y) / n
    w = math.fsum((x - mean_x) * (y - mean_y) for x, y in zip(X, Y)) / math.fsum(
        (x - mean_x) ** 2 for x in X
    )
    return w, mean_y - w * mean_x


def safe_learning_rate(X: list[float]) -> float:
    """Return the largest stable lr for the mean squared error on X: 2 / the loss's largest curvature."""
    n = len(X)
    sxx, sx = math.fsum(x * x for x in X) / n, math.fsum(X) / n
    # eigenvalue of 2·[[mean x², mean x], [mean x, 1]]
    largest = (sxx + 1) + math.sqrt((sxx - 1) ** 2 + 4 * sx * sx)
    return 2 / largest


def floor_loss(data: Dataset) -> float:
    """The smallest loss any line reaches on the data: the closed-form line's."""
    w, b = least_squares(data.X, data.Y)
    return math.fsum((w * x + b - y) ** 2 for x, y in zip(data.X, data.Y)) / len(data.X)


def loss_surface(data: Dataset) -> Callable[[float, float], float]:
    """The mean squared error as a function of (w, b), from the moments: no pass over the rows per call."""
    mean_x, mean_xx, _, _ = data.moments()
    best_w, best_b = least_squares(data.X, data.Y)
    floor = floor_loss(data)

    def loss(w: float, b: float) -> float:
        dw, db = w - best_w, b - best_b
        return floor + mean_xx * dw * dw + 2 * mean_x * dw * db + db * db

    return loss


def curvatures(data: Dataset) -> tuple[float, float, tuple[float, float]]:
    """The loss's curvature across its valley and along its floor, and the floor's direction (w, b), from the data."""
    mean_x, mean_xx, _, _ = data.moments()
    a, c, off = (
        2 * mean_xx,
        2.0,
        2 * mean_x,
    )  # the loss's second derivatives: ∂²/∂w², ∂²/∂b², ∂²/∂w∂b
    middle, spread = (a + c) / 2, math.hypot((a - c) / 2, off)
    steep, flat = middle + spread, middle - spread
    direction = (-off, a - flat)  # (H − flat·I) v = 0, solved from its first row
    size = math.hypot(*direction)
    return steep, flat, (direction[0] / size, direction[1] / size)


def best_weight_without_bias(data: Dataset) -> float:
    """The w with the smallest loss when b = 0: Σxy / Σx²."""
    return math.fsum(x * y for x, y in zip(data.X, data.Y)) / math.fsum(x * x for x in data.X)
