"""Additive schema upgrades of an existing database, run at every open after `create_all`; storage layer.

`create_all` creates missing tables but never alters existing ones, so each column added after the
first release is listed here: an old database gets it (with its default) instead of being dropped.
"""

from __future__ import annotations

from sqlalchemy import Connection, inspect, text

# (table, column, column definition as in `ALTER TABLE ... ADD COLUMN`), oldest first.
ADDED_COLUMNS: tuple[tuple[str, str, str], ...] = (("findings", "params", "TEXT NOT NULL DEFAULT '[]'"),)


def upgrade(connection: Connection) -> list[str]:
    """Add every column of `ADDED_COLUMNS` the database lacks; return them as "table.column"."""
    inspector = inspect(connection)
    added: list[str] = []
    for table, column, definition in ADDED_COLUMNS:
        if not inspector.has_table(table):
            continue  # create_all makes it with every column
        if column in {c["name"] for c in inspector.get_columns(table)}:
            continue
        # Names come from the constant above, never from input.
        connection.execute(text(f"ALTER TABLE {table} ADD COLUMN {column} {definition}"))
        added.append(f"{table}.{column}")
    return added
