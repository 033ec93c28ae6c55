"""The dojo's tests share a kata folder with only steps/ in it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tool.core.test_kata_data import small_kata


@pytest.fixture
def kata_folder(tmp_path: Path) -> Path:
    """What the dojo and the review touch when their checks are scripted: steps/ with the shipped stubs (and the
    .kata/ they make), as test_kata_data.py's file commands have it; a whole copy of the kata is not needed."""
    return small_kata(tmp_path / "kata")
