"""The learner's stubs, made from the reference solutions so that the two never drift apart.

A stub keeps the reference's module docstring, imports, constants, signatures and
function docstrings; each function body becomes a `# TODO:` and a NotImplementedError.
`python -m kata.stubs` (kata/stubs.py) writes them into steps/.
"""

from __future__ import annotations

import ast
import textwrap

from kata.core.registry import ROOT, STEPS, Step

SOLUTIONS = ROOT / "kata" / "solutions"


def reference_source(step: Step) -> str:
    """Return the text of the reference solution for a step."""
    return step.reference_file.read_text(encoding="utf-8")


def stub_source(step: Step) -> str:
    """Return the stub the learner first sees for a step."""
    lines = reference_source(step).splitlines(keepends=True)
    functions = [
        node for node in ast.parse("".join(lines)).body if isinstance(node, ast.FunctionDef)
    ]
    for node in reversed(functions):  # from the bottom up, so line numbers stay valid
        indent = " " * (node.col_offset + 4)
        docstring_end = node.body[0].end_lineno
        todo = textwrap.wrap(
            f"TODO: {step.todo}", width=88 - len(indent) - 2, subsequent_indent="      "
        )
        body = [f"{indent}# {line}\n" for line in todo]
        body.append(f'{indent}raise NotImplementedError("step {step.number}: {node.name}()")\n')
        lines[docstring_end : node.end_lineno] = body
        first = node.decorator_list[0].lineno if node.decorator_list else node.lineno
        args = ", ".join(arg.arg for arg in node.args.args)
        keep = f"# Keep this name and these arguments: the tests call {node.name}({args}).\n"
        lines.insert(first - 1, keep)
    return "".join(lines)


def checkpoint_sources(start: int) -> dict[str, str]:
    """Return {learner file: text} with steps before `start` solved and the rest as stubs."""
    return {
        step.learner_file: reference_source(step) if step.number < start else stub_source(step)
        for step in STEPS
    }
