"""Adding a step is three files: a reference, its tests and an entry in kata/content.toml (the stub is made).

The test builds a throw-away copy of the kata with an 18th step and shows that every tool counts it with no
other change: list, goto, status --json, the progress bar, the finish screen and the dojo's banner; the tracer
probes it with the arguments its entry gives, and its stories run as before beside a step that is in none.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.tool.conftest import copy_file, copy_kata

REFERENCE = '''"""Step 18 · The slope, once more.

Goal: a step added to show that a new step is three files.
"""


def twice(x: float) -> float:
    """Return 2·x."""
    return 2 * x
'''

TESTS = '''"""Step 18 · twice.   Your file: steps/step18_twice.py"""

from tests.support import function_under_test

twice = function_under_test("step18_twice", "twice")


def test_twice_doubles(twice):
    assert twice(3) == 6, f"twice(3) returned {twice(3)!r}, expected 6."
'''

ENTRY = """
[[steps]]
stem = "step18_twice"
story = ""
act = 2
function = "twice"
probe = [3.0]
title = "Twice"
section = "Beyond the article › An extra step"
todo = "return 2 * x."
hints = ["Double it.", "Multiply x by 2."]
time_limit = 10
"""


def kata(
    root: Path, *argv: str, env_extra: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONDONTWRITEBYTECODE": "1",
        "COLUMNS": "100",
        "KATA_TIME_LIMIT": "5",
        **(env_extra or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", *argv],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def extended(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the kata with an 18th step: three files written, the stub made by kata.stubs."""
    root = copy_kata(tmp_path_factory.mktemp("extra") / "kata")
    (root / "kata/solutions/step18_twice.py").write_text(REFERENCE, encoding="utf-8")
    (root / "tests/test_step18_twice.py").write_text(TESTS, encoding="utf-8")
    with open(root / "kata/content.toml", "a", encoding="utf-8") as content:
        content.write(ENTRY)
    made = kata(root, "kata.stubs")
    assert made.returncode == 0, made.stderr
    return root


def test_the_stub_is_made_from_the_reference(extended):
    stub = (extended / "steps/step18_twice.py").read_text(encoding="utf-8")
    assert (
        'raise NotImplementedError("step 18: twice()")' in stub and "# TODO: return 2 * x." in stub
    )


@pytest.fixture
def mine(extended: Path, tmp_path: Path) -> Path:
    """A copy of the extended kata of this test's own, to change."""
    return Path(shutil.copytree(extended, tmp_path / "kata", copy_function=copy_file))


def test_list_and_status_count_the_new_step(mine):
    listed = kata(mine, "kata", "list")
    assert "18" in listed.stdout and "Twice" in listed.stdout
    kata(mine, "kata", "goto", "18", "--yes")
    status = json.loads(kata(mine, "kata", "status", "--json").stdout)
    assert len(status["steps"]) == 18 and status["current"]["number"] == 18
    assert status["acts"][-1] == {"act": 2, "done": 7, "total": 8}
    screen = kata(mine, "kata").stdout
    assert "7 of 8 steps done in act II" in " ".join(screen.split())
    assert "Step 18 (act II: 8 of 8) · Twice" in " ".join(screen.split())


def test_the_finish_screen_counts_it(mine):
    kata(mine, "kata", "goto", "18", "--yes")
    (mine / "steps/step18_twice.py").write_text(REFERENCE, encoding="utf-8")
    done = kata(mine, "kata")
    assert done.returncode == 0 and "BOTH ACTS PASS: ALL 18 STEPS" in " ".join(done.stdout.split())


def test_the_dojo_banner_counts_it(extended):
    script = (
        "import io, sys\n"
        "from rich.console import Console\n"
        "from kata.loop.screens import place\n"
        "from kata.core.registry import STEPS\n"
        "print(place(STEPS[-1]), len(STEPS))\n"
    )
    shown = subprocess.run(
        [sys.executable, "-c", script], cwd=extended, capture_output=True, text=True, timeout=60
    )
    assert shown.stdout.strip() == "Step 18 (act II: 8 of 8) 18", shown.stderr


def test_the_tracer_probes_the_new_step_and_its_stories_run_beside_it(extended):
    script = (
        "from kata.core.loading import load_function\n"
        "from kata.core.registry import STEPS\n"
        "from kata.core.stubs import stub_source\n"
        "from kata.trace.probes import arguments, is_written\n"
        "step = STEPS[-1]\n"
        "stub = {}\n"
        "exec(stub_source(step), stub)\n"
        "print(arguments(step), is_written(step, load_function(step, 'solutions')), "
        "is_written(step, stub['twice']))\n"
    )
    shown = subprocess.run(
        [sys.executable, "-c", script], cwd=extended, capture_output=True, text=True, timeout=60
    )
    assert shown.stdout.strip() == "(3.0,) True False", shown.stderr
    traced = kata(extended, "kata.trace", "all", "--plain")
    assert traced.returncode == 0, traced.stderr
    assert "The parabola" in traced.stdout and "The park" in traced.stdout
