"""Write a file the user named (-o, --json, the report files) without damaging what the name points at; I/O.

A regular file is replaced atomically: a reader (or a crash, or a signal) never sees half of it. The
replace happens where a symlink leads, so the link stays a link. Anything else that is not a folder
(a FIFO, /dev/null, a terminal, /proc/self/fd/1 and /dev/stdout whatever they lead to) is written
through, as a shell's `>` would: renaming a temporary file over it would replace the node itself, or
leave the file the shell opened untouched. A folder is refused.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import IO, Any

from crawler.errors import OutputError

Fill = Callable[[IO[Any]], None]
MAX_LINKS = 40  # symlinks followed in a chain, as Linux does
_DESCRIPTOR = re.compile(r"/(?:proc/[^/]+|dev)/fd/")


def write_output(path: Path, fill: Fill, *, binary: bool = False) -> None:
    """Write what `fill` writes to the handle it gets to `path` (text in UTF-8 unless `binary`)."""
    try:
        mode = os.stat(path).st_mode  # follows symlinks, also /proc's magic ones
    except FileNotFoundError:
        # Nothing there, or a dangling symlink: the new file goes where the link points.
        _replace(Path(os.path.realpath(path)), fill, binary, named=path)
        return
    except OSError as exc:
        raise _error(path, exc) from exc
    if stat.S_ISDIR(mode):
        raise OutputError(f"{path}: is a folder, not a file; name a file (in it, or elsewhere)")
    if stat.S_ISREG(mode) and not _names_a_descriptor(path):
        _replace(Path(os.path.realpath(path)), fill, binary, named=path)
    else:
        _write_through(path, fill, binary)


def check_output(path: Path) -> None:
    """Refuse, before a long crawl, a path `write_output` will refuse: a folder, or one in a missing folder."""
    if path.is_dir():
        raise OutputError(f"{path}: is a folder, not a file; name a file (in it, or elsewhere)")
    if not path.exists() and not Path(os.path.realpath(path)).parent.is_dir():
        folder = Path(os.path.realpath(path)).parent
        raise OutputError(f"{path}: folder {folder} does not exist; create it or pick another path")


def _names_a_descriptor(path: Path) -> bool:
    """Whether `path` leads through /proc/<pid>/fd/N or /dev/fd/N (/dev/stdout, a link to it): that is a
    file a shell opened, as `> file`, so it is written through, not replaced by a new file beside it."""
    current = os.path.abspath(path)
    for _ in range(MAX_LINKS):
        folder, name = os.path.split(current)
        if _DESCRIPTOR.match(os.path.join(os.path.realpath(folder), name)):  # /dev/fd is itself a link
            return True
        try:
            target = os.readlink(current)
        except OSError:  # not a link (any more): the end of the chain
            return False
        current = os.path.normpath(os.path.join(os.path.dirname(current), target))
    return False


def _replace(target: Path, fill: Fill, binary: bool, *, named: Path) -> None:
    if not target.parent.is_dir():
        raise OutputError(f"{named}: folder {target.parent} does not exist; create it or pick another path")
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
        try:
            with os.fdopen(fd, "wb" if binary else "w", encoding=None if binary else "utf-8") as handle:
                fill(handle)
            os.chmod(tmp, 0o644)  # mkstemp makes 0600; reports are meant to be read, served and forwarded
            os.replace(tmp, target)
        except BaseException:  # also KeyboardInterrupt from `signals_stop_writing`: no temporary file stays
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError as exc:
        raise _error(named, exc) from exc


def _write_through(path: Path, fill: Fill, binary: bool) -> None:
    """Open the node itself, without creating or truncating: a FIFO blocks until it has a reader."""
    try:
        fd = os.open(path, os.O_WRONLY)
        with os.fdopen(fd, "wb" if binary else "w", encoding=None if binary else "utf-8") as handle:
            fill(handle)
    except OSError as exc:
        raise _error(path, exc) from exc


def _error(path: Path, exc: OSError) -> OutputError:
    return OutputError(
        f"{path}: cannot write ({exc.strerror or exc}); check the path, its folder and free space"
    )


def _stop(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(signal.Signals(signum).name)


@contextlib.contextmanager
def signals_stop_writing() -> Iterator[None]:
    """SIGTERM and SIGINT raise KeyboardInterrupt inside the block, even amid a long synchronous write,
    so the writer removes its temporary file (SIGTERM's default would kill the process first, and
    asyncio's handlers only act once the loop runs again). The previous handlers come back after."""
    try:
        previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    except ValueError:  # not the main thread: signals cannot be handled here
        yield
        return
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
