"""Alembic environment of icp-audit: migrates the connection `Database.open` hands over; storage layer.

At run time `storage.alembic_run` builds the Alembic `Config` in code and passes its open, locked connection
in `config.attributes["connection"]`. For writing a new revision from the repository root:
`alembic -x db=dev.db upgrade head`, then `alembic -x db=dev.db revision --autogenerate -m "what"`
(pyproject.toml's [tool.alembic] names this folder).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from storage.models import Base


def _migrate(connection: Connection) -> None:
    # render_as_batch: autogenerate writes batch_alter_table, which SQLite needs for most ALTERs.
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def _run() -> None:
    given = context.config.attributes.get("connection")
    if isinstance(given, Connection):
        _migrate(given)
        return
    db = context.get_x_argument(as_dictionary=True).get("db")
    if not db:
        raise SystemExit("alembic: pass the database to migrate with -x db=PATH (or a SQLAlchemy URL)")
    engine = create_engine(db if "://" in db else f"sqlite:///{db}")
    try:
        with engine.connect() as connection:
            _migrate(connection)
            connection.commit()
    finally:
        engine.dispose()


_run()
