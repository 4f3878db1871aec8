"""Bring a database's schema to the newest Alembic revision when it is opened; storage layer.

Three kinds of database arrive here: a brand-new one (created at the newest revision), one made by an
icp-audit from before Alembic (its revision told apart by its columns, stamped, then upgraded) and a
versioned one. One from a newer icp-audit (a revision this one does not know) is refused.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    inspect,
    text,
)

from storage.errors import StorageError
from storage.models import Base

# Alembic narrates at INFO, part of it while being imported ("setup plugin ..."): quieten it before the
# lazy imports below, or every new database fills the scheduler's JSON log with it.
logging.getLogger("alembic").setLevel(logging.WARNING)

# The newest revision in migrations/versions (a test checks they agree). Knowing it here lets the
# common open, of a database already there, skip importing Alembic (a third of a second).
HEAD = "0005"
VERSION_TABLE = "alembic_version"

# Any constant: PostgreSQL sessions opening the same database take this advisory lock to migrate.
_PG_LOCK_KEY = 0x1C9A_0D17

# Databases made before Alembic, newest first: (revision, tables it has, "table.column"s it has).
# 0003 is listed for databases the development tree made before migrations were Alembic's.
_LEGACY: tuple[tuple[str, frozenset[str], frozenset[str]], ...] = (
    ("0003", frozenset({"notifications"}), frozenset({"pages.footer_fingerprint", "findings.params"})),
    ("0002", frozenset(), frozenset({"findings.params"})),
    ("0001", frozenset(), frozenset()),
)


def _stamped(connection: Connection) -> set[str]:
    """The revisions stamped in the database; empty when it has none (new, or made before Alembic)."""
    if not inspect(connection).has_table(VERSION_TABLE):
        return set()
    return {str(row[0]) for row in connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}"))}


def _legacy_revision(connection: Connection) -> str | None:
    """The revision an unversioned database matches, or None when it holds no icp-audit tables."""
    inspector = inspect(connection)
    tables = set(inspector.get_table_names())
    if "runs" not in tables:
        return None
    columns = {f"{t}.{c['name']}" for t in tables & {"pages", "findings"} for c in inspector.get_columns(t)}
    for revision, needed_tables, needed_columns in _LEGACY:
        if needed_tables <= tables and needed_columns <= columns:
            return revision
    raise AssertionError("the oldest legacy revision needs nothing, so one always matches")


def _refuse_unknown(stamped: set[str], name: str) -> None:
    if stamped <= {HEAD}:  # new, from before Alembic, or at HEAD: known without asking Alembic
        return
    from storage import alembic_run  # imports Alembic: only when the database is not at HEAD

    unknown = sorted(stamped - alembic_run.revisions())
    if unknown:
        raise StorageError(
            f"database {name}: made by a newer icp-audit (schema revision {', '.join(unknown)} is unknown "
            "to this version) (upgrade icp-audit to open it, or pass --db another file)"
        )


@contextmanager
def _exclusive(connection: Connection) -> Iterator[None]:
    """One migrating connection at a time across processes; commit on success, roll back on error."""
    sqlite = connection.dialect.name == "sqlite"
    try:
        if sqlite:
            # Outside any transaction, where the pragma takes effect: a batch migration that rebuilds
            # a table must not cascade deletes into its children.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            # IMMEDIATE takes the write lock now; a second opener waits (busy_timeout), then finds
            # the work done.
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        elif connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_LOCK_KEY})")
        yield
        connection.commit()
    except BaseException:
        connection.rollback()
        raise
    finally:
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()


def _stamp_new(connection: Connection) -> None:
    """Record HEAD in a database just created at HEAD: the version table exactly as Alembic makes it
    (alembic.runtime.migration), without importing Alembic (9.5 MB, a third of a second)."""
    version = Table(VERSION_TABLE, MetaData(), Column("version_num", String(32), nullable=False))
    version.append_constraint(PrimaryKeyConstraint("version_num", name=f"{VERSION_TABLE}_pkc"))
    version.create(connection)
    connection.execute(version.insert().values(version_num=HEAD))


def _migrate(connection: Connection, name: str) -> None:
    """Under the lock: check again (another process may have just done it), then create or upgrade."""
    stamped = _stamped(connection)
    if stamped == {HEAD}:
        return
    _refuse_unknown(stamped, name)
    legacy = None if stamped else _legacy_revision(connection)
    if not stamped and legacy is None:
        Base.metadata.create_all(connection)
        _stamp_new(connection)
        return
    from storage import alembic_run  # an older database: Alembic's migrations upgrade it

    if legacy is not None:
        alembic_run.stamp(connection, legacy)
    alembic_run.upgrade(connection)


def upgrade(engine: Engine, name: str) -> None:
    """Create the schema of a new database, or upgrade an older one in place; never drops data."""
    with engine.connect() as connection:
        stamped = _stamped(connection)
        # The common case, a database already at HEAD, takes no write lock.
        if stamped == {HEAD}:
            return
        _refuse_unknown(stamped, name)  # before waiting for a lock: refusing writes nothing
        connection.rollback()
        with _exclusive(connection):
            _migrate(connection, name)
