"""The messages between the tracer and its guarded child: dataclasses to and from JSON, validated on read.

The child runs the learner's code, which can write anything on the child's pipes: every line the parent reads
is checked against the message's fields and their types, so that a malformed or unknown message is one
ProtocolError (one line for the learner), never a KeyError. Plain data, no rich: the child imports this too.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar, Union

T = TypeVar("T")
MOST_BYTES = 64 * 1024 * 1024  # a message longer than this is not one of the child's


class ProtocolError(ValueError):
    """A line that is not a message of the child's (or a field of the wrong kind)."""


def encode(message: Any) -> bytes:
    """A message (a dataclass of KINDS) as one JSON line; inf and nan are kept (Python reads them back)."""
    payload = {"kind": KIND_OF[type(message)], **plain(message)}
    return json.dumps(payload, separators=(",", ":")).encode() + b"\n"


def plain(value: Any) -> Any:
    """A dataclass as a dict of its fields, nested ones too (its lists are JSON already): faster than asdict."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: plain(getattr(value, name)) for name in names_of(type(value))}
    return value


@functools.cache
def names_of(cls: Any) -> tuple[str, ...]:
    """A dataclass's field names."""
    return tuple(f.name for f in dataclasses.fields(cls))


@functools.cache
def hints_of(cls: type) -> tuple[tuple[str, Any, bool], ...]:
    """A dataclass's fields, each with its type and whether it must be given: worked out once per class."""
    hints = typing.get_type_hints(cls)
    return tuple(
        (
            f.name,
            hints[f.name],
            f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING,
        )
        for f in dataclasses.fields(cls)
    )


def decode_line(line: bytes) -> Message:
    """The message one line holds; ProtocolError for anything else."""
    if len(line) > MOST_BYTES:
        raise ProtocolError("a line longer than any message")
    try:
        data = json.loads(line)
    except (ValueError, RecursionError):
        raise ProtocolError("a line that is not JSON") from None
    if not isinstance(data, dict) or not isinstance(data.get("kind"), str):
        raise ProtocolError("a line with no kind of message")
    kind = data.pop("kind")
    if kind not in KINDS:
        raise ProtocolError(f"an unknown kind of message, {kind[:40]!r}")
    return typing.cast(Message, _value(KINDS[kind], data, f"a {kind!r} message"))


def decode(cls: type[T], data: Any) -> T:
    """An instance of the dataclass `cls` from JSON data, every field checked; ProtocolError when one is wrong."""
    return typing.cast(T, _value(cls, data, cls.__name__))


def _value(kind: Any, data: Any, where: str) -> Any:
    """Check `data` against the type `kind` (the field types the messages use) and return it as that type."""
    return checker(kind)(data, where)


Check = Callable[[Any, str], Any]


@functools.cache
def checker(kind: Any) -> Check:
    """The check for one type, worked out once: a message's fields are read many times a second."""
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if kind is Any:
        return lambda data, where: data
    if origin in (Union, types.UnionType):
        optional = type(None) in args
        others = [checker(a) for a in args if a is not type(None)]

        def union(data: Any, where: str) -> Any:
            if data is None and optional:
                return None
            errors = []
            for other in others:
                try:
                    return other(data, where)
                except ProtocolError as problem:
                    errors.append(str(problem))
            raise ProtocolError(errors[0] if errors else f"{where}: no value")

        return union
    if dataclasses.is_dataclass(kind):
        fields = [
            (name, checker(hint), needed) for name, hint, needed in hints_of(typing.cast(Any, kind))
        ]
        make = typing.cast(Any, kind)

        def record(data: Any, where: str) -> Any:
            if not isinstance(data, dict):
                raise ProtocolError(f"{where}: not an object")
            values = {}
            for name, check, needed in fields:
                if name in data:
                    values[name] = check(data[name], f"{where}.{name}")
                elif needed:
                    raise ProtocolError(f"{where}: no {name}")
            return make(**values)

        return record
    if kind is float:

        def number(data: Any, where: str) -> float:
            if type(data) is float:
                return data
            if type(data) is int:
                return float(data)
            raise ProtocolError(f"{where}: not a number")

        return number
    if kind in (int, bool, str):
        words = {int: "a whole number", bool: "a truth value", str: "a text"}[kind]

        def simple(data: Any, where: str) -> Any:
            if type(data) is kind:
                return data
            raise ProtocolError(f"{where}: not {words}")

        return simple
    if origin in (list, tuple) and not (
        origin is tuple and not (len(args) == 2 and args[1] is Ellipsis)
    ):
        if args[0] is float:  # the common case, a list of numbers: checked in one pass

            def numbers(data: Any, where: str) -> Any:
                if not isinstance(data, list):
                    raise ProtocolError(f"{where}: not a list")
                if not all(type(v) is float or type(v) is int for v in data):
                    bad = next(i for i, v in enumerate(data) if type(v) not in (float, int))
                    raise ProtocolError(f"{where}[{bad}]: not a number")
                out = [float(v) for v in data]
                return tuple(out) if origin is tuple else out

            return numbers
        item = checker(args[0])

        def items(data: Any, where: str) -> Any:
            if not isinstance(data, list):
                raise ProtocolError(f"{where}: not a list")
            out = [item(d, f"{where}[{i}]") for i, d in enumerate(data)]
            return tuple(out) if origin is tuple else out

        return items
    if origin is tuple:
        parts = [checker(a) for a in args]

        def fixed(data: Any, where: str) -> Any:
            if not isinstance(data, list):
                raise ProtocolError(f"{where}: not a list")
            if len(data) != len(parts):
                raise ProtocolError(f"{where}: {len(data)} items, not {len(parts)}")
            return tuple(p(d, f"{where}[{i}]") for i, (p, d) in enumerate(zip(parts, data)))

        return fixed
    if origin is dict:
        value = checker(args[1])

        def mapping(data: Any, where: str) -> Any:
            if not isinstance(data, dict):
                raise ProtocolError(f"{where}: not an object")
            return {str(k): value(v, f"{where}.{k}") for k, v in data.items()}

        return mapping
    raise TypeError(
        f"the protocol carries no {kind!r}"
    )  # a message of the kata's own: a bug here, not input


@dataclass(frozen=True)
class Request:
    """What the tracer asks of its child: the story, whose code, the settings, and the data (for the park's)."""

    story: str
    target: str = "auto"
    lr: float = 0.0
    iterations: int = 0
    beta: float = 0.0
    start: float = 6.0
    seed: int = 0
    planned: list[int] = field(default_factory=list)
    X: list[float] = field(default_factory=list)
    Y: list[float] = field(default_factory=list)
    data: str = ""  # the data file's path, for the learner's load()
    header: bool = True
    dump: str = ""  # where the child writes its stack when asked (faulthandler)

    def to_json(self) -> bytes:
        """The request as JSON."""
        return json.dumps(dataclasses.asdict(self)).encode()


@dataclass(frozen=True)
class Phase:
    """The child is busy in this file (a learner's file, or 'your steps'): where a hang or a crash is placed."""

    file: str


@dataclass(frozen=True)
class Code:
    """Whose code runs: the learner's (mine) or the reference, in words, and the steps it runs."""

    mine: bool
    said: str
    steps: list[str]


@dataclass(frozen=True)
class Problems:
    """The learner's code disagrees with itself: the causes to name before any symptom."""

    said: list[str]


@dataclass(frozen=True)
class Note:
    """One of the learner's other steps against the run: agrees (ok) or parts, in words."""

    ok: bool
    said: str


@dataclass(frozen=True)
class RowSent:
    """One gradient step of a streamed walk: [step, params, gradient, change, new, loss before, loss after]."""

    step: int
    params: list[float]
    gradient: list[float]
    change: list[float]
    new: list[float]
    loss: float
    after: float
    keep: bool = True  # kept for the table and the pictures (else only shown live)
    event: bool = False  # something notable happened at this step: step mode pauses there


@dataclass(frozen=True)
class Track:
    """A walk's summary, all its verdict reads: its settings, where it started, its last consecutive points (the end
    last), when it blew up or reached the minimum, and a thinned path and loss curve to draw."""

    lr: float
    beta: float
    asked: int  # iterations asked for
    steps: int  # iterations taken
    start: list[float]
    tail: list[list[float]]  # up to three consecutive points, the end last
    # the step that went past float range or past EXPLODED times the first loss
    blew: int | None = None
    reached: int | None = None  # the first step after which every parameter was within tolerance
    path: list[list[float]] = field(default_factory=list)
    losses: list[list[float]] = field(default_factory=list)  # [step, loss] pairs, the valley's loss

    @property
    def end(self) -> tuple[float, ...]:
        """The last point."""
        return tuple(self.tail[-1]) if self.tail else tuple(self.start)


@dataclass(frozen=True)
class Ended:
    """How a streamed walk ended, and the first step of each event (by the step that caused it)."""

    reason: str  # done, non_finite, exploded
    steps: int
    track: Track
    overshoot: int | None = None
    loss_increase: int | None = None
    non_finite: int | None = None
    exploded: int | None = None
    reached: int | None = None  # first step within the tolerance of the minimum
    crossings: int = 0


@dataclass(frozen=True)
class Result:
    """A story's result, computed in the child: the story's own dataclass, as JSON (the story decodes it)."""

    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Failed:
    """The learner's code stopped the run; one line saying what it did."""

    said: str


@dataclass(frozen=True)
class Done:
    """The child has said everything."""


Message = Phase | Code | Problems | Note | RowSent | Ended | Result | Failed | Done
KINDS: dict[str, type] = {
    "phase": Phase,
    "code": Code,
    "problems": Problems,
    "note": Note,
    "row": RowSent,
    "end": Ended,
    "result": Result,
    "error": Failed,
    "done": Done,
}
KIND_OF = {cls: kind for kind, cls in KINDS.items()}
