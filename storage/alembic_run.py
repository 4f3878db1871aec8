"""Alembic driven in code (no alembic.ini): the revisions shipped in storage/migrations, stamp and upgrade; storage layer."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

MIGRATIONS = Path(__file__).with_name("migrations")


@cache
def script() -> ScriptDirectory:
    """The revisions in storage/migrations/versions, parsed once per process."""
    return ScriptDirectory(str(MIGRATIONS))


def revisions() -> set[str]:
    """Every revision this icp-audit knows."""
    return {revision.revision for revision in script().walk_revisions()}


def config(connection: Connection) -> Config:
    """A configuration built in code, handing `connection` to migrations/env.py."""
    built = Config()
    # ConfigParser interpolates '%': a path holding one must not break it.
    built.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    built.attributes["connection"] = connection
    return built


def stamp(connection: Connection, revision: str) -> None:
    """Record that the database's schema is `revision`, changing nothing else."""
    command.stamp(config(connection), revision)


def upgrade(connection: Connection) -> None:
    """Run every migration after the stamped revision, in the connection's transaction."""
    command.upgrade(config(connection), "head")
