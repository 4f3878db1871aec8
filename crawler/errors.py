"""The exception tree of icp-audit's application layer.

    AuditError            anything the user can fix; the CLI prints it as one line
    ├── ConfigError       the profile or the arguments are invalid (exit 3)
    ├── OutputError       the report folder or an output file cannot be written (exit 7)
    │   └── ReportNotWritten   ...after the run was stored complete; `icp-audit report` writes it later
    ├── Stopped           a signal stopped the writing of a stored run's report or export (exit 130)
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


class ReportNotWritten(OutputError):
    """A run stored complete whose report could not be written; says how to write it later."""

    def __init__(self, run_id: int, folder: object, cause: str) -> None:
        super().__init__(
            f"run {run_id} is complete and stored, but its report was not written: {cause}; "
            f"make {folder} writable (or pick another --out DIR), then regenerate it with: "
            f"icp-audit report --run {run_id} --out {folder} (and the same --db)"
        )
        self.run_id = run_id


class Stopped(AuditError):
    """SIGINT or SIGTERM stopped a command while it wrote a stored run's report or export; the message
    says what was and was not written, and how to write it again."""

    def __init__(self, message: str, run_id: int | None = None) -> None:
        super().__init__(message)
        self.run_id = run_id


class LockedError(AuditError):
    """Another audit of the same site holds the lock."""
