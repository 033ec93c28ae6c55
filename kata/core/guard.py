"""Learner code runs only in a guarded child process: a tree the kata owns whole, a wall-clock limit the parent
enforces, a memory limit, capped output.

On Linux the child runs below a keeper (kata/core/keeper.py): a child subreaper that no process the learner's code
starts can leave (a new group, a new session, a double fork), and that kills the whole tree when the run ends or the
kata dies. Elsewhere the child has its own session and process group, killed whole. Nothing POSIX-only is imported
at module level (Windows has no `resource`, no process groups, no SIGALRM): where a mechanism is missing the guard
does what it can and `missing()` says so.
"""

from __future__ import annotations

import atexit
import hmac
import importlib
import math
import os
import secrets
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from types import ModuleType
from typing import IO, Any

from kata.core import keeper
from kata.core.cli import UsageError

# bytes of address space: a million floats is a few dozen MB, pytest itself about 100 MB
MEMORY_LIMIT = 2 * 1024**3
# Python and pytest need about 60 MB of address space before any learner code runs
MEMORY_LIMIT_MIN_MB = 100
MEMORY_LIMIT_MAX_MB = 1024 * 1024  # KATA_MEMORY_LIMIT above a terabyte is a typo
# bytes any one file the learner's process writes may reach (pytest captures prints to files)
OUTPUT_LIMIT = 16 * 1024**2
TIME_LIMIT_MAX = 600.0
# set in a guarded child's environment, so that it does not guard itself again: "FD:TOKEN", where the inherited pipe
# FD holds TOKEN. Only a child the guard started has both, so the variable alone (KATA_GUARDED=1) switches nothing off.
CHILD = "KATA_GUARDED"
DEPTH = "KATA_GUARD_DEPTH"  # guarded runs started inside guarded runs: a few at most, never a loop
MAX_DEPTH = 3

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


# the guarded processes this process started and has not stopped
_live: dict[int, subprocess.Popen[Any]] = {}
_lock = threading.Lock()  # a sweep never sees a process popen has started but not yet noted
# at the start of a command: orphans of guarded runs come back to this process
contain = keeper.adopt


def guard_token() -> tuple[int, str]:
    """A pipe holding a fresh random token, and the token: the child proves with it that the guard started it."""
    token = secrets.token_hex(16)
    read, write = os.pipe()
    try:
        os.write(write, token.encode("ascii"))
    finally:
        os.close(write)
    return read, token


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
    """Start argv guarded: below a keeper that owns its whole tree (Linux), else in its own session; its address
    space capped at `memory` bytes. stop() ends it and everything it started."""
    depth = env.get(DEPTH, "0")
    env = {**env, DEPTH: str(int(depth) + 1 if depth.isdigit() else 1)}
    if os.name == "nt":
        flags = getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)
        env[CHILD] = f"nt:{secrets.token_hex(16)}"
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

    if keeper.able():
        argv = [sys.executable, "-I", "-S", keeper.__file__, str(os.getpid()), *argv]
    read, token = guard_token()
    env[CHILD] = f"{read}:{token}"
    try:
        with _lock:
            # a new session: its own process group, and no terminal Ctrl-C reaches it (the parent decides)
            process = subprocess.Popen(
                argv,
                cwd=cwd,
                env=env,
                stdin=stdin,
                stdout=stdout,
                stderr=stderr,
                start_new_session=True,
                pass_fds=(read,),
                preexec_fn=before_exec,  # noqa: PLW1509 (see before_exec)
            )
            _live[process.pid] = process
    finally:
        os.close(read)
    return process


def stop(process: subprocess.Popen[Any]) -> None:
    """Kill the process and every process below it (forked grandchildren too, whatever group or session they
    made), even after it has exited; then reap. Never raises."""
    try:
        if os.name == "nt":
            # Windows: taskkill /T ends the tree that is still linked to the leader
            subprocess.run(
                ["taskkill", "/F", "/T", "/PID", str(process.pid)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=False,
            )
        elif keeper.able():
            # not reaped yet, so its pid is still its own: the keeper is killed last and catches orphans till then
            if process.returncode is None:
                keeper.kill_tree(process.pid)
        else:
            try:
                # the group outlives its leader: its id is the leader's pid
                os.killpg(process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass  # nobody left in the group
        if process.poll() is None:
            process.kill()
        process.wait(timeout=5)
    except (OSError, subprocess.SubprocessError):
        # stopping must not turn a learner's mistake into a crash
        pass
    finally:
        with _lock:
            _live.pop(process.pid, None)
        try:
            sweep()
        except Exception:  # noqa: BLE001 -- at interpreter shutdown anything may be half gone: stop never raises
            pass


def kill(pid: int) -> None:
    """Kill a process the guard's tree holds (a warm check's fork) and every process below it. Never raises."""
    if keeper.able():
        keeper.kill_tree(pid)
        return
    try:
        os.killpg(pid, signal.SIGKILL)  # its group: the learner's forks too
    except OSError:
        pass


def sweep() -> None:
    """Kill and reap every child of this process that it did not start with popen (orphans of a guarded run
    whose keeper was killed), when contain() made this process their reaper. Never raises."""
    if not keeper.ADOPTING[0]:
        return
    me = os.getpid()
    with _lock:
        strays = [
            pid
            for pid, (parent, _, _) in keeper.processes().items()
            if parent == me and pid not in _live
        ]
        for pid in strays:
            keeper.kill_tree(pid)
            for _ in range(100):
                try:
                    if os.waitpid(pid, os.WNOHANG)[0]:
                        break
                except ChildProcessError:
                    break
                time.sleep(0.01)


@atexit.register
def stop_all() -> None:
    """At exit (a signal, an error, a thread still waiting): no guarded run outlives the kata."""
    for process in list(_live.values()):
        stop(process)
    sweep()


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
    elif not keeper.able():
        lines.append(
            "no subreaper (not Linux, or no /proc): a process your code starts in a session or process group "
            "of its own outlives the check"
        )
    if not has_alarm():
        lines.append(
            "no SIGALRM: a test past its time limit is ended by a watchdog thread, which ends the whole run"
        )
    return lines


_verified: list[
    bool
] = []  # child()'s answer, found once per process (the pipe can be read only once)


def child() -> bool:
    """Whether this process is a guarded child that popen started: the pipe its CHILD variable names holds the
    variable's token. Found once, before any learner code runs; the variable and the pipe are then gone."""
    if not _verified:
        _verified.append(proven(os.environ.pop(CHILD, "")))
    return _verified[0]


def proven(marker: str) -> bool:
    """Whether `marker` ("FD:TOKEN") names an inherited pipe that holds TOKEN (read, then closed)."""
    where, _, token = marker.partition(":")
    if where == "nt" and os.name == "nt":
        return (
            len(token) == 32
        )  # no pipes to pass there: a fresh random token is what no one sets by accident
    if not where.isdigit() or int(where) < 3 or len(token) != 32:
        return False
    fd = int(where)
    try:
        if not stat.S_ISFIFO(os.fstat(fd).st_mode):
            return False
        os.set_blocking(fd, False)
        said = os.read(fd, 64)
    except OSError:
        return False
    try:
        os.close(fd)
    except OSError:
        pass
    return hmac.compare_digest(said, token.encode("ascii", "replace"))


def too_deep() -> bool:
    """Whether this process is already several guarded runs deep: it must not start one more (never a loop)."""
    depth = os.environ.get(DEPTH, "0")
    return depth.isdigit() and int(depth) >= MAX_DEPTH
