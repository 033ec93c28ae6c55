"""`python -m kata review --save`: the session as a handout for the group, in Markdown (or text) or as a web page.

Everything the review says, every run (or the runs asked, saying what is left out), and the diffs that teach: each save
of the longest red stretch and each wrong prediction, against the version before it (a step's first try against the
stub). The handout is built once as blocks, then written as Markdown or HTML: the two say the same.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from dataclasses import dataclass, field

from kata.core.look import STEP_STATES, State, counted, duration
from kata.core.registry import STEPS
from kata.dojo.review import (
    DRIVERS,
    LEGEND,
    STEP_TIME,
    Diff,
    Logged,
    Session,
    Stretch,
    Summary,
    diff_of,
    dojo_words,
    longest_of,
    run_columns,
    said_of,
    stretch_words,
    summarize,
)

RUNS = 2000  # runs the handout lists (a session of a day has a few hundred)
DIFFS = 12  # diffs of the longest red stretch, and of wrong predictions, each


@dataclass
class Lights:
    """A strip of states, one symbol each."""

    states: list[str]
    earlier: int = 0


Cell = str | Lights


@dataclass
class Table:
    header: list[str]
    rows: list[list[Cell]] = field(default_factory=list)


@dataclass
class Heading:
    text: str
    level: int = 2


@dataclass
class Para:
    text: str


@dataclass
class Bullets:
    items: list[str]


@dataclass
class Change:
    """A diff under its title (or the sentence said instead of one)."""

    title: str
    diff: Diff | str


Block = Heading | Para | Bullets | Table | Change


def symbol(state: str) -> str:
    return State(state).symbol if state in {s.value for s in STEP_STATES} else "?"


def previous_runs(session: Session, numbers: set[int]) -> dict[int, tuple[Logged | None, Logged]]:
    """For each of these runs, the run before it on its step at its table (None: the stub), in one pass."""
    before: dict[tuple[int, str], Logged] = {}
    found: dict[int, tuple[Logged | None, Logged]] = {}
    for item in session:
        if item.number in numbers:
            found[item.number] = (before.get((item.run.step, item.source)), item)
            if len(found) == len(numbers):
                break
        if item.run.file:
            before[(item.run.step, item.source)] = item
    return found


def change(pair: tuple[Logged | None, Logged], title: str) -> Change:
    earlier, item = pair
    found = diff_of(earlier, item, earlier.number if earlier else "stub", item.number)
    return Change(title, found if isinstance(found, Diff) else found.plain)


def run_title(item: Logged, tables: bool) -> str:
    run = item.run
    said = said_of(run)
    at = f" at {item.source}" if tables else ""
    who = f", {run.driver}" if run.driver else ""
    guess = f", predicted {run.prediction}" if run.prediction else ""
    return (
        f"Run {item.number}, {run.when:%H:%M:%S}{at}{who}: step {run.step} "
        f"{symbol(run.state)} {run.state}{guess}" + (f". The tests said: {said}" if said else "")
    )


def blocks(session: Session, runs: tuple[int, int] | None = None) -> Iterator[Block]:
    """The handout, block by block."""
    summary = summarize(session, RUNS)
    if not summary.count or summary.start is None or summary.end is None:
        yield Heading("Session review", 1)
        yield Para("No runs were logged.")
        return
    tables = len(summary.tracks) > 1
    start, end = summary.start, summary.end
    ending = f"{end:%H:%M}" if end.date() == start.date() else f"{end:%Y-%m-%d %H:%M}"
    yield Heading(f"Session review, {start:%Y-%m-%d %H:%M} to {ending}", 1)
    drivers = list(summary.drivers)
    facts = [
        f"{counted(summary.saves, 'save')} checked in {duration((end - start).total_seconds())}"
        + (f", drivers {', '.join(drivers[:DRIVERS])}" if drivers else "")
        + (f", {len(summary.tracks)} tables" if tables else ""),
        *([summary.merged.removesuffix(".")] if summary.merged else []),
        f"Red-green cycles completed: {summary.cycles}",
    ]
    if summary.predicted:
        facts.append(
            f"Predictions: {summary.right} right, {summary.predicted - summary.right} wrong, "
            f"{counted(summary.saves - summary.predicted, 'save')} without one"
        )
    longest = longest_of(summary)
    facts.append(f"Longest red: {stretch_words(longest, tables)}" if longest else "No red at all")
    facts += dojo_words(summary)
    yield Bullets(facts)
    yield Para("Legend: " + " · ".join(f"{state.symbol} {state}" for state in LEGEND))
    yield from tallies(summary, tables)
    wanted = set(longest_items(longest)) | {item.number for item in summary.wrong[:DIFFS]}
    previous = previous_runs(session, wanted) if wanted else {}
    if longest is not None:
        yield Heading("The longest red, save by save")
        yield Para(
            f"{stretch_words(longest, tables)} Each save against the one before it on that step "
            "(a step's first try against its stub):"
        )
        shown = longest_items(longest)
        for number in shown:
            if number in previous:
                yield change(previous[number], run_title(previous[number][1], tables))
        if longest.runs + longest.ended > len(shown):
            yield Para(
                f"{longest.runs + longest.ended - len(shown)} more saves in this stretch: "
                f"python -m kata review --diff N shows any of them."
            )
    if summary.wrong:
        yield Heading("Wrong predictions")
        yield Para("What the driver saved, and what they expected of it:")
        for item in summary.wrong[:DIFFS]:
            if item.number in previous:
                yield change(previous[item.number], run_title(item, tables))
        more = summary.predicted - summary.right - min(len(summary.wrong), DIFFS)
        if more > 0:
            yield Para(
                f"{counted(more, 'more wrong prediction')}: python -m kata review --diff N shows any of them."
            )
    yield from every_run(session, summary, tables, runs)


def longest_items(stretch: Stretch | None) -> list[int]:
    """The runs of a stretch the handout diffs: its first saves, and the green that ended it."""
    if stretch is None:
        return []
    numbers = [item.number for item in stretch.items]
    return numbers if len(numbers) <= DIFFS else [*numbers[: DIFFS - 1], numbers[-1]]


def tallies(summary: Summary, tables: bool) -> Iterator[Block]:
    if summary.drivers:
        yield Heading("Drivers")
        table = Table(["driver", "saves", "lights", "cycles", "predictions right"])
        for driver, tally in list(summary.drivers.items())[:DRIVERS]:
            table.rows.append(
                [
                    driver,
                    str(tally.runs),
                    Lights(list(tally.last), tally.runs - len(tally.last)),
                    str(tally.cycles),
                    f"{tally.right} of {tally.predicted}" if tally.predicted else "-",
                ]
            )
        yield table
    yield Heading("Steps")
    table = Table(["step", "saves", "lights", "time", "longest red"])
    for step in STEPS:
        if step.number in summary.steps:
            tally, red = summary.steps[step.number], summary.longest.get(step.number)
            table.rows.append(
                [
                    f"{step.number} {step.title}",
                    str(tally.runs),
                    Lights(list(tally.last), tally.runs - len(tally.last)),
                    duration(tally.seconds),
                    duration(red.seconds) if red else "-",
                ]
            )
    yield table
    yield Para(STEP_TIME)
    if tables:
        yield Heading("Tables")
        table = Table(["table", "saves", "lights", "cycles", "time", "longest red"])
        for source, track in list(summary.tracks.items())[:DRIVERS]:
            red = track.longest
            table.rows.append(
                [
                    source,
                    str(track.tally.runs),
                    Lights(list(track.tally.last), track.tally.runs - len(track.tally.last)),
                    str(track.tally.cycles),
                    duration(track.tally.seconds),
                    f"{duration(red.seconds)} on step {red.step}" if red else "-",
                ]
            )
        yield table


def every_run(
    session: Session, summary: Summary, tables: bool, runs: tuple[int, int] | None
) -> Iterator[Block]:
    low, high = runs or (1, summary.count)
    high = min(high, summary.count)
    yield Heading("Every run" if runs is None else f"Runs {low} to {high} of {summary.count}")
    table = Table(run_columns(tables))
    for item in session:
        if item.number > high or len(table.rows) >= RUNS:
            break
        if item.number >= low:
            run = item.run
            table.rows.append(
                [
                    str(item.number),
                    f"{run.when:%H:%M:%S}",
                    *([item.source] if tables else []),
                    run.driver or "-",
                    str(run.step),
                    f"{symbol(run.state)} {run.state}",
                    run.prediction or "-",
                    said_of(run),
                ]
            )
    yield table
    listed = len(table.rows)
    left = summary.count - listed
    if left > 0:
        last = low + listed - 1
        yield Para(
            f"{counted(left, 'run')} left out here (this lists runs {low} to {last} of {summary.count}): "
            "python -m kata review --runs A-B --save FILE writes any others."
        )


# Markdown


def md_cell(cell: Cell) -> str:
    if isinstance(cell, Lights):
        return ("…" if cell.earlier else "") + "".join(symbol(state) for state in cell.states)
    return cell.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def markdown(parts: Iterator[Block]) -> str:
    """The handout as Markdown (a diff in a fenced block, so that it is coloured where Markdown is shown)."""
    out: list[str] = []
    for block in parts:
        if isinstance(block, Heading):
            out += ["#" * block.level + " " + block.text, ""]
        elif isinstance(block, Para):
            out += [block.text, ""]
        elif isinstance(block, Bullets):
            out += [f"- {item}" for item in block.items] + [""]
        elif isinstance(block, Table):
            out.append("| " + " | ".join(block.header) + " |")
            out.append("|" + "---|" * len(block.header))
            out += ["| " + " | ".join(md_cell(cell) for cell in row) + " |" for row in block.rows]
            out.append("")
        else:
            out += [f"**{md_cell(block.title)}**", ""]
            if isinstance(block.diff, Diff):
                fence = (
                    "````" if any(line.startswith("```") for line in block.diff.lines) else "```"
                )
                out += [
                    *block.diff.notes,
                    fence + "diff",
                    *(block.diff.lines or [block.diff.same]),
                    fence,
                    "",
                ]
            else:
                out += [block.diff, ""]
    return "\n".join(out).rstrip() + "\n"


# HTML

# fonts that have every symbol the kata shows (✓ ✗ ⏱ ‖ …), whatever the reader's system
SANS = (
    'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", "Liberation Sans", Arial, '
    '"Segoe UI Symbol", "Noto Sans Symbols 2", "Noto Sans Symbols", "Apple Symbols", "Noto Color Emoji", sans-serif'
)
MONO = (
    'ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", "Noto Sans Mono", "Liberation Mono", Menlo, Consolas, '
    '"Segoe UI Symbol", "Noto Sans Symbols 2", "Noto Sans Symbols", "Apple Symbols", monospace'
)
STYLE = f"""
body {{ font-family: {SANS}; max-width: 64rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45;
       color: #1b1b1b; background: #fff; }}
h1 {{ font-size: 1.6rem; }} h2 {{ font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #ddd; }}
table {{ border-collapse: collapse; margin: .5rem 0 1rem; }}
th, td {{ text-align: left; vertical-align: top; padding: .2rem .7rem .2rem 0; border-bottom: 1px solid #e4e4e4; }}
th {{ font-weight: 600; }}
.lights {{ font-family: {MONO}; letter-spacing: .1em; white-space: nowrap; }}
.green {{ color: #0a6b25; }} .red {{ color: #b3261e; }} .amber {{ color: #8a5300; }} .timeout {{ color: #6a1b9a; }}
.change {{ margin: 1rem 0 .3rem; font-weight: 600; }}
pre.diff {{ font-family: {MONO}; font-size: .9rem; background: #f6f8fa; border: 1px solid #e1e4e8; padding: .5rem;
           overflow-x: auto; white-space: pre; line-height: 1.3; }}
pre.diff span {{ display: block; }}
.add {{ background: #dcfce4; }} .del {{ background: #ffe5e3; }} .hunk {{ color: #0550ae; }} .file {{ font-weight: 600; }}
.note {{ color: #8a5300; }}
svg.mark {{ vertical-align: -0.125em; }}
@media print {{ pre.diff {{ white-space: pre-wrap; }} }}
"""


# the timeout's ⏱ is missing from many fonts (DejaVu has none): drawn as a stopwatch, it shows on any machine
STOPWATCH = (
    '<svg class="mark" viewBox="0 0 16 16" width="1em" height="1em" role="img" aria-label="timeout">'
    '<circle cx="8" cy="9.5" r="5.5" fill="none" stroke="currentColor" stroke-width="1.6"/>'
    '<path d="M8 9.5V6.5M6 1.5h4M8 1.5V4M12.5 4.5l1-1" stroke="currentColor" stroke-width="1.6" fill="none" '
    'stroke-linecap="round"/></svg>'
)


def text(words: str) -> str:
    """Words for the page: escaped, and every ⏱ drawn."""
    return html.escape(words).replace("⏱", STOPWATCH)


def html_cell(cell: Cell) -> str:
    if isinstance(cell, Lights):
        spans = "".join(
            f'<span class="{state}" title="{state}">{text(symbol(state))}</span>'
            for state in cell.states
        )
        return f'<td class="lights">{"…" if cell.earlier else ""}{spans}</td>'
    state = cell.split(" ", 1)[-1]
    if state in {s.value for s in STEP_STATES} and cell.startswith(symbol(state) + " "):
        return f'<td class="{state}">{text(cell)}</td>'  # a symbol and a word beside the colour
    return f"<td>{text(cell)}</td>"


def diff_html(diff: Diff) -> str:
    lines = []
    for line in diff.lines:
        kind = (
            "file"
            if line.startswith(("--- ", "+++ "))
            else "hunk"
            if line.startswith("@@")
            else "add"
            if line.startswith("+")
            else "del"
            if line.startswith("-")
            else ""
        )
        lines.append(f'<span class="{kind}">{text(line) or " "}</span>')
    notes = "".join(f'<p class="note">{text(note)}</p>' for note in diff.notes)
    if not diff.lines:
        return notes + f"<p>{text(diff.same)}</p>"
    return notes + '<pre class="diff">' + "".join(lines) + "</pre>"


def page(parts: Iterator[Block]) -> str:
    """The handout as a web page: a title, tables, diffs coloured with their + and - kept beside the colour."""
    body: list[str] = []
    title = "Session review"
    legend_said = False
    for block in parts:
        if isinstance(block, Heading):
            if block.level == 1:
                title = block.text
            body.append(f"<h{block.level}>{text(block.text)}</h{block.level}>")
        elif isinstance(block, Para):
            body.append(f"<p>{text(block.text)}</p>")
        elif isinstance(block, Bullets):
            body.append(
                "<ul>" + "".join(f"<li>{text(item)}</li>" for item in block.items) + "</ul>"
            )
        elif isinstance(block, Table):
            head = "".join(f'<th scope="col">{html.escape(name)}</th>' for name in block.header)
            rows = "".join(
                "<tr>" + "".join(html_cell(cell) for cell in row) + "</tr>" for row in block.rows
            )
            body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
        else:
            if not legend_said:
                body.append(
                    '<p>In the diffs, <span class="add">+ a line added</span> and '
                    '<span class="del">- a line removed</span>; the rest is as it was.</p>'
                )
                legend_said = True
            body.append(f'<p class="change">{text(block.title)}</p>')
            body.append(
                diff_html(block.diff)
                if isinstance(block.diff, Diff)
                else f"<p>{text(block.diff)}</p>"
            )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
        + "\n".join(body)
        + "\n</main>\n</body>\n</html>\n"
    )


def diff_blocks(found: object, title: str) -> Iterator[Block]:
    """A diff asked with --diff, as a handout of its own."""
    yield Heading(title, 1)
    yield Change(title, found if isinstance(found, Diff) else str(getattr(found, "plain", found)))


def write(parts: Iterator[Block], suffix: str) -> str:
    """The handout in the form its file name asks: .html or .htm a web page, else Markdown (a .txt is read as it)."""
    return page(parts) if suffix.lower() in (".html", ".htm") else markdown(parts)


__all__ = ["blocks", "diff_blocks", "markdown", "page", "write"]
