"""Charts of several series on one canvas (each with its own mark and a legend), and plain tables of numbers: what
the act II stories draw their figures with."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from kata.core.canvas import Canvas, framed
from kata.trace.pictures import Picture
from kata.trace.text import Symbol, phrases

# (unicode, ascii): one per curve, never colour alone
GLYPHS = (("·", "."), ("+", "+"), ("o", "o"), ("×", "x"), ("◆", "#"), ("*", "*"), ("▲", "^"))
STYLES = ("cyan", "yellow", "green", "red", "magenta", "blue", "white")


def glyph(i: int, ascii: bool) -> str:
    """The mark of the i-th curve."""
    return GLYPHS[i % len(GLYPHS)][1 if ascii else 0]


@dataclass
class Curves(Picture):
    """Several curves on one canvas, each drawn with its own character (and colour), with a legend; an optional wall
    (where, and the words for it in the legend)."""

    series: Sequence[tuple[str, Sequence[tuple[float, float]]]]
    title: str
    x_label: str
    log_y: bool = True
    log_x: bool = False
    wall: tuple[float, str] | None = None

    def draw(self, width: int, ascii: bool) -> Text:
        log_x, log_y, wall, title = self.log_x, self.log_y, self.wall, self.title

        def x_of(x: float) -> float:
            return math.log10(x) if log_x else x

        cleaned = [
            [
                (x_of(x), y)
                for x, y in points
                if x is not None
                and y is not None
                and math.isfinite(y)
                and (y > 0 or not log_y)
                and (x > 0 or not log_x)
            ]
            for _, points in self.series
        ]
        xs = [x for points in cleaned for x, _ in points] + ([x_of(wall[0])] if wall else [])
        ys = [y for points in cleaned for _, y in points]
        if len(ys) < 2:
            return Text("")
        low, high = min(ys), max(ys)
        if not log_y:
            pad = (high - low) * 0.05 or 1.0
            low, high = low - pad, high + pad
        canvas = Canvas(
            width,
            max(6, min(12, width // 5)),
            (min(xs), max(xs)),
            (low, high),
            ascii=True,
            log_y=log_y,
        )
        bar = "|" if ascii else "│"
        if wall:
            for row in range(canvas.height):
                fraction = (row + 0.5) / canvas.height
                value = (
                    10 ** (math.log10(high) - fraction * (math.log10(high) - math.log10(low)))
                    if log_y
                    else high - fraction * (high - low)
                )
                canvas.mark(x_of(wall[0]), value, bar, "dim")
        # the first curve drawn last: on top where they meet
        for i, points in reversed(list(enumerate(cleaned))):
            for x, y in sampled_line(points, canvas, log_y):
                canvas.mark(x, y, glyph(i, ascii), STYLES[i % len(STYLES)])
        picture = framed(
            canvas, self.x_label, title if len(title) <= width else title.split(" (")[0], ascii
        )
        picture.append("\n")
        legend = [f"{glyph(i, ascii)} {name}" for i, (name, _) in enumerate(self.series)] + (
            [f"{bar} {wall[1]}"] if wall else []
        )
        picture.append_text(phrases(legend, width + 8))
        return picture


def sampled_line(
    points: Sequence[tuple[float, float]], canvas: Canvas, log_y: bool
) -> list[tuple[float, float]]:
    """One point per column between a curve's neighbouring points (log-linear when log_y), so that it reads as a line."""
    low, high = canvas.x_range
    step = (high - low) / max(canvas.width, 1) or 1.0

    def level(y: float) -> float:
        return math.log10(y) if log_y else y

    rise = (level(canvas.y_range[1]) - level(canvas.y_range[0])) / max(canvas.height, 1) or 1.0
    out = list(points[:1])
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        # a cell per column and per row
        count = max(1, int(abs(x1 - x0) / step), int(abs(level(y1) - level(y0)) / rise))
        for k in range(1, count + 1):
            t = k / count
            y = (
                10 ** (math.log10(y0) + t * (math.log10(y1) - math.log10(y0)))
                if log_y
                else y0 + t * (y1 - y0)
            )
            out.append((x0 + t * (x1 - x0), y))
    return out


@dataclass
class NumberTable:
    """A plain table, right-aligned; where its columns do not fit the console's width, one block per row with every
    value beside its header. A header may be a symbol with its ASCII stand-in."""

    headers: Sequence[str | Symbol]
    rows: Sequence[Sequence[str]]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        ascii, rows = options.ascii_only, self.rows
        headers = [h if isinstance(h, str) else h[1 if ascii else 0] for h in self.headers]
        sizes = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
        # two spaces between columns, or one where that makes it fit
        gap = 2 if sum(sizes) + 2 * (len(sizes) - 1) <= options.max_width else 1
        if sum(sizes) + gap * (len(sizes) - 1) > options.max_width:
            blocks = []
            for row in rows:
                first = (
                    f"{headers[0]}: {row[0]}" if headers[0] else row[0]
                )  # as its lines below say it
                rest = [f"  {h}: {c}" for h, c in zip(headers[1:], row[1:]) if c]
                blocks.append("\n".join([first, *rest]))
            yield Text("\n".join(blocks))
            return
        space = " " * gap
        lines = [
            space.join(f"{h:>{s}}" for h, s in zip(headers, sizes)),
            space.join(("-" if ascii else "─") * s for s in sizes),
        ]
        lines += [space.join(f"{c:>{s}}" for c, s in zip(r, sizes)) for r in rows]
        yield Text("\n".join(lines))


def sci(value: float | None) -> str:
    """A small error or a large loss, briefly: 3.2e-07; 'overflow' when out of range."""
    if value is None or not math.isfinite(value):
        return "overflow"
    return "0" if value == 0 else f"{value:.1e}"
