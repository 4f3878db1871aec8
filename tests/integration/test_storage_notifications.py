"""Notifications and footer fingerprints against real SQLite files: stored, loaded, deleted with their run."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from rules.model import LicenceFacts, Verdict
from rules.records import NotificationRecord, PageRecord
from storage import Database, StorageError

T0 = datetime(2025, 3, 1, 2, 0, tzinfo=UTC)
LICENCE = LicenceFacts(number="京B2-20201234", holder="示例", valid_until=date(2099, 1, 1))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "audit.db"


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    with Database.open(str(db_path)) as database:
        yield database


def start(db: Database) -> int:
    return db.start_run(
        site="example",
        trigger="manual",
        tool_version="0.1.0",
        licence=LICENCE,
        today=date(2025, 3, 1),
        started_at=T0,
    )


def page(n: int, fingerprint: str) -> PageRecord:
    return PageRecord(
        f"https://example.cn/p{n}",
        None,
        200,
        "text/html",
        0,
        Verdict.COMPLIANT,
        footer_fingerprint=fingerprint,
    )


def raw_count(path: Path, table: str) -> int:
    with closing(sqlite3.connect(path)) as raw:
        return int(raw.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_notifications_come_back_oldest_first_per_run(db: Database) -> None:
    run_id, other = start(db), start(db)
    beijing = timezone(timedelta(hours=8))
    db.record_notification(
        run_id, "webhook", False, "HTTP 500 from hooks.example.cn", T0 + timedelta(minutes=2)
    )
    db.record_notification(
        run_id, "email", True, "to 网管 <ops@example.cn>", datetime(2025, 3, 1, 10, 1, tzinfo=beijing)
    )
    db.record_notification(other, "email", True, "to ops@example.cn", T0)

    assert db.notifications(run_id) == [
        NotificationRecord("email", True, "to 网管 <ops@example.cn>", T0 + timedelta(minutes=1)),
        NotificationRecord("webhook", False, "HTTP 500 from hooks.example.cn", T0 + timedelta(minutes=2)),
    ]
    assert db.notifications(run_id)[0].sent_at.tzinfo is UTC
    assert db.notifications(other) == [NotificationRecord("email", True, "to ops@example.cn", T0)]
    assert db.notifications(999) == []


def test_notifications_sent_at_the_same_moment_keep_insertion_order(db: Database) -> None:
    run_id = start(db)
    for channel in ("webhook", "email", "log"):
        db.record_notification(run_id, channel, True, "", T0)

    assert [n.channel for n in db.notifications(run_id)] == ["webhook", "email", "log"]


def test_a_naive_sent_at_is_refused(db: Database) -> None:
    run_id = start(db)
    with pytest.raises(ValueError, match="sent_at must be a tz-aware"):
        db.record_notification(run_id, "email", True, "", datetime(2025, 3, 1))


def test_a_notification_of_an_unknown_run_is_a_storage_error(db: Database) -> None:
    with pytest.raises(StorageError, match="refers to a run that does not exist"):
        db.record_notification(42, "email", True, "", T0)


def test_deleting_runs_deletes_their_notifications_only(db: Database, db_path: Path) -> None:
    gone, kept = start(db), start(db)
    db.record_notification(gone, "email", True, "a", T0)
    db.record_notification(gone, "webhook", True, "b", T0)
    db.record_notification(kept, "email", True, "c", T0)

    assert db.delete_runs([gone]) == 1

    assert db.notifications(gone) == []
    assert [n.detail for n in db.notifications(kept)] == ["c"]
    assert raw_count(db_path, "notifications") == 1


def test_the_database_cascades_notifications_when_a_run_row_goes(db: Database, db_path: Path) -> None:
    # Another tool deleting a run by hand must not leave orphans behind (ON DELETE CASCADE).
    run_id = start(db)
    db.record_notification(run_id, "email", True, "", T0)
    with closing(sqlite3.connect(db_path)) as raw:
        raw.execute("PRAGMA foreign_keys=ON")
        raw.execute("DELETE FROM runs WHERE id = ?", (run_id,))
        raw.commit()

    assert raw_count(db_path, "notifications") == 0


def test_footer_fingerprints_round_trip_and_default_to_empty(db: Database, db_path: Path) -> None:
    run_id = start(db)
    pages = (
        page(0, "0123456789abcdef0123456789abcdef"),
        page(1, ""),
        page(2, "0123456789abcdef0123456789abcdef"),
    )
    db.add_pages(run_id, pages)
    with closing(sqlite3.connect(db_path)) as raw:  # a row written without the column gets ''
        raw.execute(
            "INSERT INTO pages (run_id, url, depth, verdict, footer_found, footer_text, is_homepage,"
            " numbers, redirects) VALUES (?, 'https://example.cn/raw', 0, 'compliant', 0, '', 0, '[]', '[]')",
            (run_id,),
        )
        raw.commit()

    loaded = db.load_run(run_id).pages

    assert loaded[:3] == pages
    assert loaded[3].footer_fingerprint == ""
