"""The shape of the kata's code: no import circles, and no tool that knows a step number, the step count or the
article's figures by heart (they live in kata/content.toml, so that adding a step changes no tool)."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

from kata.core.registry import FACTS, ROOT

PACKAGE = ROOT / "kata"
TOOLS = sorted(path for path in PACKAGE.rglob("*.py") if "solutions" not in path.parts)


def imports_of(path: Path) -> set[str]:
    """The kata modules a module imports, anywhere in it (a lazy import counts too)."""
    module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    package = module.rsplit(".", 1)[0] if path.name != "__init__.py" else module
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                names = (
                    [f"{base}.{node.module}"]
                    if node.module
                    else [f"{base}.{alias.name}" for alias in node.names]
                )
            else:
                names = [node.module or ""]
            found.update(name for name in names if name.startswith("kata"))
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("kata"))
    return {name for name in found if name != module}


def test_no_import_cycles():
    modules = {".".join(p.relative_to(ROOT).with_suffix("").parts): p for p in TOOLS}
    graph = {name: {i for i in imports_of(path) if i in modules} for name, path in modules.items()}
    cycles = []

    def visit(name: str, trail: list[str]) -> None:
        if name in trail:
            cycles.append(trail[trail.index(name) :] + [name])
            return
        for other in sorted(graph.get(name, ())):
            if other not in done:
                visit(other, trail + [name])

    done: set[str] = set()
    for name in sorted(graph):
        visit(name, [])
        done.add(name)
    assert not cycles, "import circles: " + "; ".join(" → ".join(cycle) for cycle in cycles[:5])


# what each part of the kata may import (besides itself): the layers of the README's module map
MAY_IMPORT = {
    "kata.core": {"kata.solutions"},
    "kata.loop": {"kata.core"},
    "kata.trace": {"kata.core"},
    "kata.dojo": {"kata.core", "kata.loop"},
}


def part_of(module: str) -> str:
    return ".".join(module.split(".")[:2])


def test_each_part_imports_only_the_parts_below_it():
    crossings = [
        f"{path.relative_to(ROOT)} imports {other}"
        for path in TOOLS
        for module in [".".join(path.relative_to(ROOT).with_suffix("").parts)]
        if part_of(module) in MAY_IMPORT
        for other in sorted(imports_of(path))
        if part_of(other) != part_of(module) and part_of(other) not in MAY_IMPORT[part_of(module)]
    ]
    assert not crossings, "\n".join(crossings)


def test_each_part_says_in_its_docstring_what_lives_there_and_what_it_may_import():
    for part, allowed in MAY_IMPORT.items():
        init = PACKAGE / part.split(".")[1] / "__init__.py"
        said = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        assert said and "import" in said, (
            f"{init.relative_to(ROOT)}: no docstring saying what it may import"
        )
        assert all(name in said for name in allowed - {"kata.solutions"}), (part, said)


def test_the_top_of_the_package_holds_only_entry_points_and_data():
    top = sorted(path.name for path in PACKAGE.glob("*.py"))
    assert top == ["__init__.py", "__main__.py", "bench.py", "stubs.py"], top


# the article's figures and the number of steps, as a tool might write them in by hand
FIGURES = {
    FACTS.answer,
    round(FACTS.temperature),
    FACTS.iterations,
    558,
}  # (not the lr: 0.001 is a common tolerance too)
WORDS = re.compile(
    r"\b(543|558|20000|20 000|33 °C|ten steps|10 steps|/10\b|of 10\b|steps? [1-9]\d?\b)"
)


def test_no_tool_names_a_step_number_the_step_count_or_the_articles_figures():
    found = []
    for path in TOOLS:
        source = path.read_text(encoding="utf-8")
        allowed = {
            n
            for n, line in enumerate(source.splitlines(), start=1)
            if "kata: not the article's" in line
        }
        tree = ast.parse(source)
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
            and node.body
            and isinstance(node.body[0], ast.Expr)
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and id(node) not in docstrings
                and node.lineno not in allowed
            ):
                value = node.value
                if (
                    isinstance(value, (int, float))
                    and not isinstance(value, bool)
                    and value in FIGURES
                ):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {value!r}")
                elif isinstance(value, str) and WORDS.search(value):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {value[:70]!r}")
    assert not found, (
        "write these from kata/content.toml (FACTS, STEPS), not by hand:\n" + "\n".join(found)
    )


def test_the_pytest_plugin_and_the_step_tests_need_no_rich():
    """A learner's `python -m pytest --target steps` needs pytest only: nothing on its path imports rich."""
    blocker = (
        "import sys\n"
        "class NoRich:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'rich' or name.startswith('rich.'):\n"
        "            raise ImportError('no rich here')\n"
        "sys.meta_path.insert(0, NoRich())\n"
        "import kata.core.pytest_plugin, kata.core.checks, kata.core.warm, tests.support\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", blocker], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
