"""A small terminal canvas: lines in Unicode braille (or plain ASCII), marks on top, axes around.

Each layer has a glyph for ASCII and a style; marks are characters, so no picture
relies on colour alone.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from rich.text import Text

# braille dot bits by (column, row) inside a 2×4 cell
DOTS = {
    (0, 0): 0x01,
    (0, 1): 0x02,
    (0, 2): 0x04,
    (1, 0): 0x08,
    (1, 1): 0x10,
    (1, 2): 0x20,
    (0, 3): 0x40,
    (1, 3): 0x80,
}
SHADES_UNICODE = " ░▒▓█"
SHADES_ASCII = " .:-=+*#%@"
SPARKS_UNICODE = "▁▂▃▄▅▆▇█"
SPARKS_ASCII = "_.-~=+*#"


@dataclass
class Canvas:
    """A width × height character area that maps data coordinates onto dots or characters."""

    width: int
    height: int
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    ascii: bool = False
    log_y: bool = False
    dots: dict[tuple[int, int], int] = field(default_factory=dict)
    # cell → (priority, glyph, style)
    inks: dict[tuple[int, int], tuple[int, str, str]] = field(default_factory=dict)
    marks: dict[tuple[int, int], tuple[str, str]] = field(default_factory=dict)

    @property
    def columns(self) -> int:
        """Horizontal resolution in dots."""
        return self.width * (1 if self.ascii else 2)

    @property
    def rows(self) -> int:
        """Vertical resolution in dots."""
        return self.height * (1 if self.ascii else 4)

    def _y(self, y: float) -> float:
        low, high = self.y_range
        if self.log_y:
            y, low, high = (math.log10(max(v, 1e-300)) for v in (y, low, high))
        return (y - low) / ((high - low) or 1.0)

    def _pixel(self, x: float, y: float) -> tuple[float, float]:
        """Where a data point falls, in dots from the top left; may lie outside the canvas."""
        low, high = self.x_range
        return (x - low) / ((high - low) or 1.0) * self.columns, (1 - self._y(y)) * self.rows

    def _inside(self, px: float, py: float) -> tuple[int, int] | None:
        if not (math.isfinite(px) and math.isfinite(py)) or not (
            -1e-6 <= px <= self.columns + 1e-6 and -1e-6 <= py <= self.rows + 1e-6
        ):
            return None
        return min(int(px), self.columns - 1), min(int(py), self.rows - 1)

    def to_dot(self, x: float, y: float) -> tuple[int, int] | None:
        """Return the dot for a data point, or None when it lies outside the canvas."""
        if not (math.isfinite(x) and math.isfinite(y)):
            return None
        return self._inside(*self._pixel(x, y))

    def _ink(self, dot: tuple[int, int], glyph: str, style: str, priority: int) -> None:
        dx, dy = dot
        cell = (dx // 2, dy // 4) if not self.ascii else dot
        if not self.ascii:
            self.dots[cell] = self.dots.get(cell, 0) | DOTS[(dx % 2, dy % 4)]
        if priority >= self.inks.get(cell, (-1, "", ""))[0]:
            self.inks[cell] = (priority, glyph, style)

    def line(
        self,
        x0: float,
        y0: float,
        x1: float,
        y1: float,
        glyph: str = ".",
        style: str = "",
        priority: int = 0,
        dashed: bool = False,
    ) -> None:
        """Draw a straight line between two data points (clipped to the canvas); dashed lines skip every other run."""
        if not all(math.isfinite(v) for v in (x0, y0, x1, y1)):
            return
        (p0, q0), (p1, q1) = self._pixel(x0, y0), self._pixel(x1, y1)
        steps = int(min(max(abs(p1 - p0), abs(q1 - q0)) * 2, 8 * (self.columns + self.rows))) + 1
        for i in range(steps + 1):
            if dashed and (i * 8 // steps) % 2:
                continue
            t = i / steps
            dot = self._inside(p0 + (p1 - p0) * t, q0 + (q1 - q0) * t)
            if dot:
                self._ink(dot, glyph, style, priority)

    def plot(
        self,
        function: Callable[[float], float],
        glyph: str = ".",
        style: str = "",
        priority: int = 0,
    ) -> None:
        """Draw y = function(x) across the canvas, joining neighbouring columns."""
        low, high = self.x_range
        xs = [low + (high - low) * i / (self.columns * 2) for i in range(self.columns * 2 + 1)]
        for a, b in zip(xs, xs[1:]):
            self.line(a, function(a), b, function(b), glyph, style, priority)

    def mark(self, x: float, y: float, glyph: str, style: str = "") -> None:
        """Put a character on the cell holding a data point: it shows above every line."""
        dot = self.to_dot(x, y)
        if dot:
            self.marks[(dot[0] // 2, dot[1] // 4) if not self.ascii else dot] = (glyph, style)

    def lines(self) -> list[Text]:
        """Render the canvas as one Text per row."""
        rendered = []
        for cy in range(self.height):
            text = Text()
            for cx in range(self.width):
                if (cx, cy) in self.marks:
                    glyph, style = self.marks[(cx, cy)]
                elif (cx, cy) in self.inks:
                    _, glyph, style = self.inks[(cx, cy)]
                    if not self.ascii:
                        glyph = chr(0x2800 + self.dots[(cx, cy)])
                else:
                    glyph, style = " ", ""
                text.append(glyph, style)
            rendered.append(text)
        return rendered


def number(value: float) -> str:
    """A short label for an axis."""
    return f"{value:.3g}"


def framed(canvas: Canvas, x_label: str = "", y_label: str = "", ascii: bool | None = None) -> Text:
    """Put a canvas inside axes with its ranges written at the ends."""
    top, bottom = number(canvas.y_range[1]), number(canvas.y_range[0])
    pad = max(len(top), len(bottom))
    bar, corner, rule = (
        ("|", "+", "-") if (canvas.ascii if ascii is None else ascii) else ("│", "└", "─")
    )
    text = Text()
    if y_label:
        text.append(f"{'':>{pad}} {y_label}\n", "dim")
    for i, row in enumerate(canvas.lines()):
        label = top if i == 0 else bottom if i == canvas.height - 1 else ""
        text.append(f"{label:>{pad}}{bar}", "dim")
        text.append_text(row)
        text.append("\n")
    text.append(f"{'':>{pad}}{corner}{rule * canvas.width}\n", "dim")
    left, right = number(canvas.x_range[0]), number(canvas.x_range[1])
    middle = f" {x_label} " if x_label else ""
    gap = max(canvas.width - len(left) - len(right) - len(middle), 1)
    text.append(f"{'':>{pad}} {left}{middle:^{gap}}{right}", "dim")
    return text


def sparkline(values: Sequence[float], width: int, ascii: bool = False, log: bool = True) -> str:
    """Squeeze a series into `width` characters of rising bars (log scale by default)."""
    finite = [v for v in values if math.isfinite(v) and (v > 0 or not log)]
    if not finite:
        return ""
    bars = SPARKS_ASCII if ascii else SPARKS_UNICODE
    count = min(width, len(finite))
    picked = [finite[min(int(i * len(finite) / count), len(finite) - 1)] for i in range(count)]
    scaled = [math.log10(v) for v in picked] if log else picked
    low, high = min(scaled), max(scaled)
    return "".join(bars[int((v - low) / ((high - low) or 1) * (len(bars) - 1))] for v in scaled)


def bar(done: int, total: int, width: int, ascii: bool = False) -> str:
    """A progress bar made of characters, so it reads without colour: [███░░░░░░░]."""
    filled = int(width * done / max(total, 1))
    full, empty = ("#", ".") if ascii else ("█", "░")
    return f"[{full * filled}{empty * (width - filled)}]"


def shade(fraction: float, ascii: bool = False) -> str:
    """A character from light to dark for a value between 0 and 1."""
    shades = SHADES_ASCII if ascii else SHADES_UNICODE
    return shades[min(max(int(fraction * len(shades)), 0), len(shades) - 1)]
