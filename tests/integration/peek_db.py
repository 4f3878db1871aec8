"""Read a SQLite database another process (an audit under test) is writing, as any reader would."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any


def rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    """The rows of `sql`; [] while the database has no file or no tables yet (the audit is starting)."""
    if not db.exists():
        return []
    try:
        with closing(sqlite3.connect(db, timeout=5)) as conn:
            return conn.execute(sql).fetchall()
    except sqlite3.OperationalError as exc:  # the file exists before its tables do
        if "no such table" not in str(exc):
            raise
        return []
