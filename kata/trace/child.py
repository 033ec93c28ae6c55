"""The tracer's child process: it runs the learner's functions for one story and streams what will be shown.

Run by kata/trace/streaming.py (never by hand): the request arrives as one JSON document on stdin, the messages
(kata/trace/protocol.py) leave one JSON line each on a copy of the original stdout, and everything the learner's
code prints goes to stderr, which the parent caps. The parent only draws, and it stops this process (and
everything it started) when it goes quiet for too long, runs past the story's time limit, or prints too much.
"""

from __future__ import annotations

import faulthandler
import json
import os
import signal
import sys
import traceback
from typing import IO

from kata.core.loading import StepNotLoaded
from kata.core.registry import STORIES
from kata.trace.checking import learner, read_with_learner_load
from kata.trace.maths import Unmeasurable, Valley
from kata.trace.probes import LearnerCodeError, choose
from kata.trace.protocol import Code, Done, Failed, Message, Phase, Request, decode, encode
from kata.trace.stories import Job, story_class


class Emitter:
    """Write one message per line to the parent, flushed at once so that the watchdog sees progress."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream

    def __call__(self, message: Message) -> None:
        self.stream.write(encode(message))
        self.stream.flush()


def run(request: Request, emit: Emitter) -> None:
    """Load the code (the learner's when written), say whose it is, and let the story compute with it."""
    entry = STORIES[request.story]
    story = story_class(request.story)
    code = choose(entry.needs, request.target, lambda step: emit(Phase(step.learner_file)))
    # also run when written: tested too
    used = [step for step in entry.optional if code.mine and learner(step.stem)]
    steps = sorted((*entry.needs, *used), key=lambda step: step.number)
    said = code.said
    if code.mine:  # the span says every step of the learner's that runs, the optional ones too
        said = f"Tracing your code: steps {steps[0].number}–{steps[-1].number} from steps/."
        unused = [step for step in entry.optional if step not in used]
        if unused:
            said = (
                said[:-1]
                + f"; step {', '.join(str(s.number) for s in unused)} from kata/solutions/ until yours is written."
            )
    emit(Code(code.mine, said, [step.stem for step in steps]))
    job = Job(request, code, emit, list(request.X), list(request.Y))
    if request.X:
        try:
            job.valley = Valley.of_data(job.X, job.Y)
        except Unmeasurable as problem:  # read_park refused such data already; a request by hand
            raise LearnerCodeError(f"the data cannot be used: {problem}") from None
    if code.mine:
        emit(Phase("your steps"))
        if request.X:
            job.load_right = read_with_learner_load(
                job.note, job.phase, request.data, request.header, job.X, job.Y
            )
    story.compute(job)
    emit(Done())


def what_it_did(error: BaseException) -> str:
    """One line: what the learner's code raised, and where, from the innermost frame in steps/."""
    frames = [
        f
        for f in traceback.extract_tb(error.__traceback__)
        if "/steps/" in f.filename.replace(os.sep, "/")
    ]
    where = (
        f" ({'steps/' + f.filename.replace(os.sep, '/').split('/steps/')[-1]}, line {f.lineno}, in {f.name})"
        if (f := frames[-1] if frames else None)
        else ""
    )
    if not frames and not isinstance(error, (MemoryError, SystemExit, KeyboardInterrupt)):
        return f"the tracer itself failed ({type(error).__name__}: {error}), not your code: please report it."
    if isinstance(error, SystemExit):
        return f"your code called sys.exit({error.code!r}){where}: a step's function must return a value, not end the program."
    if isinstance(error, MemoryError):
        return f"your code ran out of memory{where}: the tracer's limit stopped it."
    if isinstance(error, RecursionError):
        return f"your code calls itself without end (RecursionError){where}."
    shown = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    return f"your code raised {shown}{where}."


def main() -> None:
    """Read the request, run it, and report whatever the learner's code does as one message; never a traceback."""
    rows = os.fdopen(os.dup(1), "wb", buffering=1 << 16)
    # the learner's prints (and os.write(1, …)) go to the captured, capped stderr, never to the rows
    os.dup2(2, 1)
    emit = Emitter(rows)
    request = decode(Request, json.loads(sys.stdin.read()))
    # Ctrl-C is the parent's to handle; it ends this process
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # not on Windows
    if request.dump and hasattr(faulthandler, "register") and hasattr(signal, "SIGUSR1"):
        dump = open(request.dump, "w")  # noqa: SIM115 (open for the life of the process)
        # the parent asks where a hung call is
        faulthandler.register(signal.SIGUSR1, file=dump, all_threads=False)
    try:
        # started: from here on the time is the learner code's
        emit(Phase("your steps"))
        try:
            run(request, emit)
        except (LearnerCodeError, StepNotLoaded) as problem:
            emit(Failed(str(problem)))
        except BaseException as error:  # learner code: exit, KeyboardInterrupt, anything at all
            emit(Failed(what_it_did(error)))
        rows.flush()
    except OSError:  # the parent is gone, or the learner's code closed the pipe: nobody to tell
        os._exit(1)
    os._exit(0)  # no atexit or lingering threads of the learner's can keep this process alive


if __name__ == "__main__":
    main()
