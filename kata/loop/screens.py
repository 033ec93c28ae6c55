"""What `python -m kata` shows: the learner's state in words and symbols, as rich renderables.

A screen keeps what it shows when it is made and takes its width and its ASCII
choice from the console's options when it is rendered (`__rich_console__`); the
helpers that draw a badge or wrap a message take them as arguments.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
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
ACT_HEADINGS = {1: "The article", 2: "Act II, beyond the article (optional)"}


def act_steps(act: int) -> list[Step]:
    """The steps of one act, in order."""
    return [step for step in STEPS if step.act == act]


def place(step: Step) -> str:
    """Where a step stands, in words: 'Step 4 of 10', or 'Step 12 (act II: 2 of 7)'."""
    steps = act_steps(step.act)
    if step.act == 1:
        return f"Step {step.number} of {len(steps)}"
    return f"Step {step.number} ({ACT_NAMES.get(step.act, f'act {step.act}')}: {steps.index(step) + 1} of {len(steps)})"


@dataclass
class Headline:
    """The kata's progress in the act in view, as a bar (10 to 20 wide, as the width allows) and in words."""

    check: Check

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        check = self.check
        size = max(10, min(20, options.max_width - 40))
        if check.act > 1 and check.current is None:  # every act passes: count them all
            done, total, act = (
                sum(r.state == "green" for r in check.steps),
                len(check.steps),
                ", every act",
            )
        else:
            done, total = check.done, len(check.in_act())
            act = "" if check.act == 1 else f" in {ACT_NAMES.get(check.act, f'act {check.act}')}"
        yield Text.assemble(
            (f"{FACTS.title}  ", "bold"),
            bar(done, total, size, options.ascii_only),
            f" {done} of {total} steps done{act}",
        )


def why_red(result: StepResult) -> str:
    """The failing test's message, in the learner's terms."""
    if result.stub:
        return (
            f"{result.step.function}() is not written yet (it still raises NotImplementedError). "
            f"Open {result.step.learner_file}, read its # TODO, and write it."
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


def message_text(message: str, width: int, rows: int | None = None) -> Text:
    """A message for a screen `width` wide: a code line and its caret stay one row each, the caret under its
    character (the line is shifted, never wrapped); with `rows`, lines past that many are left out, and it says so."""
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
        out.append(line)
        i += 1
    if rows is not None:
        kept: list[str] = []
        used = 0
        for line in out:
            need = max(1, -(-len(line) // max(width, 1)))
            if used + need > rows - 1 and len(kept) < len(out):
                kept.append(f"… {len(out) - len(kept)} more lines: see python -m kata")
                break
            kept.append(line)
            used += need
        out = kept
    text = Text()
    for n, line in enumerate(out):
        part = Text(line, no_wrap=line.startswith("    ") or line.strip() == "^")
        text.append_text(part)
        if n < len(out) - 1:
            text.append("\n")
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
        check, memory, watching = self.check, self.memory, self.watching
        width, ascii = options.max_width, options.ascii_only
        parts: list[RenderableType] = [Headline(check)]
        cheer = memory.cheer
        if memory.regressions:
            parts.append(
                Text(f"{'!' if ascii else '⚠'} {regression_sentence(memory)}", "bold yellow")
            )
        if check.trouble:
            parts.append(Text(f"Note: {check.trouble}.", "yellow"))
        current = check.current
        if current is None:
            parts.append(Finish(check))
            return parts
        step = current.step
        if cheer:
            parts.append(Text(cheer, "green"))
        section = f" · article: {step.section}" if step.act == 1 else f" · {step.section}"
        title = Text.assemble(
            badge(current.state, ascii), f"  {place(step)} · {step.title}", (section, "dim")
        )
        parts += [Text(""), title]
        if self.compact:
            return parts
        if current.state == "red" and not current.stub:
            parts.append(
                Text(
                    f"{current.total - current.passed} of {current.total} tests fail. First: {test_name(current)}",
                    "dim",
                )
            )
        parts.append(message_text(why_red(current), width))
        failure = current.failure
        if failure and failure.where and not current.stub:
            parts.append(Text(f"at {failure.where}", "cyan"))
        output = failure.learner_output.strip().splitlines() if failure else []
        if output:
            shown = output[-OUTPUT_LINES:]
            cut = f" (last {len(shown)} of {len(output)} lines)" if len(output) > len(shown) else ""
            parts.append(Text(f"Your code printed{cut}:", "dim"))
            parts.append(Text("\n".join("  " + line[:200] for line in shown), "dim"))
        parts += [Text(""), Text.assemble(("Edit   ", "bold"), file_link(step, memory.root))]
        if watching:
            parts.append(Text("Save the file and this screen checks again.", "dim"))
        else:
            parts.append(
                Text.assemble(
                    ("Then   ", "bold"), "python -m kata", ("   (or python -m kata watch)", "dim")
                )
            )
        parts.append(
            Text.assemble(
                ("Stuck? ", "bold"),
                "press h for a hint" if watching else f"python -m kata hint {step.number}",
            )
        )
        return parts


@dataclass
class Finish:
    """The end of an act: the article rebuilt (and act II offered), or act II done too."""

    check: Check

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        check, mark = (
            self.check,
            (State.GREEN.ascii_symbol if options.ascii_only else State.GREEN.symbol),
        )
        first = act_steps(1)
        later = [step for step in STEPS if step.act > 1]
        if check.act == 1:
            parts: list[RenderableType] = [
                Text(""),
                Text(f"{mark} ALL {len(first)} STEPS OF THE ARTICLE PASS", "bold green"),
                Text(
                    "You rebuilt the article by hand: the parabola, the slope, the descent, the park's line, "
                    f"and the answer: about {FACTS.answer:.0f} {FACTS.unit} at {FACTS.temperature:g} °C."
                ),
                Text.assemble(
                    "Watch your own code at work: ",
                    ("python -m kata.trace", "bold"),
                    " (it traces your steps/ now, not the reference).",
                ),
            ]
            if later:
                parts.append(
                    Text.assemble(
                        f"Optional, beyond the article: act II, {len(later)} more steps (why {FACTS.iterations} steps are not "
                        "enough, and how the field fixes it). To start it, open ",
                        (later[0].learner_file, "bold"),
                        " (python -m kata list shows them all).",
                    )
                )
            yield Group(*parts)
            return
        yield Group(
            Text(""),
            Text(f"{mark} BOTH ACTS PASS: ALL {len(STEPS)} STEPS", "bold green"),
            Text(
                "The article rebuilt, and beyond it: checking a gradient, the closed form, when to stop, scaling, "
                "momentum and mini-batches, all by hand."
            ),
            Text.assemble(
                "Watch them at work: ",
                ("python -m kata.trace --help", "bold"),
                " lists the stories.",
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
        table = Table(box=box.ASCII2 if ascii else box.SIMPLE_HEAD, pad_edge=False)
        table.add_column("state")
        table.add_column("#", justify="right")
        table.add_column("step")
        sections = (
            options.max_width >= NARROW
        )  # narrower, the sections fold into a column of slivers
        if sections:
            table.add_column("article section", style="dim")
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
                *([result.step.section] if sections else []),
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
        yield Group(table, Text(f"{said} (python -m kata list shows every step)", "dim"))


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
            Text(
                f"Nearly the code: the body of the reference's {step.function}(), to put under its docstring "
                "in place of the # TODO and the raise (the numbers are the reference's lines):"
            ),
            code(step.hints[-1], reference_line(step)),
        )
    else:
        body = Text(step.hints[level - 1])
    parts: list[RenderableType] = [title, body, Text(after, "dim")]
    if seen > 1 and not watching:
        parts.append(
            Text(
                f"You have seen hints 1 to {seen} of step {step.number}: python -m kata hint "
                f"{step.number} --level K reads hint K again.",
                "dim",
            )
        )
    return Group(*parts)
