"""What the tracer shows: the steps table, the pictures and the words, as rich renderables.

Each view keeps what it shows when it is made, and takes its width and its ASCII
choice from the console's options when it is rendered (`__rich_console__`), so the
same run renders at 40, 80 or 120 columns, in colour or without, in Unicode or in
ASCII. Views draw from the run's kept rows and from the data: never by calling the
learner's code.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text

from kata.core.canvas import Canvas, framed, shade, sparkline
from kata.core.registry import FACTS
from kata.trace.descent import Row, Run
from kata.trace.park import (
    Dataset,
    best_weight_without_bias,
    curvatures,
    least_squares,
    loss_surface,
    safe_learning_rate,
)

MARKS = 2000  # data points marked on a picture at most: more only hide each other


def num(value: float) -> str:
    """A number as a learner reads it: at most six significant digits and four decimals (0.0001, not 9.96921e-05)."""
    if value == 0:
        return "0"
    if not math.isfinite(value):
        return str(value)
    if abs(value) < 0.00005:  # would round to 0: say how small, briefly
        return f"{value:.1e}"
    if abs(value) >= 1e7:
        return f"{value:.4g}"
    digits = max(0, min(4, 5 - math.floor(math.log10(abs(value)))))
    text = f"{value:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def exact(value: float) -> str:
    """A setting or a factor as given, to six significant digits: lr = 0.00172 stays 0.00172."""
    return f"{value:.6g}"


def steps(count: int) -> str:
    """'1 step', '40 steps'."""
    return f"{count} step" if count == 1 else f"{count} steps"


def formula(w: float, b: float) -> str:
    """The line as a learner writes it: y = 23.79·x − 242.03."""
    return f"y = {num(w)}·x {'−' if b < 0 else '+'} {num(abs(b))}"


def join_words(items: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def phrases(parts: Sequence[str], width: int, separator: str = "   ", style: str = "") -> Text:
    """Lay phrases out in lines of at most `width` columns, breaking only between phrases."""
    lines: list[str] = []
    for part in parts:
        if lines and len(lines[-1]) + len(separator) + len(part) <= width:
            lines[-1] += separator + part
        else:
            lines.append(part)
    return Text("\n".join(lines), style)


def in_ascii(options: ConsoleOptions) -> ConsoleOptions:
    """Options as for a console that cannot show Unicode: rich's own renderables (rules, boxes) follow them too."""
    ascii = options.copy()
    ascii.encoding = "ascii"  # ascii_only is read from the encoding
    return ascii


class AsciiOnly:
    """A renderable drawn in ASCII whatever the console can show: what --ascii asks for."""

    def __init__(self, renderable: RenderableType) -> None:
        self.renderable = renderable

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from console.render(self.renderable, in_ascii(options))


@dataclass
class Phrases:
    """Phrases in lines as wide as the console's options allow, broken only between phrases."""

    parts: Sequence[str]
    separator: str = "   "
    style: str = ""

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield phrases(self.parts, options.max_width, self.separator, self.style)


Symbol = tuple[str, str]  # a symbol in Unicode and its ASCII stand-in
TICK: Symbol = ("✓ ", "OK ")
CROSS: Symbol = ("✗ ", "X ")
SWINGS: Symbol = ("↔ ", "<> ")


def mark(ok: bool) -> Symbol:
    """The verdict's symbol: a tick only for a run that went right on code that passes its tests."""
    return TICK if ok else CROSS


class Words:
    """Words for the screen whose symbols (✓ ✗ ↔) have ASCII stand-ins, picked from the console's options when
    rendered; built like a rich Text, one styled piece at a time."""

    def __init__(self, text: str = "", style: str = "") -> None:
        self.style = style
        self.pieces: list[tuple[str, str, str]] = []  # (Unicode, ASCII, style)
        self.append(text)

    def append(self, text: str, style: str = "") -> None:
        """Words in a style."""
        if text:
            self.pieces.append((text, text, style))

    def mark(self, symbol: Symbol, text: str = "", style: str = "") -> None:
        """A symbol and the words after it, in one style."""
        self.pieces.append((symbol[0] + text, symbol[1] + text, style))

    def text(self, ascii: bool) -> Text:
        """The words as a Text, with the symbols in ASCII or not."""
        out = Text(style=self.style)
        for unicode, plain, style in self.pieces:
            out.append(plain if ascii else unicode, style)
        return out

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.text(options.ascii_only)


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


def pair(values: Sequence[float], names: Sequence[str]) -> str:
    """Stack named values one per line: 'w 23.79' over 'b -242'."""
    return "\n".join(f"{name} {num(v)}" for name, v in zip(names, values))


def stacked(run: Run, rows: Sequence[Row]) -> Group:
    """One block per step, each value beside its name, for narrow screens: no column to lose its way in."""
    one = run.story == "parabola"
    names = ("x",) if one else ("w", "b")
    slopes = ("f′",) if one else ("∂w", "∂b")
    blocks: list[RenderableType] = []
    for row in rows:
        text = Text()
        text.append(f"step {row.step}", "dim")
        text.append(f" · {'f(new x)' if one else 'loss after'} {num(row.after)}", "bold")
        for name, slope, old, g, new in zip(names, slopes, row.params, row.gradient, row.new):
            text.append(f"\n  {name} {num(old)} → {num(new)}  ({slope} {num(g)})")
        blocks.append(text)
    return Group(*blocks)


@dataclass
class StepsTable:
    """A table with a row per shown step, or stacked blocks when the table would not fit the console's width."""

    run: Run
    rows: Sequence[Row]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        run, rows = self.run, self.rows
        one = run.story == "parabola"
        names = ("x",) if one else ("w", "b")
        slopes = ("",) if one else ("∂w", "∂b")
        headers = [
            "step",
            "x" if one else "w, b",
            "f′(x)" if one else "gradient",
            "lr·f′(x)" if one else "lr·gradient",
            "new x" if one else "new w, b",
            "f(new x)" if one else "loss after",
        ]
        cells = []
        for row in rows:
            cells.append(
                [
                    str(row.step),
                    num(row.params[0]) if one else pair(row.params, names),
                    num(row.gradient[0]) if one else pair(row.gradient, slopes),
                    num(row.change[0]) if one else pair(row.change, slopes),
                    num(row.new[0]) if one else pair(row.new, names),
                    num(row.after),
                ]
            )
        widths = [
            max([len(h)] + [max(len(line) for line in c[i].split("\n")) for c in cells])
            for i, h in enumerate(headers)
        ]
        if sum(widths) + len(widths) > options.max_width:
            yield stacked(run, rows)
            return
        table = Table(
            box=box.ASCII2 if options.ascii_only else box.SIMPLE_HEAD,
            padding=(0, 1),
            expand=False,
            pad_edge=False,
        )
        for i, header in enumerate(headers):
            table.add_column(
                header,
                justify="right",
                no_wrap=True,
                style="dim" if i == 0 else "bold" if i == 5 else "",
            )
        for row_cells in cells:
            table.add_row(*row_cells)
        yield table


def sampling_note(run: Run, shown: Sequence[int], every: int) -> Text:
    """Say whether rows were left out, and how the shown ones were picked; and which loss the last column holds."""
    total = run.count
    after = "The loss column is the loss after each step." if run.story == "park" else ""
    if len(shown) == total:
        return Text(f"All {total} steps shown. {after}".strip(), "dim")
    how = f"every {every}th step" if every else "the first 10, then log-spaced"
    return Text(
        f"Sampled: {len(shown)} of {total} steps shown ({how}, every notable event, and the last). "
        f"--every N or --sample N to change. {after}".strip(),
        "dim",
    )


def events_line(run: Run) -> Text:
    """Name the notable events and the step that caused each, or say there were none."""
    events = run.events.as_dict()
    if not events:
        return Text("Events: none (no overshoot, the loss never rose).", "dim")
    return Text(
        "Events (by the step that caused them): "
        + ", ".join(f"{name} at step {step}" for name, step in events.items())
        + "."
    )


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
        picture.append("\n")
        picture.append_text(
            phrases(
                [
                    f"sparkline: {sparkline_of(values, width, ascii)}",
                    f"from {num(values[0])} {direction} to {num(values[-1])}",
                ],
                width + 8,
                "  ",
            )
        )
        return picture


def sparkline_of(values: Sequence[float], width: int, ascii: bool = False) -> str:
    """A log-scale sparkline of the finite, positive values, leaving room on its line for 30 characters of words."""
    return sparkline(values, max(10, min(width, 90) - 30), ascii)


@dataclass
class Sparkline:
    """Words, then a sparkline of the values as long as the console's width leaves room for."""

    label: str
    values: Sequence[float]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield Text(self.label + sparkline_of(self.values, options.max_width, options.ascii_only))


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
                f"from {num(sizes[0])} to {num(sizes[-1])}",
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
        loss = loss_surface(data)
        best = best_weight_without_bias(data)
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
        parts = [f"{'o' if ascii else '•'} a day in {data.path.name}", f"{kind}: {formula(w, b)}"]
        if final:
            parts.append(
                f"{'X' if ascii else '✖'} {FACTS.temperature:g} °C: {FACTS.temperature * w + b:.0f}"
            )
        picture.append("\n")
        picture.append_text(phrases(parts, width + 8))
        return picture


@dataclass
class SurfaceMap(Picture):
    """A loss over (w, b) as a shaded map (log scale), with a path from S, its end and the minimum."""

    loss: Callable[[float, float], float]
    best: tuple[float, float]
    points: Sequence[Sequence[float]]
    title: str
    most: int = 70

    def draw(self, width: int, ascii: bool) -> Text:
        loss, best = self.loss, self.best
        path = [(p[0], p[1]) for p in self.points if math.isfinite(p[0] + p[1])] or [(0.0, 0.0)]
        ws = [p[0] for p in path] + [best[0]]
        bs = [p[1] for p in path] + [best[1]]
        w_pad, b_pad = (max(ws) - min(ws)) * 0.25 or 1.0, (max(bs) - min(bs)) * 0.25 or 1.0
        w_range, b_range = (min(ws) - w_pad, max(ws) + w_pad), (min(bs) - b_pad, max(bs) + b_pad)
        height = max(6, min(12, width // 4))
        grid = []
        for row in range(height):
            b = b_range[1] - (row + 0.5) * (b_range[1] - b_range[0]) / height
            grid.append(
                [
                    loss(w_range[0] + (col + 0.5) * (w_range[1] - w_range[0]) / width, b)
                    for col in range(width)
                ]
            )
        grid = [
            [v if math.isfinite(v) else 1e300 for v in line] for line in grid
        ]  # past float range: the darkest shade
        logs = [math.log10(max(v, 1e-300)) for line in grid for v in line]
        low, high = min(logs), max(logs)
        canvas = Canvas(width, height, w_range, b_range, ascii=True)
        for row, line in enumerate(grid):
            for col, value in enumerate(line):
                fraction = (math.log10(max(value, 1e-300)) - low) / ((high - low) or 1)
                canvas.inks[(col, row)] = (0, shade(fraction, ascii), "dim")
        for w, b in path[:: max(1, len(path) // 60)]:  # dots far enough apart to see the way
            canvas.mark(w, b, "o" if ascii else "•", "bold yellow")
        canvas.mark(*path[-1], "@" if ascii else "●", "bold red")
        canvas.mark(*best, "+" if ascii else "✚", "bold green")
        canvas.mark(*path[0], "S", "bold")
        picture = framed(canvas, "w", self.title, ascii)
        dot, here, cross = ("o", "@", "+") if ascii else ("•", "●", "✚")
        picture.append("\n")
        start = ", ".join(num(v) for v in path[0])
        picture.append_text(
            phrases(
                [
                    "b up, w across",
                    f"S start ({start})",
                    f"{dot} path",
                    f"{here} end",
                    f"{cross} best line (closed form)",
                ],
                width + 8,
            )
        )
        return picture


@dataclass
class SurfacePicture(Picture):
    """The park's loss over (w, b) as a shaded map, light where it is low, with the run's path and the minimum."""

    data: Dataset
    run: Run

    def draw(self, width: int, ascii: bool) -> Text:
        path = [(0.0, 0.0)] + [
            (r.new[0], r.new[1]) for r in self.run.rows if math.isfinite(r.new[0] + r.new[1])
        ]
        title = (
            "loss over (w, b), lighter is lower (log scale)" if width >= 46 else "loss over (w, b)"
        )
        data = self.data
        surface = SurfaceMap(loss_surface(data), least_squares(data.X, data.Y), path, title)
        return surface.draw(width, ascii)


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


def stopped(run: Run, text: Words) -> bool:
    """A run stopped before its end gets no verdict, only where it stood; True when so."""
    if not (run.stopped or run.interrupted) or not run.latest:
        return False
    where = ", ".join(
        f"{n} = {num(v)}"
        for n, v in zip(("x",) if run.story == "parabola" else ("w", "b"), run.last)
    )
    text.append(
        f"Stopped at step {run.count} of {run.iterations}: {where}, loss {num(run.final_loss)}. No verdict on a run cut short."
    )
    return True


def cause(run: Run, text: Words) -> bool:
    """Name a problem in the learner's code before any symptom; True when there was one."""
    failed = [said for ok, said in run.notes if not ok]
    if not (run.problems or run.red or failed):
        return False
    if failed and not (run.problems or run.red):
        text.mark(CROSS, "Your other steps part from this run: see the last lines.", "bold red")
    if run.problems:
        first = run.problems[0]
        text.mark(CROSS, first[0].upper() + first[1:] + ".", "bold red")
        for more in run.problems[1:]:
            text.append(f" Also: {more}.")
    if run.red:
        verb = "does" if len(run.red) == 1 else "do"
        said = (
            f"{join_words(run.red)} {verb} not pass {'its' if len(run.red) == 1 else 'their'} tests yet: "
            "run python -m kata to see which."
        )
        if run.problems:
            text.append("\n" + said, "bold")
        else:
            text.mark(CROSS, said, "bold red")
    text.append("\nWhat the run did with this code: ")
    return True


def parabola_verdict(run: Run, start: float) -> Words:
    """The end of the parabola story in words: the cause first, then where it got, how, or why it blew up."""
    text = Words()
    if stopped(run, text):
        return text
    blamed = cause(run, text)
    lr = run.lr
    if not run.latest:
        text.append("no step was taken.")
        return text
    rows = run.rows
    x0, x = start, run.last[0]
    curvature = next(
        (
            (r2.gradient[0] - r1.gradient[0]) / (r2.params[0] - r1.params[0])
            for r1, r2 in itertools.pairwise(rows)
            if r2.params[0] != r1.params[0] and math.isfinite(r2.gradient[0])
        ),
        2.0,
    )
    bound = 2 / curvature if curvature > 0 else math.inf
    if run.diverged:
        if not blamed:
            text.mark(CROSS)
        text.append("DIVERGED: ", "bold red")
        where = (
            f"the values went out of range at step {run.events.non_finite}"
            if run.events.non_finite
            else f"the loss exploded at step {run.events.exploded}"
            if run.events.exploded
            else f"the loss rose from {num(run.start_loss)} to {num(run.final_loss)}"
        )
        if blamed:
            text.append(f"{where}. Fix the code above first: the learning rate is not the cause.")
            return text
        factor = abs(1 - curvature * lr)
        text.append(
            f"{where}. With lr = {exact(lr)} every step jumped over the minimum and landed further away than it "
            f"started: each step multiplies the distance to 3 by |1 − {exact(curvature)}·lr| = {exact(factor)}. "
            f"The steps are too large: on this parabola lr must stay below 2/f″ = {num(bound)}; "
            f"try --lr {num(bound / 20) if lr != round(bound / 20, 6) else num(bound / 40)}."
        )
        return text
    first = rows[0]
    distance = abs(x - 3)
    if first.gradient[0] == 0 and first.new[0] == first.params[0]:
        if not blamed:
            text.mark(TICK)
        text.append(
            f"x = {num(x0)} is already the minimum: the slope there is 0, so no step moves it (f(x) = {num(run.final_loss)})."
        )
        return text
    oscillates = (
        run.events.crossings >= run.count - 1
        and run.count > 1
        and not rose(run, 1e-9)
        and abs(abs(x - 3) - abs(x0 - 3)) <= 1e-9 * abs(x0 - 3)
    )
    if not blamed:
        text.mark(SWINGS if oscillates else TICK)
    if abs(first.new[0] - 3) <= 1e-12 * max(1.0, abs(x0)):
        text.append(
            f"The first step landed exactly on the minimum x = 3: with lr = {exact(lr)} = 1/f″, lr·f′(x) is the whole "
            f"distance to 3. Every later step has slope 0 and stays. That is the parabola's best learning rate."
        )
        return text
    if oscillates:
        text.append(
            f"OSCILLATES: with lr = {exact(lr)} every step jumps exactly as far to the other side of 3, from "
            f"{num(x0)} to {num(6 - x0)} and back (|1 − {exact(curvature)}·lr| = 1): it neither gets closer nor further. "
            f"Below lr = {num(1 / curvature * 2)} the jumps shrink."
        )
        return text
    text.append(
        f"After {steps(run.count)} x = {num(x)}, f(x) = {num(run.final_loss)}: the minimum is x = 3, f(3) = 2. "
    )
    if run.events.crossings and run.events.crossings >= run.count - 1:
        text.append(
            f"With lr = {exact(lr)} (above 1/f″ = {exact(1 / curvature)}) each step overshot, landing on the other "
            f"side of 3, and still converged: every jump was shorter than the one before "
            f"(|1 − {exact(curvature)}·lr| = {exact(abs(1 - curvature * lr))} < 1)."
        )
    elif run.count > 1:
        sizes = [abs(r.change[0]) for r in rows if math.isfinite(r.change[0])]
        text.append(
            f"The steps shrank from {num(sizes[0])} to {num(sizes[-1])} as the slope flattened; "
            f"x is {num(distance)} from the minimum."
        )
    return text


def rose(run: Run, noise: float) -> bool:
    """True when the final loss is above the start by more than noise."""
    return run.final_loss - run.start_loss > noise * abs(run.start_loss)


def park_verdict(run: Run, data: Dataset) -> Words:
    """The end of the park story: the cause first, then the answer at 33 °C and why it is short, or why it blew up."""
    text = Words()
    if stopped(run, text):
        return text
    blamed = cause(run, text)
    bound = safe_learning_rate(data.X)
    steep, flat, (dw, db) = curvatures(data)
    name = data.path.name
    if not run.latest:
        text.append("no step was taken.")
        return text
    if run.diverged:
        at = run.events.exploded or run.events.non_finite
        where = (
            f"the loss exploded at step {at}"
            if at
            else f"the loss rose from {num(run.start_loss)} to {num(run.final_loss)}"
        )
        if not blamed:
            text.mark(CROSS)
        text.append("DIVERGED: ", "bold red")
        if blamed:
            text.append(f"{where}. Fix the code above first: the learning rate is not the cause.")
            return text
        safe = "below it" if run.lr < bound else f"try --lr {bound / 2:.2g}"
        text.append(
            f"{where}: with lr = {exact(run.lr)} each step overshot the bottom of the loss and landed higher up the "
            f"other side. The steps are too large: for {name} lr must stay below 2/{steep:.0f} = {bound:.5f} "
            f"(2 divided by the loss's steepest curvature, from the data); {safe}."
        )
        return text
    w, b = run.last
    best_w, best_b = least_squares(data.X, data.Y)
    if not blamed:
        text.mark(TICK)
    text.append(
        f"At {FACTS.temperature:g} °C: about {FACTS.temperature * w + b:.0f} {FACTS.unit} ", "bold"
    )
    text.append(f"(w = {w:.4f}, b = {b:.2f}, loss {num(run.final_loss)}).\n")
    low, high = min(data.X), max(data.X)
    outside = "lies outside" if not low <= FACTS.temperature <= high else "lies inside"
    text.append(
        f"The best line (closed form) says {FACTS.temperature * best_w + best_b:.0f}: {steps(run.count)} stopped "
        f"short of it (w = {best_w:.4f}, b = {best_b:.2f}). {FACTS.temperature:g} °C {outside} the days measured ({low:g}–{high:g} °C)"
        f"{': the line is stretched past the data' if outside == 'lies outside' else ''}.\n"
    )
    if blamed:  # the valley explains a right gradient's slow walk; with this code it would explain the wrong thing
        return text
    gap = (w - best_w, b - best_b)
    along = gap[0] * dw + gap[1] * db
    share = abs(along) / (math.hypot(*gap) or 1)
    factor = 1 - run.lr * flat
    text.append(
        f"Why: the loss is a long narrow valley. Across it the loss curves about {steep:.4g}, along its floor only "
        f"{flat:.2g} (a ratio near {float(format(steep / flat, '.3g')):.0f}). lr must stay below 2/{steep:.4g} = {bound:.5f} for the steep "
        f"walls, so each step closes only {run.lr * flat * 100:.2g}% of the gap along the floor"
        + (
            f" ({factor**run.count * 100:.0f}% of it is left after {steps(run.count)})"
            if 0 < factor < 1
            else ""
        )
        + f". The floor runs mostly along b ({abs(dw / db):.2g} in w for each 1 in b), and "
        f"{share * 100:.0f}% of the gap that is left lies along it: w and b are both still on their way."
    )
    return text


def notes(run: Run) -> list[RenderableType]:
    """The learner's other steps, checked against the run: one line each; no tick beside code that is wrong elsewhere."""
    agreed: Symbol = ("· ", "· ") if run.problems or run.red else TICK
    lines: list[RenderableType] = []
    for ok, said in run.notes:
        line = Words(style="" if ok else "bold")
        line.mark(agreed if ok else CROSS, said[0].upper() + said[1:])
        lines.append(line)
    return lines


@dataclass
class Printed:
    """What the learner's code printed while traced: the first few lines, cut to the console's width, and how much
    there was."""

    text: str
    total: int

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lines = self.text.splitlines()
        shown = [line[: options.max_width - 4] for line in lines[:5]]
        more = (
            f" (the first {len(shown)} lines of {self.total} bytes)"
            if self.total > len(self.text) or len(lines) > 5
            else ""
        )
        yield Text(f"Your code printed{more}:\n" + "\n".join("  " + line for line in shown), "dim")
