"""The ordered steps of the kata and its facts, read from content.toml: one source of truth for every tool."""

from __future__ import annotations

import ast
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SOLUTIONS = ROOT / "kata" / "solutions"


@dataclass(frozen=True)
class Step:
    """One step: the file the learner edits, the function it asks for, and how to help."""

    number: int
    stem: str
    function: str
    title: str
    section: str
    todo: str
    nudges: tuple[
        str, ...
    ]  # the hints in words; the last hint, nearly the code, is made from the reference
    time_limit: float = 10.0
    story: str = ""  # the tracer story that runs this step's function (a [stories] table), or none
    act: int = 1  # 1: the article's ten steps; 2: beyond the article (optional)
    # the arguments of a small call that tells a written function from its stub: numbers, lists of
    # numbers, and files named from the kata's root (the tracer finds them in the kata it runs on)
    probe: tuple[Any, ...] = ()
    returns: str = "number"  # the kind of answer, one of RETURNS: what the tracer holds it to
    # a short paragraph on the new idea the step brings, put in its stub; {names} are figures computed from
    # park.txt when the stub is made (kata/core/stubs.py), never typed by hand
    idea: str = ""

    @property
    def hints(self) -> tuple[str, ...]:
        """Every hint, from a nudge to nearly the code (the reference's body, so the two cannot drift)."""
        return (*self.nudges, reference_body(self))

    @property
    def reference_file(self) -> Path:
        """The reference solution: kata/solutions/stepNN_name.py."""
        return SOLUTIONS / f"{self.stem}.py"

    @property
    def learner_file(self) -> str:
        """The learner's file, relative to the kata's root: steps/stepNN_name.py."""
        return f"steps/{self.stem}.py"

    @property
    def test_file(self) -> str:
        """The step's tests, relative to the kata's root."""
        return f"tests/test_{self.stem}.py"


CONTENT = ROOT / "kata" / "content.toml"

# what a step's function may return, as content.toml says it in `returns`
RETURNS = {
    "number": "a number",
    "numbers": "a list of numbers, one per x",
    "slopes": "two numbers, the w and b slopes",
    "line": "two numbers, w and b",
    "other": "any other answer, which the story that calls it checks",
}


@dataclass(frozen=True)
class Story:
    """A tracer story's steps: those it runs (all written, or the reference's), and those it also runs when written."""

    name: str
    needs: tuple[Step, ...]
    optional: tuple[Step, ...] = ()


class ContentError(ValueError):
    """content.toml says something the kata cannot use; the message names the file and the entry."""


# the fields of a step's entry and of a story's table: a missing or misspelt one is an error, not a default
STEP_NEEDS = {"stem", "function", "probe", "title", "section", "todo", "hints"}
STEP_FIELDS = {*STEP_NEEDS, "returns", "story", "time_limit", "act", "idea"}
STORY_FIELDS = {"needs", "optional"}


@dataclass(frozen=True)
class Facts:
    """The kata's own facts, from content.toml: the question, its answer, and the article's settings."""

    title: str
    question: str
    temperature: float
    answer: float
    unit: str
    article: str
    data: str
    lr: float
    iterations: int
    parabola_start: float
    parabola_lr: float
    parabola_iterations: int
    parabola_minimum: float


def read_content(path: Path = CONTENT) -> tuple[Facts, tuple[Step, ...], dict[str, Story]]:
    """The facts, the ordered steps and the tracer's stories of the kata, from its content file."""
    with open(path, "rb") as file:
        data = tomllib.load(file)
    kata, article, parabola = data["kata"], data["article"], data["article"]["parabola"]
    facts = Facts(
        kata["title"],
        kata["question"],
        float(kata["temperature"]),
        float(kata["answer"]),
        kata["unit"],
        f'{article["author"]}\'s "{article["title"]}" ({article["year"]})',
        article["data"],
        float(article["lr"]),
        int(article["iterations"]),
        float(parabola["start"]),
        float(parabola["lr"]),
        int(parabola["iterations"]),
        float(parabola["minimum"]),
    )
    where = f"{path.parent.name}/{path.name}"
    steps = read_steps(data["steps"], where)
    stories = read_stories(data.get("stories", {}), steps, where)
    for step in steps:
        check_step(step, where, stories, path.parents[1])
    return facts, steps, stories


def read_steps(entries: list[dict[str, Any]], where: str) -> tuple[Step, ...]:
    """The steps, in order, from their entries; ContentError for a field missing, unknown or of the wrong shape."""
    steps = []
    for number, entry in enumerate(entries, start=1):
        place = f"{where}: step {number} ({entry.get('stem', 'no stem')})"
        missing, unknown = sorted(STEP_NEEDS - set(entry)), sorted(set(entry) - STEP_FIELDS)
        if missing:
            raise ContentError(f"{place}: no {', '.join(missing)}")
        if unknown:
            raise ContentError(
                f"{place}: unknown field {', '.join(unknown)} (a step has {', '.join(sorted(STEP_FIELDS))})"
            )
        steps.append(
            Step(
                number,
                entry["stem"],
                entry["function"],
                entry["title"],
                entry["section"],
                entry["todo"],
                tuple(entry["hints"]),
                float(entry.get("time_limit", 10)),
                entry.get("story", ""),
                int(entry.get("act", 1)),
                probe_of(entry["probe"], place),
                entry.get("returns", "number"),
                entry.get("idea", ""),
            )
        )
    return tuple(steps)


def read_stories(
    tables: dict[str, dict[str, Any]], steps: tuple[Step, ...], where: str
) -> dict[str, Story]:
    """The tracer's stories, their steps named by stem; ContentError for a stem no step has."""
    by_stem = {step.stem: step for step in steps}

    def named(place: str, stems: Any, at_least: int) -> tuple[Step, ...]:
        if (
            not isinstance(stems, list)
            or not all(isinstance(stem, str) for stem in stems)
            or len(stems) < at_least
        ):
            raise ContentError(f'{place} must be a list of stems, like ["{steps[0].stem}"]')
        unknown = [stem for stem in stems if stem not in by_stem]
        if unknown:
            raise ContentError(f"{place} names {', '.join(unknown)}: no step has that stem")
        return tuple(by_stem[stem] for stem in stems)

    stories = {}
    for name, table in tables.items():
        unknown = sorted(set(table) - STORY_FIELDS)
        if unknown:
            raise ContentError(
                f"{where}: [stories.{name}]: unknown field {', '.join(unknown)} (a story has needs, optional)"
            )
        stories[name] = Story(
            name,
            named(f"{where}: [stories.{name}] needs", table.get("needs"), 1),
            named(f"{where}: [stories.{name}] optional", table.get("optional", []), 0),
        )
    return stories


def check_step(step: Step, where: str, stories: dict[str, Story], root: Path) -> None:
    """Raise ContentError when a step's entry cannot be used: a story, a probe or an answer the tools do not know."""
    place = f"{where}: step {step.number} ({step.stem})"
    if step.story and step.story not in stories:
        raise ContentError(
            f"{place}: story = {step.story!r}, but there is no [stories.{step.story}]"
        )
    if step.returns not in RETURNS:
        raise ContentError(f"{place}: returns = {step.returns!r}, not one of {', '.join(RETURNS)}")
    reference = root / "kata" / "solutions" / f"{step.stem}.py"
    if not reference.is_file():
        return  # no reference to hold the probe to: the tools say so when they need it
    function = next(
        (
            node
            for node in ast.parse(reference.read_text(encoding="utf-8")).body
            if isinstance(node, ast.FunctionDef) and node.name == step.function
        ),
        None,
    )
    if function is None:
        raise ContentError(
            f"{place}: function = {step.function!r}, but {reference.name} has no such function"
        )
    most = len(function.args.posonlyargs) + len(function.args.args)
    least = most - len(function.args.defaults)
    if not least <= len(step.probe) <= most:  # a list counts as one argument, a file name too
        wanted = f"{least}" if least == most else f"{least} to {most}"
        raise ContentError(
            f"{place}: probe = {list(step.probe)} gives {step.function}() {len(step.probe)} argument(s); it takes {wanted}"
        )


def probe_of(probe: Any, place: str) -> tuple[Any, ...]:
    """A step's probe: a list of numbers, lists of numbers and file names; ContentError otherwise."""
    if not isinstance(probe, list):
        raise ContentError(
            f"{place}: probe = {probe!r} must be a list of arguments, like [6.0, 0.1]"
        )
    for argument in probe:
        if not (
            is_number(argument)
            or (isinstance(argument, list) and all(is_number(item) for item in argument))
            or (isinstance(argument, str) and argument and not Path(argument).is_absolute())
        ):
            raise ContentError(
                f"{place}: probe argument {argument!r} is not a number, a list of numbers or a file in the kata's folder"
            )
    return tuple(probe)


def is_number(value: Any) -> bool:
    """True for an int or a float from TOML, not a bool."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


FACTS, STEPS, STORIES = read_content()


def reference_function(step: Step) -> tuple[list[str], int]:
    """The reference file's lines, and the line number (from 1) where the body of the step's function starts,
    below its docstring."""
    source = step.reference_file.read_text(encoding="utf-8")
    function = next(
        node
        for node in ast.parse(source).body
        if isinstance(node, ast.FunctionDef) and node.name == step.function
    )
    first = function.body[0]
    start = (first.end_lineno or first.lineno) + 1 if ast.get_docstring(function) else first.lineno
    return source.splitlines()[: function.end_lineno], start


def reference_body(step: Step) -> str:
    """The body of the step's function in the reference, below its docstring, indented as in the file."""
    lines, start = reference_function(step)
    return "\n".join(lines[start - 1 :])


def reference_line(step: Step) -> int:
    """The line number in the reference file where the body of reference_body() starts."""
    return reference_function(step)[1]


def step_named(function: str, story: str | None = None) -> Step:
    """The step whose function has this name (in this tracer story, where two share one: gradient)."""
    return next(
        step
        for step in STEPS
        if step.function == function and (story is None or step.story == story)
    )


def step_by_number(number: int) -> Step:
    """Return step `number` (1-based); raise LookupError when there is none."""
    if not 1 <= number <= len(STEPS):
        raise LookupError(f"there is no step {number}: the steps are 1 to {len(STEPS)}")
    return STEPS[number - 1]


def step_by_stem(stem: str) -> Step:
    """Return the step with this stem (its files' name, which never moves); raise LookupError when there is none."""
    for step in STEPS:
        if step.stem == stem:
            return step
    raise LookupError(f"there is no step {stem}")
