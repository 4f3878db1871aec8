"""Storage layer: SQLAlchemy models and the `Database` that writes runs in batches and loads `rules` records."""

from storage.database import Database
from storage.errors import StorageError

__all__ = ["Database", "StorageError"]
