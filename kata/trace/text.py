"""Words on the tracer's screen: numbers as a learner reads them, phrases that wrap only between phrases, symbols
with their ASCII stand-ins (never colour alone), and what the learner's code printed."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.text import Text

from kata.core.look import counted


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


def apart(value: float, other: float, digits: int = 3) -> str:
    """A value with as many significant digits as it takes to tell it from `other` (at least `digits`, at most 12):
    a bound of 0.0017137 beside an lr of 0.00171 is 0.001714, a factor of 1.00003 is not '1'."""
    for d in range(digits, 13):
        said = f"{value:.{d}g}"
        if value == other or said != f"{other:.{d}g}":
            return said
    return f"{value:.12g}"


def steps(count: int) -> str:
    """'1 step', '40 steps'."""
    return counted(count, "step")


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
ONWARD: Symbol = ("→ ", "-> ")


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


def power(value: float) -> str:
    """A power of ten as the kata writes it: 1e-6, 1e12 (not 1e-06, 1e+12)."""
    mantissa, exponent = f"{value:.0e}".split("e")
    return f"{mantissa}e{int(exponent)}"


def spaced(count: float) -> str:
    """210793 as '210,793': thousands grouped with a comma, which no terminal wraps at (a space, even a no-break
    one, lets rich break '122 972' across two lines; the kata writes its decimals with a point, never a comma)."""
    return f"{count:,.0f}"


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
