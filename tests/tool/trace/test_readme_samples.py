"""The README's sample output of the tracer is what the tracer prints: each part of a sample between its '…' lines
appears, line for line, in the output of the command the README names."""

from __future__ import annotations

import re

import pytest

from kata.core.registry import ROOT
from tests.tool.trace.test_trace import trace

README = (ROOT / "README.md").read_text(encoding="utf-8")


def sample_after(words: str) -> list[list[str]]:
    """The ```text block that follows `words` in the README, in parts split at its '…' lines."""
    at = README.index(words)
    block = re.search(r"```text\n(.*?)```", README[at:], re.S)
    assert block, words
    parts: list[list[str]] = [[]]
    for line in block.group(1).splitlines():
        if line.strip() == "…":
            parts.append([])
        else:
            parts[-1].append(line.rstrip())
    return [part for part in parts if part]


def lines_of(screen: str) -> list[str]:
    return [line.rstrip() for line in screen.splitlines()]


def contains(lines: list[str], part: list[str]) -> bool:
    return any(lines[i : i + len(part)] == part for i in range(len(lines) - len(part) + 1))


@pytest.mark.parametrize(
    ("words", "argv", "width"),
    [
        ("What `python -m kata.trace` prints, piped at 80 columns", (), 80),
        ("each step becomes a\nblock with every value beside its name", ("park",), 60),
    ],
)
def test_the_readme_shows_what_the_tracer_prints(words, argv, width):
    _, screen = trace(*argv, width=width)
    lines = lines_of(screen)
    for part in sample_after(words):
        assert contains(lines, part), "\n".join(part)
