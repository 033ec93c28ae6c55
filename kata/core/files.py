"""The kata's one way to read and write its files (steps/, .kata/, a check's reports): never through a symlink, never
blocked by a FIFO or a device, never more than a bound, and every write atomic. Imports nothing of the kata."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

# open flags: the last part of the path must not be a symlink, and a FIFO or a device must not block the open
SAFE = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


def open_plain(path: Path | str) -> int | None:
    """A file descriptor for reading a regular file, opened without following a symlink or waiting on a FIFO; None
    when it is missing, a symlink, a folder, a FIFO, a device, or cannot be opened. The caller closes it."""
    try:
        fd = os.open(path, SAFE)
    except (OSError, ValueError):  # ELOOP: a symlink; ValueError: a NUL in the name
        return None
    try:
        if stat.S_ISREG(os.fstat(fd).st_mode):
            return fd
    except OSError:
        pass
    os.close(fd)
    return None


def read_plain(path: Path | str, limit: int, offset: int = 0) -> bytes | None:
    """A regular file's bytes from `offset` (see open_plain), or None when it is not one or holds more than `limit`
    bytes from there; never reads more than `limit` + 1 bytes, however the file grows meanwhile."""
    fd = open_plain(path)
    if fd is None:
        return None
    try:
        if os.fstat(fd).st_size - offset > limit:
            return None
        if offset:
            os.lseek(fd, offset, os.SEEK_SET)
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError:
        return None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    return data if len(data) <= limit else None


def read_end(path: Path | str, size: int) -> bytes:
    """The last `size` bytes of a regular file (b'' when it is not one): the end of a run's stderr."""
    fd = open_plain(path)
    if fd is None:
        return b""
    try:
        length = os.fstat(fd).st_size
        os.lseek(fd, max(0, length - size), os.SEEK_SET)
        return os.read(fd, size)
    except OSError:
        return b""
    finally:
        os.close(fd)


def plain_or_missing(path: Path) -> bool:
    """True when `path` is a regular file (not through a symlink) or nothing at all; False for a symlink, a folder,
    a FIFO, a device or a socket: what the kata neither reads nor copies."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return True
    except (OSError, ValueError):
        return False
    return stat.S_ISREG(mode)


def kind(path: Path) -> str:
    """What a path that is not a plain file is, in a word or two: 'a symlink', 'a FIFO', 'a folder'…"""
    try:
        mode = os.lstat(path).st_mode
    except (OSError, ValueError):
        return "missing"
    for test, name in (
        (stat.S_ISLNK, "a symlink"),
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISREG, "a file"),
    ):
        if test(mode):
            return name
    return "not a plain file"


def refused(path: Path) -> str:
    """'' when the kata may write a file the user named (a plain file, or nothing yet); else why not, for one line:
    a symlink is never followed, a FIFO never waited on (it would wait for a reader), a folder never written into."""
    if plain_or_missing(path):
        return ""
    return f"that is {kind(path)}, not a file: give the name of a file to write"


def append(path: Path, data: bytes) -> int:
    """Add `data` at the end of a regular file (made when missing), never through a symlink and never waiting on a
    FIFO (OSError for either, as for a device); return the file's size after it."""
    flags = (
        os.O_WRONLY
        | os.O_APPEND
        | os.O_CREAT
        | getattr(os, "O_NOFOLLOW", 0)
        | getattr(
            os, "O_NONBLOCK", 0
        )  # a FIFO with no reader fails at once (ENXIO) instead of waiting
        | getattr(os, "O_CLOEXEC", 0)
        | getattr(os, "O_BINARY", 0)
    )
    fd = os.open(path, flags, 0o644)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(0, f"{path.name} is not a plain file")
        while data:
            data = data[os.write(fd, data) :]
        return os.fstat(fd).st_size
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder and a rename: the file is old or new, never
    half. The temporary file is made new (O_EXCL), so a symlink in its place is never followed; the rename replaces
    a symlink (or FIFO) at `path` itself, never what it points to."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".kata-tmp")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        try:
            mode = os.lstat(path).st_mode
            os.chmod(temporary, stat.S_IMODE(mode) if stat.S_ISREG(mode) else 0o644)
        except OSError:
            try:
                os.chmod(temporary, 0o644)
            except OSError:
                pass
        os.replace(temporary, path)
    except (
        BaseException
    ):  # Ctrl-C and SIGTERM included: the half-written temporary goes, the old file stays
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
