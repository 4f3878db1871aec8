"""StorageError and the translation of database driver errors into one-line messages; storage layer."""

from __future__ import annotations


class StorageError(Exception):
    """The database cannot be opened, read or written; the message names it and says what to do."""


class DatabaseBusyError(StorageError):
    """Another connection held the write lock for longer than this one waits (SQLite: "database is
    locked"); the write can succeed when tried again later."""


_BUSY = ("database is locked", "database is busy", "database table is locked")


def is_busy(exc: BaseException) -> bool:
    """Whether a driver error says another connection holds the lock (worth trying again)."""
    from sqlalchemy.exc import DBAPIError

    return any(needle in str(exc.orig if isinstance(exc, DBAPIError) else exc).lower() for needle in _BUSY)


# Driver messages (SQLite's wording; PostgreSQL's where it differs) → what happened and what to do next.
_KNOWN: tuple[tuple[str, str, str], ...] = (
    ("unable to open", "unable to open", "check the folder exists and is writable, or pass --db"),
    ("not a database", "not a database file", "move it aside or pass --db with another path"),
    ("file is encrypted", "not a database file", "move it aside or pass --db with another path"),
    ("disk is full", "disk full", "free some space or pass --db on another disk"),
    ("no space left", "disk full", "free some space or pass --db on another disk"),
    ("readonly database", "read-only", "check the file's permissions, or pass --db"),
    ("disk i/o error", "disk I/O error", "check the disk, or pass --db on another one"),
    ("database is locked", "locked by another process", "retry when it has finished"),
    ("foreign key constraint", "refers to a run that does not exist", "start_run first (a bug)"),
    ("connection refused", "connection refused", "check the server is running and the URL in --db"),
    ("password authentication", "authentication failed", "check the user and password in --db"),
)


def describe(name: str, exc: BaseException) -> str:
    """A one-line message for `exc`, naming the database `name`."""
    # Imported here: the CLI catches StorageError without loading SQLAlchemy (a tenth of a second).
    from sqlalchemy.exc import DBAPIError

    detail = str(exc.orig if isinstance(exc, DBAPIError) else exc)
    lowered = detail.lower()
    for needle, what, fix in _KNOWN:
        if needle in lowered:
            return f"database {name}: {what} ({fix})"
    first_line = detail.strip().splitlines()[0] if detail.strip() else type(exc).__name__
    return f"database {name}: {first_line} (check the database, or pass --db)"
