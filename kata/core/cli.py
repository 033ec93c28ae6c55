"""Command-line plumbing shared by the kata's commands: one-line usage errors and confirmations."""

from __future__ import annotations

import argparse
import atexit
import os
import re
import signal
import sys
import threading
from collections.abc import Callable
from types import FrameType
from typing import NoReturn

from kata.core import keeper


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


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP: the command ends as on Ctrl-C (every cleanup runs: guarded runs are killed, temporary
    files removed, the terminal restored), with exit status 128 + the signal's number."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def stop_on_signals() -> None:
    """Make SIGTERM and SIGHUP (a closed terminal) raise Stopped in the main thread, once: a second one while the
    command cleans up is ignored. A signal ignored already (nohup) stays ignored."""
    if threading.current_thread() is not threading.main_thread():
        return

    def stopped(signum: int, frame: FrameType | None) -> None:
        for name in ("SIGTERM", "SIGHUP"):
            if hasattr(signal, name):
                signal.signal(getattr(signal, name), signal.SIG_IGN)
        raise Stopped(signum)

    for name in ("SIGTERM", "SIGHUP"):
        signum = getattr(signal, name, None)
        if signum is not None and signal.getsignal(signum) == signal.SIG_DFL:
            signal.signal(signum, stopped)


def signal_name(interrupt: KeyboardInterrupt) -> str:
    """How a stop is named in its one line: Ctrl-C, or the signal's name (SIGTERM, SIGHUP)."""
    if not isinstance(interrupt, Stopped):
        return "Ctrl-C"
    try:
        return signal.Signals(interrupt.signum).name
    except ValueError:
        return f"signal {interrupt.signum}"


def exit_status(interrupt: KeyboardInterrupt) -> int:
    """The exit status of a command stopped by Ctrl-C (130) or by a signal (128 + its number)."""
    return 128 + interrupt.signum if isinstance(interrupt, Stopped) else 130


def open_std_streams() -> None:
    """A command started with stdin, stdout or stderr closed (`<&-`) gets /dev/null there instead: no file the
    kata opens later takes fd 0, 1 or 2, and stdin reads as empty (no terminal to ask) rather than None."""
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            try:
                opened = os.open(os.devnull, os.O_RDWR)
            except OSError:
                continue
            if opened != fd:  # a lower one was free: cannot happen, as 0 to fd - 1 are open by now
                os.close(opened)
    for name, fd, mode in (("stdin", 0, "r"), ("stdout", 1, "w"), ("stderr", 2, "w")):
        if getattr(sys, name) is None:
            try:
                setattr(sys, name, open(fd, mode, closefd=False, errors="replace"))  # noqa: SIM115
            except OSError:
                pass


def quiet_start(prog: str) -> None:
    """Before an entry point imports the kata: Ctrl-C while Python still loads it, or a content.toml the kata
    cannot use, or a Python without rich or pytest, is one line on stderr instead of a traceback (anything else
    keeps its traceback). And output to
    a stream that cannot show a character (piped on Windows in cp1252, PYTHONIOENCODING=ascii) shows '?' for
    it instead of stopping with UnicodeEncodeError; the pictures switch to ASCII there already. A closed std
    stream reads or writes /dev/null; SIGTERM and SIGHUP end the command as Ctrl-C does; and the learner's
    processes that lose their keeper come back to this process (kata/core/keeper.py), to be killed."""
    open_std_streams()
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(
            stream, "reconfigure", None
        )  # absent on a replaced stream (pythonw, a test)
        if reconfigure is not None:
            reconfigure(errors="replace")

    status: list[int] = []  # the exit status a stop asks for, set by the hook below

    def end_with_status() -> None:
        # registered first, so it runs last, after every other cleanup (guarded runs killed, files removed):
        # Python ends a process stopped by SIGTERM or SIGHUP with status 1, not 128 + the signal's number
        if status:
            for stream in (sys.stdout, sys.stderr):
                try:
                    stream.flush()
                except (OSError, ValueError, AttributeError):
                    pass
            os._exit(status[0])

    atexit.register(end_with_status)

    def said(kind: type[BaseException], error: BaseException, trace: object) -> None:
        if isinstance(error, KeyboardInterrupt):
            status.append(exit_status(error))
            try:
                print(
                    f"{prog}: stopped ({signal_name(error)}) before anything was written.",
                    file=sys.stderr,
                )
            except (OSError, ValueError):
                pass  # a closed terminal: nobody to tell
        elif kind.__name__ == "ContentError":  # kata.core.registry's, which cannot be imported yet
            print(f"{prog}: {error}", file=sys.stderr)
        elif isinstance(error, ModuleNotFoundError) and (
            missing := (error.name or "").split(".")[0]
        ) in (
            "rich",
            "pytest",
        ):
            status.append(2)  # the kata is not installed in this Python: what to do, in one line
            print(
                f"{prog}: this Python has no {missing} ({sys.executable}): install the kata first, from its "
                "folder: python -m pip install -e .",
                file=sys.stderr,
            )
        else:
            sys.__excepthook__(kind, error, trace)  # type: ignore[arg-type]

    sys.excepthook = said
    # after the hook: a SIGTERM from here on is one line too
    stop_on_signals()
    keeper.adopt()
