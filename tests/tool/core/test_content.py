"""kata/content.toml as the tools read it: each step's probe and answer fit its reference, each story names real
steps, and a slip in the file is one clear error that names it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kata.core.loading import load_function
from kata.core.registry import CONTENT, SOLUTIONS, STEPS, STORIES, ContentError, read_content
from kata.trace.probes import arguments, checked, is_written


@pytest.mark.parametrize("step", STEPS, ids=lambda step: step.stem)
def test_each_probe_calls_the_reference_and_its_answer_is_of_the_kind_content_says(step):
    reference = load_function(step, "solutions")
    assert is_written(step, reference)
    checked(step, reference, step.reference_file.name)(
        *arguments(step)
    )  # raises when the kind is wrong


def test_a_file_in_a_probe_is_found_in_the_kata_the_tool_runs_on(tmp_path):
    load = next(step for step in STEPS if any(isinstance(a, str) for a in step.probe))
    assert arguments(load, tmp_path) == tuple(
        str(tmp_path / a) if isinstance(a, str) else a for a in load.probe
    )


def test_the_tracers_stories_are_the_contents():
    from kata.trace.stories import Story, story_class

    assert all(issubclass(story_class(name), Story) for name in STORIES)
    assert {step.story for step in STEPS} - {""} <= set(STORIES)


def written(tmp_path: Path, old: str, new: str, references: bool = False) -> Path:
    """A copy of content.toml with one slip (`old` becomes `new`), in a kata folder; with the references if asked."""
    text = CONTENT.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / "kata" / "content.toml"
    path.parent.mkdir()
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    if references:
        shutil.copytree(SOLUTIONS, path.parent / "solutions")
    return path


SLIPS = [
    (
        'needs = ["step06_predict", "step07_loss", "step08_gradient"]\n',
        'needs = ["step06_predict", "step07_los", "step08_gradient"]\n',
        "[stories.park] needs names step07_los: no step has that stem",
    ),
    (
        'optional = ["step13_stopping"]',
        'optional = "step13_stopping"',
        "[stories.sweep] optional must be a list of stems",
    ),
    ("probe = [6.0, 0.1]\n", "probe = 6.0\n", "step 3 (step03_step): probe = 6.0 must be a list"),
    ("probe = [6.0, 0.1]\n", "probe = [6.0, true]\n", "probe argument True is not a number"),
    ("probe = [6.0, 0.1]\n", 'probe = [6.0, "/etc/passwd"]\n', "probe argument '/etc/passwd'"),
    ("probe = [6.0, 0.1]\n", "", "step 3 (step03_step): no probe"),
    ("probe = [6.0, 0.1]\n", "prob = [6.0, 0.1]\n", "step 3 (step03_step): no probe"),
    ('returns = "slopes"', 'return = "slopes"', "step 8 (step08_gradient): unknown field return"),
    (
        'optional = ["step13_stopping"]',
        'optionnal = ["step13_stopping"]',
        "[stories.sweep]: unknown field optionnal",
    ),
    (
        'needs = ["step01_parabola", "step02_gradient", "step03_step"]',
        "needs = []",
        "[stories.parabola] needs must be a list of stems",
    ),
    (
        'returns = "slopes"',
        'returns = "pair"',
        "step 8 (step08_gradient): returns = 'pair', not one",
    ),
    ('story = "sgd"', 'story = "sgd2"', "story = 'sgd2', but there is no [stories.sgd2]"),
]


@pytest.mark.parametrize(("old", "new", "said"), SLIPS)
def test_a_slip_in_content_toml_is_one_error_that_names_the_file_and_the_entry(
    tmp_path, old, new, said
):
    with pytest.raises(ContentError) as raised:
        read_content(written(tmp_path, old, new))
    assert str(raised.value).startswith("kata/content.toml: ") and said in str(raised.value)


def test_a_probe_with_too_many_or_too_few_arguments_is_held_to_the_references_signature(tmp_path):
    path = written(tmp_path, "probe = [6.0, 0.1]\n", "probe = [6.0]\n", references=True)
    with pytest.raises(
        ContentError, match=r"step 3 .*probe = \[6.0\] gives step\(\) 1 argument\(s\); it takes 2"
    ):
        read_content(path)


def test_the_shipped_content_reads_with_its_references():
    facts, steps, stories = read_content(CONTENT)
    assert steps == STEPS and stories == STORIES and len(stories["park"].needs) > 0


def test_each_entry_point_says_a_content_slip_in_one_line(tmp_path):
    import subprocess
    import sys

    from tests.tool.conftest import copy_kata

    root = copy_kata(tmp_path / "kata")
    content = root / "kata" / "content.toml"
    text = content.read_text(encoding="utf-8")
    content.write_text(text.replace('"step07_loss"', '"step07_los"', 1), encoding="utf-8")
    for entry in (["kata"], ["kata.trace", "park"], ["kata.stubs"]):
        done = subprocess.run(
            [sys.executable, "-m", *entry], cwd=root, capture_output=True, text=True, timeout=60
        )
        assert done.returncode != 0 and done.stdout == "", entry
        [line] = done.stderr.strip().splitlines()
        assert line.startswith(f"{entry[0]}: kata/content.toml: ") and "step07_los" in line
