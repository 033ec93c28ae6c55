"""What `python -m kata` shows: the learner's state in words and symbols, as rich renderables.

A screen keeps what it shows when it is made and takes its width and its ASCII
choice from the console's options when it is rendered (`__rich_console__`); the
helpers that draw a badge or wrap a message take them as arguments.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.segment import Segment
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text

from kata.core import look
from kata.core.canvas import bar
from kata.core.checks import Check, StepResult, depends_on
from kata.core.look import State
from kata.core.registry import FACTS, STEPS, Step, reference_line
from kata.core.workspace import Remembered

LOOK = {
    state.value: (state.symbol, state.ascii_symbol, state.word, state.style) for state in State
}  # by name
OUTPUT_LINES = 8
NARROW = 60  # columns below which the list leaves out the article's sections


def badge(name: str, ascii: bool = False) -> Text:
    """A state, by its name, as a symbol and a word, coloured where colour is on: '✗ RED'."""
    state = look.state(name)
    return Text(f"{state.ascii_symbol if ascii else state.symbol} {state.word}", state.style)


def file_link(step: Step, root: Path) -> Text:
    """The learner's file, clickable in terminals that support links (in the kata at `root`)."""
    where = root / step.learner_file
    return Text(step.learner_file, style=f"bold link file://{where.as_posix()}")


ACT_NAMES = {1: "the article", 2: "act II"}
ACT_HEADINGS = {1: "The article", 2: "Act II, beyond the article"}


def act_steps(act: int) -> list[Step]:
    """The steps of one act, in order."""
    return [step for step in STEPS if step.act == act]


def place(step: Step) -> str:
    """Where a step stands, in words: 'Step 4 of 10', or 'Step 12 (act II: 2 of 7)'."""
    steps = act_steps(step.act)
    if step.act == 1:
        return f"Step {step.number} of {len(steps)}"
    return f"Step {step.number} ({ACT_NAMES.get(step.act, f'act {step.act}')}: {steps.index(step) + 1} of {len(steps)})"


def progress(check: Check) -> tuple[int, int, str]:
    """What the progress counts: (done, total, "act") for the steps of the act in view, or (done, total, "all") for
    every step, once an act beyond the first was done and every act passes."""
    if check.act > 1 and check.current is None:
        return sum(r.state == "green" for r in check.steps), len(check.steps), "all"
    return check.done, len(check.in_act()), "act"


@dataclass
class Headline:
    """The kata's progress in the act in view, as a bar (10 to 20 wide, as the width allows) and in words."""

    check: Check

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        check = self.check
        done, total, counting = progress(check)
        if counting == "all":
            act = ", every act"
        else:
            act = "" if check.act == 1 else f" in {ACT_NAMES.get(check.act, f'act {check.act}')}"
        # narrow, the bar and the count come first: the title goes, and the bar shrinks to leave the count its line
        wide = options.max_width >= NARROW
        title = (f"{FACTS.title}  ", "bold") if wide else ""
        count = f"{done} of {total} steps done{act}"
        room = options.max_width - 40 if wide else options.max_width - len(count) - 3
        size = max(5 if not wide else 10, min(20, room))
        yield Fit(
            Text.assemble(title, bar(done, total, size, options.ascii_only), f" {count}"),
            whole=[count],
        )


def why_red(result: StepResult) -> str:
    """The failing test's message, in the learner's terms."""
    if result.stub:
        new = " what is new here (at its top) and" if result.step.idea else ""
        return (
            f"{result.step.function}() is not written yet (it still raises NotImplementedError). "
            f"Open {result.step.learner_file}, read{new} its # TODO, and write it."
        )
    message = result.message
    for prefix in ("AssertionError: ", "Failed: "):
        message = message.removeprefix(prefix)
    lines = message.splitlines()
    # pytest's own comparison follows a blank line or an 'assert' line: the test's message is what comes first
    kept: list[str] = []
    for line in lines:
        if line.startswith(("assert ", "where ", " +", "  +", "Obtained:", "Expected:")) or (
            kept and not line.strip()
        ):
            break
        kept.append(line)
    return "\n".join(kept) or message


GLUED_BRACKETS = (
    24  # a bracketed expression up to this long is never split across lines: (x = 6), (w, b)
)
# a sign keeps both its terms on its line ("** 2", "b = ȳ − w·x̄": a formula breaks only where it is longer than a
# line); "›" and "°C" stay with the word before
OPERATORS = {"**", "*", "+", "-", "−", "=", "==", "/", "·", "×", "<", ">", "≤", "≥", "≈", "→"}
BEFORE = {"›", "°C", "°C.", "°C,", "°C:", "°C;", "°C)", *OPERATORS}
# a command, with its subcommand, its numbers, its flags and their values: never split across lines
COMMAND = re.compile(
    r"python -m [\w.]+(?: (?:--?[\w-]+|\d[\w.]*|[A-Z]+|[\w./-]*/[\w./-]*|check|list|hint|solution|reset|goto|"
    r"restore|status|watch|doctor|dojo|review|parabola|park|sweep|scaling|momentum|sgd|all)(?=[\s,;:)]|\.(?:\s|$)|$))*"
)


def break_points(plain: str, whole: Sequence[str] = ()) -> list[int]:
    """Where a line of `plain` may break: the spaces outside commands, backticks, short brackets and the `whole`
    words, and not after a sign or before a ›."""
    keep = [False] * len(plain)

    def protect(start: int, end: int) -> None:
        for i in range(start, end):
            keep[i] = True

    for found in re.finditer(r"`[^`\n]*`", plain):
        protect(*found.span())
    for found in COMMAND.finditer(plain):
        protect(*found.span())
    for phrase in whole:
        for found in re.finditer(re.escape(phrase), plain):
            protect(*found.span())
    opened: list[int] = []
    for i, char in enumerate(plain):
        if char in "([":
            opened.append(i)
        elif char in ")]" and opened:
            start = opened.pop()
            if i - start <= GLUED_BRACKETS:
                protect(start, i)
    words = plain.split(" ")
    at = 0
    for before, after in zip(words, words[1:]):
        at += len(before)
        if before in OPERATORS or after in BEFORE:
            keep[at] = True
        at += 1
    return [i for i, char in enumerate(plain) if char == " " and not keep[i]]


def line_ends(plain: str, width: int, whole: Sequence[str] = ()) -> list[int]:
    """Where to end each line of one paragraph `width` wide: greedy, at the break points; a piece wider than the
    whole line breaks at its own spaces, and a word wider than that where it must."""
    width = max(width, 1)
    breaks = break_points(plain, whole)
    ends: list[int] = []
    start = 0
    while len(plain) - start > width:
        fits = [i for i in breaks if start < i <= start + width]
        if not fits:  # one glued piece is wider than the line: its own spaces, else a hard cut
            spaces = [i for i in range(start + 1, start + width + 1) if plain[i] == " "]
            fits = spaces or [start + width]
        end = fits[-1]
        ends.append(end)
        start = end + 1 if plain[end] == " " else end
    return ends


def fitted(text: Text | str, width: int, style: str = "", whole: Sequence[str] = ()) -> Text:
    """The text broken into lines at most `width` wide where a person would break it: commands, short bracketed
    expressions, a sign with its term and the `whole` words stay whole (see break_points)."""
    text = Text(text, style) if isinstance(text, str) else text
    width -= max(text.cell_len - len(text.plain), 0)  # symbols two cells wide (⏱) take their room
    out: list[Text] = []
    for paragraph in text.split("\n", allow_blank=True):
        ends = line_ends(paragraph.plain, width, whole)
        if not ends:
            out.append(paragraph)
            continue
        pieces = paragraph.divide(ends)
        for n, piece in enumerate(pieces):
            if n:  # a line after a break starts at its first word
                piece = piece[len(piece.plain) - len(piece.plain.lstrip(" ")) :]
            piece.rstrip()
            out.append(piece)
    joined = Text("\n", style).join(out)
    joined.no_wrap, joined.overflow = True, "fold"
    return joined


@dataclass
class Fit:
    """A text broken into lines where a person would (fitted()), as wide as the console's options allow."""

    text: Text
    whole: Sequence[str] = ()  # words never split across lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield fitted(self.text, options.max_width, whole=self.whole)


@dataclass
class Within:
    """Parts one under another, within the terminal's height less `reserve` lines: when they are taller, the parts
    that say what a cut leaves out (their `more`) lose their last lines first, from the bottom up, and say so; the
    others (the progress, the step, the footer) always show whole."""

    parts: list[
        tuple[RenderableType, str]
    ]  # each part, and what to run for the lines a cut leaves out ("": none)
    reserve: int = 0

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        pieces: list[tuple[RenderableType, str]] = []
        for part, more in self.parts:
            pieces += part.sections(options) if isinstance(part, StatusScreen) else [(part, more)]
        rendered = [(console.render_lines(part, options, pad=False), more) for part, more in pieces]
        excess = sum(len(lines) for lines, _ in rendered) - (options.size.height - 1 - self.reserve)
        for i in reversed(range(len(rendered))):
            lines, more = rendered[i]
            if excess <= 0:
                break
            if not more or len(lines) < 3:
                continue

            kept = max(1, len(lines) - excess - len(self.note(console, options, len(lines), more)))
            said = self.note(console, options, len(lines) - kept, more)
            rendered[i] = (lines[:kept] + said, more)
            excess -= len(lines) - kept - len(said)
        room = options.size.height - 1 - self.reserve
        shown = [line for lines, _ in rendered for line in lines]
        # still too tall (a terminal a dozen lines high): the top stays, the bottom goes
        for line in shown[: max(room, 1)]:
            yield from line
            yield Segment.line()

    @staticmethod
    def note(
        console: Console, options: ConsoleOptions, left: int, more: str
    ) -> list[list[Segment]]:
        """The lines that stand for the `left` lines a cut leaves out."""
        return console.render_lines(
            Fit(Text(f"… {left} more lines: {more}", "dim")), options, pad=False
        )


def message_text(message: str, width: int, rows: int | None = None) -> Text:
    """A message for a screen `width` wide, broken where a person would (fitted()): a code line and its caret stay
    one row each, the caret under its character (the line is shifted, never wrapped); with `rows`, lines past that
    many are left out, and it says so."""
    lines = message.splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        caret = lines[i + 1] if i + 1 < len(lines) and lines[i + 1].strip() == "^" else None
        if line.startswith("    ") and caret is not None:
            at, room = caret.index("^"), max(width - 1, 10)
            shift = max(0, at - room + 8)
            code = line if not shift else "…" + line[shift + 1 :]
            out += [code[:room] + ("…" if len(code) > room else ""), " " * (at - shift) + "^"]
            i += 2
            continue
        if line.startswith("    "):  # code as it is: cut, never folded
            out.append(line[: max(width - 1, 10)] + ("…" if len(line) > max(width - 1, 10) else ""))
        else:
            out += fitted(line, width).plain.split("\n")
        i += 1
    if rows is not None and len(out) > rows:
        kept = max(rows - 1, 0)
        out = [*out[:kept], f"… {len(out) - kept} more lines: see python -m kata"]
    text = Text("\n".join(out))
    text.no_wrap, text.overflow = True, "fold"
    return text


def test_name(result: StepResult) -> str:
    """The failing test as a sentence: its name without the file."""
    nodeid = result.failure.nodeid if result.failure else ""
    name, _, case = nodeid.split("::", 1)[-1].partition("[")
    sentence = name.replace("_", " ").removeprefix("test ")
    return f"{sentence} ({case.removesuffix(']')})" if case else sentence


def and_list(words: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def regression_sentence(memory: Remembered) -> str:
    """Which steps passed before and fail now, and which of the files they run (their own, and those they import)
    changed since."""
    regressions = memory.regressions
    numbers = [r.step.number for r in regressions]
    one = len(numbers) == 1
    which = f"Step{'' if one else 's'} {and_list([str(n) for n in numbers])} passed before and {'fails' if one else 'fail'} now"
    used = set().union(*(depends_on(memory.root, r.step) for r in regressions))
    suspects = [(file, how) for file, how in memory.changed if file in used]
    if not suspects:
        return f"{which}, though none of the step files {'it' if one else 'they'} build{'s' if one else ''} on changed since."
    named = and_list([f"{file} ({how})" if how else file for file, how in suspects])
    later = [
        r.step.number
        for r in regressions
        if r.step.learner_file not in {file for file, _ in suspects}
    ]
    builds = (
        ""
        if not later
        else f"; step{'' if len(later) == 1 else 's'} {and_list([str(n) for n in later])} build{'s' if len(later) == 1 else ''} on it"
    )
    if len(suspects) > 1 and later:
        builds = builds.removesuffix(" on it") + " on them"
    return f"{which}: since then {named} changed{builds}."


@dataclass
class StatusScreen:
    """The main screen: progress, the current step, why it fails, the file to edit, the next command.

    Compact (a hint or the list is open under it): progress and the step's state only, so that all fits.
    """

    check: Check
    memory: Remembered
    watching: bool = False
    compact: bool = False

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield Group(*self.parts(options))

    def parts(self, options: ConsoleOptions) -> list[RenderableType]:
        """The screen's parts, as wide as the options allow, in ASCII when they say so."""
        return [part for part, _ in self.sections(options)]

    def sections(self, options: ConsoleOptions) -> list[tuple[RenderableType, str]]:
        """The screen's parts, each with what to run for the lines a cut leaves out when the screen must fit a
        terminal's height ("" for the parts that always show whole: all but the message and what the code printed)."""
        check, memory, watching = self.check, self.memory, self.watching
        width, ascii = options.max_width, options.ascii_only
        parts: list[tuple[RenderableType, str]] = [(Headline(check), "")]
        cheer = memory.cheer
        if memory.regressions:
            sentence = f"{'!' if ascii else '⚠'} {regression_sentence(memory)}"
            parts.append((Fit(Text(sentence, "bold yellow")), ""))
        if check.trouble:
            parts.append((Fit(Text(f"Note: {check.trouble}.", "yellow")), ""))
        current = check.current
        if current is None:
            parts.append((Finish(check, compact=self.compact), ""))
            return parts
        step = current.step
        if cheer:
            parts.append((Fit(Text(cheer, "green")), ""))
        parts += [(Text(""), ""), *[(line, "") for line in title_lines(current, width, ascii)]]
        if self.compact:
            return parts
        if current.state == "red" and not current.stub:
            failing = f"{current.total - current.passed} of {current.total} tests fail. First: {test_name(current)}"
            parts.append((Fit(Text(failing, "dim")), ""))
        parts.append((message_text(why_red(current), width), "python -m kata shows it whole"))
        failure = current.failure
        if failure and failure.where and not current.stub:
            parts.append((Fit(Text(f"at {failure.where}", "cyan")), ""))
        output = failure.learner_output.strip().splitlines() if failure else []
        if output:
            shown = output[-OUTPUT_LINES:]
            cut = f" (last {len(shown)} of {len(output)} lines)" if len(output) > len(shown) else ""
            parts.append((Text(f"Your code printed{cut}:", "dim"), ""))
            printed = Text("\n".join("  " + line[:200] for line in shown), "dim")
            parts.append((printed, "python -m kata shows them"))
        parts += [
            (Text(""), ""),
            (Fit(Text.assemble(("Edit   ", "bold"), file_link(step, memory.root))), ""),
        ]
        if watching:
            parts.append((Fit(Text("Save the file and this screen checks again.", "dim")), ""))
        else:
            then = Text.assemble(
                ("Then   ", "bold"), "python -m kata", ("   (or python -m kata watch)", "dim")
            )
            parts.append((Fit(then), ""))
        stuck = "press h for a hint" if watching else f"python -m kata hint {step.number}"
        parts.append((Fit(Text.assemble(("Stuck? ", "bold"), stuck)), ""))
        return parts


def title_lines(result: StepResult, width: int, ascii: bool) -> list[RenderableType]:
    """The step's state, place and title, then its section: on one line where they fit, else the section on a line of
    its own, never cut in the middle ("Beyond the article ›" / "Checking the gradient")."""
    step = result.step
    where = Text.assemble(badge(result.state, ascii), f"  {place(step)}")
    head = Text.assemble(where, f" · {step.title}")
    section = f"article: {step.section}" if step.act == 1 else step.section
    whole = Text.assemble(head, (f" · {section}", "dim"))
    if whole.cell_len <= width:
        return [whole]
    lines: list[RenderableType] = (
        [head] if head.cell_len <= width else [Fit(where), Fit(Text(step.title))]
    )
    if len(section) <= width:
        return [*lines, Text(section, "dim")]
    parts = section.split(
        " › "
    )  # narrower still: a line for each part, the › ending the line it follows
    return [
        *lines,
        *(
            Fit(Text(part + (" ›" if n < len(parts) - 1 else ""), "dim"))
            for n, part in enumerate(parts)
        ),
    ]


@dataclass
class Finish:
    """The end of an act: the article rebuilt (and act II offered), or act II done too (compact: the headline alone,
    so that a hint or the list fits under it)."""

    check: Check
    compact: bool = False

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        check, mark = (
            self.check,
            (State.GREEN.ascii_symbol if options.ascii_only else State.GREEN.symbol),
        )
        first = act_steps(1)
        later = [step for step in STEPS if step.act > 1]
        if check.act == 1:
            done = Text(f"{mark} ALL {len(first)} STEPS OF THE ARTICLE PASS", "bold green")
            if self.compact:
                yield Group(Text(""), Fit(done))
                return
            parts: list[RenderableType] = [
                Text(""),
                Fit(done),
                Fit(
                    Text(
                        "You rebuilt the article by hand: the parabola, the slope, the descent, the park's line, "
                        f"and the answer: about {FACTS.answer:.0f} {FACTS.unit} at {FACTS.temperature:g} °C."
                    )
                ),
                Fit(
                    Text.assemble(
                        "Watch your own code at work: ",
                        ("python -m kata.trace", "bold"),
                        " (it traces your steps/ now, not the reference).",
                    )
                ),
            ]
            if later:
                parts.append(
                    Fit(
                        Text.assemble(
                            f"Optional, beyond the article: act II, {len(later)} more steps (why {FACTS.iterations} "
                            "steps are not enough, and how the field fixes it). To start it, open ",
                            (later[0].learner_file, "bold"),
                            " (python -m kata list shows them all).",
                        )
                    )
                )
            yield Group(*parts)
            return
        done = Text(f"{mark} BOTH ACTS PASS: ALL {len(STEPS)} STEPS", "bold green")
        if self.compact:
            yield Group(Text(""), Fit(done))
            return
        yield Group(
            Text(""),
            Fit(done),
            Fit(
                Text(
                    "The article rebuilt, and beyond it: checking a gradient, the closed form, when to stop, "
                    "scaling, momentum and mini-batches, all by hand."
                )
            ),
            Fit(
                Text.assemble(
                    "Watch them at work: ",
                    ("python -m kata.trace --help", "bold"),
                    " lists the stories.",
                )
            ),
        )


@dataclass
class ListScreen:
    """Every step with its state symbol, title and article section (with `only_act`, that act's steps and a line for
    the others, so that the list fits under a watch or dojo screen)."""

    check: Check
    only_act: int | None = None

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        check, only_act, ascii = self.check, self.only_act, options.ascii_only
        table = Table(box=box.ASCII2 if ascii else box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
        table.add_column("state")
        table.add_column("#", justify="right")
        table.add_column("step")
        # narrower, the sections fold into a column of slivers
        sections = options.max_width >= NARROW
        listed = [r for r in check.steps if only_act is None or r.step.act == only_act]
        if sections:
            only_article = all(r.step.act == 1 for r in listed)
            table.add_column("article section" if only_article else "section", style="dim")
        act, others = 0, []
        several = only_act is None and len({result.step.act for result in check.steps}) > 1
        for result in check.steps:
            if only_act is not None and result.step.act != only_act:
                others.append(result)
                continue
            if result.step.act != act:
                act = result.step.act
                if several:
                    heading = Text(ACT_HEADINGS.get(act, f"Act {act}"), "bold")
                    table.add_row("", "", heading, *([""] if sections else []))
            table.add_row(
                badge(result.state, ascii),
                str(result.step.number),
                result.step.title,
                *([section_of(result.step)] if sections else []),
            )
        if not others:
            yield table
            return
        acts = sorted({r.step.act for r in others})
        said = "; ".join(
            f"{ACT_NAMES.get(a, f'act {a}')}: {sum(r.state == 'green' for r in others if r.step.act == a)} of "
            f"{sum(r.step.act == a for r in others)} pass"
            for a in acts
        )
        yield Group(table, Fit(Text(f"{said} (python -m kata list shows every step)", "dim")))


def section_of(step: Step) -> str:
    """A step's section for the list: beyond the article, the part after "Beyond the article ›" (the act says it)."""
    return step.section if step.act == 1 else step.section.rpartition("› ")[2]


class Code:
    """Python source with line numbers; a line too long for the width goes on under a ↪, never cut, never hidden."""

    def __init__(self, source: str, first_line: int = 1) -> None:
        self.source, self.first_line = source.rstrip("\n"), first_line

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lines = Syntax(self.source, "python", theme="ansi_dark").highlight(self.source).split("\n")
        digits = len(str(self.first_line + len(lines) - 1))
        bar, more = ("|", ">") if options.ascii_only else ("│", "↪")
        room = max(options.max_width - digits - 3, 10)
        for number, line in enumerate(lines, start=self.first_line):
            pieces = line.divide(range(room, len(line), room)) if len(line) > room else [line]
            for i, piece in enumerate(pieces):
                mark = str(number) if i == 0 else more
                yield Text.assemble((f"{mark:>{digits}} {bar} ", "dim"), piece)


def code(source: str, first_line: int = 1) -> Code:
    """Python source with line numbers, wrapped visibly (a continued line starts with ↪), never cut."""
    return Code(source, first_line)


def hint_screen(step: Step, level: int, watching: bool = False, seen: int = 0) -> RenderableType:
    """One hint, with where it stands among the step's hints; the last one is the reference's code."""
    total = len(step.hints)
    if level == total:
        after = (
            f"That was the last hint. Once the step passes, `python -m kata solution {step.number}` shows the "
            "whole reference." + (" h closes it." if watching else "")
        )
    elif watching:
        after = f"h closes it; the next h shows hint {level + 1} of {total}."
    else:
        after = f"Run `python -m kata hint {step.number}` again for hint {level + 1} of {total}."
    title = Text(
        f"Hint {level} of {total} · step {step.number}, {step.title} ({step.learner_file})", "bold"
    )
    if level == total:
        body: RenderableType = Group(
            Fit(
                Text(
                    f"Nearly the code: the body of the reference's {step.function}(), to put under its docstring "
                    "in place of the # TODO and the raise (the numbers are the reference's lines):"
                )
            ),
            code(step.hints[-1], reference_line(step)),
        )
    else:
        body = Fit(Text(step.hints[level - 1]))
    parts: list[RenderableType] = [Fit(title), body, Fit(Text(after, "dim"))]
    if seen > 1 and not watching:
        again = (
            f"You have seen hints 1 to {seen} of step {step.number}: python -m kata hint "
            f"{step.number} --level K reads hint K again."
        )
        parts.append(Fit(Text(again, "dim")))
    return Group(*parts)
