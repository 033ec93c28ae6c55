"""Block letters for a projector: words, names and the clock in five-row letters, scaled to the room's screen.

A letter's dot is `x` columns wide and `y` half-rows tall: half-block characters (▀ ▄) draw half a row, so a side-car
pane of 10 rows still has letters three rows tall; in ASCII a dot is whole rows of '#'.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

HEIGHT = 5
FONT = {
    "A": (" ## ", "#  #", "####", "#  #", "#  #"),
    "B": ("### ", "#  #", "### ", "#  #", "### "),
    "C": (" ###", "#   ", "#   ", "#   ", " ###"),
    "D": ("### ", "#  #", "#  #", "#  #", "### "),
    "E": ("####", "#   ", "### ", "#   ", "####"),
    "F": ("####", "#   ", "### ", "#   ", "#   "),
    "G": (" ###", "#   ", "# ##", "#  #", " ###"),
    "H": ("#  #", "#  #", "####", "#  #", "#  #"),
    "I": ("###", " # ", " # ", " # ", "###"),
    "J": ("  ##", "   #", "   #", "#  #", " ## "),
    "K": ("#  #", "# # ", "##  ", "# # ", "#  #"),
    "L": ("#   ", "#   ", "#   ", "#   ", "####"),
    "M": ("#   #", "## ##", "# # #", "#   #", "#   #"),
    "N": ("#  #", "## #", "# ##", "#  #", "#  #"),
    "O": (" ## ", "#  #", "#  #", "#  #", " ## "),
    "P": ("### ", "#  #", "### ", "#   ", "#   "),
    "Q": (" ## ", "#  #", "#  #", "# # ", " # #"),
    "R": ("### ", "#  #", "### ", "# # ", "#  #"),
    "S": (" ###", "#   ", " ## ", "   #", "### "),
    "T": ("#####", "  #  ", "  #  ", "  #  ", "  #  "),
    "U": ("#  #", "#  #", "#  #", "#  #", " ## "),
    "V": ("#   #", "#   #", "#   #", " # # ", "  #  "),
    "W": ("#   #", "#   #", "# # #", "## ##", "#   #"),
    "X": ("#   #", " # # ", "  #  ", " # # ", "#   #"),
    "Y": ("#   #", " # # ", "  #  ", "  #  ", "  #  "),
    "Z": ("####", "   #", "  # ", " #  ", "####"),
    "0": (" ## ", "#  #", "#  #", "#  #", " ## "),
    "1": (" # ", "## ", " # ", " # ", "###"),
    "2": ("### ", "   #", " ## ", "#   ", "####"),
    "3": ("### ", "   #", " ## ", "   #", "### "),
    "4": ("#  #", "#  #", "####", "   #", "   #"),
    "5": ("####", "#   ", "### ", "   #", "### "),
    "6": (" ## ", "#   ", "### ", "#  #", " ## "),
    "7": ("####", "   #", "  # ", " #  ", " #  "),
    "8": (" ## ", "#  #", " ## ", "#  #", " ## "),
    "9": (" ## ", "#  #", " ###", "   #", " ## "),
    ":": (" ", "#", " ", "#", " "),
    "-": ("   ", "   ", "###", "   ", "   "),
    ".": (" ", " ", " ", " ", "#"),
    "'": ("#", "#", " ", " ", " "),
    "!": ("#", "#", "#", " ", "#"),
    "?": ("### ", "   #", " ## ", "    ", " #  "),
    "+": ("   ", " # ", "###", " # ", "   "),
    " ": ("  ", "  ", "  ", "  ", "  "),
    "…": ("     ", "     ", "     ", "     ", "# # #"),
    ",": ("  ", "  ", "  ", " #", "# "),
    "(": (" #", "# ", "# ", "# ", " #"),
    ")": ("# ", " #", " #", " #", "# "),
    "/": ("   #", "  # ", " #  ", " #  ", "#   "),
    "_": ("    ", "    ", "    ", "    ", "####"),
    "&": (" #  ", "# # ", " #  ", "# ##", " ## "),
}
ELLIPSIS = "…"


@dataclass(frozen=True, order=True)
class Scale:
    """How big a dot of a letter is: `x` columns wide, `y` half-rows tall."""

    x: int
    y: int

    @property
    def rows(self) -> int:
        """Rows a line of letters takes."""
        return -(-HEIGHT * self.y // 2)


# from small to big; a dot is as tall as wide (y = x) up to twice as tall (y = 2x, the shape of a terminal's cell)
SCALES = (
    Scale(1, 1),
    Scale(1, 2),
    Scale(2, 3),
    Scale(2, 4),
    Scale(3, 5),
    Scale(3, 6),
    Scale(4, 7),
    Scale(4, 8),
)


def scales(ascii: bool) -> tuple[Scale, ...]:
    """The scales a console can draw: in ASCII no half rows, so only even heights."""
    return tuple(s for s in SCALES if not ascii or s.y % 2 == 0)


def letters(text: str) -> str:
    """The text in the font's letters: accents dropped, upper case, and a character with no block form (an emoji, a
    letter of another script) left out; '' when fewer than half of the characters have one (the text is not it)."""
    shown = [
        c
        for c in unicodedata.normalize("NFKD", text.upper())
        if unicodedata.category(c)[0] not in "CZM" or c == " "
    ]
    kept = "".join(c for c in shown if c in FONT)
    visible = [c for c in shown if c != " "]
    if not kept.strip() or 2 * len(kept.replace(" ", "")) < len(visible):
        return ""
    return " ".join(kept.split())


def plain(text: str) -> str | None:
    """The text in the font's letters (see letters), or None when it cannot be drawn."""
    return letters(text) or None


def width(text: str, scale: int | Scale = 1) -> int:
    """Columns the text takes in block letters at this scale (a space between letters)."""
    x = scale.x if isinstance(scale, Scale) else scale
    drawn = letters(text)
    return sum((len(FONT[c][0]) + 1) * x for c in drawn) - x if drawn else 0


def fit(text: str, scale: Scale, columns: int) -> str:
    """The text's letters, cut with an ellipsis when they are wider than `columns` at this scale ('' when not even
    two letters and the ellipsis fit)."""
    drawn = letters(text)
    if width(drawn, scale) <= columns:
        return drawn
    for end in range(len(drawn) - 1, 1, -1):
        cut = drawn[:end].rstrip() + ELLIPSIS
        if width(cut, scale) <= columns:
            return cut
    return ""


def draw(text: str, scale: Scale, ascii: bool = False) -> list[str]:
    """The text in block letters at this scale: `scale.rows` rows; [] when it cannot be drawn."""
    drawn = letters(text)
    if not drawn:
        return []
    dots = [" ".join(FONT[c][row] for c in drawn) for row in range(HEIGHT)]
    dots = ["".join(cell * scale.x for cell in line) for line in dots]
    halves = [line for line in dots for _ in range(scale.y)]  # each dot row, y half-rows tall
    if ascii:
        return halves[::2]  # y is even: whole rows of #
    if len(halves) % 2:
        halves.append(" " * len(halves[0]))
    rows = []
    for top, bottom in zip(halves[::2], halves[1::2], strict=True):
        rows.append(
            "".join(
                ("█" if b == "#" else "▀") if t == "#" else ("▄" if b == "#" else " ")
                for t, b in zip(top, bottom, strict=True)
            )
        )
    return rows


def big(text: str, scale: int = 1, ascii: bool = False) -> list[str]:
    """The text in block letters, `scale` times as wide and twice `scale` half-rows tall: 5 × scale rows."""
    return draw(text, Scale(scale, 2 * scale), ascii)
