"""Options several commands share (--db, --out, --lang), and opening the database they name; I/O."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from crawler.paths import database_location

if TYPE_CHECKING:
    from storage import Database

F = TypeVar("F", bound=Callable[..., Any])


def db_option(f: F) -> F:
    """--db URL|PATH."""
    return click.option(
        "--db",
        "db",
        metavar="URL|PATH",
        help="Database file or SQLAlchemy URL [env ICP_AUDIT_DB; default ./icp-audit.db].",
    )(f)


def out_option(f: F) -> F:
    """--out DIR."""
    return click.option(
        "--out", "out", metavar="DIR", help="Report folder [env ICP_AUDIT_OUT; default ./icp-audit-reports]."
    )(f)


def lang_option(f: F) -> F:
    """--lang zh|en."""
    return click.option(
        "--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="Report language."
    )(f)


def log_format_option(f: F) -> F:
    """--log-format text|json."""
    return click.option(
        "--log-format",
        "log_format",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        envvar="ICP_AUDIT_LOG_FORMAT",
        help="json: one JSON object per event on stdout (run_start, fetch_error, run_end, ...) "
        "[env ICP_AUDIT_LOG_FORMAT].",
    )(f)


_OPENED: weakref.WeakSet[Database] = weakref.WeakSet()


def open_db(db: str | None) -> Database:
    """Open (and create or upgrade) the database `--db` names; `close_databases` closes it at exit."""
    from storage.database import Database  # SQLAlchemy: only for the commands that open a database

    database = Database.open(database_location(db))
    _OPENED.add(database)
    return database


def close_databases() -> None:
    """Close every database a command opened that is still open: SQLite then folds its write-ahead
    log into the file, so the .db file alone holds every run."""
    for database in list(_OPENED):
        database.close()
