"""What must hold for every learner: stubs red for the right reason, references green, checkpoints in order."""

from __future__ import annotations

import ast
import keyword
import re
import subprocess
from pathlib import Path

import pytest

from kata.core.registry import ROOT, STEPS, Step, reference_body
from kata.core.stubs import checkpoint_sources, idea_lines, reference_source, stub_source
from tests.tool.sessions import Job, outcomes_for


def session_jobs() -> list[Job]:
    """For k = 0..len(STEPS): steps 1..k solved with the reference, stubs after; the tests of steps 1..k+1."""
    jobs = []
    for solved in range(len(STEPS) + 1):
        tested = STEPS if solved == 0 else STEPS[: min(solved + 1, len(STEPS))]
        jobs.append(
            (str(solved), checkpoint_sources(solved + 1), [step.test_file for step in tested])
        )
    return jobs


@pytest.fixture(scope="module")
def checkpoints(tmp_path_factory: pytest.TempPathFactory) -> dict[int, dict[int, list[dict]]]:
    """For k = 0..len(STEPS): steps 1..k solved with the reference, stubs after; the outcomes of steps 1..k+1 by step."""
    outcomes = outcomes_for(__name__, tmp_path_factory.mktemp("checkpoints"), session_jobs)
    by_solved: dict[int, dict[int, list[dict]]] = {}
    for name, tests in outcomes.items():
        by_step: dict[int, list[dict]] = {}
        for test in tests:
            by_step.setdefault(int(test["stem"][4:6]), []).append(test)
        by_solved[int(name)] = by_step
    return by_solved


def test_on_the_shipped_stubs_every_step_fails_on_not_implemented_error(checkpoints):
    for number, outcomes in checkpoints[0].items():
        assert outcomes, f"step {number} ran no test"
        for outcome in outcomes:
            assert outcome["state"] == "red" and outcome["stub"], (
                f"{outcome['nodeid']} should fail on the stub's NotImplementedError, "
                f"got {outcome['state']}: {outcome['message']}"
            )
            assert f"step {number}:" in outcome["message"], outcome["message"]


@pytest.mark.parametrize("solved", range(1, len(STEPS) + 1))
def test_with_steps_solved_up_to_k_those_pass_and_the_next_fails(checkpoints, solved):
    for number, outcomes in checkpoints[solved].items():
        states = {outcome["state"] for outcome in outcomes}
        if number <= solved:
            assert states == {"passed"}, f"step {number} should pass with the reference: {outcomes}"
        else:
            assert all(o["state"] == "red" and o["stub"] for o in outcomes), (
                f"step {number} should fail on its stub: {outcomes}"
            )


def signature_and_docstrings(source: str) -> list[tuple[str, str, str | None]]:
    """Return (name, signature, docstring) for the module and each of its functions."""
    tree = ast.parse(source)
    found = [("<module>", "", ast.get_docstring(tree))]
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            signature = (
                ast.unparse(node.args)
                + " -> "
                + (ast.unparse(node.returns) if node.returns else "")
            )
            found.append((node.name, signature, ast.get_docstring(node)))
    return found


@pytest.mark.parametrize("step", STEPS, ids=lambda step: step.stem)
def test_stub_and_reference_have_the_same_signatures_and_docstrings(step):
    assert signature_and_docstrings(stub_source(step)) == signature_and_docstrings(
        reference_source(step)
    )


@pytest.mark.parametrize("step", STEPS, ids=lambda step: step.stem)
def test_each_stub_only_raises_not_implemented_error(step):
    for node in ast.parse(stub_source(step)).body:
        if isinstance(node, ast.FunctionDef):
            docstring, *body = node.body
            assert len(body) == 1 and isinstance(body[0], ast.Raise), ast.unparse(node)
            assert f"step {step.number}: {node.name}()" in ast.unparse(body[0])


def shipped_text(path: Path) -> list[str]:
    """The file as committed (when git knows it) and as it is now: a learner's edit leaves the first intact."""
    versions = [path.read_text(encoding="utf-8")]
    relative = path.relative_to(ROOT).as_posix()
    committed = subprocess.run(
        ["git", "show", f"HEAD:{relative}"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if committed.returncode == 0:
        versions.append(committed.stdout)
    return versions


@pytest.mark.parametrize("step", STEPS, ids=lambda step: step.stem)
def test_the_shipped_stub_is_the_one_made_from_the_reference(step):
    assert stub_source(step) in shipped_text(ROOT / step.learner_file), (
        f"{step.learner_file} differs from its reference; run `python -m kata.stubs --force` to remake the stubs"
    )


def test_no_numpy_in_steps_solutions_or_tests():
    for folder in ("steps", "kata/solutions", "tests"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    names = [alias.name for alias in node.names] + [
                        getattr(node, "module", None) or ""
                    ]
                    assert not any(name.split(".")[0] == "numpy" for name in names), (
                        f"{path} imports numpy"
                    )


# A stub hands over the idea, not the code: the goal, the formula in mathematical notation (−, ·, ², √, Σ), the part
# of the article, and a TODO in words. The Python comes only with the last hint, made from the reference.

TOKEN = re.compile(r"\*\*|//|[-+*/%<>=!]=|[A-Za-z_][A-Za-z_0-9]*|\d+(?:\.\d*)?(?:e-?\d+)?|\S")
OPERATORS = {
    "+",
    "-",
    "*",
    "/",
    "**",
    "//",
    "%",
    "<",
    ">",
    "<=",
    ">=",
    "==",
    "!=",
    "+=",
    "-=",
    "*=",
    "/=",
}
PYTHON = "()[],.:=" + "".join(OPERATORS)


def tokens(text: str) -> list[str]:
    """Python's tokens with every name as N (a renamed variable is the same code); whatever Python cannot read
    (−, ·, ², backticks, quotes, letters of other scripts) is one barrier, #, that no code runs across."""
    found = []
    for token in TOKEN.findall(text):
        if token[0].isalpha() or token[0] == "_":
            found.append(token if keyword.iskeyword(token) else "N")
        elif token[0].isdigit() or token in OPERATORS or token in PYTHON:
            found.append(token)
        else:
            found.append("#")
    return found


def substantial(run: list[str]) -> bool:
    """Code worth hiding: six tokens or more, with an operator, an assignment or a loop in it (a call alone, like
    `predict(X, w, b)`, reads as prose too: "the line (w, b)")."""
    return len(run) >= 6 and any(t in OPERATORS or t in ("=", "for", "lambda") for t in run)


def pieces_of_code(step: Step) -> set[tuple[str, ...]]:
    """Every statement of the reference's body and every expression in it that is worth hiding, as tokens."""
    body = reference_body(step)
    tree = ast.parse(body.replace("\n    ", "\n").removeprefix("    "))
    source = body.replace("\n    ", "\n").removeprefix("    ")
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.expr, ast.stmt)) and not isinstance(
            node, (ast.For, ast.While, ast.If, ast.With, ast.FunctionDef)
        ):
            segment = ast.get_source_segment(source, node) or ""
            run = tokens(segment.split("  #")[0])
            if substantial(run):
                found.add(tuple(run))
        if isinstance(
            node, (ast.For, ast.While, ast.If, ast.With)
        ):  # their first line, without the body
            head = ast.get_source_segment(source, node) or ""
            run = tokens(head.splitlines()[0].split("  #")[0])
            if substantial(run):
                found.add(tuple(run))
    return found


def handed_over(text: str, code: set[tuple[str, ...]]) -> list[str]:
    """The pieces of the code that the text spells out, token for token (names may differ)."""
    said = tokens(text)
    joined = " " + " ".join(said) + " "
    return [" ".join(piece) for piece in code if " " + " ".join(piece) + " " in joined]


# Python's own spelling, which mathematical notation and plain words never need
PYTHON_SPELLING = {
    "** (Python's power)": r"\*\*",
    "* between two operands": r"[\w)\]]\s*\*\s*[\w(]",
    "an augmented assignment": r"[-+*/]=",
    "- (the minus key) between two operands": r"[\w)]\s+-\s+[\w(]",
    "== or !=": r"==|!=",
    "a loop or comprehension": r"\bfor\s+[A-Za-z_]\w*(\s*,\s*[A-Za-z_]\w*)*\s+in\b",
    "a call of a builtin with its arguments": r"\b(sum|len|zip|range|abs|min|max|map|list|float|int|enumerate|open|"
    r"round|next|print)\(\s*[^)\s]",
    "a method or module call with its arguments": r"\b[A-Za-z_]\w*\.[A-Za-z_]\w*\(\s*[^)\s]",
    # in Python throughout: loss = mean((p − y)²) is mathematics
    "an assignment of a call": r"\b[A-Za-z_]\w*(\s*,\s*[A-Za-z_]\w*)*\s*=\s*[A-Za-z_][\w.]*\([\x20-\x7e]*?\)",
    "a slice": r"\[\s*\w*\s*:\s*\w*\s*\]",
}


def python_in(text: str) -> list[str]:
    """What in the text is spelt the way Python spells it."""
    return [
        f"{what}: {found.group(0)!r}"
        for what, pattern in PYTHON_SPELLING.items()
        for found in re.finditer(pattern, text)
    ]


def words_of(step: Step) -> dict[str, str]:
    """What the learner reads before the last hint: the stub (docstrings, the idea, the TODO), and the hints before
    the last."""
    return {
        "the stub": stub_source(step),
        "the TODO": step.todo,
        "the idea": "".join(idea_lines(step)),
        **{f"hint {n}": hint for n, hint in enumerate(step.nudges, start=1)},
    }


@pytest.mark.parametrize("step", STEPS, ids=lambda step: step.stem)
def test_no_stub_todo_or_hint_before_the_last_hands_over_the_references_code(step):
    code = pieces_of_code(step)
    assert code, f"{step.stem}: no code found in the reference's body"
    for where, text in words_of(step).items():
        found = handed_over(text, code)
        assert not found, f"{step.stem}: {where} spells out the reference's code: {found}"


def prose_of(step: Step) -> dict[str, str]:
    """The words of the stub and the first hints, without its code: docstrings, comments, the TODO, the hints."""
    tree = ast.parse(stub_source(step))
    docstrings = [ast.get_docstring(tree) or ""] + [
        ast.get_docstring(node) or "" for node in tree.body if isinstance(node, ast.FunctionDef)
    ]
    return {
        "the docstrings": "\n".join(docstrings),
        "the TODO": step.todo,
        "the idea": step.idea,
        **{f"hint {n}": hint for n, hint in enumerate(step.nudges, start=1)},
    }


@pytest.mark.parametrize("step", STEPS, ids=lambda step: step.stem)
def test_the_stub_and_the_first_hints_speak_maths_and_words_not_python(step):
    for where, text in prose_of(step).items():
        found = python_in(text)
        assert not found, f"{step.stem}: {where} is written in Python: {found}\n{text}"


@pytest.mark.parametrize("step", STEPS, ids=lambda step: step.stem)
def test_every_line_of_a_stub_fits_88_columns(step):
    long = [
        (n, line)
        for n, line in enumerate(stub_source(step).splitlines(), start=1)
        if len(line) > 88
    ]
    assert not long, f"{step.learner_file}: lines longer than 88 columns: {long}"


HANDING_OVER = [  # the TODOs of steps 1, 8, 12, 14 and 16 as they were: Python nearly verbatim
    ("step01_parabola", "return (x - 3) ** 2 + 2, the formula above in Python."),
    (
        "step12_least_squares",
        "w = sum((x - mean_x) * (y - mean_y)) / sum((x - mean_x) ** 2) and b = mean_y - w * mean_x",
    ),
    ("step14_standardise", "return ([(x - mean) / spread for x in X], mean, spread)"),
    ("step16_momentum", "w_velocity = beta * w_velocity + w_gradient, then w -= lr * w_velocity"),
    ("step04_descend", "then repeat: v = step(v, rate) and append v"),
]


@pytest.mark.parametrize(("stem", "text"), HANDING_OVER, ids=[stem for stem, _ in HANDING_OVER])
def test_both_checks_catch_a_todo_that_hands_over_the_code(stem, text):
    step = next(step for step in STEPS if step.stem == stem)
    assert handed_over(text, pieces_of_code(step)) and python_in(text)


@pytest.mark.parametrize(
    "text",
    [
        "the curve f(x) = (x − 3)² + 2; one step x − lr·f′(x)",
        "w = Σ(x − x̄)(y − ȳ) / Σ(x − x̄)² and b = ȳ − w·x̄",
        "its length √(∂w² + ∂b²) (math.hypot gives it); the file named by `path`",
        "(loss(w + h) − loss(w − h)) / 2h, the same for b; for each x in X, x·w + b",
    ],
)
def test_mathematical_notation_and_words_pass_both_checks(text):
    every = set().union(*(pieces_of_code(step) for step in STEPS))
    assert not handed_over(text, every) and not python_in(text)
