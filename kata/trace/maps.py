"""The loss over (w, b) as a map of contour lines, with the walks drawn on it: how the field draws a valley.

The loss of a line is exactly quadratic, so the map is drawn from the valley (kata/trace/maths.py), never by
calling the learner's code. Its contours are levels of the loss above its floor, each four times the next; where
both axes can share one unit (a round bowl, on standardised data) they do, so that a circle looks round, and
elsewhere the map says how many units a column and a row hold, so that a narrow valley is not mistaken for a
wide one.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text

from kata.core.canvas import Canvas, framed
from kata.trace.descent import gauge
from kata.trace.maths import Point, Valley, finite
from kata.trace.pictures import Picture
from kata.trace.protocol import Track
from kata.trace.text import num, phrases

LEVELS = 4.0  # each contour is this many times the loss above the floor of the next one in
ASPECT = 2.0  # a terminal's cell is about twice as tall as it is wide
PATHS = (("•", "o", "bold yellow"), ("×", "x", "bold cyan"))  # (Unicode, ASCII, style) of each walk


def near_start(path: Sequence[Point], best: Point) -> list[Point]:
    """A path up to where it got three times further from the bottom than it started: a map of a run-away is all sky."""
    finite_path = [p for p in path if finite(*p)]
    if not finite_path:
        return []
    reach = 3 * max(math.dist(finite_path[0], best), 1e-9)
    for i, p in enumerate(finite_path):
        if math.dist(p, best) > reach:
            return finite_path[: max(i, 2)]
    return finite_path


@dataclass
class ValleyMap(Picture):
    """Contours of a valley's loss over its two parameters, with up to two walks (a legend word each) on them."""

    valley: Valley
    walks: Sequence[tuple[str, Sequence[Point]]]
    title: str
    names: tuple[str, str] = ("w", "b")
    equal: bool = False  # one unit on both axes (only where the map stays readable: a round valley)
    most: int = 70

    @classmethod
    def of_walk(cls, valley: Valley, track: Track, title: str, legend: str = "path") -> ValleyMap:
        """The map of one walk's path."""
        return cls(valley, [(legend, [tuple(p) for p in track.path])], title)

    def shows_best(self) -> bool:
        """True when the minimum is on the map: unless showing it would squeeze the walks into a third of it (a
        walk that has not gone far: then the map is the walk's, and its legend says where the minimum lies)."""
        best = self.valley.best
        points = [p for _, path in self.walks for p in near_start(path, best)]
        if not points:
            return True
        for axis in (0, 1):
            values = [p[axis] for p in points]
            extent = max(values) - min(values)
            whole = max(*values, best[axis]) - min(*values, best[axis])
            if whole and extent < whole / 3:
                return False
        return True

    def ranges(self, width: int, height: int) -> tuple[tuple[float, float], tuple[float, float]]:
        """The w and b ranges: every walk's points (to three times the start's distance) and the minimum, padded;
        stretched to one unit per column and two per row when `equal`."""
        best = self.valley.best
        points = [p for _, path in self.walks for p in near_start(path, best)]
        points += [best] if self.shows_best() or not points else []
        ws, bs = [p[0] for p in points], [p[1] for p in points]
        w_pad = (max(ws) - min(ws)) * 0.15 or 1.0
        b_pad = (max(bs) - min(bs)) * 0.15 or 1.0
        w_range, b_range = (min(ws) - w_pad, max(ws) + w_pad), (min(bs) - b_pad, max(bs) + b_pad)
        if self.equal:
            per_column = max(
                (w_range[1] - w_range[0]) / width, (b_range[1] - b_range[0]) / (height * ASPECT)
            )
            w_mid, b_mid = sum(w_range) / 2, sum(b_range) / 2
            w_half, b_half = per_column * width / 2, per_column * height * ASPECT / 2
            w_range, b_range = (w_mid - w_half, w_mid + w_half), (b_mid - b_half, b_mid + b_half)
        return w_range, b_range

    def draw(self, width: int, ascii: bool) -> Text:
        valley = self.valley
        height = max(6, min(14, width // 4))
        w_range, b_range = self.ranges(width, height)
        canvas = Canvas(width, height, w_range, b_range, ascii=True)
        start_excess = max(
            (valley.excess(path[0]) for _, path in self.walks if path and finite(*path[0])),
            default=1.0,
        )
        top = start_excess if start_excess > 0 else 1.0

        measure = gauge(valley)  # the loss at a point, fast: a thousand cells

        def level(col: int, row: int) -> int:
            w = w_range[0] + (col + 0.5) * (w_range[1] - w_range[0]) / width
            b = b_range[1] - (row + 0.5) * (b_range[1] - b_range[0]) / height
            excess = measure((w, b))[1] - valley.floor
            if not excess > 0:
                return -9999
            ratio = excess / top
            return math.floor(math.log(ratio, LEVELS)) if 0 < ratio < math.inf else 9999

        levels = [[level(col, row) for col in range(width + 1)] for row in range(height + 1)]
        contour = "." if ascii else "·"
        for row in range(height):
            for col in range(width):
                here = levels[row][col]
                if here != levels[row][col + 1] or here != levels[row + 1][col]:
                    canvas.inks[(col, row)] = (0, contour, "dim")
        for i, (_, path) in enumerate(self.walks):
            unicode, plain, style = PATHS[i % len(PATHS)]
            shown = near_start(path, valley.best)
            for p, q in zip(shown, shown[1:]):
                canvas.line(p[0], p[1], q[0], q[1], plain if ascii else unicode, style, 1 + i)
        for _, path in self.walks:
            shown = near_start(path, valley.best)
            if shown:
                canvas.mark(shown[0][0], shown[0][1], "S", "bold")
                canvas.mark(shown[-1][0], shown[-1][1], "@" if ascii else "●", "bold red")
        canvas.mark(valley.best[0], valley.best[1], "+" if ascii else "✚", "bold green")
        picture = framed(canvas, self.names[0], self.title, ascii)
        picture.append("\n")
        per_column = (w_range[1] - w_range[0]) / width
        per_row = (b_range[1] - b_range[0]) / height
        w_name, b_name = self.names
        # every phrase short: two maps side by side share a line, and a phrase never breaks
        units = (
            [
                "equal units",
                f"a row: {per_row:.2g} in {b_name}",
                f"2 columns: {per_row:.2g} in {w_name}",
            ]
            if self.equal
            else [f"a column: {per_column:.2g} in {w_name}", f"a row: {per_row:.2g} in {b_name}"]
        )
        legend = [
            f"{b_name} up, {w_name} across",
            *units,
            f"{contour} contours: loss {LEVELS:g} times apart",
        ]
        legend += [
            f"{PATHS[i % len(PATHS)][1 if ascii else 0]} {name}"
            for i, (name, _) in enumerate(self.walks)
        ]
        legend += ["S start", f"{'@' if ascii else '●'} end"]
        best = self.valley.best
        legend += (
            [f"{'+' if ascii else '✚'} minimum (closed form)"]
            if self.shows_best()
            else [
                "the minimum, off the map:",
                f"{w_name} = {num(best[0])}, {b_name} = {num(best[1])}",
            ]
        )
        picture.append_text(phrases(legend, width + 8))
        return picture
