"""The tracer's end of its guarded child: start it, read its messages under a watchdog, and say what went wrong.

The child (kata/trace/child.py) runs the learner's functions; this side never does.
A child that goes quiet past the time limit, prints past the output cap, or ends
without saying so is stopped (its whole process group), and the learner reads one
line: what their code did, and in which file.
"""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kata.core import guard

# bytes of the learner's prints read before the child is stopped: a flood, not a lesson
OUTPUT_CAP = 1024 * 1024
OUTPUT_KEPT = 4000  # bytes of the learner's prints kept to show after the run
DUMP_WAIT = 1.0  # seconds at most the child gets to write where it is stuck before it is killed
# seconds Python may take to start the child on a busy machine: not the learner's time
STARTUP = 10.0


class ChildTrouble(Exception):
    """The learner's code stopped the traced run; the message is one line for the learner."""


class Output(threading.Thread):
    """Drain the child's stderr (the learner's prints): keep the start, count the rest, stop a flood."""

    def __init__(self, child: Child) -> None:
        super().__init__(daemon=True)
        self.child = child
        self.kept = bytearray()
        self.total = 0

    def run(self) -> None:
        stream = self.child.process.stderr
        assert stream is not None
        fd = stream.fileno()
        while True:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.total += len(chunk)
            if len(self.kept) < OUTPUT_KEPT:
                self.kept += chunk[: OUTPUT_KEPT - len(self.kept)]
            if self.total > OUTPUT_CAP and not self.child.flooded:
                self.child.flooded = True
                self.child.kill(dump=True)

    def text(self) -> str:
        """What the learner's code printed, as far as it was kept."""
        return self.kept.decode("utf-8", errors="replace")


class Child:
    """One run of kata/trace/child.py in the kata at `root`, read message by message."""

    def __init__(self, request: dict[str, Any], time_limit: float, memory: int, root: Path) -> None:
        self.time_limit = time_limit
        self.flooded = False
        self.timed_out = False
        self.file = "your steps"  # the learner file the child is busy with, as it last said
        self.finished = False
        handle, self.dump = tempfile.mkstemp(prefix="kata-trace-", suffix=".txt")
        os.close(handle)
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(root)}
        self.process = guard.popen(
            [sys.executable, "-m", "kata.trace.child"],
            cwd=root,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            memory=memory,
        )
        self.output = Output(self)
        self.output.start()
        payload = json.dumps({**request, "dump": self.dump}).encode()
        threading.Thread(
            target=self.send, args=(payload,), daemon=True
        ).start()  # a large request must not block us
        # bounded: a fast child waits for the drawing
        self.queue: queue.Queue[bytes | None] = queue.Queue(maxsize=256)
        threading.Thread(target=self.lines, daemon=True).start()
        # read from here: the first message may be read before the rest
        self.stream = self.messages()

    def send(self, payload: bytes) -> None:
        """Write the request and close the child's stdin."""
        stdin = self.process.stdin
        assert stdin is not None
        try:
            stdin.write(payload)
            stdin.close()
        except OSError:
            pass  # the child is gone already: reading its messages says why

    def kill(self, dump: bool = False) -> None:
        """Stop the child's whole group; first ask it where it is (faulthandler) when that helps the message."""
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
        return self.file

    def lines(self) -> None:
        """Read the child's stdout line by line into the queue, then None at its end (a thread: works on every platform)."""
        stdout = self.process.stdout
        assert stdout is not None
        try:
            for line in stdout:
                self.queue.put(line)
        except (OSError, ValueError):
            pass  # closed under us: the child was stopped
        self.queue.put(None)

    def messages(self) -> Iterator[dict[str, Any]]:
        """Yield the child's messages; raise ChildTrouble when its code hangs, floods, or ends the process."""
        # until the child's first message, Python is starting: no learner code runs yet
        started = False
        try:
            while True:
                try:
                    line = self.queue.get(timeout=self.time_limit + (0 if started else STARTUP))
                except queue.Empty:
                    self.timed_out = True
                    self.kill(dump=True)
                    raise ChildTrouble(
                        f"your code ran for {self.time_limit:g} s without finishing a step ({self.where()}): "
                        "a loop that never ends, or a sleep? The tracer stopped it."
                    ) from None
                started = True
                if line is None:
                    break
                try:
                    message = json.loads(line)
                    message["kind"]
                except (ValueError, TypeError, KeyError):
                    # something of the learner's wrote on the rows' pipe
                    self.kill()
                    raise ChildTrouble(
                        f"your code wrote on the tracer's own pipe ({self.file}): it cannot go on."
                    ) from None
                if message["kind"] == "phase":
                    self.file = message["file"]
                    continue
                if message["kind"] == "error":
                    raise ChildTrouble(message["said"])
                if message["kind"] == "done":
                    self.finished = True
                    return
                yield message
            self.process.wait()
            if self.flooded:
                raise ChildTrouble(
                    f"your code printed more than {OUTPUT_CAP // 1024 // 1024} MB ({self.where()}): "
                    "the tracer stopped it. Print less, or only outside the loop."
                )
            status = self.process.returncode
            how = f"exit status {status}" if status >= 0 else f"signal {-status}"
            raise ChildTrouble(
                f"your code ended the traced run ({how}) while running {self.file}: "
                "does it call os._exit() or kill its own process?"
            )
        finally:
            self.close()

    def close(self) -> None:
        """Stop the child and everything it started; remove the dump file."""
        guard.stop(self.process)
        for stream in (self.process.stdout,):
            if stream:
                stream.close()
        try:
            os.unlink(self.dump)
        except OSError:
            pass
