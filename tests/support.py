"""Helpers for the step tests: load the function under test, with a friendly word when it can't be."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from kata.loading import StepNotLoaded, load_function
from kata.pytest_plugin import target_of
from kata.registry import STEPS


def function_under_test(stem: str, name: str) -> Any:
    """Make a fixture named `name` that gives the step's function from the code under test."""
    step = next(step for step in STEPS if step.stem == stem)

    @pytest.fixture(name=name)
    def fixture(request: pytest.FixtureRequest) -> Callable[..., Any]:
        try:
            return load_function(step, target_of(request.config), name)
        except StepNotLoaded as problem:
            reason = str(problem)
        request.node.user_properties.append(("kata", "amber"))  # the runner's state: the file does not load
        pytest.fail(reason, pytrace=False)

    return fixture
