"""Read queries over runs, pages, findings and footer pictures that return `rules` records; storage layer."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from rules.model import Finding, Severity, Verdict
from rules.records import Counts, FooterShot, NotificationRecord, PageRecord, RunInfo, RunStatus
from storage.convert import finding, footer_shot, notification, page_record, run_info
from storage.models import FindingRow, FooterShotRow, NotificationRow, PageRow, RunRow

# Rows fetched and turned into records at a time when a whole run is loaded: memory stays flat on big runs.
_CHUNK = 500
# Derived from the enum so a new verdict is counted the same way as `Counts.of` counts it.
_NON_COMPLIANT = [v.value for v in Verdict if v.judged and v is not Verdict.COMPLIANT]


def latest_run_id(session: Session, site: str | None) -> int | None:
    """The highest run id, of `site` when given."""
    query = select(func.max(RunRow.id))
    if site is not None:
        query = query.where(RunRow.site == site)
    return session.scalar(query)


def run_row(session: Session, run_id: int, site: str | None) -> RunRow | None:
    """The run row `run_id`, or None when absent or of another site."""
    row = session.get(RunRow, run_id)
    return None if row is None or (site is not None and row.site != site) else row


def previous_complete_run_id(session: Session, site: str, before: int) -> int | None:
    """The highest id of a complete run of `site` below `before`."""
    query = select(func.max(RunRow.id)).where(
        RunRow.site == site, RunRow.id < before, RunRow.status == RunStatus.COMPLETE.value
    )
    return session.scalar(query)


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _page_counts(session: Session, run_ids: Sequence[int]) -> dict[int, tuple[int, int, int, int]]:
    query = (
        select(
            PageRow.run_id,
            func.count(PageRow.id),
            _count_if(PageRow.verdict == Verdict.COMPLIANT.value),
            _count_if(PageRow.verdict.in_(_NON_COMPLIANT)),
            _count_if(PageRow.verdict == Verdict.FETCH_ERROR.value),
        )
        .where(PageRow.run_id.in_(run_ids))
        .group_by(PageRow.run_id)
    )
    return {run_id: (pages, ok, bad, fetch) for run_id, pages, ok, bad, fetch in session.execute(query)}


def _finding_counts(session: Session, run_ids: Sequence[int]) -> dict[int, tuple[int, int, int]]:
    # findings.run_id covers site findings too, as `Counts.of` counts them.
    query = (
        select(
            FindingRow.run_id,
            _count_if(FindingRow.severity == Severity.ERROR.value),
            _count_if(FindingRow.severity == Severity.WARNING.value),
            _count_if(FindingRow.severity == Severity.INFO.value),
        )
        .where(FindingRow.run_id.in_(run_ids))
        .group_by(FindingRow.run_id)
    )
    return {run_id: (err, warn, info) for run_id, err, warn, info in session.execute(query)}


def counts(session: Session, run_ids: Sequence[int]) -> dict[int, Counts]:
    """The `Counts` of each run, computed by SQL aggregates over pages and findings."""
    pages = _page_counts(session, run_ids)
    findings = _finding_counts(session, run_ids)
    result: dict[int, Counts] = {}
    for run_id in run_ids:
        n, ok, bad, fetch = pages.get(run_id, (0, 0, 0, 0))
        err, warn, info = findings.get(run_id, (0, 0, 0))
        result[run_id] = Counts(n, ok, bad, fetch, err, warn, info)
    return result


def list_runs(session: Session, site: str | None, limit: int | None) -> list[RunInfo]:
    """Run headers, newest first, with counts."""
    query = select(RunRow).order_by(RunRow.id.desc()).limit(limit)
    if site is not None:
        query = query.where(RunRow.site == site)
    rows = list(session.scalars(query))
    by_run = counts(session, [row.id for row in rows])
    return [run_info(row, by_run[row.id]) for row in rows]


def findings_of_run(session: Session, run_id: int) -> tuple[list[Finding], dict[int, list[Finding]]]:
    """The run's site findings and its page findings by page id, each in insertion order."""
    site: list[Finding] = []
    by_page: dict[int, list[Finding]] = defaultdict(list)
    query = select(FindingRow).where(FindingRow.run_id == run_id).order_by(FindingRow.id)
    for row in session.scalars(query.execution_options(yield_per=_CHUNK)):
        (site if row.page_id is None else by_page[row.page_id]).append(finding(row))
    return site, by_page


def site_findings_of_run(session: Session, run_id: int) -> list[Finding]:
    """The run's site findings (no page), in insertion order."""
    query = select(FindingRow).where(FindingRow.run_id == run_id, FindingRow.page_id.is_(None))
    return [finding(row) for row in session.scalars(query.order_by(FindingRow.id))]


def pages_of_run(session: Session, run_id: int, by_page: dict[int, list[Finding]]) -> list[PageRecord]:
    """The run's pages in insertion order, each with its findings."""
    query = select(PageRow).where(PageRow.run_id == run_id).order_by(PageRow.id)
    rows = session.scalars(query.execution_options(yield_per=_CHUNK))
    return [page_record(row, by_page.get(row.id, ())) for row in rows]


def notifications_of_run(session: Session, run_id: int) -> list[NotificationRecord]:
    """The run's notifications, oldest first (by send time, then insertion order)."""
    query = (
        select(NotificationRow)
        .where(NotificationRow.run_id == run_id)
        .order_by(NotificationRow.sent_at, NotificationRow.id)
    )
    return [notification(row) for row in session.scalars(query)]


def footer_shots_of_run(session: Session, run_id: int) -> list[FooterShot]:
    """The run's footer pictures in insertion order (at most one per template and viewport)."""
    query = select(FooterShotRow).where(FooterShotRow.run_id == run_id).order_by(FooterShotRow.id)
    return [footer_shot(row) for row in session.scalars(query)]
