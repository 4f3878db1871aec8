"""The `Database` facade: opens SQLite or a URL, writes runs in batches, loads `rules` records; storage layer."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self, cast

from sqlalchemy import (
    URL,
    CursorResult,
    Engine,
    Table,
    create_engine,
    delete,
    event,
    func,
    insert,
    make_url,
    select,
    update,
)
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from rules.model import Finding, LicenceFacts
from rules.records import FooterShot, NotificationRecord, PageRecord, RunInfo, RunRecord, RunStatus
from storage import convert, queries, upgrade
from storage.errors import DatabaseBusyError, StorageError, describe, is_busy
from storage.models import FindingRow, FooterShotRow, NotificationRow, PageRow, RunRow
from storage.stream import StoredPages

_INTERRUPTED_ERROR = "the process stopped before the run finished"
BUSY_TIMEOUT_MS = 5000  # how long a statement waits for another connection's lock, unless told otherwise
DELETE_CHUNK = 10_000  # rows per transaction when pruning: the longest a writer waits for prune
_WAL_TRIES = 100  # 0.05 s apart: the 5 s busy timeout
# Inserts into the tables (Core), not the mapped classes: an ORM bulk insert costs half as much again.
_PAGES, _FINDINGS = cast(Table, PageRow.__table__), cast(Table, FindingRow.__table__)
_INSERT_PAGES = insert(_PAGES).returning(_PAGES.c.id, sort_by_parameter_order=True)
_INSERT_FINDINGS = insert(_FINDINGS)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets a report read while the crawl writes; NORMAL is durable per commit in WAL, and fast.
    cursor = dbapi_connection.cursor()
    try:
        _use_wal(cursor)
        for pragma in ("synchronous=NORMAL", "foreign_keys=ON", f"busy_timeout={BUSY_TIMEOUT_MS}"):
            cursor.execute(f"PRAGMA {pragma}")
    finally:
        cursor.close()


def _use_wal(cursor: Any) -> None:
    """Put the file in WAL mode, which it keeps. Switching takes a lock SQLite does not wait for (no busy
    handler): connections racing to open a new file retry for up to the busy timeout."""
    for attempt in range(_WAL_TRIES):
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == _WAL_TRIES - 1:
                raise
            time.sleep(0.05)


def _resolve(url_or_path: str) -> tuple[URL | str, str]:
    """The engine URL and the name shown in messages (a path, or the URL without its password)."""
    if "://" in url_or_path:
        try:
            return url_or_path, make_url(url_or_path).render_as_string(hide_password=True)
        except ArgumentError as exc:
            raise StorageError(
                f"database {url_or_path!r}: not a valid URL (pass --db a path or URL)"
            ) from exc
    path = Path(url_or_path).expanduser()
    if not path.parent.is_dir():
        raise StorageError(
            f"database {path}: folder {path.parent} does not exist (create it, or pass --db another path)"
        )
    return URL.create("sqlite+pysqlite", database=str(path)), str(path)


def _run_id(run: int | str) -> int | None:
    """The id asked for, or None for the latest run."""
    if isinstance(run, int) or run.isdigit():
        return int(run)
    if run == "latest":
        return None
    raise StorageError(f"run {run!r}: expected 'latest' or a run number (icp-audit runs lists them)")


class Database:
    """One database of audit runs; open with `Database.open`, close with `close` (or use `with`)."""

    def __init__(self, engine: Engine, name: str) -> None:
        self._engine = engine
        self._name = name
        # expire_on_commit=False: rows are converted after the commit without reloading them.
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, url_or_path: str) -> Database:
        """Open a SQLite file by path, or any database by SQLAlchemy URL, creating or upgrading its schema."""
        url, name = _resolve(url_or_path)
        try:
            engine = create_engine(url)
        except (ArgumentError, ImportError) as exc:  # unknown dialect or driver not installed
            raise StorageError(f"database {name}: {exc} (check the URL, or install its driver)") from exc
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        db = cls(engine, name)
        try:
            with db._guard():
                upgrade.upgrade(engine, name)
        except StorageError:
            engine.dispose()
            raise
        return db

    @property
    def name(self) -> str:
        """The path or password-less URL, as shown in messages."""
        return self._name

    def close(self) -> None:
        """Release every pooled connection."""
        self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except DBAPIError as exc:
            error = DatabaseBusyError if is_busy(exc) else StorageError
            raise error(describe(self._name, exc)) from exc

    @contextmanager
    def _transaction(self) -> Iterator[Session]:
        # The guard is outside the transaction so that a failing COMMIT is translated too.
        with self._guard(), self._sessions.begin() as session:
            yield session

    @contextmanager
    def _reading(self) -> Iterator[Session]:
        with self._guard(), self._sessions() as session:
            yield session

    def start_run(
        self,
        *,
        site: str,
        trigger: str,
        tool_version: str,
        licence: LicenceFacts,
        today: date,
        started_at: datetime,
    ) -> int:
        """Record a new `running` run, committed at once, and return its id."""
        convert.require_aware("started_at", started_at)
        row = convert.run_row(
            site=site,
            trigger=trigger,
            tool_version=tool_version,
            licence=licence,
            today=today,
            started_at=started_at,
        )
        with self._transaction() as session:
            session.add(row)
            session.flush()
            return row.id

    def add_pages(self, run_id: int, pages: Sequence[PageRecord], *, wait: float | None = None) -> None:
        """Store a batch of pages with their findings in one transaction. `wait`: seconds to wait for
        another connection's write lock (SQLite) before raising DatabaseBusyError, instead of the usual 5 s
        (a crawl tries again later rather than stall)."""
        if not pages:
            return
        # Two executemany inserts, not Session.add_all: the ORM's unit of work made storing a page cost
        # six times the CPU (issue 7). RETURNING gives the page ids in the order of `pages`.
        with self._transaction() as session, self._waiting(session, wait):
            ids = session.execute(_INSERT_PAGES, [convert.page_values(run_id, page) for page in pages])
            findings = [
                convert.finding_values(run_id, page_id, f)
                for page, page_id in zip(pages, ids.scalars(), strict=True)
                for f in page.findings
            ]
            if findings:
                session.execute(_INSERT_FINDINGS, findings)

    @contextmanager
    def _waiting(self, session: Session, wait: float | None) -> Iterator[None]:
        if wait is None or self._engine.dialect.name != "sqlite":
            yield
            return
        connection = session.connection()
        connection.exec_driver_sql(f"PRAGMA busy_timeout={round(wait * 1000)}")
        try:
            yield
        finally:  # the connection goes back to the pool: later statements wait as long as usual
            connection.exec_driver_sql(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")

    def add_site_findings(self, run_id: int, findings: Sequence[Finding]) -> None:
        """Store findings about the whole site (no page) in one transaction."""
        if not findings:
            return
        with self._transaction() as session:
            session.execute(_INSERT_FINDINGS, [convert.finding_values(run_id, None, f) for f in findings])

    def add_footer_shots(self, run_id: int, shots: Sequence[FooterShot]) -> None:
        """Store the run's footer pictures (one per template) in one transaction."""
        if not shots:
            return
        with self._transaction() as session:
            session.add_all([convert.footer_shot_row(run_id, shot) for shot in shots])

    def finish_run(
        self,
        run_id: int,
        *,
        status: RunStatus,
        finished_at: datetime,
        error: str | None = None,
        skipped: Mapping[str, int] | None = None,
        skipped_exact: bool = True,
        wait: float | None = None,
    ) -> None:
        """Set the final status, end time, (for a failed run) the one-line reason and the counts of every
        URL skipped by reason kind (only a sample of them is stored as rows). `wait`: as for add_pages."""
        convert.require_aware("finished_at", finished_at)
        with self._transaction() as session, self._waiting(session, wait):
            row = session.get(RunRow, run_id)
            if row is None:
                raise StorageError(f"no run {run_id} in {self._name} (icp-audit runs lists them)")
            row.status, row.finished_at, row.error = status.value, finished_at, error
            if skipped is not None:
                row.skipped = convert.skipped_json(skipped, skipped_exact)
            session.flush()  # the UPDATE takes the write lock here, while `wait` holds, not at commit

    def load_run(self, run: int | str = "latest", *, site: str | None = None) -> RunRecord:
        """A whole run: `"latest"` (highest id, of `site` when given) or a run id. Its pages are read from
        the database a chunk at a time whenever they are gone through (those stored when it was loaded):
        use it while the database is open, and before deleting the run."""
        wanted = _run_id(run)
        with self._reading() as session:
            run_id = queries.latest_run_id(session, site) if wanted is None else wanted
            row = None if run_id is None else queries.run_row(session, run_id, site)
            if row is None:
                raise StorageError(self._no_run(wanted, site))
            site_findings = queries.site_findings_of_run(session, row.id)
            shots = tuple(queries.footer_shots_of_run(session, row.id))
            counts = queries.counts(session, [row.id])[row.id]
        # The pages are read from the database a chunk at a time whenever they are gone through.
        pages = StoredPages(self._reading, row.id)
        return RunRecord(convert.run_info(row, counts), tuple(site_findings), pages, shots)

    def previous_complete_run(self, run_id: int) -> RunRecord | None:
        """The latest complete run of the same site as `run_id` with a smaller id, or None."""
        with self._reading() as session:
            row = queries.run_row(session, run_id, None)
            if row is None:
                raise StorageError(self._no_run(run_id, None))
            previous = queries.previous_complete_run_id(session, row.site, run_id)
        return None if previous is None else self.load_run(previous)

    def _no_run(self, wanted: int | None, site: str | None) -> str:
        of_site = f" of site {site}" if site is not None else ""
        if wanted is None:
            return f"no run{of_site} yet in {self._name} (run icp-audit audit first, or check --db)"
        return f"no run {wanted}{of_site} in {self._name} (icp-audit runs lists them)"

    def list_runs(self, *, site: str | None = None, limit: int | None = 50) -> list[RunInfo]:
        """Run headers, newest first, with counts computed in SQL (`limit=None`: every run)."""
        with self._reading() as session:
            return queries.list_runs(session, site, limit)

    def delete_runs(self, run_ids: Sequence[int], *, chunk: int = DELETE_CHUNK) -> int:
        """Delete these runs with their pages, findings, notifications and footer pictures; return how
        many runs went. Rows go `chunk` at a time, one transaction each, so that another writer (a
        running audit) waits for one chunk, not for a whole run of a million pages."""
        if not run_ids:
            return 0
        ids = list(run_ids)
        # Children first: the schema cascades, but not every database enforces foreign keys. A prune
        # stopped half-way leaves these runs with fewer rows; the next prune deletes the rest.
        for table in (NotificationRow, FooterShotRow, FindingRow, PageRow):
            self._delete_in_chunks(cast(Table, table.__table__), ids, chunk)
        with self._transaction() as session:
            result = cast(CursorResult[Any], session.execute(delete(RunRow).where(RunRow.id.in_(ids))))
            return result.rowcount

    def _delete_in_chunks(self, table: Table, run_ids: list[int], chunk: int) -> None:
        # DELETE … WHERE id IN (SELECT … LIMIT n): portable, unlike SQLite's optional DELETE … LIMIT.
        wanted = select(table.c.id).where(table.c.run_id.in_(run_ids)).limit(chunk).scalar_subquery()
        statement = delete(table).where(table.c.id.in_(wanted))
        while True:
            with self._transaction() as session:
                if cast(CursorResult[Any], session.execute(statement)).rowcount < chunk:
                    return

    def record_notification(
        self, run_id: int, channel: str, ok: bool, detail: str, sent_at: datetime
    ) -> None:
        """Record one alert sent (ok) or attempted (not ok) about a run, committed at once."""
        convert.require_aware("sent_at", sent_at)
        record = NotificationRecord(channel=channel, ok=ok, detail=detail, sent_at=sent_at)
        with self._transaction() as session:
            session.add(convert.notification_row(run_id, record))

    def notifications(self, run_id: int) -> list[NotificationRecord]:
        """The alerts recorded for a run, oldest first; empty when none (or no such run)."""
        with self._reading() as session:
            return queries.notifications_of_run(session, run_id)

    def running_runs(self) -> list[tuple[int, str]]:
        """(id, site) of every run still marked `running`, oldest first (no counts: a cheap query)."""
        query = select(RunRow.id, RunRow.site).where(RunRow.status == RunStatus.RUNNING.value)
        with self._reading() as session:
            return [(run_id, site) for run_id, site in session.execute(query.order_by(RunRow.id))]

    def mark_interrupted(self, site: str, run_ids: Sequence[int] | None = None) -> int:
        """Mark every run of `site` still `running` (only those of `run_ids` when given) as `interrupted`;
        return how many there were."""
        statement = (
            update(RunRow)
            .where(RunRow.site == site, RunRow.status == RunStatus.RUNNING.value)
            .values(
                status=RunStatus.INTERRUPTED.value,
                error=func.coalesce(RunRow.error, _INTERRUPTED_ERROR),
            )
        )
        if run_ids is not None:
            statement = statement.where(RunRow.id.in_(run_ids))
        with self._transaction() as session:
            result = cast(CursorResult[Any], session.execute(statement))
            return result.rowcount
