"""Helpers for the step tests: load the function under test, with a friendly word when it can't be."""

from __future__ import annotations

import difflib
import importlib
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kata.pytest_plugin import target_of
from kata.registry import ROOT

TARGETS = {"solutions": "kata.solutions", "steps": "steps"}


def shown(path: str | None) -> str:
    """Return a path as the learner knows it: relative to the kata's root where possible."""
    if not path:
        return "?"
    try:
        return Path(path).resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return path


def why_it_does_not_load(error: BaseException, file: str) -> str:
    """Say in one short paragraph why a step file could not be loaded."""
    if isinstance(error, SyntaxError):
        where = shown(error.filename) if error.filename else file
        lines = [f"{where} does not run: {error.msg} (line {error.lineno})."]
        if error.text:
            code = error.text.rstrip("\n")
            lines.append(f"    {code.strip()}")
            if error.offset:
                caret_at = error.offset - 1 - (len(code) - len(code.lstrip()))
                lines.append("    " + " " * max(caret_at, 0) + "^")
        lines.append("Fix that line, save, and run again.")
        return "\n".join(lines)
    frames = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if {"steps", "solutions"} & set(Path(frame.filename).parts)
    ]
    where = f"{shown(frames[-1].filename)}, line {frames[-1].lineno}" if frames else file
    return (
        f"{file} stops while Python loads it: {type(error).__name__}: {error} ({where}).\n"
        "Code outside a function runs on import: fix that line, save, and run again."
    )


def load_function(request: pytest.FixtureRequest, stem: str, name: str) -> Callable[..., Any]:
    """Import the target's step module and return its function `name`, or fail kindly."""
    package = TARGETS[target_of(request.config)]
    file = f"{package.replace('.', '/')}/{stem}.py"
    try:
        module = importlib.import_module(f"{package}.{stem}")
    except Exception as error:  # learner code: anything can happen on import
        sys.modules.pop(f"{package}.{stem}", None)
        problem = why_it_does_not_load(error, file)
    else:
        problem = None
    if problem:  # failed outside the except block, so pytest shows our words, not a chained traceback
        request.node.user_properties.append(("kata", "amber"))
        pytest.fail(problem, pytrace=False)
    function = getattr(module, name, None)
    if not callable(function):
        request.node.user_properties.append(("kata", "amber"))
        defined = [n for n, value in vars(module).items() if callable(value) and not n.startswith("_")]
        close = difflib.get_close_matches(name, defined, n=1)
        found = f" It has {close[0]}(): rename it to {name}." if close else ""
        pytest.fail(
            f"{file} has no function {name}(); the tests call it by that name.{found or ' Define it there.'}",
            pytrace=False,
        )
    return function


def function_under_test(stem: str, name: str) -> Any:
    """Make a fixture named `name` that gives the step's function from the code under test."""

    @pytest.fixture(name=name)
    def fixture(request: pytest.FixtureRequest) -> Callable[..., Any]:
        return load_function(request, stem, name)

    return fixture
