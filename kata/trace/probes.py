"""Which code a tool runs: the learner's steps/ when they are written, else the reference."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from numbers import Real
from pathlib import Path
from typing import Any

from kata.core.limits import deadline, limit_for
from kata.core.loading import StepNotLoaded, load_function
from kata.core.registry import ROOT, Step


def arguments(step: Step, root: Path = ROOT) -> tuple[Any, ...]:
    """The step's probe from content.toml, ready to call: a file named there is found in `root`, the kata run on."""

    def ready(argument: Any) -> Any:
        if isinstance(argument, str):
            return str(root / argument)
        if isinstance(argument, list):
            return list(argument)  # a fresh list for each call: the learner's code may change it
        return argument

    return tuple(ready(argument) for argument in step.probe)


class LearnerCodeError(Exception):
    """The learner's function raised or returned something that is not what the step asks for."""


@dataclass(frozen=True)
class Code:
    """The functions a story runs, and in words where they came from."""

    functions: dict[str, Callable[..., Any]]  # by the step's stem
    mine: bool
    said: str

    def __getitem__(self, stem: str) -> Callable[..., Any]:
        """The function of the step with this stem (steps/stepNN_name.py's stem, which never moves)."""
        return self.functions[stem]


def checked(step: Step, function: Callable[..., Any], file: str) -> Callable[..., Any]:
    """Wrap a step's function so that a crash or a wrong kind of answer names the file and the step."""
    pair = step.returns in ("slopes", "line")
    many = step.returns == "numbers"

    def where(args: tuple[Any, ...]) -> str:
        shown_args = ", ".join("[…]" if isinstance(a, (list, tuple)) else f"{a:g}" for a in args)
        return f"{file} (step {step.number}): {step.function}({shown_args})"

    def call(*args: Any) -> Any:
        try:
            result = function(*args)
        except OverflowError:
            raise  # numbers too big to hold: the descent is diverging, which the tracer explains
        except Exception as error:  # learner code: say what it raised, where
            said = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
            raise LearnerCodeError(f"{where(args)} raised {said}") from None
        if step.returns == "other":
            return result
        if type(result) is float and not (pair or many):  # the common case, checked cheaply
            return result
        if (
            pair
            and type(result) is tuple
            and len(result) == 2
            and type(result[0]) is float is type(result[1])
        ):
            return result
        values = (
            tuple(result) if (pair or many) and isinstance(result, (tuple, list)) else (result,)
        )
        size = len(args[0]) if many else 2 if pair else 1
        if len(values) != size or not all(
            isinstance(v, Real) and not isinstance(v, bool) for v in values
        ):
            wanted = (
                f"a list of {size} numbers"
                if many
                else (
                    "two numbers (the w and b slopes)"
                    if step.returns == "slopes"
                    else "two numbers (w and b)"
                )
                if pair
                else "a number"
            )
            missing = " Is a `return` missing?" if result is None else ""
            raise LearnerCodeError(
                f"{where(args)} returned {str(result)[:80]}, not {wanted}.{missing}"
            )
        numbers = tuple(float(v) for v in values)
        return list(numbers) if many else numbers if pair else numbers[0]

    return call


def is_written(step: Step, function: Callable[..., Any], root: Path = ROOT) -> bool:
    """Tell whether a step's function is more than its stub: a probe call does not raise NotImplementedError."""
    try:
        too_long = f"{step.learner_file} (step {step.number}) ran past its time limit: a loop that never ends?"
        with deadline(limit_for(step), lambda: LearnerCodeError(too_long)):
            function(*arguments(step, root))
    except NotImplementedError:
        return False
    except LearnerCodeError:
        raise  # it ran past its time limit: tracing it would hang
    except Exception:  # a written function with a bug: still the learner's, and traced as such
        return True
    return True


def choose(
    steps: Sequence[Step], target: str, loading: Callable[[Step], None] = lambda step: None
) -> Code:
    """Pick the functions for these steps from 'steps', 'solutions' or 'auto'; raise LearnerCodeError for 'steps'.

    `loading` hears of each learner file before it is imported and probed, so that a crash can be placed.
    """
    span = f"steps {steps[0].number}–{steps[-1].number}"
    if target in ("steps", "auto"):
        found: dict[str, Callable[..., Any]] = {}
        missing = ""
        for step in steps:
            loading(step)
            try:
                function = load_function(step, "steps")
            except StepNotLoaded as problem:
                missing = str(problem).splitlines()[0]
                break
            if not is_written(step, function):
                missing = f"{step.learner_file}: {step.function}() is not written yet"
                break
            found[step.stem] = checked(step, function, step.learner_file)
        if not missing:
            return Code(found, True, f"Tracing your code: {span} from steps/.")
        if target == "steps":
            raise LearnerCodeError(f"--target steps needs your {span}; {missing}.")
        said = f"Tracing the reference (kata/solutions/): your {span} are not all done ({missing})."
    else:
        said = "Tracing the reference (kata/solutions/), as asked."
    functions = {
        s.stem: load_function(s, "solutions") for s in steps
    }  # trusted: no checks in the hot loop
    return Code(functions, False, said)
