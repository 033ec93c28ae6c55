"""The steps table of a streamed story: a row per shown step, or a block per step on a narrow screen; and the
notes under it (how the rows were picked, and what happened)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.text import Text

from kata.trace.descent import Row, Run
from kata.trace.text import num


def pair(values: Sequence[float], names: Sequence[str]) -> str:
    """Stack named values one per line: 'w 23.79' over 'b -242'."""
    return "\n".join(f"{name} {num(v)}" for name, v in zip(names, values))


def stacked(run: Run, rows: Sequence[Row]) -> Group:
    """One block per step, each value beside its name, for narrow screens: no column to lose its way in."""
    one, names = run.one, run.names
    slopes = ("f′",) if one else tuple(f"∂{n}" for n in names)
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
        one, names = run.one, run.names
        slopes = ("",) if one else tuple(f"∂{n}" for n in names)
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
        # a space at each edge, three between columns (rich's SIMPLE_HEAD and ASCII2 boxes, drawn here by hand:
        # a rich Table took most of the time the final screen takes)
        if sum(widths) + 3 * (len(widths) - 1) + 2 > options.max_width:
            yield stacked(run, rows)
            return
        yield grid(headers, cells, widths, options.ascii_only)


def grid(
    headers: Sequence[str], cells: Sequence[Sequence[str]], widths: Sequence[int], ascii: bool
) -> Text:
    """The steps table as text: right-aligned columns, a cell of two lines where it holds w and b, the step numbers
    dim and the losses bold. In ASCII, framed in + - |; else a rule under the header, as rich's SIMPLE_HEAD."""
    last = len(widths) - 1
    styles = ["dim"] + [""] * (last - 1) + ["bold"]
    out = Text()

    def line(parts: Sequence[str], styled: bool) -> None:
        edge, between = ("|", " | ") if ascii else (" ", "   ")
        out.append(edge)
        for i, (part, width) in enumerate(zip(parts, widths)):
            if i:
                out.append(between)
            out.append(part.rjust(width), styles[i] if styled else "")
        out.append(edge + "\n")

    def rule(fill: str, corner: str) -> None:
        if ascii:
            spans = [w + (1 if i in (0, last) else 2) for i, w in enumerate(widths)]
            out.append(corner + corner.join(fill * span for span in spans) + corner + "\n")
        else:
            out.append(" " + fill * (sum(widths) + 3 * last) + " \n")

    rule("-" if ascii else " ", "+")
    line(headers, False)
    rule("-" if ascii else "─", "+")
    for row in cells:
        parts = [cell.split("\n") for cell in row]
        for k in range(max(len(p) for p in parts)):
            line([p[k] if k < len(p) else "" for p in parts], True)
    rule("-" if ascii else " ", "+")
    out.right_crop(1)  # the last newline: the console ends the line itself
    return out


def sampling_note(run: Run, shown: Sequence[int], every: int) -> Text:
    """Say whether rows were left out, and how the shown ones were picked; and which loss the last column holds."""
    total = run.count
    after = "" if run.one else "The loss column is the loss after each step."
    if len(shown) == total:
        return Text(
            f"All {total} steps shown. {after}"
            if total != 1
            else f"The 1 step shown. {after}".strip(),
            "dim",
        )
    how = f"every {every}th step" if every else "the first 10, then log-spaced"
    return Text(
        f"Sampled: {len(shown)} of {total} steps shown ({how}, every notable event, and the last). "
        f"--every N or --sample N to change. {after}".strip(),
        "dim",
    )


def events_line(run: Run) -> Text:
    """Name the notable events and the step that caused each, or say there were none."""
    events = run.events.as_dict()
    if (
        not run.ended
    ):  # the walk's events come with its end: a run cut short has none to tell, not "none"
        return Text(
            f"Events: not counted, the run was stopped at step {run.count} before its end.", "dim"
        )
    if not events:
        return Text("Events: none (no overshoot, the loss never rose).", "dim")
    return Text(
        "Events (by the step that caused them): "
        + ", ".join(f"{name} at step {step}" for name, step in events.items())
        + "."
    )
