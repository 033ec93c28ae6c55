"""Learner code runs only in a guarded child process: its own process group, a wall-clock limit the parent enforces, a memory limit, capped output.

Nothing POSIX-only is imported at module level (Windows has no `resource`, no process groups, no SIGALRM): where a
mechanism is missing the guard does what it can and `missing()` says so.
"""

from __future__ import annotations

import importlib
import math
import os
import signal
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path
from types import ModuleType
from typing import IO, Any

from kata.core.cli import UsageError

# bytes of address space: a million floats is a few dozen MB, pytest itself about 100 MB
MEMORY_LIMIT = 2 * 1024**3
# Python and pytest need about 60 MB of address space before any learner code runs
MEMORY_LIMIT_MIN_MB = 100
MEMORY_LIMIT_MAX_MB = 1024 * 1024  # KATA_MEMORY_LIMIT above a terabyte is a typo
# bytes any one file the learner's process writes may reach (pytest captures prints to files)
OUTPUT_LIMIT = 16 * 1024**2
TIME_LIMIT_MAX = 600.0
# set in a guarded child's environment, so that it does not guard itself again
CHILD = "KATA_GUARDED"

Stream = int | IO[Any] | None


class GuardError(ValueError, UsageError):
    """A bad setting (KATA_TIME_LIMIT, KATA_MEMORY_LIMIT); the message is one line for the learner.

    A UsageError too, so every command that says usage errors in one line with exit status 2 says this one so.
    """


def optional_module(name: str) -> ModuleType | None:
    """Import a module that some platforms lack (resource, termios…), or None; tests replace this to play Windows."""
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def number_setting(
    name: str, unit: str, example: str, low: float, high: float, least: bool = False
) -> float | None:
    """The environment variable `name` as a number in (low, high] ([low, high] if `least`), None when unset; else GuardError."""
    text = os.environ.get(name, "")
    if not text.strip():
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    # nan and inf fail here too
    if not ((low <= value if least else low < value) and value <= high):
        shown = text if len(text) <= 40 else text[:40] + "…"
        span = (
            f"from {low:.15g} to {high:.15g}"
            if least
            else f"above {low:.15g} and at most {high:.15g}"
        )
        raise GuardError(f"{name} must be a number of {unit} {span}, like {example}, not {shown!r}")
    return value


def time_limit(default: float) -> float:
    """The time limit in seconds: KATA_TIME_LIMIT when set (slow machines, tests), else `default`; GuardError if bad."""
    value = number_setting("KATA_TIME_LIMIT", "seconds", "30", 0, TIME_LIMIT_MAX)
    return default if value is None else value


def memory_limit() -> int:
    """The memory limit in bytes: KATA_MEMORY_LIMIT (in MB) when set, else MEMORY_LIMIT; GuardError if bad."""
    value = number_setting(
        "KATA_MEMORY_LIMIT",
        "megabytes",
        "2048",
        MEMORY_LIMIT_MIN_MB,
        MEMORY_LIMIT_MAX_MB,
        least=True,
    )
    return MEMORY_LIMIT if value is None else int(value * 1024 * 1024)


def lower_limit(name: str, limit: int) -> bool:
    """Lower the resource limit `name` (RLIMIT_AS…) of this process to `limit` bytes, for good; True when applied."""
    resource = optional_module("resource")
    which = getattr(resource, name, None)
    if resource is None or which is None:
        return False
    try:
        # a lower ulimit stays
        limit = min([limit, *(v for v in resource.getrlimit(which) if v != resource.RLIM_INFINITY)])
        # the hard limit too: learner code cannot raise it again
        resource.setrlimit(which, (limit, limit))
        return True
    except (ValueError, OSError):
        return False


def limit_memory(limit: int) -> bool:
    """Call in the child: cap its address space at `limit` bytes, so a huge allocation is a MemoryError; True when applied."""
    return lower_limit("RLIMIT_AS", limit)


def limit_output(limit: int = OUTPUT_LIMIT) -> bool:
    """Call in the child: cap every file it writes (pytest's capture of prints) at `limit` bytes; True when applied.

    Past it a write fails with OSError (File too large): Python ignores SIGXFSZ, so nothing is killed.
    """
    return lower_limit("RLIMIT_FSIZE", limit)


def popen(
    argv: list[str],
    *,
    cwd: str | Path,
    env: Mapping[str, str],
    stdin: Stream = subprocess.DEVNULL,
    stdout: Stream = None,
    stderr: Stream = None,
    memory: int | None = None,
) -> subprocess.Popen[bytes]:
    """Start argv in its own process group (session on POSIX), with its address space capped at `memory` bytes."""
    env = {**env, CHILD: "1"}
    if os.name == "nt":
        flags = getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)
        return subprocess.Popen(
            argv, cwd=cwd, env=env, stdin=stdin, stdout=stdout, stderr=stderr, creationflags=flags
        )
    before_exec: Callable[[], None] | None = None
    resource = optional_module("resource") if memory is not None else None
    which = getattr(resource, "RLIMIT_AS", None)
    if resource is not None and which is not None and memory is not None:
        # a lower ulimit stays
        cap = min([memory, *(v for v in resource.getrlimit(which) if v != resource.RLIM_INFINITY)])
        setrlimit = resource.setrlimit

        def before_exec() -> None:
            # one system call, nothing that waits on a lock; hard, so it stays
            setrlimit(which, (cap, cap))

    # a new session: its own process group, and no terminal Ctrl-C reaches it (the parent decides)
    return subprocess.Popen(
        argv,
        cwd=cwd,
        env=env,
        stdin=stdin,
        stdout=stdout,
        stderr=stderr,
        start_new_session=True,
        preexec_fn=before_exec,
    )  # noqa: PLW1509 (see before_exec)


def stop(process: subprocess.Popen[Any]) -> None:
    """Kill the process's whole group (forked grandchildren too), even after the leader has exited; then reap. Never raises."""
    try:
        killpg = getattr(os, "killpg", None)
        if killpg is not None and os.name != "nt":
            try:
                # the group outlives its leader: its id is the leader's pid
                killpg(process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass  # nobody left in the group
        elif process.poll() is None or os.name == "nt":
            # Windows: taskkill /T ends the tree that is still linked to the leader
            subprocess.run(
                ["taskkill", "/F", "/T", "/PID", str(process.pid)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=False,
            )
        if process.poll() is None:
            process.kill()
        process.wait(timeout=5)
    except (OSError, subprocess.SubprocessError):
        # stopping must not turn a learner's mistake into a crash
        return


def has_alarm() -> bool:
    """Whether this platform can interrupt a running test from inside (SIGALRM and setitimer)."""
    return hasattr(signal, "setitimer") and hasattr(signal, "SIGALRM")


def missing() -> list[str]:
    """One line per guard mechanism this platform lacks, for doctor and the README."""
    lines = []
    resource = optional_module("resource")
    if resource is None:
        lines.append(
            "no memory limit: this Python has no resource module (Windows), so a huge allocation is not stopped"
        )
    elif not hasattr(resource, "RLIMIT_AS"):
        lines.append("no memory limit: this platform has no RLIMIT_AS")
    if os.name == "nt" or not hasattr(os, "killpg"):
        lines.append(
            "no process groups: a process your code starts is ended with taskkill, which may miss some"
        )
    if not has_alarm():
        lines.append(
            "no SIGALRM: a test past its time limit is ended by a watchdog thread, which ends the whole run"
        )
    return lines


def child() -> bool:
    """Whether this process is a guarded child (started by popen)."""
    return os.environ.get(CHILD) == "1"
