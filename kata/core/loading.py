"""Import a step's module from the learner's steps/ or the reference, and say kindly why it fails."""

from __future__ import annotations

import difflib
import importlib
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kata.core.registry import ROOT, Step

PACKAGES = {"solutions": "kata.solutions", "steps": "steps"}


class StepNotLoaded(Exception):
    """A step's file does not import, or lacks its function; the message says why, for the learner."""


def shown(path: str | None) -> str:
    """Return a path as the learner knows it: relative to the kata's root where possible."""
    if not path:
        return "?"
    try:
        return Path(path).resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return path


# signs from the stubs' prose (or a web page) that Python cannot read, and what to type instead
TYPED_INSTEAD = {
    "\u2212": "type - (the minus key) instead of −",
    "\u2013": "type - (the minus key) instead of –",
    "\u00b2": "write ** 2 for squared, not ²",
    "\u00b7": "type * for times, not ·",
    "\u22c5": "type * for times, not ⋅",
    "\u00d7": "type * for times, not ×",
    "\u00f7": "type / for divided by, not ÷",
    "\u2032": "f′ is the prose's name for the slope: in code it is gradient(x)",
    "\u2264": "type <= instead of ≤",
    "\u2265": "type >= instead of ≥",
    "\u201c": 'type straight quotes " instead of “ ”',
    "\u201d": 'type straight quotes " instead of “ ”',
    "\u2018": "type straight quotes ' instead of ‘ ’",
    "\u2019": "type straight quotes ' instead of ‘ ’",
    "\u00a0": "a non-breaking space (often pasted from a web page): retype it as a plain space",
}


def why_it_does_not_load(error: BaseException, file: str) -> str:
    """Say in a few lines why a step file could not be loaded: the line, and a caret for a syntax error."""
    if isinstance(error, SyntaxError):
        where = shown(error.filename) if error.filename else file
        kind = "an indentation error" if isinstance(error, IndentationError) else "a syntax error"
        lines = [f"{where} has {kind} on line {error.lineno}: {error.msg}."]
        if error.text:
            code = error.text.rstrip("\n")
            lines.append(f"    {code.strip()}")
            if error.offset:
                caret_at = error.offset - 1 - (len(code) - len(code.lstrip()))
                lines.append("    " + " " * max(caret_at, 0) + "^")
        typed = [
            advice
            for sign, advice in TYPED_INSTEAD.items()
            if sign in (error.text or "") or sign in error.msg
        ]
        if typed:
            lines.append(f"Python reads plain keyboard signs: {'; '.join(dict.fromkeys(typed))}.")
        lines.append("Fix that line, save, and run again.")
        return "\n".join(lines)
    frames = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if {"steps", "solutions"} & set(Path(frame.filename).parts)
    ]
    where = f"{shown(frames[-1].filename)}, line {frames[-1].lineno}" if frames else file
    name = getattr(error, "name", None) or ""
    if (
        isinstance(error, ModuleNotFoundError)
        and name.startswith("step")
        and (ROOT / "steps" / f"{name}.py").exists()
    ):
        return (
            f"{file} stops while Python loads it: {type(error).__name__}: {error} ({where}).\n"
            f"Keep the leading dot: from .{name} import … (the steps are a package; the dot means 'beside this file')."
        )
    return (
        f"{file} stops while Python loads it: {type(error).__name__}: {error} ({where}).\n"
        "Code outside a function runs on import: fix that line, save, and run again."
    )


def load_function(step: Step, target: str, name: str | None = None) -> Callable[..., Any]:
    """Return the step's function from 'steps' or 'solutions'; raise StepNotLoaded with the learner's words."""
    name = name or step.function
    package = PACKAGES[target]
    file = f"{package.replace('.', '/')}/{step.stem}.py"
    try:
        module = importlib.import_module(f"{package}.{step.stem}")
    except (Exception, SystemExit) as error:  # learner code: anything can happen on import
        sys.modules.pop(f"{package}.{step.stem}", None)
        problem: str | None = why_it_does_not_load(error, file)
    else:
        problem = None
    if problem:  # raised outside the except block: no chained traceback for the learner
        raise StepNotLoaded(problem)
    function = getattr(module, name, None)
    if not callable(function):
        defined = [
            n for n, value in vars(module).items() if callable(value) and not n.startswith("_")
        ]
        close = difflib.get_close_matches(name, defined, n=1)
        found = f" It has {close[0]}(): rename it to {name}." if close else " Define it there."
        raise StepNotLoaded(
            f"{file} has no function {name}(); the tests call it by that name.{found}"
        )
    return function
