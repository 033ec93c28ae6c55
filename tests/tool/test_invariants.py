"""What must hold for every learner: stubs red for the right reason, references green, checkpoints in order."""

from __future__ import annotations

import ast
import subprocess
from pathlib import Path

import pytest

from kata.core.registry import ROOT, STEPS
from kata.core.stubs import checkpoint_sources, reference_source, stub_source
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
