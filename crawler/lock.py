"""One audit per site at a time: an advisory file lock the kernel releases when its holder dies; I/O.

The same lock tells a dead audit from a live one: a run still `running` whose site lock nobody holds
belongs to a process that is gone. The next audit marks such runs `interrupted` while it holds the
lock; `close_dead_runs` lets the commands that only read (`runs`, `report`, `export`, `health`) do so too.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import socket
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from crawler.errors import LockedError
from storage.errors import StorageError

if TYPE_CHECKING:
    from storage import Database

PROBE_GRACE = 0.05  # seconds: a reading command holds a free lock for microseconds to test it


def lock_path(database: str, site: str) -> Path:
    """The lock file of one site in one database: beside a SQLite file, else in the temp folder."""
    beside, temp = _lock_places(database, site)
    return beside if beside is not None and os.access(beside.parent, os.W_OK) else temp


def _lock_places(database: str, site: str) -> tuple[Path | None, Path]:
    """Where an audit may have put the lock: beside a SQLite file (None for a server), and the temp folder."""
    file = None if "://" in database else Path(database).expanduser().resolve()
    # Keyed by the resolved file, so that `a.db`, `./a.db` and its absolute path share one lock.
    key = hashlib.sha256(f"{file or database}\0{site}".encode()).hexdigest()[:16]
    name = f".icp-audit-{key}.lock"
    return (file.parent / name if file else None), Path(tempfile.gettempdir()) / name


def _holder_gone(database: str, site: str) -> bool:
    """Whether no audit of `site` can be holding its lock: no lock file (SQLite only: a server database
    may be audited from another machine), or one nobody holds and no other machine wrote."""
    beside, temp = _lock_places(database, site)
    found = [p for p in (beside, temp) if p is not None and p.exists()]
    if not found:
        return beside is not None
    return all(_free_here(path) for path in found)


def _free_here(path: Path) -> bool:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False  # gone since, or unreadable: nothing proves the holder dead
    try:
        holder = os.read(fd, 200).decode("utf-8", "replace")
        if " on " in holder and holder.split(" on ", 1)[1].split(",", 1)[0] != socket.gethostname():
            return False  # written on another machine (a shared folder): its lock cannot be tested here
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)  # shared, released at once: an audit starting
        fcntl.flock(fd, fcntl.LOCK_UN)  # now is blocked for microseconds, and retries (site_lock)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(fd)


def close_dead_runs(db: Database) -> int:
    """Mark `interrupted` each run still `running` whose audit is gone (its site lock free); how many.

    The runs are read before the lock is tested, and only those are marked: a run started after the
    test belongs to a live audit and keeps `running`. A database that cannot be written (read-only
    file, busy) is left as it is: the reading command goes on and shows what is stored.
    """
    running: dict[str, list[int]] = {}
    for run_id, site in db.running_runs():
        running.setdefault(site, []).append(run_id)
    marked = 0
    for site, run_ids in running.items():
        if _holder_gone(db.name, site):
            try:
                marked += db.mark_interrupted(site, run_ids)
            except StorageError:
                return marked
    return marked


@contextmanager
def site_lock(database: str, site: str, now: datetime) -> Iterator[None]:
    """Hold the site's lock, or raise LockedError saying which process holds it."""
    path = lock_path(database, site)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    if not _take(fd):
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


def _take(fd: int) -> bool:
    """Lock `fd` exclusively; one retry after 50 ms, for a reading command testing the lock that instant."""
    for attempt in (1, 2):
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if attempt == 1:
                time.sleep(PROBE_GRACE)
    return False
