"""Prune benchmark: the longest write-lock hold while `Database.delete_runs` deletes a big run; prints a table.

    python -m benchmarks.prune [--pages 1000000] [--chunk 10000]

Builds a SQLite file with one run of N pages (one finding each) and a young run, then deletes the big run
twice on fresh copies: in one transaction (as before issue 12) and in chunks (`Database.delete_runs`). The
schema is the current one (with migration 0005's index on findings.page_id; without it, each page deleted
scanned the findings kept: 20,000 pages with 5,000 findings kept took 4.2 s in one transaction). The
time between each transaction's first statement and its commit is the write lock held: another writer
(a running audit) waits that long at most. Not a test.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import tempfile
import time
from contextlib import closing
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, event

from rules.model import LicenceFacts
from rules.records import RunStatus
from storage import Database
from storage.database import DELETE_CHUNK
from storage.models import FindingRow, FooterShotRow, NotificationRow, PageRow, RunRow

LICENCE = LicenceFacts(number="陕B2-20210271", holder="示例", valid_until=date(2099, 1, 1))
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def build(path: Path, pages: int, kept_findings: int = 0) -> int:
    """A database with run 1 of `pages` pages (one finding each) and run 2 with `kept_findings` site
    findings (each deleted page looks up findings by page_id); returns run 1's id."""
    with Database.open(str(path)) as db:
        ids = [
            db.start_run(
                site="s",
                trigger="manual",
                tool_version="0",
                licence=LICENCE,
                today=NOW.date(),
                started_at=NOW,
            )
            for _ in range(2)
        ]
        for run_id in ids:
            db.finish_run(run_id, status=RunStatus.COMPLETE, finished_at=NOW)
    with closing(sqlite3.connect(path)) as conn:
        rows = ((i, ids[0], f"https://example.cn/p{i}?sid={i:08x}") for i in range(1, pages + 1))
        conn.executemany(
            "INSERT INTO pages (id, run_id, url, depth, verdict, footer_found, footer_text, is_homepage,"
            " numbers, redirects, footer_fingerprint) VALUES (?, ?, ?, 1, 'missing', 0, '', 0, '[]', '[]', '')",
            rows,
        )
        conn.executemany(
            "INSERT INTO findings (run_id, page_id, rule, severity, message, evidence, params)"
            " VALUES (?, ?, 'LIC-007', 'error', 'No licence number in the footer', '', '[]')",
            ((ids[0], i) for i in range(1, pages + 1)),
        )
        conn.executemany(
            "INSERT INTO findings (run_id, page_id, rule, severity, message, evidence, params)"
            " VALUES (?, NULL, 'VAL-001', 'error', 'Licence expired', '', '[]')",
            ((ids[1],) for _ in range(kept_findings)),
        )
        conn.commit()
    return ids[0]


class LockClock:
    """The duration of each transaction on an engine: first statement to commit."""

    def __init__(self, db: Database) -> None:
        self.holds: list[float] = []
        self._began: float | None = None
        event.listen(db._engine, "before_cursor_execute", self._statement)
        event.listen(db._engine, "commit", self._commit)

    def _statement(self, *_args: Any) -> None:
        if self._began is None:
            self._began = time.perf_counter()

    def _commit(self, *_args: Any) -> None:
        if self._began is not None:
            self.holds.append(time.perf_counter() - self._began)
        self._began = None


def delete_in_one_transaction(db: Database, ids: list[int]) -> None:
    """What `delete_runs` did before issue 12."""
    with db._transaction() as session:
        for table in (NotificationRow, FooterShotRow, FindingRow, PageRow):
            session.execute(delete(table).where(table.run_id.in_(ids)))
        session.execute(delete(RunRow).where(RunRow.id.in_(ids)))


def measure(template: Path, run_id: int, chunk: int | None) -> tuple[float, float, int]:
    """(longest hold s, total s, transactions) deleting `run_id` from a copy of `template`."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "copy.db"
        shutil.copyfile(template, path)
        with Database.open(str(path)) as db:
            clock = LockClock(db)
            started = time.perf_counter()
            if chunk is None:
                delete_in_one_transaction(db, [run_id])
            else:
                db.delete_runs([run_id], chunk=chunk)
            total = time.perf_counter() - started
        return max(clock.holds), total, len(clock.holds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1_000_000)
    parser.add_argument("--chunk", type=int, default=DELETE_CHUNK)
    parser.add_argument("--kept-findings", type=int, default=10_000, help="findings of the run kept")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        template = Path(tmp) / "big.db"
        started = time.perf_counter()
        run_id = build(template, args.pages, args.kept_findings)
        built = time.perf_counter() - started
        print(
            f"{args.pages:,} pages + as many findings, {args.kept_findings:,} findings kept: built in {built:.1f} s"
        )
        print(f"{'delete':<28} {'longest lock hold':>18} {'total':>9} {'transactions':>13}")
        for label, chunk in (("one transaction (before)", None), (f"chunks of {args.chunk:,}", args.chunk)):
            hold, total, count = measure(template, run_id, chunk)
            print(f"{label:<28} {hold * 1000:>15.0f} ms {total:>7.1f} s {count:>13,}")


if __name__ == "__main__":
    main()
