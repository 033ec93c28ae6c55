"""The dojo's screen, laid out for any terminal from a projector to a side-car pane of 40×10 beside an editor.

At the top, a banner with the state's word and symbol, and under it the driver's name and the clock, in block letters
as big as the columns and rows allow; then the words (what the tests say, who navigates), cut to the rows left; the
keys on the last row. The top is sized from the terminal, the name and the widest clock of the turn, never from the
words under it: a longer message never makes the clock jump.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import product

from rich import box
from rich.align import Align
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.panel import Panel
from rich.segment import Segment
from rich.text import Text

from kata.dojo.bigtext import SCALES, Scale, draw, fit, letters, scales, width

# the band is sized so that these three are equally big; rarer words fit in it
MAIN = ("GREEN", "AMBER", "RED")
GAP = 2  # columns between the state's symbol and its word


@dataclass
class Banner:
    """The state's word and symbol, with a line under them (the step, or what to press)."""

    word: str
    mark: str
    style: str
    line: Text = field(default_factory=Text)


@dataclass
class Who:
    """Who drives and the clock; `widest` is the widest clock the turn can show (the layout keeps room for it)."""

    name: str
    clock: str
    widest: str
    style: str = "bold"


@dataclass
class Frame:
    """Everything one screen shows: the banner, who and the clock, the words (most important first), the keys."""

    banner: Banner
    who: Who
    # given the rows and columns left, and whether the top shows the driver's name, what to say in them
    words: Callable[[int, int, bool], list[RenderableType]]
    footer: Text
    need: int = 0  # rows the words need at least (a hint or the list is open)


@dataclass(frozen=True)
class Plan:
    """How big each part of the top is drawn: the state's scale (None: one line), how the driver and the clock are
    arranged (one: side by side; two: the name above the clock; clock: the name in a line of text above the clock;
    line: the name in a line, no clock; none), their scales, and whether the banner has its border."""

    border: bool
    state: Scale | None
    arrangement: str
    name: Scale | None
    clock: Scale | None
    name_text: str = ""

    @property
    def state_rows(self) -> int:
        return self.state.rows if self.state else 1

    @property
    def top(self) -> int:
        rows = self.state_rows + 1 + (2 if self.border else 0)
        if self.arrangement == "one":
            assert self.clock is not None
            return rows + self.clock.rows
        if self.arrangement == "two":
            return (
                rows + (self.name.rows if self.name else 0) + (self.clock.rows if self.clock else 0)
            )
        if self.arrangement == "clock":
            assert self.clock is not None
            return rows + (1 if self.name_text else 0) + self.clock.rows
        if self.arrangement == "line":
            return rows + 1
        return rows

    @property
    def shows_name(self) -> bool:
        """The top shows the driver's name, in letters or in a line."""
        return bool(self.name_text) and self.arrangement != "none"

    @property
    def score(self) -> tuple[int, int, int, bool]:
        """The bigger the better: the smaller of state and clock first, then the name too, then all, then a border."""
        state = self.state.rows if self.state else 0
        clock = self.clock.rows if self.clock else 0
        name = {
            "one": clock,
            "two": self.name.rows if self.name else 0,
            "clock": 1 if self.name_text else 0,
            "line": 1,
        }.get(self.arrangement, 0)
        if not clock:  # a screen without a clock (the handover): the name is the clock's equal
            clock = name
        return (min(state, clock), min(state, clock, name), state + clock + name, self.border)


def text_rows(height: int) -> int:
    """Rows kept for the words at least: one on a pane of 10 rows, up to twelve on a projector."""
    return max(1, min(12, (height - 6) // 3))


def state_width(word: str, mark: str, scale: Scale) -> int:
    return cell_len(mark) + GAP + width(word, scale)


def arrangements(
    who: Who, columns: int, ascii: bool
) -> list[tuple[str, Scale | None, Scale | None, str]]:
    """Every way to draw the driver and the clock `columns` wide: (arrangement, name's scale, clock's scale, the
    name's letters as drawn, cut with an ellipsis when too long)."""
    found: list[tuple[str, Scale | None, Scale | None, str]] = [("none", None, None, "")]
    drawn = letters(who.name)

    def readable(name: str) -> bool:  # whole, or cut after six letters at least: 'MA…' names nobody
        return bool(name) and (name == drawn or len(name.replace(" ", "")) > 6)

    names = {size: fit(who.name, size, columns) for size in scales(ascii)} if drawn else {}
    names = {size: name for size, name in names.items() if readable(name)}
    for clock in scales(ascii) if who.clock else ():
        if width(who.widest, clock) > columns:
            continue
        if drawn:
            # side by side: the name cut to leave the clock its room (a space is four dots: a gap, two, a gap)
            name = fit(who.name, clock, columns - width(who.widest, clock) - 4 * clock.x)
            if readable(name):
                found.append(("one", None, clock, name))
            found += [("two", size, clock, name) for size, name in names.items() if size <= clock]
        # the name in a line of text (it has no block letters, or they do not fit), or only in the words below
        found += [("clock", None, clock, who.name), ("clock", None, clock, "")]
    if not who.clock:
        found += [("two", size, None, name) for size, name in names.items()]
        if who.name:  # a name the font cannot draw (王芳): a line of its own, bold
            found.append(("line", None, None, who.name))
    return found


def plan(frame: Frame, columns: int, height: int, ascii: bool) -> Plan:
    """The biggest top that leaves the words their rows, on a screen `columns` wide and `height` rows tall."""
    who = frame.who
    return best(
        frame.banner.mark, who.name, bool(who.clock), who.widest, frame.need, columns, height, ascii
    )


@lru_cache(maxsize=64)
def best(
    mark: str,
    name: str,
    clock: bool,
    widest: str,
    need: int,
    columns: int,
    height: int,
    ascii: bool,
) -> Plan:
    """plan() for what the layout depends on (a screen is drawn every second: the answer is kept)."""
    need = max(text_rows(height), min(need, height - 4))
    room = height - 1 - need  # the last row is the keys'
    ways = arrangements(Who(name, "0" if clock else "", widest), columns, ascii)
    options: list[Plan] = []
    # a border takes four columns: under 60 the letters need them more
    for border, state in product(
        (True, False) if columns >= 60 else (False,), (None, *scales(ascii))
    ):
        inner = columns - (4 if border else 0)
        if state and any(state_width(word, mark, state) > inner for word in MAIN):
            continue
        for arrangement, name_scale, clock_scale, text in ways:
            option = Plan(border, state, arrangement, name_scale, clock_scale, text)
            if option.top <= room:
                options.append(option)
    if not options:  # a very small terminal: one line of state, the rest as words
        return Plan(False, None, "none", None, None)
    # the state and the clock in letters first, then the driver's name in the top (in letters or a line), then
    # the biggest
    return max(
        options,
        key=lambda option: (option.score[0] > 0, option.shows_name or not name, *option.score),
    )


@dataclass
class Cut:
    """Renderables cut to exactly `rows` rows (padded with blank rows), so that what follows stays in its place."""

    parts: list[RenderableType]
    rows: int

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lines = (
            console.render_lines(Group(*self.parts), options.update(height=None), pad=False)
            if self.parts
            else []
        )
        lines = lines[: self.rows]
        lines += [[]] * (self.rows - len(lines))
        for line in lines:
            yield from line
            yield Segment.line()


def word_rows(banner: Banner, scale: Scale | None, inner: int, ascii: bool) -> Text:
    """The state's word and symbol at this scale, or the biggest that fits the width for a longer word, centred in
    the band's rows; one line when no scale is drawn."""
    rows = scale.rows if scale else 1
    drawn: list[str] = []
    if scale:
        for size in sorted((s for s in scales(ascii) if s <= scale), reverse=True):
            if state_width(banner.word, banner.mark, size) <= inner:
                drawn = draw(banner.word, size, ascii)
                break
    if not drawn:
        drawn = [banner.word]
    middle = len(drawn) // 2
    pad = " " * cell_len(banner.mark)
    lines = [
        f"{banner.mark if i == middle else pad}{' ' * GAP if len(drawn) > 1 else ' '}{row}"
        for i, row in enumerate(drawn)
    ]
    above = (rows - len(lines)) // 2
    lines = [""] * above + lines + [""] * (rows - len(lines) - above)
    return Text("\n".join(lines), banner.style)


def top(frame: Frame, chosen: Plan, columns: int, ascii: bool) -> list[RenderableType]:
    """The banner and, under it, the driver and the clock, as the plan says."""
    banner, who = frame.banner, frame.who
    inner = columns - (4 if chosen.border else 0)
    line = banner.line.copy()
    line.no_wrap, line.overflow = True, "ellipsis"
    line.truncate(inner, overflow="ellipsis")
    heading = Group(Align.center(word_rows(banner, chosen.state, inner, ascii)), Align.center(line))
    parts: list[RenderableType] = [
        Panel(
            heading,
            box=box.ASCII if ascii else box.HEAVY,
            expand=True,
            border_style=banner.style,
        )
        if chosen.border
        else heading
    ]

    def block(text: str, scale: Scale, style: str) -> RenderableType:
        return Align.center(Text("\n".join(draw(text, scale, ascii)), style, no_wrap=True))

    if chosen.arrangement == "one":
        assert chosen.clock is not None
        parts.append(block(f"{chosen.name_text} {who.clock}", chosen.clock, who.style))
    elif chosen.arrangement == "two":
        if chosen.name:
            parts.append(block(chosen.name_text, chosen.name, "bold"))
        if chosen.clock:
            parts.append(block(who.clock, chosen.clock, who.style))
    elif chosen.arrangement in ("clock", "line"):
        if chosen.name_text:
            name = Text(chosen.name_text, "bold", no_wrap=True, overflow="ellipsis")
            name.truncate(columns, overflow="ellipsis")
            parts.append(Align.center(name))
        if chosen.clock is not None:
            parts.append(block(who.clock, chosen.clock, who.style))
    return parts


@dataclass
class Screen:
    """A frame laid out for the console it is printed on (its width and height), ASCII when the console says so."""

    frame: Frame
    height: int

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        columns, ascii = options.max_width, options.ascii_only
        chosen = plan(self.frame, columns, self.height, ascii)
        parts = top(self.frame, chosen, columns, ascii)
        footer = self.frame.footer.copy()
        footer.no_wrap, footer.overflow = True, "ellipsis"
        rows = max(0, self.height - chosen.top - 1)
        words = self.frame.words(rows, columns, chosen.shows_name or not self.frame.who.name)
        yield Group(*parts, Cut(words, rows), footer)


__all__ = ["SCALES", "Banner", "Cut", "Frame", "Plan", "Screen", "Who", "plan", "text_rows"]
