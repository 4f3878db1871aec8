"""Storage against real SQLite files in tmp_path: lossless round trips, run selection, counts, durability."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import closing
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from rules.model import Finding, LicenceFacts, NumberHit, Severity, Verdict, Where
from rules.numbers import NumberKind
from rules.records import Counts, PageRecord, RunInfo, RunStatus
from storage import Database, StorageError
from storage.errors import describe

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2025, 3, 1, 2, 0, 0, 123456, tzinfo=UTC)
TODAY = date(2025, 3, 1)
LICENCE = LicenceFacts(
    number="京B2-20201234",
    holder="北京示例科技有限公司",
    valid_until=date(2026, 5, 31),
    issued=date(2021, 5, 31),
    renewed_until=date(2031, 5, 31),
    domains=("example.cn", "www.example.cn"),
    excluded_services=("在线数据处理与交易处理业务",),
)
HIT = NumberHit(
    kind=NumberKind.LICENCE,
    value="京B2-20201234",
    key="京B2-20201234",
    where=Where.TEXT,
    in_footer=True,
    visible=False,
    href="https://dxzhgl.miit.gov.cn/",
    hidden_reason="display:none on div.footer",
    context="增值电信业务经营许可证：京B2-20201234",
)
FILING = NumberHit(
    NumberKind.ICP_FILING, "京ICP备12345678号-1", "京ICP备12345678号", Where.IMAGE, False, True
)
ERR = Finding(
    "LIC-001",
    Severity.ERROR,
    "No licence number in the footer",
    "© 2025 示例 <b>",
    (("case", "missing"), ("number", "京B2-20201234")),
)
WARN = Finding("LIC-004", Severity.WARNING, "Licence number is hidden", params=(("reasons", 'a "b"; [c]'),))
INFO = Finding("NET-002", Severity.INFO, "Redirected", "http → https")


def page(n: int, verdict: Verdict = Verdict.COMPLIANT, findings: tuple[Finding, ...] = ()) -> PageRecord:
    return PageRecord(
        url=f"https://example.cn/p{n}",
        final_url=f"https://example.cn/p{n}/",
        status=200,
        content_type="text/html; charset=utf-8",
        depth=n % 3,
        verdict=verdict,
        footer_found=True,
        footer_text="京ICP备12345678号-1 增值电信业务经营许可证：京B2-20201234",
        is_homepage=n == 0,
        numbers=(HIT, FILING),
        findings=findings,
        redirects=(f"http://example.cn/p{n}", f"https://example.cn/p{n}"),
        size=40_000 + n,
        elapsed_ms=12,
        footer_fingerprint=f"{n:032x}",
    )


FAILED_PAGE = PageRecord(
    url="https://example.cn/down",
    final_url=None,
    status=None,
    content_type=None,
    depth=1,
    verdict=Verdict.FETCH_ERROR,
    findings=(replace(ERR, rule="NET-001"),),
    error="timeout: no response in 10 s",
)
MIXED = (
    page(0),
    page(1, Verdict.HIDDEN, (WARN, ERR)),
    FAILED_PAGE,
    page(3, Verdict.MISSING, (ERR, INFO, WARN)),
    page(4, Verdict.SKIPPED),
)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "audit.db"


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    with Database.open(str(db_path)) as database:
        yield database


def start(db: Database, site: str = "example", at: datetime = T0) -> int:
    return db.start_run(
        site=site, trigger="manual", tool_version="0.1.0", licence=LICENCE, today=TODAY, started_at=at
    )


def test_round_trip_is_lossless(db: Database) -> None:
    run_id = start(db)
    db.add_pages(run_id, MIXED[:2])
    db.add_pages(run_id, MIXED[2:])
    db.add_site_findings(run_id, [INFO, WARN])
    db.finish_run(run_id, status=RunStatus.COMPLETE, finished_at=T0 + timedelta(minutes=5))

    record = db.load_run(run_id)

    assert record.pages == MIXED
    assert record.site_findings == (INFO, WARN)
    assert record.info == RunInfo(
        id=run_id,
        site="example",
        status=RunStatus.COMPLETE,
        trigger="manual",
        started_at=T0,
        finished_at=T0 + timedelta(minutes=5),
        tool_version="0.1.0",
        licence=LICENCE,
        today=TODAY,
        error=None,
        counts=Counts.of(MIXED, (INFO, WARN)),
    )


def test_finding_params_are_stored_as_json_pairs(db: Database, db_path: Path) -> None:
    run_id = start(db)
    db.add_site_findings(run_id, [ERR, INFO])

    assert db.load_run(run_id).site_findings == (ERR, INFO)
    with closing(sqlite3.connect(db_path)) as raw:
        stored = [row[0] for row in raw.execute("SELECT params FROM findings ORDER BY id")]
    assert stored == ['[["case","missing"],["number","京B2-20201234"]]', "[]"]


def test_a_batch_stores_every_column_and_links_each_finding_to_its_page(db: Database, db_path: Path) -> None:
    run_id = start(db)
    db.add_pages(run_id, MIXED[:3])  # no findings; two with params; a failed fetch's NULLs and one finding
    db.add_site_findings(run_id, [INFO])

    with closing(sqlite3.connect(db_path)) as raw:
        pages = raw.execute("SELECT * FROM pages ORDER BY id").fetchall()
        findings = raw.execute("SELECT * FROM findings ORDER BY id").fetchall()

    numbers = (
        '[{"kind":"licence","value":"京B2-20201234","key":"京B2-20201234","where":"text","in_footer":true,'
        '"visible":false,"href":"https://dxzhgl.miit.gov.cn/","hidden_reason":"display:none on div.footer",'
        '"context":"增值电信业务经营许可证：京B2-20201234","raw":"","centred":null,"badge":false},'
        '{"kind":"icp-filing","value":"京ICP备12345678号-1","key":"京ICP备12345678号","where":"image",'
        '"in_footer":false,"visible":true,"href":null,"hidden_reason":null,"context":"","raw":"",'
        '"centred":null,"badge":false}]'
    )
    footer = "京ICP备12345678号-1 增值电信业务经营许可证：京B2-20201234"
    p0, p1, p2 = (row[0] for row in pages)
    assert [row[1:] for row in pages] == [
        (run_id, "https://example.cn/p0", "https://example.cn/p0/", 200, "text/html; charset=utf-8", 0,
         "compliant", 1, footer, 1, numbers, None, '["http://example.cn/p0","https://example.cn/p0"]',
         40000, 12, "0" * 32),
        (run_id, "https://example.cn/p1", "https://example.cn/p1/", 200, "text/html; charset=utf-8", 1,
         "hidden", 1, footer, 0, numbers, None, '["http://example.cn/p1","https://example.cn/p1"]',
         40001, 12, "0" * 31 + "1"),
        (run_id, "https://example.cn/down", None, None, None, 1, "fetch-error", 0, "", 0, "[]",
         "timeout: no response in 10 s", "[]", None, None, ""),
    ]  # fmt: skip
    assert [row[1:] for row in findings] == [
        (run_id, p1, "LIC-004", "warning", "Licence number is hidden", "", '[["reasons","a \\"b\\"; [c]"]]'),
        (run_id, p1, "LIC-001", "error", "No licence number in the footer", "© 2025 示例 <b>",
         '[["case","missing"],["number","京B2-20201234"]]'),
        (run_id, p2, "NET-001", "error", "No licence number in the footer", "© 2025 示例 <b>",
         '[["case","missing"],["number","京B2-20201234"]]'),
        (run_id, None, "NET-002", "info", "Redirected", "http → https", "[]"),
    ]  # fmt: skip
    assert p0 < p1 < p2


def test_minimal_licence_and_failed_run_round_trip(db: Database) -> None:
    bare = LicenceFacts(number="沪B2-20190001", holder="X", valid_until=date(2024, 1, 1))
    run_id = db.start_run(
        site="s", trigger="schedule", tool_version="9", licence=bare, today=TODAY, started_at=T0
    )
    db.finish_run(run_id, status=RunStatus.FAILED, finished_at=T0, error="robots.txt unreachable")

    info = db.load_run(run_id).info

    assert (info.licence, info.status, info.error) == (bare, RunStatus.FAILED, "robots.txt unreachable")


def test_datetimes_come_back_tz_aware_utc(db: Database, db_path: Path) -> None:
    beijing = timezone(timedelta(hours=8))
    run_id = start(db, at=datetime(2025, 3, 1, 10, 0, tzinfo=beijing))

    info = db.load_run(run_id).info

    assert info.started_at == datetime(2025, 3, 1, 2, 0, tzinfo=UTC)
    assert info.started_at.tzinfo is UTC
    # Stored as the UTC wall time, so SQL comparisons and the sqlite3 shell agree with the API.
    with closing(sqlite3.connect(db_path)) as raw:
        assert raw.execute("SELECT started_at FROM runs").fetchone()[0].startswith("2025-03-01 02:00:00")


def test_naive_datetime_is_refused(db: Database) -> None:
    with pytest.raises(ValueError, match="tz-aware"):
        start(db, at=datetime(2025, 3, 1))


def test_latest_is_highest_id_optionally_of_a_site(db: Database) -> None:
    a1, b1, a2, b2 = start(db, "a"), start(db, "b"), start(db, "a"), start(db, "b")

    assert db.load_run().info.id == b2
    assert db.load_run("latest", site="a").info.id == a2
    assert db.load_run(str(b1)).info.id == b1
    assert db.load_run(a1, site="a").info.id == a1
    assert a1 < b1 < a2 < b2


def test_pages_keep_insertion_order_across_batches(db: Database) -> None:
    run_id = start(db)
    batches = [tuple(page(n) for n in range(start_n, start_n + 3)) for start_n in (10, 0, 5)]
    for batch in batches:
        db.add_pages(run_id, batch)

    urls = [p.url for p in db.load_run(run_id).pages]

    assert urls == [p.url for batch in batches for p in batch]


@pytest.mark.parametrize(
    ("run", "site", "message"),
    [
        ("latest", None, "no run yet in "),
        ("latest", "nobody", "no run of site nobody yet"),
        (99, None, "no run 99 in "),
        ("1", "other", "no run 1 of site other"),
        ("newest", None, "expected 'latest' or a run number"),
    ],
)
def test_absent_runs_raise_storage_error(
    db: Database, run: int | str, site: str | None, message: str
) -> None:
    if run != "latest":
        start(db)
    with pytest.raises(StorageError, match=message):
        db.load_run(run, site=site)


def test_list_runs_newest_first_with_sql_counts(db: Database) -> None:
    first = start(db, "a")
    db.add_pages(first, MIXED[:3])
    db.add_pages(first, MIXED[3:])
    db.add_site_findings(first, [ERR])
    empty = start(db, "a")
    other = start(db, "b")
    db.add_pages(other, [page(7, Verdict.WRONG_NUMBER, (ERR,))])

    runs = db.list_runs()

    assert [r.id for r in runs] == [other, empty, first]
    assert runs[2].counts == Counts.of(MIXED, (ERR,)) == Counts(5, 1, 2, 1, 4, 2, 1)
    assert runs[1].counts == Counts(0, 0, 0, 0, 0, 0, 0)
    assert runs[0].counts == Counts(1, 0, 1, 0, 1, 0, 0)
    assert runs[2].licence == LICENCE
    assert [r.id for r in db.list_runs(site="a")] == [empty, first]
    assert [r.id for r in db.list_runs(limit=1)] == [other]


def test_mark_interrupted_only_touches_running_runs_of_that_site(db: Database) -> None:
    stuck, done, again, elsewhere = start(db, "a"), start(db, "a"), start(db, "a"), start(db, "b")
    db.finish_run(done, status=RunStatus.COMPLETE, finished_at=T0)

    assert db.mark_interrupted("a") == 2
    assert db.mark_interrupted("a") == 0

    status = {r.id: r.status for r in db.list_runs()}
    assert status == {
        stuck: RunStatus.INTERRUPTED,
        done: RunStatus.COMPLETE,
        again: RunStatus.INTERRUPTED,
        elsewhere: RunStatus.RUNNING,
    }
    assert db.load_run(stuck).info.error == "the process stopped before the run finished"


def test_finish_unknown_run_raises(db: Database) -> None:
    with pytest.raises(StorageError, match="no run 42"):
        db.finish_run(42, status=RunStatus.COMPLETE, finished_at=T0)


def test_foreign_keys_are_enforced(db: Database) -> None:
    with pytest.raises(StorageError, match="refers to a run that does not exist"):
        db.add_pages(42, [page(0)])


def test_sqlite_runs_in_wal_mode(db: Database, db_path: Path) -> None:
    start(db)
    with closing(sqlite3.connect(db_path)) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_batch_of_200_pages_is_one_commit(db: Database) -> None:
    run_id = start(db)
    commits: list[object] = []
    event.listen(db._engine, "commit", commits.append)

    db.add_pages(run_id, [page(n, Verdict.MISSING, (ERR, WARN)) for n in range(200)])

    assert len(commits) == 1
    assert db.list_runs()[0].counts == Counts(200, 0, 200, 0, 200, 200, 0)


def test_empty_batches_write_nothing(db: Database) -> None:
    run_id = start(db)
    db.add_pages(run_id, [])
    db.add_site_findings(run_id, [])
    assert db.load_run(run_id).pages == ()


def test_a_missing_folder_is_a_one_line_storage_error(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="does not exist") as caught:
        Database.open(str(tmp_path / "nowhere" / "audit.db"))
    assert "nowhere" in str(caught.value)
    assert "\n" not in str(caught.value)
    assert not (tmp_path / "nowhere").exists()


def test_a_file_that_is_not_a_database_is_a_storage_error(tmp_path: Path) -> None:
    path = tmp_path / "garbage.db"
    path.write_bytes(b"\x00\xffnot sqlite at all\x13" * 300)

    with pytest.raises(StorageError, match="not a database file") as caught:
        Database.open(str(path))

    assert str(path) in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_directory_is_unable_to_open(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match=r"unable to open \(check the folder exists and is writable"):
        Database.open(str(tmp_path))


def test_a_sqlalchemy_url_is_accepted(db_path: Path) -> None:
    with Database.open(f"sqlite:///{db_path}") as db:
        run_id = start(db)
    with Database.open(str(db_path)) as again:
        assert again.load_run().info.id == run_id


def test_a_second_database_sees_committed_batches_while_running(db: Database, db_path: Path) -> None:
    run_id = start(db)
    db.add_pages(run_id, MIXED[:2])

    with Database.open(str(db_path)) as reader:
        seen = reader.load_run()
        db.add_pages(run_id, MIXED[2:])
        seen_later = reader.load_run(run_id)

    assert (seen.info.status, seen.pages) == (RunStatus.RUNNING, MIXED[:2])
    assert seen_later.pages == MIXED


def test_a_killed_process_keeps_its_committed_batches(db_path: Path) -> None:
    # The writer dies without closing anything, as a killed crawl would.
    script = textwrap.dedent(
        f"""
        import os, sys
        sys.path.insert(0, {str(ROOT)!r})
        from tests.integration.test_storage import MIXED, start
        from storage import Database
        db = Database.open({str(db_path)!r})
        run_id = start(db)
        db.add_pages(run_id, MIXED[:3])
        os._exit(9)
        """
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, timeout=60)
    assert done.returncode == 9, done.stderr.decode()

    with Database.open(str(db_path)) as db:
        assert db.load_run().pages == MIXED[:3]
        assert db.mark_interrupted("example") == 1
        assert db.load_run().info.status is RunStatus.INTERRUPTED


@pytest.mark.parametrize(
    ("driver_message", "expected"),
    [
        ("database or disk is full", "database /d/a.db: disk full (free some space"),
        ("attempt to write a readonly database", "database /d/a.db: read-only (check the file's permissions"),
        ("database is locked", "database /d/a.db: locked by another process"),
        ("something new\nwith detail", "database /d/a.db: something new (check the database, or pass --db)"),
    ],
)
def test_driver_errors_become_one_line_messages(driver_message: str, expected: str) -> None:
    exc = OperationalError("INSERT", {}, sqlite3.OperationalError(driver_message))
    assert describe("/d/a.db", exc).startswith(expected)
