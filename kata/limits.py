"""Time limits for learner code: a loop that never ends must not hang a tool."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from .registry import Step


def limit_for(step: Step) -> float:
    """The step's time limit in seconds: the registry's, or KATA_TIME_LIMIT when set (slow machines, tests)."""
    override = os.environ.get("KATA_TIME_LIMIT")
    return float(override) if override else step.time_limit


@contextmanager
def deadline(seconds: float, error: Callable[[], BaseException]) -> Iterator[None]:
    """Raise error() inside the body once it has run `seconds` (POSIX main thread; elsewhere no limit)."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise error()

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
