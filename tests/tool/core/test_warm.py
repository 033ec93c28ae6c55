"""Warm checks (watch and dojo mode) say exactly what cold checks say, whatever the learner's code does.

Each misbehaviour of test_guard.py runs cold (test_guard.py's own check, run once for both files by the
conftest's `misbehaving`) and warm, each in its own copy of the kata; the states and messages must agree, a
forked child must be dead afterwards, and the warm process must still answer the next check.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kata.core.checks import run_check
from kata.core.registry import STEPS
from kata.core.warm import Warm
from tests.tool.conftest import copy_kata
from tests.tool.core.test_guard import CASES, ESCAPES, MINE, alive, each_case

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="warm checks fork: POSIX only")


def said(check) -> tuple[str, str]:
    result = check.steps[0]
    return result.state, result.message.splitlines()[0][:60] if result.message else ""


@pytest.fixture(scope="module")
def both(
    tmp_path_factory: pytest.TempPathFactory, misbehaving
) -> dict[str, tuple[tuple[str, str], tuple[str, str], Path, bool]]:
    base = tmp_path_factory.mktemp("warm")
    colds = misbehaving[1]  # test_guard.py's checks: each case in a copy of its own, cold

    def one(name: str):
        root = copy_kata(base / name.replace(" ", "-").replace("/", "-"))
        (root / MINE).write_text(CASES[name], encoding="utf-8")
        cold = colds[name]
        warm = Warm(root)
        try:
            hot = run_check(root, STEPS[:1], run_stubs=True, warm=warm)
            (root / MINE).write_text("def f(x):\n    return (x - 3) ** 2 + 2\n", encoding="utf-8")
            again = run_check(root, STEPS[:1], run_stubs=True, warm=warm)
            alive = warm.process is not None and warm.process.poll() is None
        finally:
            warm.close()
        return said(cold), said(hot), root, alive and again.steps[0].state == "green"

    return each_case(one)  # with the time limits test_guard.py gave each case cold


@pytest.mark.parametrize("case", CASES)
def test_a_warm_check_says_what_a_cold_one_says(both, case):
    cold, warm, _, _ = both[case]
    assert warm == cold


@pytest.mark.parametrize("case", CASES)
def test_after_any_misbehaviour_the_next_warm_check_works(both, case):
    assert both[case][3], f"after {case}, the next warm check did not come back green"


@pytest.mark.parametrize(
    "case", ["a fork whose child sleeps", *ESCAPES, "a kill of the process above it"]
)
def test_no_process_the_learners_code_starts_outlives_a_warm_check(both, case):
    root = both[case][2]
    pids = [int(line) for line in (root / "forked.pids").read_text().split()]
    assert pids and not [pid for pid in pids if alive(pid)], (
        f"processes started by the learner's code still run after a warm check ({case})"
    )
