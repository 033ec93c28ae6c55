"""One outcome type between the pytest plugin and the checks: what the plugin writes reads back the same, and a
damaged report or progress file (a process that ran the learner's code wrote it) gives outcomes or none, never a
traceback. No test here runs pytest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kata.core.checks import progress_records, read_report, summarise
from kata.core.look import State
from kata.core.outcome import Outcome
from kata.core.registry import STEPS

STEP = STEPS[0]
NODE = f"{STEP.test_file}::test_the_lowest_point_is_2_at_x_equals_3"
RED = Outcome(
    NODE, STEP.stem, "red", False, "f(3) returned 0", "steps/x.py, line 2: return 0", "hi\n"
)


def test_an_outcome_reads_back_as_it_was_written():
    assert Outcome.from_json(json.loads(json.dumps(RED.to_json()))) == RED
    assert RED.to_json() == {
        "nodeid": NODE,
        "stem": STEP.stem,
        "state": "red",
        "stub": False,
        "message": "f(3) returned 0",
        "where": "steps/x.py, line 2: return 0",
        "learner_output": "hi\n",
    }


def test_fields_it_does_not_know_are_left_out_and_missing_texts_are_empty():
    data = {"nodeid": NODE, "stem": STEP.stem, "state": "passed", "seconds": 0.1}
    assert Outcome.from_json(data) == Outcome(NODE, STEP.stem, "passed")


@pytest.mark.parametrize(
    "damage",
    [
        {"nodeid": None},
        {"nodeid": ""},
        {"nodeid": 7},
        {"stem": ["step01_parabola"]},
        {"state": "green"},  # a step's state, not a test's
        {"state": None},
        {"stub": "yes"},
        {"stub": 1},
        {"message": {"text": "no"}},
        {"where": 12},
        {"learner_output": None},
    ],
)
def test_a_damaged_field_is_no_outcome(damage):
    assert Outcome.from_json({**RED.to_json(), **damage}) is None


@pytest.mark.parametrize("data", [None, 1, "red", [RED.to_json()], {}])
def test_what_is_not_an_object_is_no_outcome(data):
    assert Outcome.from_json(data) is None


def test_a_damaged_report_keeps_its_good_outcomes_and_the_step_its_state(tmp_path: Path):
    report = tmp_path / "report.json"
    tests = [1, None, {"nodeid": NODE}, {**RED.to_json(), "stub": "no"}, RED.to_json()]
    report.write_text(json.dumps({"target": "steps", "tests": tests}))
    outcomes = read_report(report)
    assert outcomes == [RED]
    result = summarise(STEP, [o for o in outcomes if o.stem == STEP.stem])
    assert (result.state, result.failure, result.message) == (State.RED, RED, "f(3) returned 0")


@pytest.mark.parametrize(
    "text",
    ["", "{", "[]", '{"tests": 3}', '{"tests": {"a": 1}}', "[" * 100_000 + "]" * 100_000],
)
def test_a_report_that_is_no_report_is_none(tmp_path: Path, text: str):
    report = tmp_path / "report.json"
    report.write_text(text)
    assert read_report(report) is None


def test_a_damaged_progress_file_keeps_its_good_lines(tmp_path: Path):
    progress = tmp_path / "progress.jsonl"
    lines = [
        json.dumps({"start": NODE}),
        json.dumps({"outcome": {**RED.to_json(), "state": "weird"}}),
        json.dumps({"outcome": RED.to_json()}),
        "[" * 100_000,
        json.dumps({"start": NODE + "x"}),
        '{"outcome": {"nodeid": "tests/te',  # cut short when the run was killed
    ]
    progress.write_text("\n".join(lines))
    assert progress_records(progress) == ([RED], NODE + "x")
