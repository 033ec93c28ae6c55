"""Single key presses from a terminal, read as the bytes it sends: an arrow or Home is one key, never three letters.
Shared by the loop (watch, dojo) and the tracer.

No POSIX-only module is imported at module level: without termios (Windows) there are no keys, and Ctrl-C quits.
With stdin closed, None or not a terminal there are no keys either: reading one waits, and finds none.
"""

from __future__ import annotations

import os
import re
import select
import sys
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

# an escape sequence as terminals send them: CSI (ESC [ … final byte), SS3 (ESC O x), Alt+key (ESC x), or ESC alone
ESCAPE = re.compile(rb"\x1b(?:\[[0-?]*[ -/]*[@-~]|O.|[^\[O])?", re.DOTALL)
NAMED = {
    b"\r": "enter",
    b"\n": "enter",
    b" ": "space",
    b"\x7f": "backspace",
    b"\x08": "backspace",
    b"\t": "tab",
}
ESCAPE_WAIT = 0.02  # seconds to wait for the rest of a sequence whose first bytes arrived alone


def keys_from(data: bytes) -> list[str]:
    """Split what a terminal sent into keys: a character, 'enter', 'space', 'backspace', 'tab', or 'escape' for a
    whole escape sequence (an arrow, Home, End, a function key), which no command uses."""
    keys: list[str] = []
    text = data.replace(b"\r\n", b"\r")
    at = 0
    while at < len(text):
        if text[at : at + 1] == b"\x1b":
            match = ESCAPE.match(text, at)
            at = match.end() if match else at + 1
            keys.append("escape")
            continue
        byte = text[at : at + 1]
        if byte in NAMED:
            keys.append(NAMED[byte])
            at += 1
            continue
        # one UTF-8 character
        width = 1 if byte[0] < 0x80 else 2 if byte[0] < 0xE0 else 3 if byte[0] < 0xF0 else 4
        character = text[at : at + width].decode("utf-8", errors="ignore")
        at += width
        if character and character.isprintable():
            keys.append(character)
    return keys


def incomplete(data: bytes) -> bool:
    """True when the bytes end inside an escape sequence (ESC, or ESC [ with no final byte yet)."""
    start = data.rfind(b"\x1b")
    if start < 0:
        return False
    tail = data[start:]
    return tail in (b"\x1b", b"\x1b[", b"\x1bO") or bool(re.fullmatch(rb"\x1b\[[0-?]*[ -/]*", tail))


class Keys:
    """Key presses without Enter (POSIX cbreak mode); no keys when stdin is not a terminal."""

    def __init__(self, sleep: Callable[[float], None] = time.sleep) -> None:
        self.sleep = sleep
        self.fd: int | None = None
        self.cbreak: int | None = None  # the terminal put in cbreak mode, to restore at the end
        self.saved: list[Any] | None = None
        self.pending: list[str] = []

    def __enter__(self) -> Keys:
        try:
            import termios
            import tty

            stdin = sys.stdin
            if stdin is not None and stdin.isatty():
                fd = stdin.fileno()
                self.saved = termios.tcgetattr(fd)
                tty.setcbreak(fd)
                self.fd = self.cbreak = fd
        except Exception:  # no termios (Windows), stdin closed under us, termios.error: no keys
            self.fd = None
        return self

    @property
    def terminal(self) -> bool:
        """True when keys can come: stdin is a terminal, read in cbreak mode."""
        return self.fd is not None

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self.cbreak is not None and self.saved is not None:
            import termios

            try:
                termios.tcsetattr(self.cbreak, termios.TCSADRAIN, self.saved)
            except (OSError, termios.error):  # the terminal is gone: nothing to restore
                pass

    def read(self, timeout: float | None) -> str | None:
        """Wait up to `timeout` seconds (None: until a key comes) for a key; return it, or None. With no terminal
        no key comes: it waits `timeout` and returns None (at once, for None)."""
        if self.pending:
            return self.pending.pop(0)
        if self.fd is None:
            if timeout is not None:
                self.sleep(timeout)
            return None
        try:
            ready, _, _ = select.select([self.fd], [], [], timeout)
            if not ready:
                return None
            data = os.read(self.fd, 64)
        except (OSError, ValueError):  # the terminal went away
            self.fd = None
            return None
        while incomplete(data) and select.select([self.fd], [], [], ESCAPE_WAIT)[0]:
            data += os.read(self.fd, 64)
        if not data:  # end of file: the terminal is gone
            self.fd = None
            return None
        self.pending.extend(keys_from(data))
        return self.pending.pop(0) if self.pending else None
