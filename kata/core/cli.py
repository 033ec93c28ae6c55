"""Command-line plumbing shared by the kata's commands: one-line usage errors and confirmations."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from typing import NoReturn


class UsageError(Exception):
    """A command line that cannot be run: one line for the learner, exit status 2."""


def quoted(text: str, limit: int = 40) -> str:
    """A value from the command line, quoted for a one-line message: cut when long, escapes visible."""
    return repr(text if len(text) <= limit else text[:limit] + "…")


class Parser(argparse.ArgumentParser):
    """argparse, but a mistake is one line that says what to do (exit status 2 is the caller's)."""

    def error(self, message: str) -> NoReturn:
        flag = re.match(r"^argument ([^:]+): ", message)
        if flag:  # our own messages name the flag already; argparse's own ('expected one argument') do not
            rest = message[flag.end() :]
            names = flag.group(1).split("/")
            message = rest if any(name in rest for name in names) else f"{names[0]}: {rest}"
        # argparse repeats what was typed: a 10 000-character value stays one short line
        if len(message) > 200:
            message = message[:200] + "…"
        raise UsageError(f"{message}. See: {self.prog} --help")


def confirm(question: str, yes: bool, read: Callable[[str], str] = input) -> bool:
    """Ask a yes/no question (default no); --yes answers it; with no terminal to ask, raise UsageError."""
    if yes:
        return True
    if read is input and not sys.stdin.isatty():
        raise UsageError(
            f"{question.rstrip('?')}: there is no terminal to ask, so add --yes to go ahead"
        )
    try:
        return read(f"{question} [y/N] ").strip().lower() in ("y", "yes")
    except EOFError:
        return False


def quiet_start(prog: str) -> None:
    """Before an entry point imports the kata: Ctrl-C while Python still loads it, or a content.toml the kata
    cannot use, is one line on stderr instead of a traceback (anything else keeps its traceback). And output to
    a stream that cannot show a character (piped on Windows in cp1252, PYTHONIOENCODING=ascii) shows '?' for
    it instead of stopping with UnicodeEncodeError; the pictures switch to ASCII there already."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(
            stream, "reconfigure", None
        )  # absent on a replaced stream (pythonw, a test)
        if reconfigure is not None:
            reconfigure(errors="replace")

    def said(kind: type[BaseException], error: BaseException, trace: object) -> None:
        if issubclass(kind, KeyboardInterrupt):
            print(f"{prog}: stopped before anything was written.", file=sys.stderr)
        elif kind.__name__ == "ContentError":  # kata.core.registry's, which cannot be imported yet
            print(f"{prog}: {error}", file=sys.stderr)
        else:
            sys.__excepthook__(kind, error, trace)  # type: ignore[arg-type]

    sys.excepthook = said
