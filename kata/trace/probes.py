"""Which code a tool runs: the learner's steps/ when they are written, else the reference."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from numbers import Real
from typing import Any

from kata.core.limits import deadline, limit_for
from kata.core.loading import StepNotLoaded, load_function
from kata.core.registry import FACTS, ROOT, Step, step_by_number

# A small call per step: enough to tell a written function from a stub.
PROBES: dict[int, tuple[Any, ...]] = {
    1: (6.0,),
    2: (6.0,),
    3: (6.0, 0.1),
    4: (6.0, 0.1, 2),
    5: (str(ROOT / "park.txt"),),
    6: ([1.0, 2.0], 2.0, 1.0),
    7: ([1.0, 2.0], [3.0, 5.0], 2.0, 1.0),
    8: ([1.0, 2.0], [3.0, 5.0], 2.0, 1.0),
    9: ([1.0, 2.0], [3.0, 5.0], 2, 0.1),
    10: (FACTS.temperature,),
    11: ([1.0, 2.0], [3.0, 5.0], 2.0, 1.0, 0.001),
    12: ([1.0, 2.0], [3.0, 5.0]),
    13: ([1.0, 2.0], [3.0, 5.0], 0.1, 0.001, 10000),
    14: ([1.0, 2.0],),
    15: ([1.0, 2.0], [3.0, 5.0], 2, 0.1),
    16: ([1.0, 2.0], [3.0, 5.0], 2, 0.1, 0.5),
    17: ([1.0, 2.0], [3.0, 5.0], 2, 0.1, 1, 0),
}
PAIR_RESULT = {8, 11, 12}  # steps whose function returns two numbers
RAW_RESULT = {
    9,
    13,
    14,
    15,
    16,
    17,
}  # steps whose answer has parts of several kinds: the story that calls them checks them
LIST_RESULT = {6}  # steps whose function returns a list of numbers


class LearnerCodeError(Exception):
    """The learner's function raised or returned something that is not what the step asks for."""


@dataclass(frozen=True)
class Code:
    """The functions a story runs, and in words where they came from."""

    functions: dict[int, Callable[..., Any]]
    mine: bool
    said: str


def checked(step: Step, function: Callable[..., Any], file: str) -> Callable[..., Any]:
    """Wrap a step's function so that a crash or a wrong kind of answer names the file and the step."""
    pair = step.number in PAIR_RESULT
    many = step.number in LIST_RESULT

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
        if step.number in RAW_RESULT:
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
                    if step.number in (8, 11)
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


def is_written(step: Step, function: Callable[..., Any]) -> bool:
    """Tell whether a step's function is more than its stub: a probe call does not raise NotImplementedError."""
    try:
        too_long = f"{step.learner_file} (step {step.number}) ran past its time limit: a loop that never ends?"
        with deadline(limit_for(step), lambda: LearnerCodeError(too_long)):
            function(*PROBES[step.number])
    except NotImplementedError:
        return False
    except LearnerCodeError:
        raise  # it ran past its time limit: tracing it would hang
    except Exception:  # a written function with a bug: still the learner's, and traced as such
        return True
    return True


def choose(
    numbers: tuple[int, ...], target: str, loading: Callable[[Step], None] = lambda step: None
) -> Code:
    """Pick the functions for these steps from 'steps', 'solutions' or 'auto'; raise LearnerCodeError for 'steps'.

    `loading` hears of each learner file before it is imported and probed, so that a crash can be placed.
    """
    steps = [step_by_number(n) for n in numbers]
    span = f"steps {numbers[0]}–{numbers[-1]}"
    if target in ("steps", "auto"):
        found: dict[int, Callable[..., Any]] = {}
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
            found[step.number] = checked(step, function, step.learner_file)
        if not missing:
            return Code(found, True, f"Tracing your code: {span} from steps/.")
        if target == "steps":
            raise LearnerCodeError(f"--target steps needs your {span}; {missing}.")
        said = f"Tracing the reference (kata/solutions/): your {span} are not all done ({missing})."
    else:
        said = "Tracing the reference (kata/solutions/), as asked."
    functions = {
        s.number: load_function(s, "solutions") for s in steps
    }  # trusted: no checks in the hot loop
    return Code(functions, False, said)
