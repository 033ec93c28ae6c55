"""Fixtures for the tool's own tests: a throwaway copy of the kata to run things in, and a console that records."""

from __future__ import annotations

import atexit
import compileall
import io
import os
import py_compile
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import pytest
from rich.console import Console

from kata.core.registry import ROOT
from kata.core.stubs import checkpoint_sources
from kata.core.workspace import copy_kata as copy_from
from kata.core.workspace import write_files

K = TypeVar("K")
V = TypeVar("V")
T = TypeVar("T")

_template: list[Path] = []
_template_lock = threading.Lock()


def template() -> Path:
    """The kata as copy_kata gives it, made once per test run, with kata/ and tests/ compiled ahead.

    Every check in a copy starts Python and pytest, which would otherwise compile the kata's modules and
    rewrite the step tests' asserts again each time (PYTHONDONTWRITEBYTECODE is set for the checks). The
    kata's modules are compiled with source hashes, so a test that changes one of them in its copy gets its
    change; pytest's rewritten tests are checked by time and size, which copy_kata keeps. steps/ gets no
    bytecode: tests list that folder, and the learner's files are the ones the tests rewrite.
    """
    with _template_lock:
        if not _template:
            base = Path(tempfile.mkdtemp(prefix="kata-template-"))
            atexit.register(shutil.rmtree, base, True)
            root = base / "kata"
            copy_from(ROOT, root)
            write_files(root, checkpoint_sources(1))
            # tests/ only for what the step tests import: pytest compiles the tests themselves (below)
            hashed = py_compile.PycInvalidationMode.CHECKED_HASH
            compileall.compile_dir(root / "kata", quiet=1, invalidation_mode=hashed)
            for path in (root / "tests/__init__.py", root / "tests/support.py"):
                compileall.compile_file(path, quiet=1, invalidation_mode=hashed)
            # pytest writes its rewritten step tests only where bytecode may be written
            env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
            # pytest.main in-process: a program that calls it is not run again guarded
            collect = ["-q", "-p", "no:cacheprovider", "--target", "steps", "--collect-only"]
            subprocess.run(
                [
                    sys.executable,
                    "-c",
                    f"import pytest; raise SystemExit(pytest.main({collect!r}))",
                ],
                cwd=root,
                env={**env, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=120,
                check=False,
            )
            _template.append(root)
        return _template[0]


def copy_file(source: str, destination: str) -> None:
    """Copy one file of the template; bytecode is linked, not copied: Python and pytest only ever replace a
    .pyc (written beside it, then renamed), never write into one, so copies can share them."""
    if source.endswith(".pyc"):
        try:
            os.link(source, destination)
            return
        except OSError:  # another file system: copy it
            pass
    shutil.copy2(source, destination)


def copy_kata(destination: Path) -> Path:
    """Copy this kata into `destination`, with the shipped stubs in steps/ whatever the learner did; return it."""
    shutil.copytree(template(), destination, dirs_exist_ok=True, copy_function=copy_file)
    return destination


def side_by_side(jobs: Mapping[K, Callable[[], V]], workers: int = 4) -> dict[K, V]:
    """Run independent jobs in threads (each runs child processes in a copy of its own, and mostly waits for them);
    return their results by key. An error in a job is raised here. Their time limits are tight: the helpers
    started early (sessions.py) end first."""
    from tests.tool.sessions import settle

    settle()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {key: pool.submit(job) for key, job in jobs.items()}
        return {key: future.result() for key, future in futures.items()}


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the helpers of each module with `session_jobs()` (see sessions.py) now, when its tests are to run."""
    if session.config.option.collectonly:
        return
    from tests.tool.sessions import EARLY, Sessions

    for module in {getattr(item, "module", None) for item in session.items}:
        jobs = getattr(module, "session_jobs", None)
        if module is not None and jobs is not None:
            base = Path(tempfile.mkdtemp(prefix="kata-sessions-"))
            atexit.register(shutil.rmtree, base, True)
            # nice 5: the tests before it go first; the helpers still get a quarter of a core shared with one
            # of them, so their own step tests (at most about 0.4 s each) stay far within the 10 s limit
            EARLY[module.__name__] = Sessions(base, jobs(), nice=5)


def pytest_sessionfinish(session: pytest.Session) -> None:
    from tests.tool.sessions import EARLY

    for early in EARLY.values():  # a module deselected, or a run stopped before it
        early.stop()
    EARLY.clear()


@pytest.fixture(scope="session")
def misbehaving(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Each misbehaviour of test_guard.py run once through `python -m kata`: its screen (read by test_guard.py) and
    its check (the cold check test_warm.py compares the warm one with)."""
    from tests.tool.core.test_guard import every_screen
    from tests.tool.sessions import settle

    settle()  # one-second limits: the mistakes catalogue's helpers must not take the cores meanwhile
    return every_screen(tmp_path_factory.mktemp("guard"))


@pytest.fixture
def kata_copy(tmp_path: Path) -> Path:
    """A fresh copy of the kata, with the shipped stubs in steps/."""
    return copy_kata(tmp_path / "kata")


def run_in(workspace: Path, *argv: str, columns: int = 100) -> subprocess.CompletedProcess[str]:
    """Run the tracer, piped, in a copy of the kata."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "COLUMNS": str(columns)}
    return subprocess.run(
        [sys.executable, "-m", "kata.trace", *argv],
        cwd=workspace,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


class Traced:
    """Tracer runs declared on the tests that read them, run side by side once per module: each in its own copy
    with steps 1 to `solved` written as the reference does, then the test's edits (edit()'s file, old, new and
    count). A tracer run is three processes one after the other (the tracer, its check, its child), mostly
    busy: three runs go at once."""

    def __init__(self, solved: int) -> None:
        self.solved = solved
        self.runs: dict[str, tuple[tuple[str, ...], list[tuple[Any, ...]]]] = {}

    def declare(self, name: str, *argv: str, edits: Sequence[tuple[Any, ...]] = ()) -> None:
        """Declare a run: `python -m kata.trace ARGV` after `edits`, read as `name`."""
        self.runs[name] = (argv, list(edits))

    def after(self, *argv: str, edits: Sequence[tuple[Any, ...]] = ()) -> Callable[[T], T]:
        """Declare the test's own run (read by the name of the test)."""

        def declare(test: T) -> T:
            self.declare(test.__name__, *argv, edits=edits)
            return test

        return declare

    def run(self, base: Path) -> dict[str, subprocess.CompletedProcess[str]]:
        """Every declared run: what the tracer did, by the name of its test."""

        def one(number: int, name: str) -> subprocess.CompletedProcess[str]:
            argv, edits = self.runs[name]
            root = copy_kata(base / str(number))
            write_files(root, checkpoint_sources(self.solved + 1))
            for change in edits:
                edit(root, *change)
            return run_in(root, *argv)

        jobs = {name: partial(one, number, name) for number, name in enumerate(self.runs)}
        return side_by_side(jobs, workers=3)


def edit(root: Path, file: str, old: str, new: str, count: int = -1) -> None:
    """Make one mistake in a learner file: `old` becomes `new` (every time, or `count` times)."""
    path = root / file
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, count))


def capture_console(width: int = 80, **options: Any) -> Console:
    """A console that records what it prints (export_text), as rich's own tests capture: `width` columns, no colour,
    into a string; `options` for the rest (height, force_terminal to pass for a terminal)."""
    return Console(
        record=True,
        width=width,
        file=io.StringIO(),
        color_system=None,
        legacy_windows=False,
        **options,
    )


def traced_fixtures(declared: Traced) -> tuple[Any, Any]:
    """A module's two fixtures for its declared tracer runs: `traced` (every run, side by side, once per module)
    and `done` (the run declared on the test that asks). Assign both: `traced, done = traced_fixtures(TRACED)`."""

    @pytest.fixture(scope="module")
    def traced(
        tmp_path_factory: pytest.TempPathFactory,
    ) -> dict[str, subprocess.CompletedProcess[str]]:
        return declared.run(tmp_path_factory.mktemp("traced"))

    @pytest.fixture
    def done(traced: Any, request: pytest.FixtureRequest) -> subprocess.CompletedProcess[str]:
        """What the tracer did for this test."""
        return traced[request.function.__name__]

    return traced, done


def soon(seconds: float) -> float:
    """A bound for 'it ended and did not hang': `seconds` on a quiet machine, stretched on a busy one as the kata's
    own limits are (kata.core.limits.patience(): at least 2, more with the load), never a speed goal."""
    from kata.core.limits import patience

    return seconds * patience() / 2
