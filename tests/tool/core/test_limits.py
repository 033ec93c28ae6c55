"""The time limits count the learner's code's own time, not the time a busy machine kept it waiting, and say how
the time went: computing (slow or stuck) or waiting (a sleep)."""

from __future__ import annotations

import os
import sys

import pytest

from kata.core import limits


class Stop(Exception):
    pass


@pytest.fixture(autouse=True)
def no_calls():
    limits.CALLS.clear()
    yield
    limits.CALLS.clear()


@pytest.mark.skipif(not limits.has_alarm(), reason="no SIGALRM on this platform")
def test_the_limit_waits_again_for_the_time_a_busy_machine_took(monkeypatch):
    # the clock says: 0 at the start, 0.02 at the first alarm (the rest of the wall time went to other programs),
    # then past the limit
    readings = iter([0.0, 0.02, 10.0])
    seen = []

    def clock():
        seen.append(next(readings))
        return seen[-1]

    monkeypatch.setattr(limits, "own_time", clock)
    with pytest.raises(Stop), limits.deadline(0.05, Stop):
        while True:
            pass
    assert seen == [0.0, 0.02, 10.0]


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or not os.path.exists("/proc/self/schedstat"),
    reason="Linux's /proc schedstat",
)
def test_the_main_threads_cpu_time_and_wait_are_read_on_linux():
    ran, waited = limits.schedstat()
    assert ran > 0 and waited >= 0
    assert limits.own_time() > 0


def test_a_test_that_mostly_waited_is_called_a_wait_not_a_loop():
    said = limits.late(1, 10, "steps/step01_parabola.py", busy=0.0, ran=0.2)
    assert said.startswith("step 1 ran past its time limit of 10 s in steps/step01_parabola.py: ")
    assert "it computed for only 0.2 s of that and waited the rest. A time.sleep()" in said
    assert "loop" not in said


def test_slow_code_is_called_slow_not_a_loop_that_never_ends():
    limits.timed("forecast", 4.5)
    limits.timed("forecast", 4.4)
    said = limits.late(10, 10, "steps/step10_forecast.py", busy=8.0, ran=9.9)
    assert said.startswith(
        "step 10 ran past its time limit of 10 s in steps/step10_forecast.py (not counting 8 s it waited for "
        "a busy machine): your code is slow rather than stuck. In this step's tests forecast() returned 2 times, "
        "taking up to 4.5 s"
    )
    assert "never ends" not in said


def test_code_that_returned_quickly_before_and_not_now_is_asked_about_a_loop():
    limits.timed("descend", 0.001)
    said = limits.late(4, 10, "steps/step04_descend.py", busy=0.0, ran=10.0)
    assert "descend() returned 1 time, in 0.00 s at most, before this call that did not" in said
    assert "A loop that never ends for these arguments?" in said


def test_code_that_never_returned_is_asked_about_both():
    said = limits.late(1, 1, "steps/step01_parabola.py", busy=0.0, ran=None)
    assert said.endswith(
        "nothing it was asked returned in that time. A loop that never ends, or code far slower than it needs to be?"
    )


def test_the_parents_last_resort_is_at_least_twice_the_limits(monkeypatch):
    monkeypatch.setattr(os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    assert limits.patience() == 2.0
    monkeypatch.setattr(os, "getloadavg", lambda: (9.0, 0.0, 0.0))
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    assert limits.patience() == pytest.approx(1.5 * 10 / 2)


def test_the_step_tests_time_each_call_of_the_learners_function():
    from kata.core.registry import STEPS
    from tests.support import kindly

    def forecast(temperature):
        return temperature

    kindly(STEPS[9], forecast)(33)
    assert list(limits.CALLS) == ["forecast"] and len(limits.CALLS["forecast"]) == 1


@pytest.mark.parametrize(
    "answer, said",
    [
        ([0.0] * 20_000_000, "a list of 20,000,000 items"),
        ("z" * 50_000_000, "a str of 50,000,000 characters"),
        ((1.0, 2.0, [0.0] * 6_000_000), "a list of 6,000,000 items"),
    ],
)
def test_a_huge_answer_is_said_at_once_not_shown(answer, said):
    # showing it in a message took one to two minutes and two gigabytes (issue 19's attacker)
    from kata.core.registry import STEPS
    from tests.support import kindly

    def f(x):
        return answer

    with pytest.raises(pytest.fail.Exception) as failed:
        kindly(STEPS[0], f)(6)
    assert str(failed.value).startswith(f"f() returned {said}: far more than any answer")


def test_a_long_answer_the_kata_asks_for_passes_through():
    from kata.core.registry import STEPS
    from tests.support import kindly

    losses = [1.0] * 200_000  # train_until's losses can run to hundreds of thousands
    assert kindly(STEPS[12], lambda *a: (1.0, 2.0, losses))() == (1.0, 2.0, losses)
