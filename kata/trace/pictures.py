"""The pictures the tracer draws, as rich renderables: the parabola with its path, the loss over the iterations, the
park's days and the line, the loss over w, the step sizes.

Each picture keeps what it shows when it is made, and takes its width and its ASCII choice from the console's
options when it is rendered (`__rich_console__`), so the same run renders at 40, 80 or 120 columns, in colour
or without, in Unicode or in ASCII. Pictures draw from the run's kept rows and from the data: never by calling
the learner's code.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from kata.core.canvas import SPARKS_ASCII, SPARKS_UNICODE, Canvas, framed
from kata.core.registry import FACTS
from kata.trace.data import Dataset
from kata.trace.descent import Row, Run
from kata.trace.maths import total
from kata.trace.text import formula, num, phrases

MARKS = 2000  # data points marked on a picture at most: more only hide each other


def plot_width(width: int, most: int = 70) -> int:
    """Columns for a picture's plotting area in `width` columns, leaving room for its axis labels."""
    return max(12, min(width - 10, most))


class Picture:
    """A picture drawn when rendered: its plotting area as wide as the console's options leave beside the axis labels
    (at most `most` columns), in ASCII when the options say the console cannot show Unicode."""

    most = 70

    def draw(self, width: int, ascii: bool) -> Text:
        """The picture with a plotting area `width` columns wide."""
        raise NotImplementedError

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.draw(plot_width(options.max_width, self.most), options.ascii_only)


def parabola(x: float) -> float:
    """The story's curve, (x − 3)² + 2, drawn by the kata itself: the learner's f is traced, not drawn."""
    return (x - 3) ** 2 + 2


@dataclass
class ParabolaPicture(Picture):
    """The parabola, the path taken so far (up to step `upto`, kept when made), the current point and its tangent."""

    run: Run
    start: float
    upto: int | None = None
    rows: list[Row] = field(init=False)

    def __post_init__(self) -> None:
        run, upto = self.run, self.upto
        rows = [r for r in run.rows if upto is None or r.step <= upto]
        if upto and run.latest and run.latest.step == upto and (not rows or rows[-1].step != upto):
            rows.append(run.latest)
        # the path's ends hold its extremes; the middle has long settled or long blown up
        if len(rows) > 200:
            rows = rows[:100] + rows[-100:]
        self.rows = rows

    def draw(self, width: int, ascii: bool) -> Text:
        start = self.start
        xs = [start] + [
            r.new[0] for r in self.rows if math.isfinite(r.new[0]) and abs(r.new[0]) < 1e150
        ]
        low, high = min(xs + [3 - abs(start - 3), 0.0]), max(xs + [3 + abs(start - 3), 6.0])
        pad = (high - low) * 0.05
        low, high = low - pad, high + pad
        top = max(parabola(low), parabola(high))
        canvas = Canvas(width, max(6, min(12, width // 4)), (low, high), (0.0, top * 1.05), ascii)
        canvas.plot(parabola, ".", "blue")
        x = xs[-1]
        slope = 2 * (x - 3)  # the curve's own tangent where the walk stands
        reach = (high - low) * 0.15
        canvas.line(
            x - reach,
            parabola(x) - slope * reach,
            x + reach,
            parabola(x) + slope * reach,
            "-",
            "red",
            1,
            dashed=True,
        )
        for point in xs[:-1]:
            canvas.mark(point, parabola(point), "o" if ascii else "•", "yellow")
        canvas.mark(3, 2, "+" if ascii else "✚", "green")
        canvas.mark(x, parabola(x), "@" if ascii else "●", "bold red")
        picture = framed(canvas, "x", "f(x)")
        dot, here, cross = ("o", "@", "+") if ascii else ("•", "●", "✚")
        picture.append("\n")
        picture.append_text(
            phrases(
                [
                    f"{here} x = {num(x)}",
                    f"{dot} path",
                    f"- - tangent (slope {num(slope)})",
                    f"{cross} minimum (3, 2)",
                ],
                width + 8,
            )
        )
        return picture


@dataclass
class LossPicture(Picture):
    """The loss over the iterations on a log scale, from the kept rows, with a sparkline underneath."""

    run: Run
    floor: float = 0.0  # the smallest loss any line reaches: the sparkline shows the loss above it

    def draw(self, width: int, ascii: bool) -> Text:
        run = self.run
        points = [(0, run.start_loss)] + [(r.step, r.after) for r in run.rows]
        points = [(i, v) for i, v in points if math.isfinite(v) and v > 0]
        if len(points) < 2:
            return Text("")
        values = [v for _, v in points]
        canvas = Canvas(
            width,
            max(5, min(10, width // 6)),
            (0, points[-1][0]),
            (min(values), max(values)),
            ascii,
            log_y=True,
        )
        # a few points per dot column is all the eye can see
        span = points[-1][0] / (canvas.columns * 4)
        points = [
            p
            for i, p in enumerate(points)
            if i < 2
            or i == len(points) - 1
            or p[0] - points[i - 1][0] >= span
            or int(p[0] / span) != int(points[i - 1][0] / span)
        ]
        for (i0, v0), (i1, v1) in itertools.pairwise(points):
            canvas.line(i0, v0, i1, v1, "*", "magenta")
        picture = framed(
            canvas,
            "iteration",
            "loss over the iterations (log scale)" if width >= 36 else "loss (log scale)",
        )
        direction = "down" if values[-1] < values[0] else "up"
        # the words give the figures the sparkline draws: the loss above its floor where there is one
        above = [v - self.floor for v in values]
        label = "the loss above its floor" if self.floor else "the loss"
        picture.append("\n")
        picture.append_text(
            phrases(
                [
                    f"sparkline of {label}: {sparkline_of(values, width, ascii, self.floor)}",
                    f"from {num(above[0])} {direction} to {num(above[-1])}"
                    + (f" (the loss {num(values[0])} to {num(values[-1])})" if self.floor else ""),
                ],
                width + 8,
                "  ",
            )
        )
        return picture


# a sparkline spans at least this many powers of ten: a fall of 8% stays near the top
MIN_DECADES = 3.0


def sparkline_of(
    values: Sequence[float], width: int, ascii: bool = False, floor: float = 0.0
) -> str:
    """A log-scale sparkline of how far the values stand above `floor`, leaving room on its line for 30 characters
    of words. Its scale spans at least MIN_DECADES powers of ten down from the largest: a small fall looks small
    and a large one large, never both the same height."""
    heights = [v - floor for v in values if math.isfinite(v) and v - floor > 0]
    if not heights:
        return ""
    count = min(max(10, min(width, 90) - 30), len(heights))
    picked = [heights[min(int(i * len(heights) / count), len(heights) - 1)] for i in range(count)]
    logs = [math.log10(v) for v in picked]
    high = max(logs)
    low = min(min(logs), high - MIN_DECADES)
    bars = SPARKS_ASCII if ascii else SPARKS_UNICODE
    return "".join(bars[int((v - low) / ((high - low) or 1) * (len(bars) - 1))] for v in logs)


def ratio(first: float, last: float) -> str:
    """How a value changed, as a factor: '×0.92', '×1.5e-04'."""
    if not (first and math.isfinite(first) and math.isfinite(last)):
        return ""
    factor = last / first
    return f"×{factor:.2g}" if 1e-3 <= abs(factor) < 1e4 else f"×{factor:.1e}"


@dataclass
class Sparkline:
    """Words, then a sparkline of the values as long as the console's width leaves room for."""

    label: str
    values: Sequence[float]
    floor: float = 0.0

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield Text(
            self.label
            + sparkline_of(self.values, options.max_width, options.ascii_only, self.floor)
        )


@dataclass
class StepSizes:
    """A sparkline of |lr·f′(x)|: the steps shrinking as the slope flattens."""

    run: Run

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        sizes = [abs(r.change[0]) for r in self.run.rows if math.isfinite(r.change[0])]
        if not sizes or not any(sizes):
            yield Text("")
            return
        yield phrases(
            [
                f"step sizes: {sparkline_of(sizes, width, options.ascii_only)}",
                f"from {num(sizes[0])} to {num(sizes[-1])} ({ratio(sizes[0], sizes[-1])})",
            ],
            width,
            "  ",
        )


@dataclass
class WeightPicture(Picture):
    """The loss over the weight w with b = 0, as the article draws it before gradient descent."""

    data: Dataset

    def draw(self, width: int, ascii: bool) -> Text:
        data = self.data
        valley = data.valley

        def loss(w: float, b: float) -> float:
            return valley.loss((w, b))

        # the w with the smallest loss when b = 0: Σxy / Σx²
        best = total(x * y for x, y in zip(data.X, data.Y)) / total(x * x for x in data.X)
        span = 2.2 * abs(best) or 1.0
        low, high = min(0.0, best - span / 2), max(0.0, best + span / 2) if best < 0 else span
        canvas = Canvas(width, max(5, min(9, width // 6)), (low, high), (0.0, 1.0), ascii)
        ws = [low + (high - low) * i / canvas.columns for i in range(canvas.columns + 1)]
        values = [loss(w, 0.0) for w in ws]
        canvas.y_range = (0.0, max(values))
        for (w0, v0), (w1, v1) in zip(zip(ws, values), zip(ws[1:], values[1:])):
            canvas.line(w0, v0, w1, v1, ".", "blue")
        canvas.mark(best, loss(best, 0.0), "+" if ascii else "✚", "green")
        picture = framed(canvas, "w (b = 0)", "loss over w, with b = 0")
        picture.append(f"\n{'+' if ascii else '✚'} smallest loss at w = Σxy/Σx² = {best:.3f}")
        return picture


@dataclass
class ParkPicture(Picture):
    """The park's days as points (a sample of them, for large data) and the line w·x + b through them."""

    data: Dataset
    line: tuple[float, ...]
    final: bool = True

    def draw(self, width: int, ascii: bool) -> Text:
        data, final = self.data, self.final
        w, b = self.line
        xs_low, xs_high = min(data.X) - 2, max(data.X) + 4
        top = max(max(data.Y), w * xs_high + b if math.isfinite(w * xs_high + b) else 0) * 1.05
        canvas = Canvas(
            width,
            max(6, min(12, width // 4)),
            (xs_low, xs_high),
            (min(0.0, min(data.Y)), top),
            ascii,
        )
        canvas.line(
            xs_low,
            w * xs_low + b,
            xs_high,
            w * xs_high + b,
            "=" if final else "-",
            "green" if final else "red",
            1,
            dashed=not final,
        )
        stride = max(1, len(data.X) // MARKS)
        for x, y in zip(data.X[::stride], data.Y[::stride]):
            canvas.mark(x, y, "o" if ascii else "•", "yellow")
        if final:
            canvas.mark(
                FACTS.temperature, FACTS.temperature * w + b, "X" if ascii else "✖", "bold green"
            )
        picture = framed(canvas, "temperature °C", "visitors")
        kind = "line" if final else "- - line so far"
        parts = [f"{'o' if ascii else '•'} a day in {data.name}", f"{kind}: {formula(w, b)}"]
        if final:
            parts.append(
                f"{'X' if ascii else '✖'} {FACTS.temperature:g} °C: {FACTS.temperature * w + b:.0f}"
            )
        picture.append("\n")
        picture.append_text(phrases(parts, width + 8))
        return picture


def beside(left: Text, right: Text, gap: int) -> Text:
    """Two pictures side by side, line by line, the left one padded to its widest line."""
    a, b = left.split("\n"), right.split("\n")
    size = max(len(line) for line in a)
    out = Text()
    for i in range(max(len(a), len(b))):
        line = a[i].copy() if i < len(a) else Text()
        line.pad_right(size - len(line) + gap)
        if i < len(b):
            line.append_text(b[i])
        out.append_text(line)
        if i < max(len(a), len(b)) - 1:
            out.append("\n")
    return out


@dataclass
class Beside:
    """Two pictures side by side, each with half the width the console's options leave, `gap` columns apart."""

    left: Picture
    right: Picture
    gap: int = 4

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = plot_width(
            (options.max_width - self.gap) // 2, min(self.left.most, self.right.most)
        )
        ascii = options.ascii_only
        yield beside(self.left.draw(width, ascii), self.right.draw(width, ascii), self.gap)
