"""Which walk a broken step is blamed for: only a walk that runs it (r2 trace 1)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from kata.trace.verdicts import blames, broken


@dataclass
class Record:
    problems: list[str] = field(default_factory=list)
    red: list[str] = field(default_factory=list)
    notes: list[tuple[bool, str]] = field(default_factory=list)


@pytest.mark.parametrize(
    "record, numbers",
    [
        (Record(red=["step 13"]), {13}),
        (Record(problems=["your gradient is wrong: check steps/step08_gradient.py"]), {8}),
        (Record(notes=[(False, "your forecast(33) says 1: check steps/step10_forecast.py")]), {10}),
        (
            Record(notes=[(True, "The data: park.txt as read by your load() (step 5), 14 days.")]),
            set(),
        ),
        (Record(problems=["a problem that names no step"]), None),
    ],
)
def test_the_broken_steps_are_read_from_what_names_them(record, numbers):
    assert broken(record) == numbers


def test_a_walk_is_blamed_only_for_a_step_it_runs():
    assert not blames(Record(red=["step 13"]))  # the sweep's walks run steps 6–8
    assert not blames(Record(red=["step 16"], problems=["… check steps/step16_momentum.py"]))
    assert blames(Record(red=["step 8"]))
    assert blames(Record(red=["step 2"]), (1, 2, 3)) and not blames(
        Record(red=["step 4"]), (1, 2, 3)
    )
    assert blames(Record(problems=["a problem that names no step"]))  # nothing can be ruled out
