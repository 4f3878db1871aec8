"""A stored run's pages are read a chunk at a time, once per report, never all at once (issue 12: a
20,000-page run peaked at 890 MB while reporting). Structure only: memory is measured in benchmarks/."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import event

from reports import dumps_run, render_run
from rules.model import Finding, LicenceFacts, Severity, Verdict
from rules.records import PageRecord, RunStatus
from storage import Database
from storage.stream import CHUNK

NOW = datetime(2026, 1, 15, tzinfo=UTC)
LICENCE = LicenceFacts(number="陕B2-20210271", holder="示例", valid_until=date(2099, 1, 1))
PAGES = 2 * CHUNK + 200


def _page(n: int) -> PageRecord:
    finding = Finding("LIC-007", Severity.ERROR, "No licence number in the footer", f"footer {n}")
    return PageRecord(
        url=f"https://example.cn/p/{n}",
        final_url=None,
        status=200,
        content_type="text/html",
        depth=1,
        verdict=Verdict.MISSING if n % 2 else Verdict.COMPLIANT,
        footer_found=True,
        footer_text=f"footer {n}",
        findings=(finding,) if n % 2 else (),
    )


@contextmanager
def page_reads(db: Database) -> Iterator[list[str]]:
    """The SELECTs of whole page rows run while inside."""
    reads: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        if " ".join(statement.split()).upper().startswith("SELECT PAGES.ID, PAGES.RUN_ID, PAGES.URL"):
            reads.append(statement)

    event.listen(db._engine, "after_cursor_execute", count)
    try:
        yield reads
    finally:
        event.remove(db._engine, "after_cursor_execute", count)


def test_a_loaded_run_reads_its_pages_a_chunk_at_a_time_and_a_report_goes_through_them_once(
    tmp_path: Path,
) -> None:
    with Database.open(str(tmp_path / "a.db")) as db:
        run_id = db.start_run(
            site="s", trigger="manual", tool_version="0", licence=LICENCE, today=NOW.date(), started_at=NOW
        )
        db.add_pages(run_id, [_page(n) for n in range(PAGES)])
        db.finish_run(run_id, status=RunStatus.COMPLETE, finished_at=NOW)
        with page_reads(db) as reads:
            record = db.load_run(run_id)
        assert reads == []  # loading reads no page: only their count
        assert len(record.pages) == PAGES
        assert record.counts.pages == PAGES
        with page_reads(db) as reads:
            pages = list(record.pages)
        passes = len(reads)
        assert passes == PAGES // CHUNK + 1  # three chunks, the last one short
        assert pages == [_page(n) for n in range(PAGES)]

        with page_reads(db) as reads:
            html = render_run(record, lang="en", generated_at=NOW)
        assert len(reads) == passes  # the whole HTML report: one pass over the pages
        assert "https://example.cn/p/1" in html

        with page_reads(db) as reads:
            text = dumps_run(record)
        assert len(reads) <= 3 * passes  # the export: templates, skipped rows and the pages themselves
        assert text.count('"url": "https://example.cn/p/') == PAGES
