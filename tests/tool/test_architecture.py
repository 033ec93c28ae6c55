"""The shape of the kata's code: no import circles, and no tool that knows a step number, the step count or the
article's figures by heart (they live in kata/content.toml, so that adding a step changes no tool)."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kata.core.registry import FACTS, ROOT, STEPS

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


# parameters that take a step number: a call that passes them an int literal names a step by number
NUMBER_PARAMETERS = {"number", "numbers", "step_number"}
# containers a step number indexes: code.functions[8], STEPS[3], PROBES[5]
STEP_CONTAINERS = re.compile(r"step|function|probe|need|optional", re.IGNORECASE)


def number_parameters(trees: list[ast.Module]) -> dict[str, set[int]]:
    """For each function the kata defines: the positions of its parameters that take a step number."""
    found: dict[str, set[int]] = {}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                names = [a.arg for a in (*node.args.posonlyargs, *node.args.args)]
                found.setdefault(node.name, set()).update(
                    i for i, name in enumerate(names) if name in NUMBER_PARAMETERS
                )
    return found


def step_numbers_in(
    tree: ast.Module, takes: dict[str, set[int]], count: int, tables: bool = True
) -> list[int]:
    """The lines where an int literal stands for a step: code.functions[8], `step.number in (8, 11)`, a call such as
    step_by_number(3) or learner(4), and with `tables` a dict keyed by step numbers or holding them, or a set of them.
    """

    def number(node: ast.AST) -> bool:
        return (
            isinstance(node, ast.Constant) and type(node.value) is int and 1 <= node.value <= count
        )

    def numbers(node: ast.AST) -> bool:
        return (
            isinstance(node, (ast.Tuple, ast.List, ast.Set))
            and bool(node.elts)
            and all(number(e) for e in node.elts)
        )

    def name_of(node: ast.AST) -> str:
        if isinstance(node, ast.Name):
            return node.id
        return node.attr if isinstance(node, ast.Attribute) else ""

    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict) and tables:
            hit = any(key is not None and number(key) for key in node.keys) or any(
                numbers(value) for value in node.values
            )
        elif isinstance(node, ast.Set) and tables:
            hit = numbers(node)
        elif isinstance(node, ast.Subscript):
            hit = number(node.slice) and bool(STEP_CONTAINERS.search(name_of(node.value)))
        elif isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            hit = any(
                isinstance(side, ast.Attribute) and side.attr == "number" for side in sides
            ) and any(number(side) or numbers(side) for side in sides)
        elif isinstance(node, ast.Call):
            positions = takes.get(name_of(node.func), set())
            hit = any(
                i in positions and (number(arg) or numbers(arg)) for i, arg in enumerate(node.args)
            ) or any(
                keyword.arg in NUMBER_PARAMETERS
                and (number(keyword.value) or numbers(keyword.value))
                for keyword in node.keywords
            )
        else:
            hit = False
        if hit:
            lines.append(getattr(node, "lineno", 0))
    return sorted(set(lines))


def test_no_tool_names_a_step_by_its_number():
    """Tables of small ints count only in the tracer, which kept its steps in such tables; elsewhere {1: …, 2: …}
    may well be the two acts."""
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in TOOLS}
    takes = number_parameters(list(trees.values()))
    found = [
        f"{path.relative_to(ROOT)}:{line}: {path.read_text(encoding='utf-8').splitlines()[line - 1].strip()}"
        for path, tree in trees.items()
        for line in step_numbers_in(tree, takes, len(STEPS), tables="trace" in path.parts)
    ]
    assert not found, (
        "name a step by its stem (code['step08_gradient'], step_by_stem, learner('step04_descend')) or by what "
        "content.toml says of it (its probe, what it returns, its story's needs), not by its number:\n"
        + "\n".join(found)
    )


# the old tracer's ways of naming steps by number, and ordinary numbers that must not be taken for steps
BY_NUMBER = [
    "PROBES = {1: (6.0,), 2: (6.0,)}",
    'NEEDS = {"parabola": (1, 2, 3), "park": (6, 7, 8)}',
    'OPTIONAL = {"sweep": (13,)}',
    "PAIR_RESULT = {8, 11, 12}",
    "f = code.functions[1]",
    "stub = STEPS[3]",
    "wanted = 'slopes' if step.number in (8, 11) else 'line'",
    "last = step.number == 10",
    "file = step_by_number(2).learner_file",
    "def learner(number): ...\nfound = learner(4)",
    "def triple(result, number, call): ...\ntriple(result, 15, call)",
    "def choose(numbers, target): ...\nchoose(numbers=(1, 2, 3), target='auto')",
]
ORDINARY = [
    "w, b = at[0], at[1]",
    "spread = float(result[2])",
    "made = next(k for k in (2, 1, 4, 5) if k)",
    "rows = [h for k in range(13)]",
    "shown = round(x, 3)",
    "head = path[: max(i, 2)]",
    'pace = {"parabola": 8.0, "park": 12.0}',
    "picked = sorted({0, len(path) - 1})",
    "twice = count == 2",
    "first = steps[0].number",
]


def test_the_step_number_finder_sees_the_old_ways_and_leaves_ordinary_numbers():
    tools = [ast.parse(path.read_text(encoding="utf-8")) for path in TOOLS]
    for source in BY_NUMBER:
        tree = ast.parse(source)
        assert step_numbers_in(tree, number_parameters([*tools, tree]), len(STEPS)), source
    for source in ORDINARY:
        tree = ast.parse(source)
        assert not step_numbers_in(tree, number_parameters([*tools, tree]), len(STEPS)), source


STEM = re.compile(r"^step\d\d_\w+$")


def test_every_stem_a_tool_names_is_a_step():
    stems = {step.stem for step in STEPS}
    unknown = [
        f"{path.relative_to(ROOT)}:{node.lineno}: {node.value!r}"
        for path in TOOLS
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and STEM.match(node.value)
        and node.value not in stems
    ]
    assert not unknown, "no step has these stems (kata/content.toml):\n" + "\n".join(unknown)


def import_without_rich(modules: str) -> subprocess.CompletedProcess[str]:
    """Import the modules in a Python where importing rich fails, as where it is not installed."""
    blocker = (
        "import sys\n"
        "class NoRich:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'rich' or name.startswith('rich.'):\n"
        "            raise ImportError('no rich here')\n"
        "sys.meta_path.insert(0, NoRich())\n"
        f"import {modules}\n"
    )
    return subprocess.run(
        [sys.executable, "-c", blocker], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


def test_the_pytest_plugin_and_the_step_tests_need_no_rich():
    """A learner's `python -m pytest --target steps` needs pytest only: nothing on its path imports rich."""
    done = import_without_rich(
        "kata.core.pytest_plugin, kata.core.checks, kata.core.warm, tests.support"
    )
    assert done.returncode == 0, done.stderr


def test_without_rich_the_step_tests_still_run_and_one_line_says_the_tools_tests_did_not():
    """Before the kata is installed (no rich), `python -m pytest` runs the step tests and says what it left out."""
    script = (
        "import sys\n"
        "sys.modules['rich'] = None  # import rich fails, as where it is not installed\n"
        "import pytest\n"
        "sys.exit(pytest.main(['-q', '-p', 'no:cacheprovider', '--collect-only', 'tests']))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout[-2000:]
    assert "tests/tool did not run: rich is not installed here" in done.stdout
    assert "tests/test_step01_parabola.py" in done.stdout and "tests/tool/" not in done.stdout


@pytest.mark.parametrize("module", ["kata", "kata.trace"])
def test_an_entry_point_run_without_rich_says_how_to_install_in_one_line(module):
    """A learner who runs the kata before installing it gets what to do, not a traceback, and no file is left."""
    script = (
        "import runpy, sys\n"
        "sys.modules['rich'] = None  # import rich fails, as where it is not installed\n"
        f"sys.argv = [{module!r}, 'park' if {module!r} == 'kata.trace' else 'status']\n"
        f"runpy.run_module({module!r}, run_name='__main__', alter_sys=True)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert done.stderr == (
        f"{module}: this Python has no rich ({sys.executable}): install the kata first, from its folder: "
        "python -m pip install -e .\n"
    )


TRACE = PACKAGE / "trace"


def test_no_module_of_the_tracer_is_over_500_lines():
    long = [
        f"{path.relative_to(ROOT)}: {count} lines"
        for path in sorted(TRACE.rglob("*.py"))
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > 500
    ]
    assert not long, "\n".join(long)


# the tracer's arithmetic, each in one place: kata/trace/maths.py (issue 17 found two or three of each)
ONCE = {
    "close",
    "closed_form",
    "least_squares",
    "safe_bound",
    "safe_learning_rate",
    "curvatures",
    "curvatures_of",
    "across_valley",
    "mse",
    "exact_gradient",
    "standardise",
}


def test_the_tracers_arithmetic_is_defined_once_in_its_maths_module():
    found = [
        f"{path.relative_to(ROOT)}:{node.lineno}: def {node.name}"
        for path in sorted(TRACE.rglob("*.py"))
        if path.name != "maths.py"
        for node in ast.parse(
            path.read_text(encoding="utf-8")
        ).body  # functions, not a Child's close()
        if isinstance(node, ast.FunctionDef) and node.name in ONCE
    ]
    assert not found, "use kata/trace/maths.py:\n" + "\n".join(found)


def test_the_tracers_child_side_and_its_maths_need_no_rich():
    """The child imports every story and what they compute with: none of it may load rich (the child's start-up is
    part of every trace), and the maths module is pure."""
    stories = sorted(
        f"kata.trace.stories.{p.stem}"
        for p in (TRACE / "stories").glob("*.py")
        if p.stem != "__init__"
    )
    done = import_without_rich(
        f"kata.trace.child, kata.trace.launch, kata.trace.maths, {', '.join(stories)}"
    )
    assert done.returncode == 0, done.stderr
    maths = imports_of(TRACE / "maths.py")
    assert not maths, f"kata/trace/maths.py imports {maths}: it is pure arithmetic"
