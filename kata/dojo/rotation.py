"""The dojo's rotation: who drives, who navigates, the rounds, and the breaks; no screen and no clock of its own."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import NamedTuple

WARNING = 30.0  # seconds before the end of a turn when the screen warns (a quarter of a short turn)
NAME = 40  # characters of a name the rotation keeps (a longer one is shortened, with an ellipsis, and the room told)


@dataclass
class Rotation:
    """Who drives and for how long; the clock comes from outside, so tests need not wait."""

    drivers: list[str]
    seconds: float
    started: float
    index: int = 0  # the driver's place in `drivers`
    turns: int = 0  # hand-overs so far
    rounds: int = 0  # rounds finished: each ends when everyone here has driven once
    in_round: int = 0  # hand-overs in the round under way
    away: set[str] = field(default_factory=set)  # people skipped (x) until they are added back (+)
    paused_at: float | None = None
    paused_for: float = 0.0

    def remaining(self, now: float) -> float:
        """Seconds left in this turn (negative once over)."""
        end = self.paused_at if self.paused_at is not None else now
        return self.seconds - (end - self.started - self.paused_for)

    @property
    def warn_at(self) -> float:
        """Seconds left when the turn warns: 30 s, or a quarter of a turn shorter than two minutes."""
        return min(WARNING, self.seconds / 4)

    def pause(self, now: float) -> None:
        if self.paused_at is None:
            self.paused_at = now

    def resume(self, now: float) -> None:
        if self.paused_at is not None:
            self.paused_for += now - self.paused_at
            self.paused_at = None

    def person(self, offset: int) -> str:
        return self.drivers[(self.index + offset) % len(self.drivers)] if self.drivers else ""

    @property
    def driver(self) -> str:
        return self.person(0)

    @property
    def navigator(self) -> str:
        name = self.after(0, 1) if len(self.drivers) > 1 else ""
        return name if name != self.driver else ""

    def after(self, offset: int, count: int) -> str:
        """The `count`-th person after place `offset` who is not away ('' when nobody is)."""
        seen = 0
        for step in range(1, len(self.drivers) + 1):
            name = self.person(offset + step)
            if name not in self.away:
                seen += 1
                if seen == count:
                    return name
        return ""

    @property
    def next_driver(self) -> str:
        """Who drives next: the navigator, unless they are away."""
        return self.after(0, 1) or self.driver if len(self.drivers) > 1 else self.driver

    @property
    def next_navigator(self) -> str:
        name = self.after(0, 2)
        return name if name and name != self.next_driver else ""

    @property
    def round(self) -> int:
        return self.rounds + 1

    @property
    def present(self) -> int:
        """How many people take turns now (not those away)."""
        return max(len([d for d in self.drivers if d not in self.away]), 1)

    @property
    def next_starts_a_round(self) -> bool:
        """True when the coming hand-over ends this round: everyone here will have driven once. A roster that
        grows or shrinks mid-round moves the end of this round, never the rounds already done."""
        return self.in_round + 1 >= self.present

    def hand_over(self, now: float) -> None:
        """The next driver drives, the person after them navigates, and the clock starts again."""
        if self.next_starts_a_round:
            self.rounds, self.in_round = self.rounds + 1, 0
        else:
            self.in_round += 1
        if self.drivers:
            self.index = self.drivers.index(self.next_driver)
        self.turns += 1
        self.started, self.paused_at, self.paused_for = now, None, 0.0

    def skip_next(self) -> str:
        """The proposed next driver is away: they are skipped until added back; the sentence to show."""
        present = [d for d in self.drivers if d not in self.away]
        if len(present) < 3:
            return "Skipping needs three people or more who are here."
        name = self.next_driver
        self.away.add(name)
        return (
            f"{name} is skipped (away: + {name} brings them back). {self.next_driver} drives next."
        )

    def add(self, name: str) -> str:
        """Add a person at the end of the order (or bring back one who was away); the sentence to show."""
        match = next((d for d in self.drivers if d.lower() == name.lower()), None)
        if match in self.away:
            self.away.discard(match)
            return f"{match} is back in the rotation."
        if match is not None:
            return f"{match} is in the rotation already."
        self.drivers.append(name)
        return f"{name} joins the rotation."

    def remove(self, name: str) -> str:
        """Remove a person (not the one driving); the sentence to show."""
        match = next((d for d in self.drivers if d.lower() == name.lower()), None)
        if match is None:
            return f"{name} is not in the rotation ({', '.join(self.drivers)})."
        if match == self.driver:
            return f"{match} is driving: hand over first, then remove them."
        at = self.drivers.index(match)
        self.drivers.remove(match)
        self.away.discard(match)
        if at < self.index:
            self.index -= 1
        return f"{match} leaves the rotation."

    def shuffle(self, rng: random.Random) -> str:
        """Shuffle everyone but the driver; the sentence to show."""
        others = [d for d in self.drivers if d != self.driver]
        rng.shuffle(others)
        self.drivers = [self.driver, *others]
        self.index = 0
        away = f" ({', '.join(sorted(self.away))} still away)" if self.away else ""
        return "New order: " + ", ".join(self.drivers) + "." + away


class Breaks(NamedTuple):
    """A break every `every` minutes or rounds (`unit`), `minutes` long."""

    unit: str
    every: float
    minutes: float = 10.0

    def __str__(self) -> str:
        unit = "minute" if self.unit == "minutes" else "round"
        every = unit if self.every == 1 else f"{self.every:g} {unit}s"
        return f"every {every}, {self.minutes:g} minute{'' if self.minutes == 1 else 's'} long"


def parse_every(text: str) -> tuple[str, float]:
    """'50', '50m' or '50 minutes' → ('minutes', 50); '3r' or '3 rounds' → ('rounds', 3); ValueError otherwise."""
    for suffix, unit in (
        ("rounds", "rounds"),
        ("round", "rounds"),
        ("r", "rounds"),
        ("minutes", "minutes"),
        ("min", "minutes"),
        ("m", "minutes"),
        ("", "minutes"),
    ):
        if text.endswith(suffix) and text[: len(text) - len(suffix)]:
            value = float(text[: len(text) - len(suffix)])
            if not 0 < value < 24 * 60:
                raise ValueError(text)
            return unit, value
    raise ValueError(text)


def parse_break(text: str) -> Breaks:
    """'50m/10m': a 10-minute break every 50 minutes; '3r/15' every 3 rounds; '50', '50m', '3r' take 10 minutes."""
    every, slash, length = text.strip().lower().replace(" ", "").partition("/")
    unit, value = parse_every(every)
    if not slash:
        return Breaks(unit, value)
    length_unit, minutes = parse_every(length)
    if length_unit != "minutes" or minutes > 4 * 60:
        raise ValueError(text)
    return Breaks(unit, value, minutes)


def shortened(name: str) -> str:
    """A name as the rotation keeps it: at most NAME characters, a longer one cut with an ellipsis."""
    return name if len(name) <= NAME else name[: NAME - 1].rstrip() + "…"


def parse_drivers(text: str) -> list[str]:
    """'Ana, Bo,Cy' → ['Ana', 'Bo', 'Cy'] (a name longer than NAME characters shortened, with an ellipsis)."""
    return [shortened(name.strip()) for name in text.split(",") if name.strip()]


def twice(names: list[str]) -> str:
    """The first name given twice (in any case: the rotation tells people apart by name), or ''."""
    seen: set[str] = set()
    for name in names:
        if name.casefold() in seen:
            return name
        seen.add(name.casefold())
    return ""
