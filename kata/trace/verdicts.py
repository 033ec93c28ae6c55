"""Checks the tracer's children make of the learner's functions, for both acts: numbers that agree, a slope against
a finite difference (named in words: uphill, half, twice), and the learner's function when it is written."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kata.core.loading import StepNotLoaded, load_function
from kata.core.registry import Step, step_by_stem
from kata.trace.probes import is_written


def close(a: float, b: float, tolerance: float = 1e-5) -> bool:
    """True when two numbers agree to within a small part of their size."""
    return abs(a - b) <= tolerance * max(abs(a), abs(b)) + 1e-9


def ratio_words(got: float, numeric: float, of: str) -> str:
    """Name how a slope differs from the finite difference: the sign, a factor 2, or just the numbers."""
    if numeric != 0 and close(got / numeric, -1, 1e-3):
        return "your gradient points uphill"
    if numeric != 0 and close(got / numeric, 0.5, 1e-3):
        return f"your gradient is half the slope of your {of}"
    if numeric != 0 and close(got / numeric, 2, 1e-3):
        return f"your gradient is twice the slope of your {of}"
    return f"your gradient disagrees with the slope of your {of}"


def slope_problem(
    names: tuple[str, ...],
    got: tuple[float, ...],
    numeric: tuple[float, ...],
    where: str,
    of: str,
    file: str,
) -> str | None:
    """One line when the traced gradient disagrees with a central finite difference of the traced loss."""
    wrong = [i for i in range(len(got)) if not close(got[i], numeric[i], 1e-4)]
    if not wrong:
        return None
    words = {ratio_words(got[i], numeric[i], of) for i in wrong}
    said = (
        words.pop() if len(words) == 1 else f"your gradient disagrees with the slope of your {of}"
    )
    parts = ", ".join(
        f"{names[i]} = {got[i]:.6g} where a finite difference of your {of} gives {numeric[i]:.6g}"
        for i in wrong
    )
    hint = (
        "check the sign"
        if "uphill" in said
        else "check the factor 2"
        if "half" in said or "twice" in said
        else "check"
    )
    return f"{said} at {where} ({parts}): {hint} in {file}"


def learner(stem: str) -> tuple[Step, Callable[..., Any]] | None:
    """The learner's function for a step (named by its stem) when it is written; else None."""
    step = step_by_stem(stem)
    try:
        function = load_function(step, "steps")
    except StepNotLoaded:
        return None
    if not is_written(step, function):
        return None
    return step, function
