"""Warm checks for watch and dojo mode: a guarded child that has pytest and the kata's plugin imported already, and
forks one fresh process per check, so that a save's result does not wait for Python and pytest to start again.

Learner code is only ever imported in the fork, never in the warm process, so each check sees the files as they
are. The warm process is a subreaper: whatever a check's fork leaves behind comes back to it and is killed when the check
ends; the warm process keeps the guard's memory limit, which the fork inherits, and dies with the kata. Where there is no fork (Windows), or anything about the warm process goes
wrong, the caller runs a cold check instead: warm checks are only ever faster, never different.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, Any

from kata.core import guard

SERVER = r"""
import json, os, signal, sys
import pytest, _pytest.config, _pytest.main, _pytest.python, _pytest.fixtures, _pytest.runner, _pytest.terminal
import _pytest.assertion.rewrite, _pytest.reports, _pytest.skipping, _pytest.capture
import kata.core.pytest_plugin, kata.core.loading, kata.core.registry
from kata.core import guard, keeper
guard.child()  # proven once, here: each fork inherits the answer
keeper.subreaper()  # what a check's processes leave behind comes back here, and is killed after the check
replies = os.fdopen(os.dup(1), "w")
quiet = os.open(os.devnull, os.O_RDWR)
os.dup2(quiet, 1)
while True:
    line = sys.stdin.readline()
    if not line:
        break
    request = json.loads(line)
    pid = os.fork()
    if pid == 0:
        code = 3
        try:
            keeper.die_with_parent(signal.SIGKILL)
            if os.getppid() == 1:
                os._exit(code)
            os.setpgid(0, 0)
            os.dup2(quiet, 0)
            os.dup2(os.open(request["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 2)
            code = int(pytest.main(request["args"]))
        finally:
            os._exit(code)
    replies.write(json.dumps({"pid": pid}) + "\n")
    replies.flush()
    _, status = os.waitpid(pid, 0)
    if keeper.able():
        keeper.kill_tree(os.getpid(), include_root=False, reap=True)
    else:
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass
    replies.write(json.dumps({"status": os.waitstatus_to_exitcode(status)}) + "\n")
    replies.flush()
"""


class Warm:
    """One warm process for a kata (started on first use); run() is one check, or None when it cannot be warm."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.process: subprocess.Popen[bytes] | None = None
        self.broken = not hasattr(os, "fork") or os.name != "posix"
        self.buffer = b""

    def start(self) -> bool:
        """Start the warm process if it is not running; False when it cannot be."""
        if self.broken:
            return False
        if self.process is not None and self.process.poll() is None:
            return True
        env = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", "PYTHONDONTWRITEBYTECODE": "1"}
        try:
            self.process = guard.popen(
                [sys.executable, "-c", SERVER],
                cwd=self.root,
                env=env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                memory=guard.memory_limit(),
            )
        except OSError:
            self.broken = True
            return False
        self.buffer = b""
        return True

    def reply(self, deadline: float) -> dict[str, Any] | None:
        """The warm process's next reply line, or None when it has none by the deadline (or is gone)."""
        assert self.process is not None and self.process.stdout is not None
        stream: IO[bytes] = self.process.stdout
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([stream], [], [], min(left, 0.2))
            if ready:
                data = os.read(stream.fileno(), 65536)
                if not data:
                    return None
                self.buffer += data
        line, _, self.buffer = self.buffer.partition(b"\n")
        try:
            answer = json.loads(line)
        except ValueError:
            return None
        return answer if isinstance(answer, dict) else None

    def run(
        self, args: list[str], stderr: Path, limit: float, overdue: Any
    ) -> tuple[int | None, str] | None:
        """Run pytest with `args` in a fresh fork; (its exit status, why it was stopped or ''), or None: run cold."""
        if not self.start():
            return None
        assert self.process is not None and self.process.stdin is not None
        try:
            self.process.stdin.write(
                (json.dumps({"args": args, "stderr": str(stderr)}) + "\n").encode()
            )
            self.process.stdin.flush()
        except OSError:
            return self.fail()
        started = time.monotonic()
        forked = self.reply(started + 10)  # importing nothing, a fork answers at once
        if forked is None or not isinstance(forked.get("pid"), int):
            return self.fail()
        pid, killed = forked["pid"], ""
        while True:
            done = self.reply(time.monotonic() + 0.2)
            if done is not None:
                status = done.get("status")
                return (status if isinstance(status, int) else None), killed
            if self.process.poll() is not None:
                return self.fail()
            now = time.monotonic()
            why = (
                ""
                if killed
                else (
                    f"the test run went past {limit:g} s and was stopped"
                    if now - started >= limit
                    else overdue(now)
                )
            )
            if why and not killed:
                killed = (
                    why
                    if why.startswith("the test run")
                    else f"{why} went past its time limit and would not stop, so the test run was stopped"
                )
                guard.kill(pid)  # its whole tree: the learner's forks too
            # not even a kill was answered: give the warm process up
            if killed and now - started > limit + 30:
                return self.fail()

    def fail(self) -> tuple[int | None, str] | None:
        """The warm process misbehaved: stop it, and say None (run cold); the next check starts a new one."""
        self.close()
        return None

    def close(self) -> None:
        """Stop the warm process and everything in its group."""
        if self.process is not None:
            for stream in (self.process.stdin, self.process.stdout):
                try:
                    if stream is not None:
                        stream.close()
                except OSError:
                    pass
            guard.stop(self.process)
            self.process = None
