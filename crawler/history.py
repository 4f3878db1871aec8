"""A stored run's diff against the previous complete run of its site; reads the database."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rules.diff import RunDiff, diff_runs

if TYPE_CHECKING:
    from rules.records import RunRecord
    from storage import Database


def diff_of(db: Database, record: RunRecord) -> RunDiff | None:
    """The run compared with the latest earlier complete run of its site, or None for its first one."""
    previous = db.previous_complete_run(record.info.id)
    return None if previous is None else diff_runs(record, previous)
