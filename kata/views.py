"""What the tracer shows: the steps table, the pictures and the words, as rich renderables.

Every view takes the width it may use and whether to draw in ASCII, so the same
run renders at 40, 80 or 120 columns, in colour or without.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from rich import box
from rich.table import Table
from rich.text import Text

from .canvas import Canvas, framed, shade, sparkline
from .data import Dataset, least_squares, safe_learning_rate
from .descent import Row, Run

NARROW = 60  # below this many columns, tables drop the columns that the next row repeats


def num(value: float) -> str:
    """A number as a learner reads it: six significant digits, no noise."""
    if value == 0:
        return "0"
    return f"{value:.6g}"


def formula(w: float, b: float) -> str:
    """The line as a learner writes it: y = 23.79·x − 242.03."""
    return f"y = {num(w)}·x {'−' if b < 0 else '+'} {num(abs(b))}"


def pair(values: Sequence[float], names: Sequence[str]) -> str:
    """Stack named values one per line: 'w 23.79' over 'b -242'."""
    return "\n".join(f"{name} {num(v)}" for name, v in zip(names, values))


def steps_table(run: Run, rows: Sequence[Row], width: int, ascii: bool = False) -> Table:
    """A table with a row per shown step: where it started, the slope, lr·slope, where it landed, the loss."""
    one = run.story == "parabola"
    names = ("x",) if one else ("w", "b")
    narrow = width < NARROW
    table = Table(box=box.ASCII2 if ascii else box.SIMPLE_HEAD, padding=(0, 1), expand=False, pad_edge=False)
    table.add_column("step", justify="right", style="dim")
    table.add_column("x" if one else "w, b", justify="right")
    table.add_column("f′(x)" if one else "gradient", justify="right")
    if not narrow:
        table.add_column("lr·f′(x)" if one else "lr·gradient", justify="right")
        table.add_column("new x" if one else "new w, b", justify="right")
    table.add_column("f(x)" if one else "loss", justify="right", style="bold")
    slopes = ("",) if one else ("∂w", "∂b")
    for row in rows:
        cells = [str(row.step), pair(row.params, names) if not one else num(row.params[0])]
        cells.append(num(row.gradient[0]) if one else pair(row.gradient, slopes))
        if not narrow:
            cells.append(num(row.change[0]) if one else pair(row.change, slopes))
            cells.append(num(row.new[0]) if one else pair(row.new, names))
        cells.append(num(row.loss))
        table.add_row(*cells)
    return table


def sampling_note(run: Run, shown: Sequence[int], every: int, width: int) -> Text:
    """Say whether rows were left out, and how the shown ones were picked."""
    total = len(run.rows)
    if len(shown) == total:
        text = Text(f"All {total} steps shown.", "dim")
    else:
        how = f"every {every}th step" if every else "the first 10, then log-spaced"
        text = Text(f"Sampled: {len(shown)} of {total} steps shown ({how}, every notable event, and the last). "
                    "--every N or --sample N to change.", "dim")
    if width < NARROW:
        text.append(" Narrow screen: lr·gradient and new values hidden (the next row starts there).", "dim")
    return text


def events_line(run: Run) -> Text:
    """Name the notable events and their steps, or say there were none."""
    events = run.events.as_dict()
    if not events:
        return Text("Events: none (no overshoot, the loss fell at every step).", "dim")
    return Text("Events: " + ", ".join(f"{name} at step {step}" for name, step in events.items()) + ".")


def parabola_picture(run: Run, f: Callable[[float], float], start: float, width: int, ascii: bool = False, upto: int | None = None) -> Text:
    """The parabola, the path taken so far, the current point and its tangent."""
    rows = run.rows[:upto] if upto else run.rows
    if len(rows) > 200:  # the path's ends hold its extremes; the middle has long settled or long blown up
        rows = rows[:100] + rows[-100:]
    xs = [start] + [r.new[0] for r in rows if math.isfinite(r.new[0])]
    low, high = min(xs + [3 - abs(start - 3), 0.0]), max(xs + [3 + abs(start - 3), 6.0])
    pad = (high - low) * 0.05
    low, high = low - pad, high + pad
    top = max(f(low), f(high))
    canvas = Canvas(width, max(6, min(12, width // 4)), (low, high), (0.0, top * 1.05), ascii)
    canvas.plot(f, ".", "blue")
    x = xs[-1]
    h = 1e-6 * max(1.0, abs(x))
    slope = (f(x + h) - f(x - h)) / (2 * h)  # the tangent of the curve as drawn, wherever the walk stands
    reach = (high - low) * 0.15
    canvas.line(x - reach, f(x) - slope * reach, x + reach, f(x) + slope * reach, "-", "red", 1, dashed=True)
    for point in xs[:-1]:
        canvas.mark(point, f(point), "o" if ascii else "•", "yellow")
    canvas.mark(3, 2, "+" if ascii else "✚", "green")
    canvas.mark(x, f(x), "@" if ascii else "●", "bold red")
    picture = framed(canvas, "x", "f(x)")
    dot, here, cross = ("o", "@", "+") if ascii else ("•", "●", "✚")
    picture.append(f"\n{here} x = {num(x)}   {dot} path   - - tangent (slope {num(slope)})   {cross} minimum (3, 2)")
    return picture


def loss_picture(losses: Sequence[float], width: int, ascii: bool = False, title: str = "loss over the iterations") -> Text:
    """The loss over the iterations on a log scale, with a sparkline underneath."""
    values = [v for v in losses if math.isfinite(v) and v > 0]
    if len(values) < 2:
        return Text("")
    canvas = Canvas(width, max(5, min(10, width // 6)), (1, len(values)), (min(values), max(values)), ascii, log_y=True)
    stride = max(1, len(values) // (canvas.columns * 2))  # a few points per dot column is all the eye can see
    points = [(i + 1, values[i]) for i in range(0, len(values), stride)] + [(len(values), values[-1])]
    for (i0, v0), (i1, v1) in zip(points, points[1:]):
        canvas.line(i0, v0, i1, v1, "*", "magenta")
    picture = framed(canvas, "iteration", f"{title} (log scale)")
    direction = "down" if values[-1] < values[0] else "up"
    picture.append(f"\nsparkline: {sparkline_of(values, width, ascii)}  from {num(values[0])} {direction} to {num(values[-1])}")
    return picture


def sparkline_of(values: Sequence[float], width: int, ascii: bool = False) -> str:
    """A log-scale sparkline of the finite, positive values, leaving room on its line for 30 characters of words."""
    return sparkline(values, max(10, min(width, 90) - 30), ascii)


def step_sizes(run: Run, width: int, ascii: bool = False) -> Text:
    """A sparkline of |lr·f′(x)|: the steps shrinking as the slope flattens."""
    sizes = [abs(r.change[0]) for r in run.rows if math.isfinite(r.change[0])]
    if not sizes:
        return Text("")
    return Text(f"step sizes: {sparkline_of(sizes, width, ascii)}  from {num(sizes[0])} to {num(sizes[-1])}")


def weight_picture(data: Dataset, loss: Callable[..., float], width: int, ascii: bool = False) -> Text:
    """The loss over the weight w with b = 0, as the article draws it before gradient descent."""
    canvas_w = Canvas(width, max(5, min(9, width // 6)), (0.0, 30.0), (0.0, 1.0), ascii)
    ws = [30 * i / (canvas_w.columns) for i in range(canvas_w.columns + 1)]
    values = [loss(data.X, data.Y, w, 0.0) for w in ws]
    canvas_w.y_range = (0.0, max(values))
    for (w0, v0), (w1, v1) in zip(zip(ws, values), zip(ws[1:], values[1:])):
        canvas_w.line(w0, v0, w1, v1, ".", "blue")
    best = ws[values.index(min(values))]
    canvas_w.mark(best, min(values), "+" if ascii else "✚", "green")
    picture = framed(canvas_w, "w (b = 0)", "loss over the weight w, with b = 0")
    picture.append(f"\n{'+' if ascii else '✚'} smallest loss near w = {best:.1f}")
    return picture


def park_picture(data: Dataset, line: tuple[float, float], width: int, ascii: bool = False, final: bool = True) -> Text:
    """The park's days as points and the line w·x + b through them."""
    w, b = line
    xs_low, xs_high = min(data.X) - 2, max(data.X) + 4
    top = max(max(data.Y), w * xs_high + b if math.isfinite(w * xs_high + b) else 0) * 1.05
    canvas = Canvas(width, max(6, min(12, width // 4)), (xs_low, xs_high), (min(0.0, min(data.Y)), top), ascii)
    canvas.line(xs_low, w * xs_low + b, xs_high, w * xs_high + b, "=" if final else "-", "green" if final else "red", 1, dashed=not final)
    for x, y in zip(data.X, data.Y):
        canvas.mark(x, y, "o" if ascii else "•", "yellow")
    if final:
        canvas.mark(33, 33 * w + b, "X" if ascii else "✖", "bold green")
    picture = framed(canvas, "temperature °C", "visitors")
    kind = "the trained line" if final else "the line so far (dashed)"
    extra = f"   {'X' if ascii else '✖'} 33 °C: {33 * w + b:.0f}" if final else ""
    picture.append(f"\n{'o' if ascii else '•'} a day in park.txt   {kind}: {formula(w, b)}{extra}")
    return picture


def surface_picture(data: Dataset, loss: Callable[..., float], run: Run, width: int, ascii: bool = False) -> Text:
    """The loss over (w, b) as a shaded map, light where it is low, with the path and the minimum."""
    best = least_squares(data.X, data.Y)
    stride = max(1, len(run.rows) // 200)  # a few hundred points draw the path as well as twenty thousand
    picked = run.rows[::stride] + run.rows[-1:]
    path = [(0.0, 0.0)] + [r.new for r in picked if math.isfinite(r.new[0] + r.new[1])]
    ws = [p[0] for p in path] + [best[0]]
    bs = [p[1] for p in path] + [best[1]]
    w_pad, b_pad = (max(ws) - min(ws)) * 0.25 or 1.0, (max(bs) - min(bs)) * 0.25 or 1.0
    w_range, b_range = (min(ws) - w_pad, max(ws) + w_pad), (min(bs) - b_pad, max(bs) + b_pad)
    height = max(6, min(12, width // 4))
    grid = []
    for row in range(height):
        b = b_range[1] - (row + 0.5) * (b_range[1] - b_range[0]) / height
        grid.append([loss(data.X, data.Y, w_range[0] + (col + 0.5) * (w_range[1] - w_range[0]) / width, b) for col in range(width)])
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
    canvas.mark(0.0, 0.0, "S", "bold")
    picture = framed(canvas, "w", "the loss over (w, b): b up, w across; lighter is lower (log scale)", ascii)
    dot, here, cross = ("o", "@", "+") if ascii else ("•", "●", "✚")
    picture.append(f"\nS start (0, 0)   {dot} path   {here} end   {cross} best line (closed form)")
    return picture


def parabola_verdict(run: Run, start: float, ascii: bool = False) -> Text:
    """The end of the parabola story in words: where it got, how, or why it blew up."""
    text = Text()
    lr = run.lr
    if run.diverged:
        text.append(f"{'X' if ascii else '✗'} DIVERGED: ", "bold red")
        factor = abs(1 - 2 * lr)
        landed = "exactly as far away on the other side, bouncing back and forth forever" if factor == 1 else \
            "further away than it started"
        text.append(
            f"with lr = {num(lr)} every step jumped over the minimum and landed {landed} "
            f"(each step multiplies the distance to 3 by |1 − 2·lr| = {num(factor)}). "
            "The steps are too large: on this parabola lr must stay below 1; try --lr 0.1."
        )
        return text
    x = run.last[0] if run.rows else start
    text.append("OK " if ascii else "✓ ", "bold green")
    text.append(f"After {len(run.rows)} steps x = {num(x)}, f(x) = {num(run.final_loss)}: the minimum is x = 3, f(3) = 2. ")
    if run.events.crossings and run.events.crossings >= len(run.rows) - 1:
        text.append(
            f"With lr = {num(lr)} (above 0.5) each step overshot, landing on the other side of 3, and still "
            f"converged: every jump was shorter than the one before (|1 − 2·lr| = {num(abs(1 - 2 * lr))} < 1)."
        )
    elif run.rows:
        first, last = abs(run.rows[0].change[0]), abs(run.rows[-1].change[0])
        text.append(f"The steps shrank from {num(first)} to {num(last)} as the slope flattened.")
    return text


def park_verdict(run: Run, data: Dataset, ascii: bool = False) -> Text:
    """The end of the park story: the answer at 33 °C, or why the loss exploded."""
    text = Text()
    bound = safe_learning_rate(data.X)
    if run.diverged:
        at = run.events.exploded or run.events.non_finite or len(run.rows)
        text.append(f"{'X' if ascii else '✗'} DIVERGED: ", "bold red")
        text.append(
            f"the loss exploded at step {at}: with lr = {num(run.lr)} each step overshot the bottom of the loss "
            f"and landed higher up the other side. The steps are too large. For {data.path.name} lr must stay below "
            f"{bound:.5f} (2 divided by the loss's steepest curvature, from the data); the article's 0.001 is safe."
        )
        return text
    w, b = run.last if run.rows else (0.0, 0.0)
    best_w, best_b = least_squares(data.X, data.Y)
    text.append("OK " if ascii else "✓ ", "bold green")
    text.append(f"At 33 °C: about {33 * w + b:.0f} visitors ", "bold")
    text.append(f"(w = {w:.4f}, b = {b:.2f}, loss {num(run.final_loss)}).\n")
    text.append(
        f"Beyond the article: the closed-form least-squares line is w = {best_w:.4f}, b = {best_b:.2f}, "
        f"{33 * best_w + best_b:.0f} visitors at 33 °C. {len(run.rows)} steps got w within "
        f"{abs(w - best_w):.3g} and b within {abs(b - best_b):.3g}"
    )
    slow = abs(b - best_b) > 0.01 * abs(best_b)
    text.append(": b moves slowly, because the loss is far steeper along w than along b." if slow else ".")
    return text
