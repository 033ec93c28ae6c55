"""The tracer's end of its guarded child: start it, read its messages under a watchdog, and say what went wrong.

The child (kata/trace/child.py) runs the learner's functions; this side never does. A child that goes quiet past
the time limit, runs past the story's overall limit, prints past the output cap, writes something that is not a
message, or ends without saying so is stopped (with everything it started), and the learner reads one line:
what their code did, and in which file. The threads that read the child's pipes poll, so that nothing the
learner's code leaves holding a pipe can keep the tracer from ending.
"""

from __future__ import annotations

import dataclasses
import os
import queue
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from kata.core import guard
from kata.trace.data import escaped
from kata.trace.protocol import Done, Failed, Message, Phase, ProtocolError, Request, decode_line

# bytes of the learner's prints read before the child is stopped: a flood, not a lesson
OUTPUT_CAP = 1024 * 1024
OUTPUT_KEPT = 4000  # bytes of the learner's prints kept to show after the run
DUMP_WAIT = 1.0  # seconds at most the child gets to write where it is stuck before it is killed
# seconds Python may take to start the child on a busy machine: not the learner's time
STARTUP = 10.0
POLL = 0.1  # seconds a reading thread waits before it looks whether it should stop
LINE_CAP = 64 * 1024 * 1024  # a line longer than this is not one of the child's messages
END = b""  # the reader's last word: the pipe is closed
BROKEN = b"\0"  # the reader's word for a line past LINE_CAP


class ChildTrouble(Exception):
    """The learner's code stopped the traced run; the message is one line for the learner."""


def pump(fd: int, stopping: threading.Event, take: Callable[[bytes], bool]) -> None:
    """Read a pipe in chunks until it closes, `take` says enough, or `stopping` is set; then close it. Polls on
    POSIX, so that a pipe held open by a process the learner's code left behind never keeps a thread waiting."""
    try:
        while not stopping.is_set():
            if os.name != "nt":
                import select

                ready, _, _ = select.select([fd], [], [], POLL)
                if not ready:
                    continue
            chunk = os.read(fd, 65536)
            if not take(chunk) or not chunk:
                break
    except (OSError, ValueError):  # closed under us: the child was stopped
        take(END)
    finally:
        try:
            os.close(fd)
        except OSError:
            pass


def owned(stream: object) -> int:
    """A file descriptor of a pipe's own, its file object closed: only the reading thread ever closes it."""
    fileno = getattr(stream, "fileno")  # noqa: B009
    fd = os.dup(fileno())
    getattr(stream, "close")()  # noqa: B009
    return fd


class Child:
    """One run of kata/trace/child.py in the kata at `root`, read message by message."""

    def __init__(
        self,
        request: Request,
        quiet: float,
        memory: int,
        root: Path,
        overall: float = float("inf"),
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.quiet, self.overall, self.clock = quiet, overall, clock
        self.flooded = False
        self.file = "your steps"  # the learner file the child is busy with, as it last said
        self.finished = False
        self.stopping = threading.Event()
        self.kept = bytearray()  # the start of what the learner's code printed
        self.total = 0  # bytes it printed
        handle, self.dump = tempfile.mkstemp(prefix="kata-trace-", suffix=".txt")
        os.close(handle)
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(root)}
        try:
            self.process = guard.popen(
                [sys.executable, "-m", "kata.trace.child"],
                cwd=root,
                env=env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                memory=memory,
            )
        except (
            BaseException
        ):  # a stop (SIGTERM, Ctrl-C) while the child starts: no close() will remove the file
            try:
                os.unlink(self.dump)
            except OSError:
                pass
            raise
        # when the child first spoke: Python has started, the learner's time runs
        self.began: float | None = None
        payload = dataclasses.replace(request, dump=self.dump).to_json()
        # bounded: a fast child waits for the drawing
        self.queue: queue.Queue[bytes] = queue.Queue(maxsize=256)
        self.buffer = b""
        stdin, stdout, stderr = (
            owned(s) for s in (self.process.stdin, self.process.stdout, self.process.stderr)
        )
        for target, args in (
            (self.send, (stdin, payload)),  # a large request must not block us
            (pump, (stdout, self.stopping, self.lines)),
            (pump, (stderr, self.stopping, self.printed)),
        ):
            threading.Thread(target=target, args=args, daemon=True).start()
        # read from here: the first message may be read before the rest
        self.stream = self.messages()

    def send(self, fd: int, payload: bytes) -> None:
        """Write the request and close the child's stdin."""
        try:
            while payload and not self.stopping.is_set():
                payload = payload[os.write(fd, payload) :]
        except OSError:
            pass  # the child is gone already: reading its messages says why
        finally:
            os.close(fd)

    def put(self, item: bytes) -> bool:
        """Hand a line to the reader, waiting while the queue is full; False once the child is being stopped."""
        while not self.stopping.is_set():
            try:
                self.queue.put(item, timeout=POLL)
                return True
            except queue.Full:
                continue
        return False

    def lines(self, chunk: bytes) -> bool:
        """Split the child's stdout into lines for the reader (END when it closes); False to stop reading."""
        if not chunk:
            self.put(END)
            return False
        self.buffer += chunk
        *lines, self.buffer = self.buffer.split(b"\n")
        for line in lines:
            if not self.put(line):
                return False
        if len(self.buffer) > LINE_CAP:
            self.put(BROKEN)
            return False
        return True

    def printed(self, chunk: bytes) -> bool:
        """Drain the child's stderr (the learner's prints): keep the start, count the rest, stop a flood."""
        if not chunk:
            return False
        self.total += len(chunk)
        if len(self.kept) < OUTPUT_KEPT:
            self.kept += chunk[: OUTPUT_KEPT - len(self.kept)]
        if self.total > OUTPUT_CAP and not self.flooded:
            self.flooded = True
            self.kill(dump=True)
            return False
        return True

    def text(self) -> str:
        """What the learner's code printed, as far as it was kept."""
        return self.kept.decode("utf-8", errors="replace")

    def kill(self, dump: bool = False) -> None:
        """Stop the child and everything it started; first ask it where it is (faulthandler) when that helps."""
        if dump and self.process.poll() is None and hasattr(signal, "SIGUSR1"):
            try:
                os.kill(self.process.pid, signal.SIGUSR1)
            except OSError:
                pass
            waited = 0.0
            while waited < DUMP_WAIT and not os.path.getsize(self.dump):
                time.sleep(0.02)
                waited += 0.02
        guard.stop(self.process)

    def where(self) -> str:
        """The learner's file and line the child was in when it was asked, or the file it last named."""
        try:
            text = Path(self.dump).read_text(encoding="utf-8", errors="replace")
        except OSError:
            text = ""
        for line in text.splitlines():  # faulthandler writes the most recent call first
            found = re.search(r'File "(.*?[/\\]steps[/\\][^"]+)", line (\d+) in (\S+)', line)
            if found:
                return f"steps/{Path(found[1]).name}, line {found[2]}, in {found[3]}"
        return escaped(self.file)

    def wait(self, started: bool) -> bytes:
        """The next line, within the quiet limit and the overall one (ChildTrouble when either passes); END once
        the child has ended, even when something it started still holds its pipe."""
        deadline = (self.began if self.began is not None else self.clock() + STARTUP) + self.overall
        quiet_until = self.clock() + self.quiet + (0 if started else STARTUP)
        ended: float | None = None
        while True:
            try:
                return self.queue.get(timeout=POLL)
            except queue.Empty:
                pass
            now = self.clock()
            if self.process.poll() is not None:
                ended = now if ended is None else ended
                if now - ended > 5 * POLL:  # its last words had time to arrive
                    return END
            if now >= deadline or now >= quiet_until:
                break
        if self.clock() < quiet_until:  # it kept talking: the story as a whole ran too long
            self.kill(dump=True)
            raise ChildTrouble(
                f"the story ran past its time limit, {self.overall:.0f} s (several times what the reference needs "
                f"for this much work), in {self.where()}: is something in your code slow, a sleep or a print in "
                "the loop? The tracer stopped it; fewer --iterations or a smaller --data file take less time."
            ) from None
        self.kill(dump=True)
        raise ChildTrouble(
            f"your code ran for {self.quiet:g} s without finishing a step ({self.where()}): "
            "a loop that never ends, or a sleep? The tracer stopped it."
        ) from None

    def messages(self) -> Iterator[Message]:
        """Yield the child's messages; raise ChildTrouble when its code hangs, floods, writes on the pipe or ends it."""
        # until the child's first message, Python is starting: no learner code runs yet
        started = False
        try:
            while True:
                line = self.wait(started)
                if not started:
                    started, self.began = True, self.clock()
                if line == END or line == BROKEN and self.flooded:
                    break
                try:
                    if line == BROKEN:
                        raise ProtocolError("a line longer than any message")
                    message = decode_line(line)
                except ProtocolError as problem:
                    # something of the learner's wrote on the messages' pipe
                    self.kill()
                    raise ChildTrouble(
                        f"your code wrote on the tracer's own pipe ({escaped(self.file)}: {problem}): it cannot go on."
                    ) from None
                if isinstance(message, Phase):
                    self.file = message.file
                    continue
                if isinstance(message, Failed):
                    raise ChildTrouble(escaped(message.said))
                if isinstance(message, Done):
                    self.finished = True
                    return
                yield message
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.kill()
            if self.flooded:
                raise ChildTrouble(
                    f"your code printed more than {OUTPUT_CAP // 1024 // 1024} MB ({self.where()}): "
                    "the tracer stopped it. Print less, or only outside the loop."
                )
            status = self.process.returncode
            how = (
                f"exit status {status}"
                if status is not None and status >= 0
                else f"signal {-(status or 0)}"
            )
            raise ChildTrouble(
                f"your code ended the traced run ({how}) while running {escaped(self.file)}: "
                "does it call os._exit() or kill its own process?"
            )
        finally:
            self.close()

    def close(self) -> None:
        """Stop the child and everything it started, and the threads that read it; remove the dump file. Never
        waits on a thread."""
        self.stopping.set()
        guard.stop(self.process)
        try:
            os.unlink(self.dump)
        except OSError:
            pass
