"""The learner's stubs, made from the reference solutions so that the two never drift apart.

A stub keeps the reference's module docstring, imports, constants, signatures and
function docstrings; each function body becomes a `# TODO:` and a NotImplementedError.
A step that brings a new idea (its `idea` in content.toml) gets it as a comment under
the docstring, its figures computed from park.txt here. `python -m kata.stubs`
(kata/stubs.py) writes them into steps/.
"""

from __future__ import annotations

import ast
import math
import re
import textwrap
from functools import cache
from pathlib import Path

from kata.core.registry import FACTS, ROOT, STEPS, Step

SOLUTIONS = ROOT / "kata" / "solutions"
TOLERANCE = 0.01  # the stopping rule's tolerance the idea of step 13 takes as its example (the sweep story's)


def reference_source(step: Step) -> str:
    """Return the text of the reference solution for a step."""
    return step.reference_file.read_text(encoding="utf-8")


def figure(value: float, digits: int = 3) -> str:
    """A figure as a person writes it: `digits` significant digits, no exponent (12600, 0.0924, 1167)."""
    rounded = float(f"{value:.{digits}g}")
    return f"{rounded:f}".rstrip("0").rstrip(".") if rounded % 1 else f"{rounded:.0f}"


@cache
def park_figures(path: Path = ROOT / FACTS.data) -> dict[str, str]:
    """The figures act II's ideas quote, computed from park.txt: the valley of the loss over (w, b) and its
    curvatures, the eigenvalues of [[2·mean(x²), 2·mean(x)], [2·mean(x), 2]]."""
    rows = [
        line.split() for line in path.read_text(encoding="utf-8").splitlines()[1:] if line.strip()
    ]
    X, Y = [float(x) for x, _ in rows], [float(y) for _, y in rows]
    n = len(X)
    mean_x, mean_y, mean_xx = sum(X) / n, sum(Y) / n, sum(x * x for x in X) / n
    a, c = 2 * mean_xx, 2 * mean_x  # the curvature along w, and how w and b pull on each other
    half = math.hypot((a - 2) / 2, c)
    across, along = (a + 2) / 2 + half, (a + 2) / 2 - half
    w = sum((x - mean_x) * (y - mean_y) for x, y in zip(X, Y)) / sum((x - mean_x) ** 2 for x in X)
    b = mean_y - w * mean_x
    return {
        "mean_x": figure(mean_x),
        "mean_xx": figure(mean_xx),
        "curvature_w": figure(a, 4),
        "across": figure(across, 4),
        "along": figure(along, 2),
        "ratio": figure(across / along),
        "tilt": figure(
            c / (a - along), 1
        ),  # the floor's direction: w goes down this much for each 1 that b goes up
        "safe": figure(2 / across),
        "share": figure(FACTS.lr * along * 100, 2),  # % of the gap along the floor closed per step
        "closed": figure(w * FACTS.temperature + b),
        "answer": figure(FACTS.answer),
        "iterations": str(FACTS.iterations),
        "lr": figure(FACTS.lr),
        "tolerance": figure(TOLERANCE),
        # how far from the bottom a gradient shorter than the tolerance may still be
        "bound": figure(TOLERANCE / along),
        # standardised with n − 1 instead of n, mean(x²) is (n − 1)/n
        "sample_curvature": figure(2 * (n - 1) / n, 4),
    }


KEEP = "\x00"  # stands for a space that must not break a line while wrapping


def wrap(text: str, width: int, subsequent_indent: str = "") -> list[str]:
    """textwrap.wrap, but a short bracket, `(w, b, losses)`, stays whole on one line."""
    kept = re.sub(r"\([^()]{1,14}\)", lambda group: group[0].replace(" ", KEEP), text)
    return [
        line.replace(KEEP, " ")
        for line in textwrap.wrap(kept, width=width, subsequent_indent=subsequent_indent)
    ]


def idea_lines(step: Step) -> list[str]:
    """The step's idea as comment lines for its stub (none when it brings no new idea)."""
    if not step.idea:
        return []
    text = step.idea.format(**park_figures())
    return [f"# {line}\n" for line in wrap(text, width=86)] + ["\n"]


def stub_source(step: Step) -> str:
    """Return the stub the learner first sees for a step."""
    lines = reference_source(step).splitlines(keepends=True)
    tree = ast.parse("".join(lines))
    functions = [node for node in tree.body if isinstance(node, ast.FunctionDef)]
    for node in reversed(functions):  # from the bottom up, so line numbers stay valid
        indent = " " * (node.col_offset + 4)
        docstring_end = node.body[0].end_lineno
        todo = wrap(f"TODO: {step.todo}", width=88 - len(indent) - 2, subsequent_indent="      ")
        body = [f"{indent}# {line}\n" for line in todo]
        body.append(f'{indent}raise NotImplementedError("step {step.number}: {node.name}()")\n')
        lines[docstring_end : node.end_lineno] = body
        first = node.decorator_list[0].lineno if node.decorator_list else node.lineno
        args = ", ".join(arg.arg for arg in node.args.args)
        said, call = "Keep this name and these arguments: the tests call", f"{node.name}({args})."
        # one line where it fits, else the call whole on a line of its own
        fits = len(said) + len(call) < 86
        keep = [f"# {said} {call}\n"] if fits else [f"# {said}\n", f"# {call}\n"]
        lines[first - 1 : first - 1] = keep
    docstring = tree.body[0]  # every reference opens with its docstring; the idea goes under it
    after = (docstring.end_lineno or docstring.lineno) + 1
    lines[after:after] = idea_lines(step)
    return "".join(lines)


def checkpoint_sources(start: int) -> dict[str, str]:
    """Return {learner file: text} with steps before `start` solved and the rest as stubs."""
    return {
        step.learner_file: reference_source(step) if step.number < start else stub_source(step)
        for step in STEPS
    }
