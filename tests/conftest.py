"""The project's tests: the step tests need pytest only; the tools' tests (tests/tool) need rich, as the tools do.

Without rich (the kata not installed: `python -m pip install -e .`), the step tests still run and the tools'
tests are left out with one line that says so, instead of an import error that stops the whole run.
"""

from __future__ import annotations

import importlib.util

import pytest


def has_rich() -> bool:
    """Whether rich can be imported, found without importing it (a learner's every check loads this file)."""
    try:
        return importlib.util.find_spec("rich") is not None
    except (ImportError, ValueError):  # ValueError: blocked in sys.modules, as a test does
        return False


RICH = has_rich()
collect_ignore = [] if RICH else ["tool"]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not RICH:
        terminalreporter.write_line(
            "kata: tests/tool did not run: rich is not installed here. "
            "Install the kata first: python -m pip install -e ."
        )
