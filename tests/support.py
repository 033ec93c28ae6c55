"""Helpers for the step tests: load the function under test kindly, and name the slip behind a wrong answer."""

from __future__ import annotations

import ast
import functools
import inspect
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import pytest

from kata.core.limits import own_time, timed
from kata.core.loading import StepNotLoaded, load_function
from kata.core.pytest_plugin import target_of
from kata.core.registry import STEPS, Step


def function_under_test(stem: str, name: str) -> Any:
    """Make a fixture named `name` that gives the step's function from the code under test, which says in the
    learner's words what Python's own errors mean (kindly())."""
    step = next(step for step in STEPS if step.stem == stem)

    @pytest.fixture(name=name)
    def fixture(request: pytest.FixtureRequest) -> Callable[..., Any]:
        try:
            return kindly(step, load_function(step, target_of(request.config), name))
        except StepNotLoaded as problem:
            reason = str(problem)
        # the runner's state: the file does not load
        request.node.user_properties.append(("kata", "amber"))
        pytest.fail(reason, pytrace=False)

    return fixture


MODULES = ("math", "statistics", "random")

# Python's words for the usual slips with lists and functions, and the kata's (a test that handles one itself, as
# step 6 does with numpy's X * w, catches it before this)
TYPE_ERRORS = {
    "'function'": "a function without brackets is the function itself, not its answer: call it, name(arguments).",
    "list indices must be integers or slices, not list": "a Python list takes one index at a time, X[i], not a list "
    "of them: go through the indices, [X[i] for i in batch].",
    "'int' object is not callable": "a number right before a bracket, like 2(x - 3), asks Python to call the "
    "number as a function: write the times sign, 2 * (x - 3).",
    "'float' object is not callable": "a number right before a bracket, like 0.5(x - 3), asks Python to call the "
    "number as a function: write the times sign, 0.5 * (x - 3).",
    "for -: 'list' and 'list'": "lists do not subtract item by item (numpy arrays do): go one item at a time, "
    "zip(predictions, Y).",
}


HUGE = 5_000_000  # items or characters: the longest answer here is a few hundred thousand losses


def too_big(answer: Any) -> str:
    """'a list of 20,000,000 items' when the answer (or a part of a tuple it is) is past HUGE; '' otherwise."""
    for part in (answer, *(answer if type(answer) is tuple and len(answer) < 10 else ())):
        # the built-in types only: a subclass's own len() could raise or never return
        if type(part) in (str, bytes, list, tuple, dict, set) and len(part) > HUGE:
            unit = "characters" if type(part) in (str, bytes) else "items"
            return f"a {type(part).__name__} of {len(part):,} {unit}"
    return ""


def kindly(step: Step, function: Callable[..., Any]) -> Callable[..., Any]:
    """The learner's function, saying what Python's error means when it raises one of the usual ones: a name not
    imported or renamed (NameError), a function not called, a list used as numpy's array (TypeError). The same
    wrapper each time for the same function, so that tests that remember answers by function still find them."""
    made = getattr(function, "_kata_kindly", None)
    if made is not None:
        return made

    @functools.wraps(function)
    def called(*args: Any, **kwargs: Any) -> Any:
        # pytest.fail inside the except block: the learner's error stays its context, and its line is shown
        try:
            began = own_time()
            answer = function(*args, **kwargs)
            # a time limit then tells slow code from code that never returns
            timed(function.__name__, own_time() - began)
            huge = too_big(answer)
            if huge:  # said now: a message that showed it would take minutes and gigabytes to write
                pytest.fail(
                    f"{function.__name__}() returned {huge}: far more than any answer in this kata holds. A "
                    "loop that appends where it should not, or a list or a string multiplied by a big number?",
                    pytrace=False,
                )
            return answer
        except NameError as error:
            said = "" if isinstance(error, UnboundLocalError) else name_error(step, function, error)
            if not said:
                raise
            pytest.fail(said, pytrace=False)
        except TypeError as error:
            said = next((words for key, words in TYPE_ERRORS.items() if key in str(error)), "")
            said = said or mended(function, error)
            if not said:
                raise
            pytest.fail(f"{function.__name__}() raised TypeError ({error}): {said}", pytrace=False)
        except (ValueError, AttributeError) as error:
            said = mended(function, error)
            if not said:
                raise
            kind = type(error).__name__
            pytest.fail(f"{function.__name__}() raised {kind} ({error}): {said}", pytrace=False)

    try:
        function._kata_kindly = called  # type: ignore[attr-defined]
    except (AttributeError, TypeError):  # a builtin given as the function: wrap it each time
        pass
    return called


COUNTS = {2: "two", 3: "three", 4: "four"}
# list methods that change the list in place and return None
IN_PLACE = {"append", "extend", "insert", "sort", "reverse", "remove", "clear"}


def mended(function: Callable[..., Any], error: Exception) -> str:
    """The words for an error whose cause shows in the learner's own code: an earlier step's several answers kept in
    one name or unpacked into too few or too many, a list method's None kept. '' when none of these is there."""
    try:
        tree = ast.parse(inspect.getsource(function).strip("\n"))
    except (OSError, TypeError, SyntaxError, IndentationError):
        return ""
    if isinstance(error, ValueError) and "values to unpack" in str(error):
        return next(
            (
                f"{name} returns {COUNTS.get(len(answers), len(answers))} things, ({', '.join(answers)}): unpack "
                f"all {COUNTS.get(len(answers), len(answers))}, `{', '.join(answers)} = {name}(...)`, and name the "
                "ones you do not need _."
                for node in ast.walk(tree)
                if isinstance(node, ast.Assign)
                and isinstance(node.targets[0], ast.Tuple)
                and (name := called(node.value))
                and len(answers := answers_of(function, name)) > 1
                and len(answers) != len(node.targets[0].elts)
            ),
            "",
        )
    assigned = [node for node in ast.walk(tree) if isinstance(node, ast.Assign)]
    for node in assigned:
        target = node.targets[0]
        if not isinstance(target, ast.Name):
            continue
        value = node.value
        if (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Attribute)
            and value.func.attr in IN_PLACE
            and isinstance(value.func.value, ast.Name)
            and value.func.value.id == target.id
        ):
            return (
                f"`{target.id} = {target.id}.{value.func.attr}(...)` makes {target.id} None: {value.func.attr} "
                f"changes the list in place and returns None. Write `{target.id}.{value.func.attr}(...)` on its "
                "own line."
            )
        name = called(value)
        answers = answers_of(function, name) if name else []
        if len(answers) > 1 and not unpacked_later(tree, target.id):
            return (
                f"`{target.id} = {name}(...)` keeps all {COUNTS.get(len(answers), len(answers))} of {name}'s answers "
                "together in one tuple, "
                f"({', '.join(answers)}): unpack them, `{', '.join(answers)} = {name}(...)`."
            )
    return ""


def called(node: ast.expr) -> str:
    """The name of the function a call calls (`train(...)`, `steps.train(...)`), or ''."""
    if not isinstance(node, ast.Call):
        return ""
    func = node.func
    return (
        func.id
        if isinstance(func, ast.Name)
        else func.attr
        if isinstance(func, ast.Attribute)
        else ""
    )


def unpacked_later(tree: ast.AST, name: str) -> bool:
    """Whether the code takes `name` apart somewhere: `a, b = name`, `name[0]`, `*name`."""
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.targets[0], ast.Tuple)
            and isinstance(node.value, ast.Name)
            and node.value.id == name
        ):
            return True
        if isinstance(node, (ast.Subscript, ast.Starred)) and isinstance(node.value, ast.Name):
            if node.value.id == name:
                return True
    return False


def answers_of(function: Callable[..., Any], name: str) -> list[str]:
    """The answers of the earlier step's function that the learner's `function` calls as `name` (see returned())."""
    found = getattr(function, "__globals__", {}).get(name)
    module = getattr(found, "__module__", "") or ""
    return returned(module.rpartition(".")[2], name)


@functools.cache
def returned(stem: str, name: str) -> list[str]:
    """The names of the answers the step `stem`'s function `name` returns when it returns several (train: w, b,
    losses), from the reference's `return` statement; [] for one answer or no such step."""
    step = next((step for step in STEPS if step.stem == stem and step.function == name), None)
    if step is None:
        return []
    for node in ast.walk(ast.parse(step.reference_file.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef) and node.name == name:
            for inner in ast.walk(node):
                if isinstance(inner, ast.Return) and isinstance(inner.value, ast.Tuple):
                    return [ast.unparse(element) for element in inner.value.elts]
    return []


def name_error(step: Step, function: Callable[..., Any], error: NameError) -> str:
    """The words for a NameError: an earlier step's function or a module not imported, an argument renamed."""
    name = getattr(error, "name", None) or ""
    said = f"{function.__name__}() raised NameError ({error})"
    imports = {
        alias.asname or alias.name: f"from {'.' * node.level}{node.module} import {alias.name}"
        for node in ast.walk(ast.parse(step.reference_file.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    if name in imports:
        return f"{said}: {name} comes from an earlier step of yours; import it at the top of the file, as the stub does: `{imports[name]}`"
    if name in MODULES:
        return f"{said}: {name} is a module of Python's; import it at the top of the file: `import {name}`"
    wanted = reference_parameters(step, function.__name__)
    mine = list(inspect.signature(function).parameters)
    if name in wanted and name not in mine:
        return (
            f"{said}: {name} is not one of its arguments ({', '.join(mine)}); the tests call "
            f"{function.__name__}({', '.join(wanted)}): keep the names the stub gave."
        )
    return ""


def reference_parameters(step: Step, name: str) -> list[str]:
    """The parameters of the reference's function `name` (the contract the tests call)."""
    tree = ast.parse(step.reference_file.read_text(encoding="utf-8"))
    found = next(
        (node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == name),
        None,
    )
    return [arg.arg for arg in found.args.args] if found else []


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


def lead(said: str, facts: str) -> str:
    """A wrong answer's message: the words naming the slip first (a narrow terminal may show only the first lines),
    then what was called, what came back and the working; the facts alone when no slip is named."""
    return f"{said.strip()} {facts}" if said.strip() else facts


def slip_in(
    function: Callable[..., Any],
    calls: Sequence[tuple[Any, ...]],
    known: Mapping[str, Callable[..., Any]],
) -> str:
    """The words for the first usual slip that answers every call as `function` does (' ' + words), or '': one call
    alone may match two slips ((x − 3)² and 2·x − 3 are both 9 at x = 6), several tell them apart."""
    try:
        got = [function(*args) for args in calls]
    except Exception:  # noqa: BLE001 - learner code: a call that raises is no usual slip
        return ""
    if any(answer is None for answer in got):
        return NO_RETURN
    for words, oracle in known.items():
        try:
            expected = [oracle(*args) for args in calls]
        except Exception:  # noqa: BLE001 - a slip that cannot be made with these arguments (^ on floats)
            continue
        if all(same(g, e) for g, e in zip(got, expected)):
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
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        said = " One number: keep each answer in a list, and return the whole list."
    article = "an" if kind[0] in "aeiou" else "a"
    pytest.fail(f"{call} returned {value!r} ({article} {kind}), not a list.{said}", pytrace=False)
