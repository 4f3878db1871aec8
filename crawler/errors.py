"""The exception tree of icp-audit's application layer.

    AuditError            anything the user can fix; the CLI prints it as one line
    ├── ConfigError       the profile or the arguments are invalid (exit 3)
    ├── OutputError       the report folder cannot be written
    └── LockedError       another audit of the same site is running (exit 5)

Storage failures arrive as `storage.StorageError`; fetch failures are data (`FetchResult`), never raised.
"""

from __future__ import annotations


class AuditError(Exception):
    """An error the user can fix; its message is one line naming the thing and the fix."""


class ConfigError(AuditError):
    """The profile or the command-line arguments are invalid; carries one line per problem."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


class OutputError(AuditError):
    """The report folder or an export file cannot be written."""


class LockedError(AuditError):
    """Another audit of the same site holds the lock."""
