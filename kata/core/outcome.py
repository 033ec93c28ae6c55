"""One test's outcome: what the pytest plugin writes for each step test and the checks read back, in one type.

The report and the progress file are written by a process that runs the learner's code, so they are read as data
from outside: a record with a missing or wrong field is no outcome (None), never a traceback. Plain data, no rich.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal, get_args

Verdict = Literal["passed", "red", "amber", "timeout"]
VERDICTS: tuple[Verdict, ...] = get_args(Verdict)
TEXTS = ("nodeid", "stem", "message", "where", "learner_output")


@dataclass(frozen=True)
class Outcome:
    """One test's result as the kata sees it (for a step that did not run, its file stands for the test)."""

    nodeid: str
    stem: str
    state: Verdict
    stub: bool = False  # failed on NotImplementedError: an untouched stub
    message: str = ""
    where: str = ""  # the last line of the learner's own code in the traceback, if any
    learner_output: str = ""  # what the test printed (its end)

    @property
    def passed(self) -> bool:
        return self.state == "passed"

    def to_json(self) -> dict[str, Any]:
        """The outcome as a JSON object, as the report and the progress file keep it."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: object) -> Outcome | None:
        """The outcome a JSON object holds, or None when it is not one (a missing or mistyped field, a state the
        kata does not know); fields it does not know are left out, so a newer writer's records still read."""
        if not isinstance(data, dict):
            return None
        if not all(isinstance(data.get(name, ""), str) for name in TEXTS):
            return None
        nodeid, stem, state, stub = (
            data.get("nodeid"),
            data.get("stem"),
            data.get("state"),
            data.get("stub", False),
        )
        if not nodeid or not stem or state not in VERDICTS or type(stub) is not bool:
            return None
        return cls(
            nodeid,
            stem,
            state,
            stub,
            data.get("message", ""),
            data.get("where", ""),
            data.get("learner_output", ""),
        )
