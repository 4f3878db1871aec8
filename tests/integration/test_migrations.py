"""Alembic migrations against real SQLite files: first-schema, pre-Alembic, newer and concurrently opened databases."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from click.testing import CliRunner
from sqlalchemy import Connection, create_engine
from sqlalchemy.exc import OperationalError

from crawler.cli import cli
from rules.model import Finding, LicenceFacts, NumberHit, Severity, Verdict, Where
from rules.numbers import NumberKind
from rules.records import FooterShot, NotificationRecord, PageRecord, RunStatus
from storage import Database, StorageError, alembic_run
from storage.models import Base
from storage.upgrade import HEAD
from tests.line_process import LineProcess

ROOT = Path(__file__).resolve().parents[2]
FIRST_SCHEMA = ROOT / "tests" / "schemas" / "0001-first-schema.sql"
T0 = datetime(2025, 3, 1, 2, 0, 0, 123456, tzinfo=UTC)

# Rows as the first icp-audit (commit ea08ece) wrote them: its datetime format, JSON without the
# NumberHit fields added since (raw, centred, badge), booleans as 0/1, no findings.params.
_OLD_ROWS = """
INSERT INTO runs VALUES (1, '示例官网', 'complete', 'manual', '0.1.0', '2025-03-01 02:00:00.123456',
  '2025-03-01 02:05:00.000000', '2025-03-01', NULL, '京B2-20201234', '北京示例科技有限公司', '2026-05-31',
  NULL, NULL, '["example.cn"]', '[]');
INSERT INTO runs VALUES (2, '示例官网', 'running', 'schedule', '0.1.0', '2025-03-02 02:00:00.000000',
  NULL, '2025-03-02', NULL, '京B2-20201234', '北京示例科技有限公司', '2026-05-31', '2021-05-31',
  '2031-05-31', '["example.cn","www.example.cn"]', '["在线数据处理与交易处理业务"]');
INSERT INTO runs VALUES (3, 'other', 'failed', 'manual', '0.1.0', '2025-03-03 02:00:00.000000',
  '2025-03-03 02:00:01.000000', '2025-03-03', 'robots.txt unreachable', '沪B2-20190001', 'X', '2024-01-01',
  NULL, NULL, '[]', '[]');
INSERT INTO pages VALUES (1, 1, 'https://example.cn/', 'https://example.cn/', 200, 'text/html', 0,
  'compliant', 1, '京ICP备12345678号-1 京B2-20201234', 1,
  '[{"kind":"licence","value":"京B2-20201234","key":"京B2-20201234","where":"text","in_footer":true,"visible":true,"href":null,"hidden_reason":null,"context":"许可证：京B2-20201234"}]',
  NULL, '[]', 40000, 12);
INSERT INTO pages VALUES (2, 1, 'https://example.cn/about', NULL, 200, 'text/html', 1, 'missing', 0, '',
  0, '[]', NULL, '["http://example.cn/about"]', 3000, 8);
INSERT INTO pages VALUES (3, 2, 'https://example.cn/down', NULL, NULL, NULL, 1, 'fetch-error', 0, '', 0,
  '[]', 'timeout: no response in 10 s', '[]', NULL, NULL);
INSERT INTO findings VALUES (1, 1, 2, 'LIC-001', 'error', 'No licence number in the footer', '© 2025 示例');
INSERT INTO findings VALUES (2, 1, NULL, 'NET-002', 'info', 'Redirected', 'http → https');
INSERT INTO findings VALUES (3, 2, 3, 'NET-001', 'error', 'Fetch failed', '');
UPDATE sqlite_sequence SET seq = 5 WHERE name = 'runs';  -- runs 4 and 5 were deleted
"""
LICENCE = LicenceFacts(number="京B2-20201234", holder="北京示例科技有限公司", valid_until=date(2026, 5, 31))
OLD_HOME = PageRecord(
    url="https://example.cn/",
    final_url="https://example.cn/",
    status=200,
    content_type="text/html",
    depth=0,
    verdict=Verdict.COMPLIANT,
    footer_found=True,
    footer_text="京ICP备12345678号-1 京B2-20201234",
    is_homepage=True,
    numbers=(
        NumberHit(
            NumberKind.LICENCE,
            "京B2-20201234",
            "京B2-20201234",
            Where.TEXT,
            True,
            True,
            context="许可证：京B2-20201234",
        ),
    ),
    size=40000,
    elapsed_ms=12,
)
OLD_ABOUT = PageRecord(
    url="https://example.cn/about",
    final_url=None,
    status=200,
    content_type="text/html",
    depth=1,
    verdict=Verdict.MISSING,
    findings=(Finding("LIC-001", Severity.ERROR, "No licence number in the footer", "© 2025 示例"),),
    redirects=("http://example.cn/about",),
    size=3000,
    elapsed_ms=8,
)


def first_schema_db(path: Path, *, with_rows: bool = True) -> Path:
    """A database as the first icp-audit left it: its DDL, no alembic_version, rows by raw SQL."""
    with closing(sqlite3.connect(path)) as raw:
        raw.execute("PRAGMA journal_mode=WAL")  # as the first release set it on every connection
        raw.executescript(FIRST_SCHEMA.read_text("utf-8") + (_OLD_ROWS if with_rows else ""))
        raw.commit()
    return path


def with_params_db(path: Path) -> Path:
    """A database as icp-audit 0.1.0 left it: the first schema plus findings.params (storage/migrate.py)."""
    first_schema_db(path)
    with closing(sqlite3.connect(path)) as raw:
        raw.execute("ALTER TABLE findings ADD COLUMN params TEXT NOT NULL DEFAULT '[]'")
        raw.execute(
            "INSERT INTO findings VALUES (4, 1, 1, 'LIC-004', 'warning', 'hidden', '', '[[\"reasons\",\"a\"]]')"
        )
        raw.commit()
    return path


def query(path: Path, sql: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(path)) as raw:
        return raw.execute(sql).fetchall()


def revision(path: Path) -> list[str]:
    return [str(row[0]) for row in query(path, "SELECT version_num FROM alembic_version")]


def schema(path: Path) -> dict[str, object]:
    """Each table's columns, indexes and foreign keys as SQLite reports them (not the DDL's spelling)."""
    with closing(sqlite3.connect(path)) as raw:
        tables = [
            r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        ]
        return {
            table: (
                raw.execute(f"PRAGMA table_info({table})").fetchall(),
                # Without the seq column: create_all makes a table's indexes in no fixed order.
                sorted(row[1:] for row in raw.execute(f"PRAGMA index_list({table})")),
                raw.execute(f"PRAGMA foreign_key_list({table})").fetchall(),
            )
            for table in tables
        }


def test_a_first_schema_database_is_upgraded_with_its_runs_intact(tmp_path: Path) -> None:
    path = first_schema_db(tmp_path / "old.db")
    before = {t: query(path, f"SELECT * FROM {t} ORDER BY id") for t in ("runs", "pages", "findings")}

    with Database.open(str(path)) as db:
        runs = db.list_runs()
        first, second, failed = db.load_run(1), db.load_run(2), db.load_run(3)
        new_run = db.start_run(
            site="示例官网",
            trigger="manual",
            tool_version="0.2",
            licence=LICENCE,
            today=T0.date(),
            started_at=T0,
        )
        db.record_notification(new_run, "email", True, "to ops", T0)
        notes = db.notifications(new_run)

    assert revision(path) == [HEAD]
    assert query(path, "PRAGMA integrity_check") == [("ok",)]
    assert query(path, "PRAGMA foreign_key_check") == []
    # Every old row is still there, unchanged but for the added columns at the end.
    after = {
        t: query(path, f"SELECT * FROM {t} WHERE id <= 3 ORDER BY id") for t in ("runs", "pages", "findings")
    }
    assert {t: [row[: len(before[t][0])] for row in rows] for t, rows in after.items()} == before
    assert [(r.id, r.status, r.site) for r in runs] == [
        (3, RunStatus.FAILED, "other"),
        (2, RunStatus.RUNNING, "示例官网"),
        (1, RunStatus.COMPLETE, "示例官网"),
    ]
    assert first.pages == (OLD_HOME, OLD_ABOUT)
    assert first.site_findings == (Finding("NET-002", Severity.INFO, "Redirected", "http → https"),)
    assert (first.info.started_at, first.info.licence.domains) == (T0, ("example.cn",))
    assert second.info.licence.excluded_services == ("在线数据处理与交易处理业务",)
    assert second.pages[0].error == "timeout: no response in 10 s"
    assert failed.info.error == "robots.txt unreachable"
    assert new_run == 6  # the old sqlite_sequence survives: run ids (report names) are never reused
    assert notes == [NotificationRecord("email", True, "to ops", T0)]


def test_every_command_upgrades_an_old_database(tmp_path: Path) -> None:
    path = first_schema_db(tmp_path / "old.db")

    result = CliRunner().invoke(cli, ["runs", "--db", str(path)])

    assert result.exit_code == 0, result.output
    assert [line.split()[0] for line in result.output.splitlines()] == ["3", "2", "1"]
    assert "2 pages, 1 compliant, 1 errors" in result.output.splitlines()[2]
    assert revision(path) == [HEAD]


def test_a_database_from_before_alembic_with_params_is_stamped_0002_and_upgraded(tmp_path: Path) -> None:
    path = with_params_db(tmp_path / "params.db")

    with Database.open(str(path)) as db:
        home = db.load_run(1).pages[0]

    assert revision(path) == [HEAD]
    assert home.findings == (Finding("LIC-004", Severity.WARNING, "hidden", params=(("reasons", "a"),)),)
    assert home.footer_fingerprint == ""
    assert query(path, "PRAGMA integrity_check") == [("ok",)]


def test_an_upgraded_database_has_exactly_the_schema_of_a_new_one(tmp_path: Path) -> None:
    old, params, new = (
        first_schema_db(tmp_path / "old.db"),
        with_params_db(tmp_path / "p.db"),
        tmp_path / "new.db",
    )
    for path in (old, params, new):
        Database.open(str(path)).close()

    assert schema(old) == schema(new) == schema(params)
    engine = create_engine(f"sqlite:///{old}")
    try:
        with engine.connect() as connection:
            # Server defaults are compared by the PRAGMA schema above: Alembic misreads SQLite's ''.
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    finally:
        engine.dispose()
    assert differences == []


def alembic_upgrade(path: Path, to: str) -> None:
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            command.upgrade(alembic_run.config(connection), to)
            connection.commit()
    finally:
        engine.dispose()


def test_revision_0001_is_the_first_schema_as_committed(tmp_path: Path) -> None:
    by_alembic = tmp_path / "alembic.db"
    by_first_release = first_schema_db(tmp_path / "sql.db", with_rows=False)
    alembic_upgrade(by_alembic, "0001")

    assert revision(by_alembic) == ["0001"]
    assert {t: s for t, s in schema(by_alembic).items() if t != "alembic_version"} == schema(by_first_release)


def test_a_database_versioned_at_an_older_revision_is_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "v2.db"
    alembic_upgrade(path, "0001")
    with closing(sqlite3.connect(path)) as raw:
        raw.executescript(_OLD_ROWS)
    alembic_upgrade(path, "0002")

    with Database.open(str(path)) as db:
        pages = db.load_run(1).pages

    assert revision(path) == [HEAD]
    assert pages == (OLD_HOME, OLD_ABOUT)


def test_a_0003_database_is_upgraded_to_store_footer_pictures_with_its_runs_intact(tmp_path: Path) -> None:
    path = tmp_path / "v3.db"
    alembic_upgrade(path, "0001")
    with closing(sqlite3.connect(path)) as raw:
        raw.executescript(_OLD_ROWS)
    alembic_upgrade(path, "0003")
    with closing(sqlite3.connect(path)) as raw:
        raw.execute("UPDATE pages SET footer_fingerprint = 'f1-00aa' WHERE id = 1")
        raw.commit()
    tables = ("runs", "pages", "findings", "notifications")
    before = {t: query(path, f"SELECT * FROM {t} ORDER BY id") for t in tables}
    shot = FooterShot("f1-00aa", "image/png", b"\x89PNG\r\n\x1a\n\x00\xff", 1366, 120)

    with Database.open(str(path)) as db:
        after = {t: query(path, f"SELECT * FROM {t} ORDER BY id") for t in tables}
        old = db.load_run(1)
        old_home = old.pages[0]  # read now: a loaded run's pages are read from the database when used
        db.add_footer_shots(1, [shot])
        pictured = db.load_run(1)
        deleted = db.delete_runs([1])

    assert revision(path) == [HEAD]
    # 0004 only adds a table, 0005 a column of counts ("{}": none counted): every row is as it was.
    assert after == {**before, "runs": [(*row, "{}") for row in before["runs"]]}
    assert old_home == replace(OLD_HOME, footer_fingerprint="f1-00aa")
    assert old.footer_shots == ()  # a run stored before pictures has none
    assert pictured.footer_shots == (shot,)  # the bytes come back exactly, with their size and type
    assert deleted == 1
    assert query(path, "SELECT count(*) FROM footer_shots") == [(0,)]  # deleting a run deletes its pictures
    assert query(path, "PRAGMA integrity_check") == [("ok",)]
    assert query(path, "PRAGMA foreign_key_check") == []


def test_a_0004_database_gets_skipped_counts_and_an_index_that_pruning_needs(tmp_path: Path) -> None:
    path = tmp_path / "v4.db"
    alembic_upgrade(path, "0001")
    with closing(sqlite3.connect(path)) as raw:
        raw.executescript(_OLD_ROWS)
    alembic_upgrade(path, "0004")

    with Database.open(str(path)) as db:
        old = db.load_run(1)
        db.finish_run(
            3, status=RunStatus.FAILED, finished_at=T0, skipped={"max_pages": 7}, skipped_exact=False
        )
        counted = db.load_run(3)

    assert revision(path) == [HEAD]
    assert old.pages == (OLD_HOME, OLD_ABOUT)
    assert (old.info.skipped, old.info.skipped_exact) == ((), True)  # stored before: nothing counted
    assert (counted.info.skipped, counted.info.skipped_exact) == ((("max_pages", 7),), False)
    indexes = query(path, "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'findings'")
    assert ("ix_findings_page_id",) in indexes


def test_head_is_the_newest_revision_shipped() -> None:
    assert alembic_run.script().get_heads() == [HEAD]
    assert alembic_run.revisions() == {"0001", "0002", "0003", "0004", "0005"}


def test_opening_a_database_at_head_does_not_import_alembic(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    Database.open(str(path)).close()
    script = f"import sys; from storage import Database; Database.open({str(path)!r}).close(); print('alembic' in sys.modules)"

    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60
    )

    assert (done.returncode, done.stdout, done.stderr) == (0, "False\n", "")


def test_a_new_database_is_created_at_head(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    Database.open(str(path)).close()

    assert revision(path) == [HEAD]
    assert {r[0] for r in query(path, "SELECT name FROM sqlite_master WHERE type = 'table'")} >= {
        "runs",
        "pages",
        "findings",
        "notifications",
        "alembic_version",
    }
    assert query(path, "PRAGMA journal_mode") == [("wal",)]


def newer_db(path: Path) -> Path:
    Database.open(str(path)).close()
    with closing(sqlite3.connect(path)) as raw:
        raw.execute("UPDATE alembic_version SET version_num = '0099'")
        raw.commit()
    return path


def test_a_database_from_a_newer_icp_audit_is_refused_in_one_line(tmp_path: Path) -> None:
    path = newer_db(tmp_path / "newer.db")

    with pytest.raises(StorageError) as caught:
        Database.open(str(path))

    message = str(caught.value)
    assert message.startswith(f"database {path}: made by a newer icp-audit (schema revision 0099 is unknown")
    assert "upgrade icp-audit" in message
    assert "\n" not in message
    assert revision(path) == ["0099"]  # left as it was


def test_the_cli_refuses_a_newer_database_without_a_traceback(tmp_path: Path) -> None:
    path = newer_db(tmp_path / "newer.db")

    done = subprocess.run(
        [sys.executable, "-m", "crawler", "runs", "--db", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert done.returncode == 3, done.stderr
    assert done.stderr.startswith(f"icp-audit: database {path}: made by a newer icp-audit")
    assert done.stderr.count("\n") == 1
    assert "Traceback" not in done.stderr


def test_a_database_at_head_opens_while_another_process_writes(tmp_path: Path) -> None:
    # A report or `icp-audit runs` during a crawl must not queue behind the crawl's write lock.
    path = tmp_path / "a.db"
    Database.open(str(path)).close()
    with closing(sqlite3.connect(path, isolation_level=None)) as writer:
        writer.execute("BEGIN IMMEDIATE")
        began = time.monotonic()
        with Database.open(str(path)) as db:
            assert db.list_runs() == []
        writer.execute("ROLLBACK")
    assert time.monotonic() - began < 3  # queueing would wait out busy_timeout (5 s), then fail


def test_an_upgrade_waits_for_a_writer_then_succeeds(tmp_path: Path) -> None:
    path = first_schema_db(tmp_path / "old.db")
    with closing(sqlite3.connect(path, isolation_level=None, check_same_thread=False)) as writer:
        writer.execute("BEGIN IMMEDIATE")
        release = threading.Timer(0.5, writer.execute, ("COMMIT",))
        release.start()
        began = time.monotonic()
        try:
            with Database.open(str(path)) as db:
                assert len(db.list_runs()) == 3
        finally:
            release.join()
    assert time.monotonic() - began >= 0.4
    assert revision(path) == [HEAD]


# A fork server: it imports storage (and Alembic) once, then "open DB GO" forks a process that
# waits for the file GO to exist ("-": no wait), opens DB and exits 0 (1 with a traceback on
# stderr), answering with its pid; "reap PID" answers with how that process ended. Cold starts
# would put seconds of importing between the processes that should race.
_FORK_SERVER = textwrap.dedent(
    """
    import os, sys, time, traceback
    sys.path.insert(0, {root!r})
    from storage import Database, alembic_run
    print("ready", flush=True)
    for line in sys.stdin:
        command, *words = line.split("\\t")
        if command == "reap":
            _, status = os.waitpid(int(words[0]), 0)
            print(os.waitstatus_to_exitcode(status), flush=True)
            continue
        db, go = words[0], words[1].strip()
        pid = os.fork()
        if pid:
            print(pid, flush=True)
            continue
        code = 1
        try:
            while go != "-" and not os.path.exists(go):
                time.sleep(0.001)
            Database.open(db).close()
            code = 0
        except BaseException:
            traceback.print_exc()
        finally:
            sys.stderr.flush()
            os._exit(code)
    """
)


class _Openers(LineProcess):
    """Talks to `_FORK_SERVER`."""

    def __init__(self) -> None:
        super().__init__(_FORK_SERVER.format(root=str(ROOT)), stderr=subprocess.PIPE)

    def open(self, db: Path, go: Path | None = None) -> int:
        """Fork a process opening `db` (once `go` exists); its pid."""
        return int(self.ask(f"open\t{db}\t{go or '-'}"))

    def reap(self, pid: int) -> int:
        """Wait for the process `pid`; its exit code (-9 when killed)."""
        return int(self.ask(f"reap\t{pid}"))

    def close(self) -> str:
        """Stop the server; what its processes wrote to stderr."""
        _, errors = self.proc.communicate(timeout=30)  # end of input ends the server
        return errors


@pytest.fixture
def openers() -> Iterator[_Openers]:
    server = _Openers()
    yield server
    if server.proc.returncode is None:  # not closed by the test: an assertion failed first
        server.proc.kill()
        server.proc.communicate()


@pytest.mark.parametrize("kind", ["new", "first-schema"])
def test_processes_opening_the_same_database_at_once_all_succeed(
    kind: str, tmp_path: Path, openers: _Openers
) -> None:
    path, go = tmp_path / "a.db", tmp_path / "go"
    if kind == "first-schema":
        first_schema_db(path)
    pids = [openers.open(path, go) for _ in range(6)]  # each waits for the go file
    go.touch()

    codes = [openers.reap(pid) for pid in pids]

    assert (codes, openers.close()) == ([0] * 6, "")
    assert revision(path) == [HEAD]
    assert query(path, "PRAGMA integrity_check") == [("ok",)]
    assert query(path, "SELECT count(*) FROM runs") == [(0 if kind == "new" else 3,)]


def test_threads_opening_a_new_database_at_once_all_succeed(tmp_path: Path) -> None:
    path, errors = tmp_path / "a.db", []
    barrier = threading.Barrier(8)

    def open_once() -> None:
        barrier.wait()
        try:
            Database.open(str(path)).close()
        except Exception as exc:  # collected and asserted below: a thread's exception is otherwise lost
            errors.append(exc)

    threads = [threading.Thread(target=open_once) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert revision(path) == [HEAD]


def test_an_upgrade_that_fails_half_way_leaves_the_database_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = first_schema_db(tmp_path / "old.db")
    before = schema(path)
    real_upgrade = alembic_run.upgrade

    def upgrade_then_fail(connection: Connection) -> None:
        real_upgrade(connection)  # every migration ran, in the open transaction
        raise OperationalError("ALTER TABLE", {}, sqlite3.OperationalError("disk I/O error"))

    monkeypatch.setattr(alembic_run, "upgrade", upgrade_then_fail)
    with pytest.raises(StorageError, match="disk I/O error"):
        Database.open(str(path))

    assert schema(path) == before  # no alembic_version, no new table or column
    assert query(path, "SELECT count(*) FROM pages") == [(3,)]
    monkeypatch.undo()
    with Database.open(str(path)) as db:
        assert len(db.load_run(1).pages) == 2
    assert revision(path) == [HEAD]


def test_killing_an_upgrade_at_random_moments_never_loses_data(tmp_path: Path, openers: _Openers) -> None:
    # An upgrade takes some 30 ms: each kill comes a little later than the one before, at a random
    # moment of its own 5 ms step, until an opener finishes before its kill.
    path, rng = first_schema_db(tmp_path / "old.db"), random.Random(5)
    for step in range(60):
        pid = openers.open(path)
        time.sleep(0.005 * (step + rng.random()))
        os.kill(pid, signal.SIGKILL)
        code = openers.reap(pid)

        assert code in (0, -signal.SIGKILL)
        assert query(path, "PRAGMA integrity_check") == [("ok",)]
        assert query(path, "SELECT count(*) FROM runs") == [(3,)]
        assert query(path, "SELECT count(*) FROM pages") == [(3,)]
        assert query(path, "SELECT count(*) FROM findings") == [(3,)]
        versioned = "alembic_version" in {r[0] for r in query(path, "SELECT name FROM sqlite_master")}
        assert (revision(path) if versioned else []) in ([], [HEAD])  # all or nothing
        if code == 0:
            break
    assert openers.close() == ""
    assert revision(path) == [HEAD]
    assert step >= 1, "the first kill already came after the upgrade"


def test_a_new_database_is_stamped_as_alembic_stamps_it_without_importing_alembic(tmp_path: Path) -> None:
    ours, theirs = tmp_path / "ours.db", tmp_path / "theirs.db"
    script = f"import sys; from storage import Database; Database.open({str(ours)!r}).close(); print('alembic' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    engine = create_engine(f"sqlite:///{theirs}")
    try:
        with engine.connect() as connection:
            Base.metadata.create_all(connection)
            alembic_run.stamp(connection, HEAD)
            connection.commit()
    finally:
        engine.dispose()
    every_object = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"

    assert (done.returncode, done.stdout, done.stderr) == (0, "False\n", "")
    assert query(ours, every_object) == query(theirs, every_object)
    assert schema(ours) == schema(theirs)
    assert revision(ours) == revision(theirs) == [HEAD]
