"""The keeper of a guarded run: a small process between the kata and the learner's code that owns the whole tree.

Linux only (prctl and /proc); elsewhere `able()` is False and the guard falls back to a process group. The keeper
is a child subreaper, so every process the learner's code starts stays below it, whatever it does: a new process
group, a new session, a double fork. Between it and the code runs a shim, so that `os.kill(os.getppid(), 9)` kills
the shim and not the keeper. When the run ends, or the kata dies (a parent-death signal), the keeper kills every
process below it before it exits. The kata kills the same tree from outside with `kill_tree`.

Run as a script (`python -I -S keeper.py PARENT_PID ARGV...`), it imports nothing but the standard library: the
guarded child may run in a folder whose own kata cannot be imported.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Callable, Iterable

PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36
PROC = "/proc"
KILL_FOR = (
    5.0  # seconds kill_tree keeps going after a fork loop before it gives up (it never hangs)
)


_found: list[Callable[..., int] | None] = []  # prctl, looked up once


def _prctl() -> Callable[..., int] | None:
    """libc's prctl through ctypes, or None where there is none (not Linux, no ctypes)."""
    if not _found:
        function: Callable[..., int] | None = None
        if sys.platform.startswith("linux"):
            try:
                import ctypes

                function = ctypes.CDLL(None, use_errno=True).prctl
            except (ImportError, OSError, AttributeError):
                function = None
        _found.append(function)
    return _found[0]


def able() -> bool:
    """Whether this machine can keep a whole tree: Linux's prctl (subreaper, parent-death signal) and /proc."""
    return _prctl() is not None and os.path.isfile(f"{PROC}/self/stat")


ADOPTING: list[bool] = [False]  # adopt() made this process the reaper of its guarded runs' orphans


def adopt() -> None:
    """At the start of a command (python -m kata, kata.trace, a guarded pytest): make this process a subreaper, so
    that a guarded run's processes come back to it even when their keeper is killed (guard.sweep kills them).

    Only for a process whose every child is a guarded run: the sweep kills each child the guard did not start."""
    if not ADOPTING[0] and able():
        ADOPTING[0] = subreaper()


def subreaper() -> bool:
    """Make this process a child subreaper: orphans below it come back to it, not to init; True when done."""
    prctl = _prctl()
    return prctl is not None and prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0


def die_with_parent(signum: int) -> bool:
    """Have the kernel send `signum` to this process when its parent dies (kept across exec); True when done."""
    prctl = _prctl()
    return prctl is not None and prctl(PR_SET_PDEATHSIG, signum, 0, 0, 0) == 0


def stat(pid: int) -> tuple[int, str, int] | None:
    """(parent pid, state letter, start time) of a process, from /proc; None when it is gone."""
    try:  # os, not open(): this also runs while Python shuts down, when builtins may be gone
        fd = os.open(f"{PROC}/{pid}/stat", os.O_RDONLY | os.O_CLOEXEC)
        try:
            data = os.read(fd, 4096)
        finally:
            os.close(fd)
    except OSError:
        return None
    # the command name may hold spaces and brackets: the fields start after its last ')'
    fields = data[data.rfind(b")") + 2 :].split()
    try:
        return int(fields[1]), fields[0].decode("ascii", "replace"), int(fields[19])
    except (IndexError, ValueError):
        return None


def processes() -> dict[int, tuple[int, str, int]]:
    """Every process on the machine: pid -> (parent pid, state, start time)."""
    found: dict[int, tuple[int, str, int]] = {}
    try:
        names = os.listdir(PROC)
    except OSError:
        return found
    for name in names:
        if name.isdigit():
            info = stat(int(name))
            if info is not None:
                found[int(name)] = info
    return found


def descendants(roots: Iterable[int]) -> dict[int, int]:
    """The living processes below `roots` (not the roots themselves), as pid -> start time; zombies are left out
    (dead already: their parent reaps them)."""
    table = processes()
    children: dict[int, list[int]] = {}
    for pid, (parent, _, _) in table.items():
        children.setdefault(parent, []).append(pid)
    found: dict[int, int] = {}
    todo = list(roots)
    while todo:
        for pid in children.get(todo.pop(), []):
            if pid not in found:
                parent, state, started = table[pid]
                todo.append(pid)
                if state != "Z":
                    found[pid] = started
    return found


def kill(pid: int, started: int | None = None) -> None:
    """SIGKILL one process, but only the one that started at `started` (a pid reused meanwhile is left alone)."""
    opener = getattr(os, "pidfd_open", None)
    sender = getattr(signal, "pidfd_send_signal", None)
    handle = -1
    try:
        if opener is not None and sender is not None:
            handle = opener(
                pid
            )  # the process is pinned: its pid cannot be reused while this is open
        info = stat(pid)
        if info is None or (started is not None and info[2] != started):
            return
        if handle >= 0 and sender is not None:
            sender(handle, signal.SIGKILL)
        else:
            os.kill(pid, signal.SIGKILL)
    except OSError:
        pass  # gone already, or not ours to kill
    finally:
        if handle >= 0:
            os.close(handle)


def kill_tree(
    root: int, include_root: bool = True, reap: bool = False, seconds: float = KILL_FOR
) -> None:
    """SIGKILL every process below `root` until none is left, then `root` itself (unless told not to); `reap`
    collects this process's own ended children as it goes (only where every child is the tree's: the keeper).

    A process forked between a look at /proc and the kill is an orphan of the root (a subreaper) or of its killed
    parent's subreaper: the next look finds it. The root is killed last, so that it keeps catching orphans."""
    ends = time.monotonic() + seconds
    pause = 0.0
    while True:
        found = descendants([root])
        if not found or time.monotonic() > ends:
            break
        for pid, started in found.items():
            kill(pid, started)
        if reap:
            reap_children()
        time.sleep(
            pause
        )  # a killed process takes a moment to die: look again soon, not in a busy loop
        pause = min(0.05, pause + 0.001)
    if include_root:
        kill(root)


def reap_children() -> None:
    """Collect the exit status of every child of this process that has ended (no zombies left behind)."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def quiet_fds(keep: Iterable[int] = ()) -> None:
    """Let go of every inherited file descriptor but `keep`, with /dev/null on 0, 1 and 2: the keeper and the shim
    must not hold the run's pipes open after the learner's code has ended."""
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        if fd != null:
            os.dup2(null, fd)
    kept = sorted({fd for fd in keep if fd > 2} | ({null} if null > 2 else set()))
    start = 3
    for fd in kept:
        os.closerange(start, fd)
        start = fd + 1
    os.closerange(start, 1 << 16)
    if null > 2:
        os.close(null)


def exit_as(status: int) -> None:
    """End this process the way a child ended: with its exit code, or killed by its signal (no core dump)."""
    code = os.waitstatus_to_exitcode(status)
    if code >= 0:
        os._exit(code)
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ImportError, ValueError, OSError):
        pass
    try:
        signal.signal(-code, signal.SIG_DFL)  # SIGKILL has no handler to reset
    except (OSError, ValueError):
        pass
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {-code})
    os.kill(os.getpid(), -code)
    os._exit(128 - code)


class Orphaned(Exception):
    """The kata that started the keeper is gone: end the whole run."""


# signals the kata may send to the process it started (the tracer's SIGUSR1 asks the child where it is): the keeper and
# the shim pass them on, so that the child gets them as if it were the process the kata started
PASSED_ON = ("SIGUSR1", "SIGUSR2", "SIGINT", "SIGQUIT", "SIGWINCH", "SIGTERM", "SIGHUP")


def passed_on() -> list[int]:
    return [getattr(signal, name) for name in PASSED_ON if hasattr(signal, name)]


def pass_on(to: int, parent: int | None = None) -> None:
    """Pass the PASSED_ON signals on to process `to`; with `parent`, SIGTERM and SIGHUP once that parent is gone (its
    parent-death signal) raise Orphaned instead."""

    def handler(signum: int, frame: object) -> None:
        if (
            parent is not None
            and signum in (signal.SIGTERM, signal.SIGHUP)
            and os.getppid() != parent
        ):
            raise Orphaned
        try:
            os.kill(to, signum)
        except OSError:
            pass

    for signum in passed_on():
        signal.signal(signum, handler)


def shim(keeper: int, argv: list[str]) -> None:
    """In the keeper's child: start argv in a child of its own (the learner's code then has this as its parent)."""
    for signum in passed_on():  # not the keeper's handlers: until the child is there to take them
        signal.signal(signum, signal.SIG_IGN)
    die_with_parent(signal.SIGKILL)
    if os.getppid() != keeper:
        os._exit(1)
    pid = os.fork()
    if pid == 0:
        die_with_parent(signal.SIGKILL)
        if os.getppid() == 1:
            os._exit(1)
        # as subprocess leaves them for an exec'd program
        for signum in (signal.SIGPIPE, signal.SIGXFSZ, *passed_on()):
            signal.signal(signum, signal.SIG_DFL)
        try:
            os.execv(argv[0], argv)
        finally:
            os._exit(127)
    pass_on(pid)
    quiet_fds()
    while True:
        try:
            _, status = os.waitpid(pid, 0)
            exit_as(status)
        except ChildProcessError:
            os._exit(1)


def keep(parent: int, argv: list[str]) -> None:
    """The keeper: run argv below a shim, and when it ends (or the kata does) kill whatever is left below."""

    def orphaned(signum: int, frame: object) -> None:
        # a thread of the kata that ends sends the parent-death signal too: only a changed parent means the kata
        if os.getppid() != parent:
            raise Orphaned

    for signum in passed_on():  # until the shim is there to take them
        signal.signal(signum, signal.SIG_IGN)
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, orphaned)
    subreaper()
    die_with_parent(signal.SIGTERM)
    me = os.getpid()
    status = None
    try:
        if os.getppid() != parent:
            raise Orphaned
        first = os.fork()
        if first == 0:
            shim(me, argv)
        pass_on(first, parent)
        quiet_fds()
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCHLD})
        while status is None:
            while True:
                try:
                    pid, ended = os.waitpid(-1, os.WNOHANG)
                except ChildProcessError:
                    pid = 0
                if pid == 0:
                    break
                if pid == first:
                    status = ended
            if status is None:
                if os.getppid() != parent:
                    raise Orphaned
                signal.sigtimedwait({signal.SIGCHLD}, 1.0)
    except Orphaned:
        status = None
    for signum in passed_on():
        signal.signal(signum, signal.SIG_IGN)
    kill_tree(me, include_root=False, reap=True)
    reap_children()
    exit_as(status if status is not None else 137 << 8)


if __name__ == "__main__":
    keep(int(sys.argv[1]), sys.argv[2:])
