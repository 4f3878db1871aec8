"""Storage layer: SQLAlchemy models and the `Database` that writes runs in batches and loads `rules` records."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from storage.errors import StorageError

if TYPE_CHECKING:
    from storage.database import Database

__all__ = ["Database", "StorageError"]


def __getattr__(name: str) -> Any:
    # `Database` loads SQLAlchemy (a tenth of a second) on first use: a command that never opens a
    # database, or code that only catches StorageError, does without it.
    if name == "Database":
        from storage.database import Database

        return Database
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
