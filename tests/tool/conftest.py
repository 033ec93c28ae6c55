"""Fixtures for the tool's own tests: a throwaway copy of the kata to run things in, and a console that records."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from kata.core.registry import ROOT
from kata.core.stubs import checkpoint_sources
from kata.core.workspace import copy_kata as copy_from
from kata.core.workspace import write_files


def copy_kata(destination: Path) -> Path:
    """Copy this kata into `destination`, with the shipped stubs in steps/ whatever the learner did; return it."""
    copy_from(ROOT, destination)
    write_files(destination, checkpoint_sources(1))
    return destination


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
