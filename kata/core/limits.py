"""Time limits for learner code: a loop that never ends must not hang a tool."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from kata.core.guard import has_alarm, time_limit
from kata.core.registry import Step

MARGIN = 20.0  # seconds for starting Python and pytest on a slow machine, on top of the steps' own limits
GRACE = 1.0  # seconds past a test's limit before the run's watchdog thread ends it: SIGALRM had its chance
# seconds past that before the parent kills the run: nothing inside it could stop the test
SLACK = 3.0


def limit_for(step: Step) -> float:
    """The step's time limit in seconds: the registry's, or KATA_TIME_LIMIT when set (raises guard.GuardError if bad)."""
    return time_limit(step.time_limit)


def run_limit(steps: Sequence[Step]) -> float:
    """The wall-clock limit for one test run of these steps, after which its parent kills it (the last resort)."""
    # each step can use its limit once: after a timeout the rest of that step's tests are skipped
    return sum(limit_for(step) for step in steps) + MARGIN


@contextmanager
def deadline(seconds: float, error: Callable[[], BaseException]) -> Iterator[None]:
    """Raise error() inside the body once it has run `seconds` (POSIX main thread; elsewhere no limit)."""
    if not has_alarm() or threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        __tracebackhide__ = True  # pytest shows the learner's line, not this one
        raise error()

    # taken now, before the body runs: learner code could rebind signal.setitimer to something that does nothing
    setitimer, handle = signal.setitimer, signal.signal
    previous = handle(signal.SIGALRM, stop)
    # 0 would turn the timer off  (kata: not the article's)
    setitimer(signal.ITIMER_REAL, max(seconds, 1e-3))
    try:
        yield
    finally:
        setitimer(signal.ITIMER_REAL, 0)
        # also undoes a handler the learner's code put there
        handle(signal.SIGALRM, previous)
