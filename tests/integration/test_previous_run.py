"""`Database.previous_complete_run` against a real SQLite file: same site, smaller id, complete only."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from rules.diff import diff_runs
from rules.model import Finding, LicenceFacts, Severity, Verdict
from rules.records import PageRecord, RunStatus
from storage import Database, StorageError

T0 = datetime(2025, 3, 1, 2, 0, tzinfo=UTC)
LICENCE = LicenceFacts(number="京B2-20201234", holder="北京示例科技有限公司", valid_until=date(2026, 5, 31))


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    with Database.open(str(tmp_path / "audit.db")) as database:
        yield database


def run(db: Database, site: str, status: RunStatus, pages: tuple[str, ...] = ()) -> int:
    run_id = db.start_run(
        site=site, trigger="manual", tool_version="0", licence=LICENCE, today=date(2025, 3, 1), started_at=T0
    )
    lic = (Finding("LIC-001", Severity.ERROR, "no licence number"),)
    records = [
        PageRecord(
            url=u,
            final_url=u,
            status=200,
            content_type="text/html",
            depth=0,
            verdict=Verdict.MISSING,
            findings=lic,
        )
        for u in pages
    ]
    db.add_pages(run_id, records)
    db.finish_run(run_id, status=status, finished_at=T0)
    return run_id


def test_the_latest_earlier_complete_run_of_the_same_site(db: Database) -> None:
    a1 = run(db, "a", RunStatus.COMPLETE, ("https://a.cn/x",))
    a2 = run(db, "a", RunStatus.COMPLETE, ("https://a.cn/x", "https://a.cn/y"))
    run(db, "b", RunStatus.COMPLETE)
    run(db, "a", RunStatus.FAILED)
    run(db, "a", RunStatus.INTERRUPTED)
    a6 = run(db, "a", RunStatus.COMPLETE, ("https://a.cn/y",))
    a7 = run(db, "a", RunStatus.COMPLETE)

    previous = db.previous_complete_run(a6)
    assert previous is not None
    assert previous.info.id == a2
    assert [p.url for p in previous.pages] == ["https://a.cn/x", "https://a.cn/y"]
    assert db.previous_complete_run(a1) is None
    assert db.previous_complete_run(a2) is not None
    previous7 = db.previous_complete_run(a7)
    assert previous7 is not None
    assert previous7.info.id == a6

    diff = diff_runs(db.load_run(a6), previous)
    assert diff.against_run == a2
    assert diff.pages_gone == ("https://a.cn/x",)
    assert [(f.rule, f.url) for f in diff.resolved] == [("LIC-001", "https://a.cn/x")]
    assert [(f.rule, f.url) for f in diff.open] == [("LIC-001", "https://a.cn/y")]


def test_the_first_run_of_a_site_has_none_even_after_other_sites(db: Database) -> None:
    run(db, "b", RunStatus.COMPLETE)
    first = run(db, "a", RunStatus.COMPLETE)
    assert db.previous_complete_run(first) is None


def test_an_unknown_run_raises(db: Database) -> None:
    with pytest.raises(StorageError, match="no run 9"):
        db.previous_complete_run(9)
