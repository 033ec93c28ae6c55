"""Fixtures for the tool's own tests: a throwaway copy of the kata to run things in."""

from __future__ import annotations

from pathlib import Path

import pytest

from kata.registry import ROOT
from kata.stubs import checkpoint_sources
from kata.workspace import copy_kata as copy_from
from kata.workspace import write_files


def copy_kata(destination: Path) -> Path:
    """Copy this kata into `destination`, with the shipped stubs in steps/ whatever the learner did; return it."""
    copy_from(ROOT, destination)
    write_files(destination, checkpoint_sources(1))
    return destination


@pytest.fixture
def kata_copy(tmp_path: Path) -> Path:
    """A fresh copy of the kata, with the shipped stubs in steps/."""
    return copy_kata(tmp_path / "kata")
