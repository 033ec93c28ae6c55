"""The ordered steps of the kata and its facts, read from content.toml: one source of truth for every tool."""

from __future__ import annotations

import ast
import tomllib
from dataclasses import dataclass
from pathlib import Path

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
    story: str = ""  # the tracer story that runs this step's function: parabola or park
    act: int = 1  # 1: the article's ten steps; 2: beyond the article (optional)

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


def read_content(path: Path = CONTENT) -> tuple[Facts, tuple[Step, ...]]:
    """The facts and the ordered steps of the kata, from its content file."""
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
    steps = tuple(
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
        )
        for number, entry in enumerate(data["steps"], start=1)
    )
    return facts, steps


FACTS, STEPS = read_content()


def reference_body(step: Step) -> str:
    """The body of the step's function in the reference, below its docstring, indented as in the file."""
    source = step.reference_file.read_text(encoding="utf-8")
    function = next(
        node
        for node in ast.parse(source).body
        if isinstance(node, ast.FunctionDef) and node.name == step.function
    )
    first = (
        function.body[0].end_lineno if ast.get_docstring(function) else function.body[0].lineno - 1
    )
    return "\n".join(source.splitlines()[first : function.end_lineno])


def reference_line(step: Step) -> int:
    """The line number in the reference file where the body of reference_body() starts."""
    source = step.reference_file.read_text(encoding="utf-8")
    function = next(
        node
        for node in ast.parse(source).body
        if isinstance(node, ast.FunctionDef) and node.name == step.function
    )
    return (
        (function.body[0].end_lineno or 0) + 1
        if ast.get_docstring(function)
        else function.body[0].lineno
    )


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
