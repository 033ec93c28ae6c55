"""Reading the park's data (park.txt, or --data FILE) as untrusted input: a clear line for every way it can be wrong.

Regular files only, opened without blocking (a FIFO or a device is named, never waited on), bounded in bytes
and rows, every number checked; the file's name is shown with its control characters escaped.
"""

from __future__ import annotations

import math
import os
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path

from kata.core.registry import FACTS, ROOT
from kata.trace.maths import Unmeasurable, Valley

PARK = ROOT / FACTS.data
MAX_ROWS = 100_000  # days read from a data file: plenty for a lesson, and every picture stays quick
MAX_BYTES = 8 * 1024 * 1024  # a file larger than this is not a table of days
SNIFF = 8192  # bytes looked at first: a NUL among them means a binary file
KINDS = {
    stat.S_ISDIR: "a folder",
    stat.S_ISFIFO: "a FIFO (a named pipe)",
    stat.S_ISCHR: "a device",
    stat.S_ISBLK: "a device",
    stat.S_ISSOCK: "a socket",
}


class DataError(Exception):
    """A data file that cannot be used; the message is one line naming the file and the line."""


def escaped(text: str) -> str:
    """Text as it may reach a terminal: control characters (ESC, newlines…) shown as escapes, the rest as it is."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


@dataclass(frozen=True)
class Dataset:
    """The park's notes: temperatures X (°C) and visitors Y, whether the file had a header line, and its valley."""

    X: list[float]
    Y: list[float]
    path: Path
    header: bool = True
    valley: Valley = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        try:
            valley = Valley.of_data(self.X, self.Y)
        except Unmeasurable as problem:
            raise DataError(f"{self.shown}: {problem}.") from None
        object.__setattr__(self, "valley", valley)

    @property
    def name(self) -> str:
        """The file's name, safe to print."""
        return escaped(self.path.name)

    @property
    def shown(self) -> str:
        """The file's path as given, safe to print."""
        return escaped(str(self.path))


def read_bytes(path: Path) -> bytes:
    """The file's bytes: a regular file of at most MAX_BYTES, opened without blocking; DataError otherwise."""
    shown = escaped(str(path))
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise DataError(
            f"{shown}: no such file. Run from the kata's folder, or pass --data FILE."
        ) from None
    except IsADirectoryError:
        raise DataError(f"{shown}: is a folder, not a data file.") from None
    except (OSError, ValueError) as error:
        raise DataError(f"{shown}: cannot open it ({why(error)}).") from None
    try:
        mode = os.fstat(fd).st_mode
        kind = next((words for test, words in KINDS.items() if test(mode)), None)
        if kind or not stat.S_ISREG(mode):
            raise DataError(f"{shown}: is {kind or 'not a regular file'}, not a data file.")
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_BYTES:
            chunk = os.read(fd, min(1 << 20, MAX_BYTES + 1 - size))
            if not chunk:
                break
            if not chunks and b"\0" in chunk[:SNIFF]:
                raise DataError(f"{shown}: not a text file (it holds binary data).")
            chunks.append(chunk)
            size += len(chunk)
    except OSError as error:
        raise DataError(f"{shown}: cannot read it ({why(error)}).") from None
    finally:
        os.close(fd)
    if size > MAX_BYTES:
        raise DataError(
            f"{shown}: larger than {MAX_BYTES // (1024 * 1024)} MB; the tracer reads at most {MAX_ROWS} days."
        )
    return b"".join(chunks)


def why(error: BaseException) -> str:
    """An OSError's words, without its file name (the line names the file already)."""
    return getattr(error, "strerror", None) or str(error) or type(error).__name__


def numbers(line: str) -> list[float] | None:
    """The line's fields as numbers, or None when one of them is not a number."""
    try:
        return [float(field) for field in line.split()]
    except ValueError:
        return None


def read_park(path: Path = PARK) -> Dataset:
    """Read a file with a header line (or none: a first line of two numbers is a day) and rows of two numbers."""
    shown = escaped(str(path))
    try:
        text = read_bytes(path).decode("utf-8")
    except UnicodeDecodeError:
        raise DataError(f"{shown}: not a text file (it is not UTF-8).") from None
    lines = text.splitlines()
    if not text.strip():
        raise DataError(
            f"{shown}: the file is empty; it needs a header line, then rows of 'temperature visitors'."
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
                f"{shown}, line {number}: expected two columns (temperature visitors), found {len(fields)}: "
                f"{escaped(line.strip()[:60])!r}."
            )
        for text_field, column in zip(fields, (X, Y)):
            try:
                value = float(text_field)
            except ValueError:
                raise DataError(
                    f"{shown}, line {number}: {escaped(text_field[:30])!r} is not a number."
                ) from None
            if not math.isfinite(value):
                raise DataError(
                    f"{shown}, line {number}: {escaped(text_field[:30])!r} is not a finite number."
                )
            column.append(value)
        if len(X) > MAX_ROWS:
            raise DataError(
                f"{shown}: more than {MAX_ROWS} days; the tracer reads at most {MAX_ROWS}: use a smaller file."
            )
    if len(X) < 2:
        raise DataError(
            f"{shown}: it needs at least two rows of data after the header line, found {len(X)}."
        )
    low, high = min(X), max(X)
    # equal, or too close to tell apart in the sums
    if high - low <= 1e-9 * max(
        abs(low), abs(high)
    ):  # relative: 1.5e-149 and 3.1e-149 differ by 2×
        raise DataError(
            f"{shown}: every temperature is the same (or nearly: {low:g} to {high:g}), so no line can be fitted."
        )
    if (high - low) * (high - low) < sys.float_info.min:  # their spread squared is 0 to a float
        raise DataError(
            f"{shown}: the temperatures ({low:g} to {high:g}) lie too close to 0 for a float to square how far "
            "apart they are, so no line can be fitted: measure them in a larger unit."
        )
    return Dataset(X, Y, path, header)
