"""The tracer's keys come from kata/core/keys.py, the loop's reader: single keys from the bytes a terminal sends,
and no keys at all (never an AttributeError) when stdin is closed, None or not a terminal."""

from __future__ import annotations

import io
import sys

import pytest

from kata.core.keys import Keys, keys_from
from kata.trace.tracer import key_reader


@pytest.mark.parametrize(
    "stdin", [None, io.StringIO("")], ids=["stdin None", "stdin not a terminal"]
)
def test_with_no_terminal_there_are_no_keys_and_waiting_for_ever_runs_on(monkeypatch, stdin):
    monkeypatch.setattr(sys, "stdin", stdin)
    slept = []
    with Keys(sleep=slept.append) as terminal:
        assert not terminal.terminal
        assert terminal.read(0.25) is None and slept == [0.25]
        assert terminal.read(None) is None  # at once: nobody will press a key
        keys = key_reader(terminal)
        assert keys(None) == "all" and keys(0.5) is None


def test_the_tracer_reads_enter_space_a_and_q_and_ignores_arrows():
    class Sent:
        terminal = True

        def __init__(self, data: bytes) -> None:
            self.pending = keys_from(data)

        def read(self, timeout):
            return self.pending.pop(0) if self.pending else None

    keys = key_reader(Sent(b"\x1b[A\r a q"))  # type: ignore[arg-type]
    assert [keys(None) for _ in range(6)] == ["", "next", "next", "all", "next", "quit"]
