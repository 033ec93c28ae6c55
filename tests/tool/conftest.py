"""Fixtures for the tool's own tests: a throwaway copy of the kata to run things in."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kata.registry import ROOT

COPIED = ("kata", "steps", "tests", "park.txt", "pyproject.toml")


def copy_kata(destination: Path) -> Path:
    """Copy the parts of the kata a run needs into `destination` and return it."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".kata")
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=ignore)
        else:
            shutil.copy2(source, destination / name)
    return destination


@pytest.fixture
def kata_copy(tmp_path: Path) -> Path:
    """A fresh copy of the kata, with the shipped stubs in steps/."""
    return copy_kata(tmp_path / "kata")
