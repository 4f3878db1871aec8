"""`icp-audit prune` against a real SQLite file and report files in tmp_path."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from click.testing import CliRunner

from crawler.cli import cli
from rules.model import Finding, LicenceFacts, Severity, Verdict
from rules.records import PageRecord, RunStatus
from storage import Database

NOW = datetime.now(UTC)
LICENCE = LicenceFacts(number="京B2-20201234", holder="示例", valid_until=date(2099, 1, 1))
ERR = Finding("LIC-001", Severity.ERROR, "No licence number in the footer")


def page(n: int) -> PageRecord:
    return PageRecord(
        url=f"https://example.cn/p{n}",
        final_url=None,
        status=200,
        content_type="text/html",
        depth=0,
        verdict=Verdict.MISSING,
        findings=(ERR,),
    )


def make_run(db: Database, site: str, days_ago: int, status: RunStatus | None) -> int:
    started = NOW - timedelta(days=days_ago)
    run_id = db.start_run(
        site=site,
        trigger="manual",
        tool_version="0.1.0",
        licence=LICENCE,
        today=date(2026, 1, 1),
        started_at=started,
    )
    db.add_pages(run_id, [page(0), page(1)])
    db.add_site_findings(run_id, [ERR])
    if status is not None:
        db.finish_run(run_id, status=status, finished_at=started + timedelta(minutes=1))
    return run_id


def counts(path: Path) -> tuple[int, int, int]:
    with closing(sqlite3.connect(path)) as conn:
        return tuple(
            conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("runs", "pages", "findings")
        )  # type: ignore[return-value]


def test_prune_deletes_old_runs_rows_and_reports_but_never_the_latest_complete(tmp_path: Path) -> None:
    db_path, out = tmp_path / "audit.db", tmp_path / "reports"
    out.mkdir()
    with Database.open(str(db_path)) as db:
        ids = [
            make_run(db, "a", 60, RunStatus.COMPLETE),  # 1 old
            make_run(db, "a", 50, RunStatus.COMPLETE),  # 2 latest complete of a: kept although old
            make_run(db, "a", 40, RunStatus.FAILED),  # 3 old
            make_run(db, "b", 70, RunStatus.COMPLETE),  # 4 only complete of b: kept
            make_run(db, "b", 45, None),  # 5 still running: kept
            make_run(db, "a", 1, RunStatus.FAILED),  # 6 young
        ]
    for run_id in ids:
        (out / f"run-{run_id}.html").write_text("<html></html>", "utf-8")
    (out / "latest.html").write_text("<html></html>", "utf-8")

    result = CliRunner().invoke(cli, ["prune", "--older-than", "30", "--db", str(db_path), "--out", str(out)])

    assert result.exit_code == 0, result.output
    assert result.output == "pruned 2 runs (ids 1, 3), kept the latest complete run of each site\n"
    assert sorted(p.name for p in out.iterdir()) == [
        "latest.html",
        "run-2.html",
        "run-4.html",
        "run-5.html",
        "run-6.html",
    ]
    assert counts(db_path) == (4, 8, 12)
    with Database.open(str(db_path)) as db:
        assert [r.id for r in db.list_runs(limit=None)] == [6, 5, 4, 2]
        assert db.load_run(2).pages[1].findings == (ERR,)

    again = CliRunner().invoke(cli, ["prune", "--keep", "0", "--db", str(db_path), "--out", str(out)])
    assert again.output == "pruned 1 runs (ids 6), kept the latest complete run of each site\n"
    assert counts(db_path) == (3, 6, 9)


def test_prune_with_nothing_to_do_and_a_missing_report(tmp_path: Path) -> None:
    db_path = tmp_path / "audit.db"
    with Database.open(str(db_path)) as db:
        make_run(db, "a", 10, RunStatus.FAILED)
        make_run(db, "a", 5, RunStatus.COMPLETE)
    args = ["--db", str(db_path), "--out", str(tmp_path / "none")]
    result = CliRunner().invoke(cli, ["prune", "--keep", "5", *args])
    assert result.output == "pruned 0 runs, kept the latest complete run of each site\n"
    result = CliRunner().invoke(cli, ["prune", "--keep", "1", *args])  # run-1.html was never written
    assert result.output == "pruned 1 runs (ids 1), kept the latest complete run of each site\n"


def test_prune_needs_keep_or_older_than(tmp_path: Path) -> None:
    db_path = tmp_path / "audit.db"
    result = CliRunner().invoke(cli, ["prune", "--db", str(db_path)])
    assert result.exit_code == 3
    assert result.output.strip().splitlines() == [
        "icp-audit prune: pass --keep N or --older-than DAYS (or both)"
    ]
    assert not db_path.exists()  # refused before opening (and creating) the database


def test_prune_deletes_in_bounded_transactions_so_another_writer_waits_one_chunk(tmp_path: Path) -> None:
    # Issue 12: one transaction deleting a 1M-page run held the write lock for 4.2 s.
    from sqlalchemy import event

    db_path = tmp_path / "audit.db"
    with Database.open(str(db_path)) as db:
        old = make_run(db, "a", 60, RunStatus.COMPLETE)
        db.add_pages(old, [page(n) for n in range(2, 40)])  # 40 pages, 40 page findings, 1 site finding
        make_run(db, "a", 1, RunStatus.COMPLETE)
        deleted_in_transaction = [0]
        per_transaction: list[int] = []

        def count_rows(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
            if statement.lstrip().upper().startswith("DELETE"):
                deleted_in_transaction[0] += cursor.rowcount

        def close_transaction(conn) -> None:  # type: ignore[no-untyped-def]
            per_transaction.append(deleted_in_transaction[0])
            deleted_in_transaction[0] = 0

        event.listen(db._engine, "after_cursor_execute", count_rows)
        event.listen(db._engine, "commit", close_transaction)

        assert db.delete_runs([old], chunk=7) == 1

    deleting = [n for n in per_transaction if n]
    assert sum(deleting) == 40 + 41 + 1  # pages, findings, the run row
    assert max(deleting) <= 7
    assert len(deleting) >= (40 + 41) // 7
    assert counts(db_path) == (1, 2, 3)
