"""The messages between the tracer and its child: every kind goes and comes back whole, and anything else on the
pipe is one ProtocolError that says what is wrong, never a KeyError or a TypeError."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from kata.trace.protocol import (
    Code,
    Done,
    Ended,
    Failed,
    Note,
    Phase,
    Problems,
    ProtocolError,
    Request,
    Result,
    RowSent,
    Track,
    decode,
    decode_line,
    encode,
)

TRACK = Track(
    0.001,
    0.0,
    20000,
    20000,
    [0.0, 0.0],
    [[1.0, 2.0], [3.0, math.inf]],
    7,
    None,
    [[0.0, 0.0]],
    [[0.0, 1.5]],
)
MESSAGES = [
    Phase("steps/step08_gradient.py"),
    Code(True, "Tracing your code: steps 6–8 from steps/.", ["step06_predict"]),
    Problems(["your gradient points uphill"]),
    Note(False, "your train() parts from the steps drawn"),
    RowSent(3, [1.0, 2.0], [-3.0, 4.5], [0.1, 0.2], [0.9, 1.8], 12.0, math.inf, True, False),
    Ended("exploded", 7, TRACK, 1, 1, None, 7, None, 3),
    Result({"rows": [[1.0, 2.0]], "at": [0.0, 0.0]}),
    Failed("your code raised ZeroDivisionError"),
    Done(),
]


@pytest.mark.parametrize("message", MESSAGES, ids=lambda m: type(m).__name__)
def test_every_kind_of_message_comes_back_as_it_went(message):
    back = decode_line(encode(message))
    assert type(back) is type(message)
    assert repr(back) == repr(message)  # inf and nan too


@pytest.mark.parametrize(
    ("line", "said"),
    [
        (b"not json at all", "not JSON"),
        (b"[1, 2]", "no kind of message"),
        (b'{"kind": 3}', "no kind of message"),
        (b'{"kind": "hello"}', "an unknown kind of message, 'hello'"),
        (b'{"kind": "error"}', "a 'error' message: no said"),
        (b'{"kind": "error", "said": 3}', "a 'error' message.said: not a text"),
        (b'{"kind": "phase", "file": ["a"]}', "not a text"),
        (b'{"kind": "code", "mine": 1, "said": "x", "steps": []}', "not a truth value"),
        (
            b'{"kind": "row", "step": "1", "params": [], "gradient": [], "change": [], "new": [], "loss": 1, "after": 1}',
            "not a whole number",
        ),
        (
            b'{"kind": "row", "step": 1, "params": ["a"], "gradient": [], "change": [], "new": [], "loss": 1, "after": 1}',
            "not a number",
        ),
        (b'{"kind": "end", "reason": "done", "steps": 3, "track": {"lr": 1}}', "no beta"),
        (b'{"kind": "end", "reason": "done", "steps": 3, "track": 5}', "not an object"),
        (b'{"kind": "result", "data": [1]}', "not an object"),
        (b"[" * 100000 + b"]" * 100000, "not JSON"),
    ],
)
def test_anything_else_on_the_pipe_is_one_protocol_error(line, said):
    with pytest.raises(ProtocolError) as raised:
        decode_line(line)
    assert said in str(raised.value) and "\n" not in str(raised.value)


def test_a_request_goes_to_the_child_and_is_read_whole():
    request = Request(
        "park",
        "auto",
        0.001,
        20000,
        0.0,
        6.0,
        0,
        [1, 2, 3],
        [15.0, 16.0],
        [300.0, 310.0],
        "/x",
        True,
    )
    import json

    assert decode(Request, json.loads(request.to_json())) == request


def test_a_stop_while_the_child_starts_leaves_no_file_behind(monkeypatch, tmp_path):
    from kata.core import guard
    from kata.core.registry import ROOT
    from kata.trace import streaming

    made: list[str] = []
    real = streaming.tempfile.mkstemp

    def mkstemp(*args, **kwargs):
        handle, name = real(*args, dir=tmp_path, **kwargs)
        made.append(name)
        return handle, name

    def popen(*args, **kwargs):
        raise KeyboardInterrupt  # SIGTERM or Ctrl-C between the file and the child

    monkeypatch.setattr(streaming.tempfile, "mkstemp", mkstemp)
    monkeypatch.setattr(guard, "popen", popen)
    request = Request("park", "auto", 0.001, 20000, 0.0, 6.0, 0, [1], [15.0], [300.0], "/x", True)
    with pytest.raises(KeyboardInterrupt):
        streaming.Child(request, 10.0, 0, ROOT)
    assert made and not any(Path(name).exists() for name in made)
