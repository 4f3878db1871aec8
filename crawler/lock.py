"""One audit per site at a time: an advisory file lock the kernel releases when its holder dies; I/O."""

from __future__ import annotations

import fcntl
import hashlib
import os
import socket
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from crawler.errors import LockedError


def lock_path(database: str, site: str) -> Path:
    """The lock file of one site in one database: beside a SQLite file, else in the temp folder."""
    key = hashlib.sha256(f"{database}\0{site}".encode()).hexdigest()[:16]
    folder = Path(tempfile.gettempdir())
    if "://" not in database:
        beside = Path(database).expanduser().resolve().parent
        folder = beside if os.access(beside, os.W_OK) else folder
    return folder / f".icp-audit-{key}.lock"


@contextmanager
def site_lock(database: str, site: str, now: datetime) -> Iterator[None]:
    """Hold the site's lock, or raise LockedError saying which process holds it."""
    path = lock_path(database, site)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.read(fd, 200).decode("utf-8", "replace").strip() or "another process"
        os.close(fd)
        raise LockedError(f"another audit of {site} is running ({holder}); wait for it or stop it") from None
    try:
        os.ftruncate(fd, 0)
        os.write(
            fd, f"pid {os.getpid()} on {socket.gethostname()}, since {now:%Y-%m-%d %H:%M:%S %Z}".encode()
        )
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
