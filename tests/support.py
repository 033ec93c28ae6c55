"""Helpers for the step tests: load the function under test kindly, and name the slip behind a wrong answer."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pytest

from kata.core.loading import StepNotLoaded, load_function
from kata.core.pytest_plugin import target_of
from kata.core.registry import STEPS


def function_under_test(stem: str, name: str) -> Any:
    """Make a fixture named `name` that gives the step's function from the code under test."""
    step = next(step for step in STEPS if step.stem == stem)

    @pytest.fixture(name=name)
    def fixture(request: pytest.FixtureRequest) -> Callable[..., Any]:
        try:
            return load_function(step, target_of(request.config), name)
        except StepNotLoaded as problem:
            reason = str(problem)
        # the runner's state: the file does not load
        request.node.user_properties.append(("kata", "amber"))
        pytest.fail(reason, pytrace=False)

    return fixture


def same(got: Any, value: Any) -> bool:
    """True when two answers agree to about nine digits: numbers, or sequences of them."""
    if isinstance(value, (list, tuple)):
        if not isinstance(got, (list, tuple)) or len(got) != len(value):
            return False
        return all(same(g, v) for g, v in zip(got, value))
    if (
        isinstance(got, bool)
        or not isinstance(got, (int, float))
        or not isinstance(value, (int, float))
    ):
        return False
    return math.isclose(got, value, rel_tol=1e-9, abs_tol=1e-9)


NO_RETURN = (
    " Nothing came back: is a `return` missing? print() only shows a value on the screen; return gives it back "
    "to whoever called the function."
)


class OneOf(tuple):
    """The answers one slip can give (one of them): a slip's value in slip()'s mapping, where a slip has several forms."""


def slip(got: Any, known: Mapping[str, Any]) -> str:
    """The words for the first usual slip whose answer is `got` (' ' + words), or '' when it is none of them."""
    if got is None:
        return NO_RETURN
    for words, value in known.items():
        values = value if isinstance(value, OneOf) else (value,)
        if any(v is not None and same(got, v) for v in values):
            return " " + words
    return ""


def a_list(value: Any, call: str, readers: str) -> list[Any]:
    """`value` as a list; fail with the reason when it is an iterator (read once), or not a sequence at all."""
    if isinstance(value, (list, tuple)):
        return list(value)
    kind = type(value).__name__
    if isinstance(value, Iterator):
        what = "a generator" if kind == "generator" else f"a {kind} object"
        if (
            kind == "generator"
            and getattr(value, "gi_code", None) is not None
            and value.gi_code.co_name != "<genexpr>"
        ):
            fix = "A function with yield always returns a generator: build a list, append to it, and return the list."
        else:
            fix = "Return a list: [... for ... in ...], or wrap it in list(...)."
        pytest.fail(
            f"{call} returned {what}, not a list: it can be read only once, and {readers} read it "
            f"more than once (and ask its len()). {fix}",
            pytrace=False,
        )
    said = NO_RETURN if value is None else ""
    pytest.fail(f"{call} returned {value!r} (a {kind}), not a list.{said}", pytrace=False)
