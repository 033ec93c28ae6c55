"""Time limits for learner code: a loop that never ends must not hang a tool."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from kata.core.guard import has_alarm, time_limit
from kata.core.registry import Step

MARGIN = 20.0  # seconds for starting Python and pytest on a slow machine, on top of the steps' own limits
GRACE = 1.0  # seconds past a test's limit before the run's watchdog thread ends it: SIGALRM had its chance
# seconds past that before the parent kills the run: nothing inside it could stop the test
SLACK = 3.0


# taken at import: learner code may rebind os.read or time.monotonic while the watchdog reads the clock
_OPEN, _READ, _CLOSE, _MONOTONIC, _MAIN = (
    os.open,
    os.read,
    os.close,
    time.monotonic,
    threading.main_thread,
)


def schedstat() -> tuple[float, float]:
    """(seconds on a CPU, seconds ready to run but waiting for a CPU) of the main thread, from Linux's
    /proc/self/task/TID/schedstat; (0.0, 0.0) where there is none."""
    try:
        fd = _OPEN(f"/proc/self/task/{_MAIN().native_id}/schedstat", os.O_RDONLY)
        try:
            ran, waited = _READ(fd, 200).split()[:2]
        finally:
            _CLOSE(fd)
        return int(ran) / 1e9, int(waited) / 1e9
    except (OSError, ValueError, TypeError):
        return 0.0, 0.0


def own_time() -> float:
    """The time limits' clock, in seconds: the wall clock less the time the main thread waited for a CPU that
    other programs held. Correct code on a busy machine is not late for it; an endless loop and a sleep are."""
    return _MONOTONIC() - schedstat()[1]


def patience() -> float:
    """How many times its own time a run may take on the wall clock here: at least 2, more on a busy machine
    (processes ready to run per core, from the load average). For the parent's last resort, which sees only
    the wall clock."""
    try:
        load, cores = os.getloadavg()[0], len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return 2.0
    return max(2.0, 1.5 * (load + 1) / max(cores, 1))


def limit_for(step: Step) -> float:
    """The step's time limit in seconds: the registry's, or KATA_TIME_LIMIT when set (raises guard.GuardError if bad)."""
    return time_limit(step.time_limit)


def run_limit(steps: Sequence[Step]) -> float:
    """The wall-clock limit for one test run of these steps, after which its parent kills it (the last resort)."""
    # each step can use its limit once: after a timeout the rest of that step's tests are skipped; the steps'
    # limits count on own_time(), which the wall clock outruns on a busy machine
    return sum(limit_for(step) for step in steps) * patience() + MARGIN


@contextmanager
def deadline(seconds: float, error: Callable[[], BaseException]) -> Iterator[None]:
    """Raise error() inside the body once it has run `seconds` of own_time() (POSIX main thread; elsewhere no
    limit): the alarm rings after `seconds` on the wall clock, and rings again for the time the body waited for a
    busy CPU."""
    if not has_alarm() or threading.current_thread() is not threading.main_thread():
        yield
        return
    # taken now, before the body runs: learner code could rebind signal.setitimer to something that does nothing
    setitimer, handle, clock = signal.setitimer, signal.signal, own_time
    ends = clock() + seconds

    def stop(signum: int, frame: object) -> None:
        __tracebackhide__ = True  # pytest shows the learner's line, not this one
        left = ends - clock()
        if left > 0.01:  # the machine was busy: that wait is not the body's time
            setitimer(signal.ITIMER_REAL, left)
            return
        raise error()

    previous = handle(signal.SIGALRM, stop)
    # 0 would turn the timer off  (kata: not the article's)
    setitimer(signal.ITIMER_REAL, max(seconds, 1e-3))
    try:
        yield
    finally:
        setitimer(signal.ITIMER_REAL, 0)
        # also undoes a handler the learner's code put there
        handle(signal.SIGALRM, previous)


# the seconds (own_time) each call that returned took, per function of the learner's that the step's tests call,
# in the current step's tests so far: a time limit then says whether the code is slow or never returns
CALLS: dict[str, list[float]] = {}


def timed(name: str, seconds: float) -> None:
    """Note that a call of the learner's function `name` returned after `seconds`."""
    CALLS.setdefault(name, []).append(seconds)


def late(number: int, limit: float, where: str, busy: float, ran: float | None) -> str:
    """The words for a test of step `number` stopped at its time limit: what the clocks and the calls noted say,
    never more. busy: seconds it waited for a CPU other programs held (not counted); ran: seconds it computed (None:
    not known here)."""
    said = f"step {number} ran past its time limit of {limit:g} s in {where}"
    if busy >= 1:
        said += f" (not counting {busy:.0f} s it waited for a busy machine)"
    if ran is not None and ran < limit / 2:
        return f"{said}: it computed for only {ran:.1f} s of that and waited the rest. A time.sleep(), input(), or a wait for a thread?"
    calls = [(name, times) for name, times in CALLS.items() if times]
    if not calls:
        return f"{said}: nothing it was asked returned in that time. A loop that never ends, or code far slower than it needs to be?"
    name, times = max(calls, key=lambda call: max(call[1]))
    count = f"{len(times)} {'time' if len(times) == 1 else 'times'}"
    if max(times) >= limit / 10:
        return (
            f"{said}: your code is slow rather than stuck. In this step's tests {name}() returned {count}, taking "
            f"up to {max(times):.1f} s, and the tests ask for more. Make it faster: the line below is where it was."
        )
    return (
        f"{said}: in this step's tests {name}() returned {count}, in {max(times):.2f} s at most, before this call "
        "that did not. A loop that never ends for these arguments?"
    )
