"""Output paths on the command line: links, FIFOs and folders for -o/--json/--out, exit 7, bad --run ids."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.cli import cli
from crawler.cli_options import close_databases
from tests.conftest import LocalSite, audit_args


@pytest.fixture(scope="module")
def stored(company_site: LocalSite, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database holding one complete run of the company site (copied per test)."""
    where = tmp_path_factory.mktemp("stored")
    result = CliRunner().invoke(cli, audit_args(company_site.base, where))
    assert result.exit_code == 2, result.output
    close_databases()  # the .db file alone then holds the run (no write-ahead log beside it)
    return where / "a.db"


@pytest.fixture
def db(stored: Path, tmp_path: Path) -> str:
    shutil.copy(stored, tmp_path / "a.db")
    return str(tmp_path / "a.db")


def _one_line(output: str) -> str:
    assert "Traceback" not in output
    lines = output.strip().splitlines()
    assert len(lines) == 1, output
    return lines[0]


def test_export_through_a_symlink_replaces_its_target_and_keeps_the_link(db: str, tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir()
    target = tmp_path / "shared" / "run.json"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "run.json"
    link.symlink_to(target)
    result = CliRunner().invoke(cli, ["export", "--db", db, "-o", str(link)])
    assert result.exit_code == 0, result.output
    assert link.is_symlink()
    assert json.loads(target.read_text(encoding="utf-8"))["run"]["id"] == 1


def test_export_into_a_fifo_is_read_by_its_reader(db: str, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = CliRunner().invoke(cli, ["export", "--db", db, "--format", "junit", "-o", str(fifo)])
    reader.join(timeout=10)
    assert result.exit_code == 0, result.output
    assert got
    assert got[0].startswith(b"<?xml")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_export_to_a_link_to_standard_output_prints_the_export(db: str, tmp_path: Path) -> None:
    link = tmp_path / "stdout"
    link.symlink_to("/proc/self/fd/1")
    done = subprocess.run(
        [sys.executable, "-m", "crawler", "export", "--db", db, "--format", "csv", "-o", str(link)],
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("\ufeffurl,final_url".encode())
    assert link.is_symlink()


def test_export_to_a_folder_is_one_line_and_exit_7(db: str, tmp_path: Path) -> None:
    (tmp_path / "reports").mkdir()
    result = CliRunner().invoke(cli, ["export", "--db", db, "-o", str(tmp_path / "reports")])
    assert result.exit_code == 7, result.output
    assert "folder" in _one_line(result.output)
    fresh = tmp_path / "fresh.db"
    again = CliRunner().invoke(cli, ["export", "--db", str(fresh), "-o", str(tmp_path / "no" / "x.json")])
    assert again.exit_code == 7, again.output
    assert str(tmp_path / "no") in _one_line(again.output)
    assert not fresh.exists()  # refused before a database file is created


@pytest.mark.parametrize("where", ["j", "missing/run.json"], ids=["folder", "missing-folder"])
def test_audit_json_that_cannot_be_written_is_refused_before_the_crawl(
    company_site: LocalSite, tmp_path: Path, where: str
) -> None:
    (tmp_path / "j").mkdir()
    result = CliRunner().invoke(cli, audit_args(company_site.base, tmp_path, "--json", str(tmp_path / where)))
    assert result.exit_code == 7, result.output
    assert str(tmp_path / where) in _one_line(result.output)
    assert not (tmp_path / "a.db").exists()  # refused before the database, let alone the crawl


def test_report_files_that_are_symlinks_stay_links(db: str, tmp_path: Path) -> None:
    out, served = tmp_path / "out", tmp_path / "served"
    out.mkdir()
    served.mkdir()
    for name in ("latest.html", "index.html"):
        (served / name).write_text("old", encoding="utf-8")
        (out / name).symlink_to(served / name)
    result = CliRunner().invoke(cli, ["report", "--db", db, "--out", str(out)])
    assert result.exit_code == 0, result.output
    for name in ("latest.html", "index.html"):
        assert (out / name).is_symlink()
        assert "<html" in (served / name).read_text(encoding="utf-8")
    assert (served / "latest.html").read_bytes() == (out / "run-1.html").read_bytes()
    assert sorted(p.name for p in served.iterdir()) == ["index.html", "latest.html"]


def test_an_unwritable_report_after_a_complete_run_exits_7_and_can_be_regenerated(
    company_site: LocalSite, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    (out / "run-1.html").mkdir(parents=True)  # the folder is writable; the report file cannot be written
    json_path = tmp_path / "run.json"
    result = CliRunner().invoke(cli, audit_args(company_site.base, tmp_path, "--json", str(json_path)))
    assert result.exit_code == 7, result.output
    line = result.output.strip().splitlines()[-1]
    assert str(out) in line
    assert "icp-audit report --run 1" in line
    assert "Traceback" not in result.output
    with sqlite3.connect(tmp_path / "a.db") as conn:
        assert conn.execute("select status from runs").fetchone()[0] == "complete"
    assert (
        json.loads(json_path.read_text(encoding="utf-8"))["run"]["id"] == 1
    )  # the run is complete: JSON too
    (out / "run-1.html").rmdir()
    again = CliRunner().invoke(
        cli, ["report", "--run", "1", "--db", str(tmp_path / "a.db"), "--out", str(out)]
    )
    assert again.exit_code == 0, again.output
    assert (out / "run-1.html").is_file()
    assert (out / "latest.html").read_bytes() == (out / "run-1.html").read_bytes()


HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    "args",
    [
        ["export", "--run", HUGE],
        ["report", "--run", HUGE],
        ["diff", HUGE],
        ["diff", "1", HUGE],
        ["export", "--run", "²"],
        ["report", "--run", "9" * 5000],
    ],
    ids=["export", "report", "diff-one", "diff-two", "superscript", "thousands-of-digits"],
)
def test_a_run_id_too_large_for_the_database_is_one_line_and_exit_3(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 3, result.output
    assert args[-1][:20] in result.output
    assert "Traceback" not in result.output
    assert not list(tmp_path.iterdir())  # no database created for a usage error


def test_export_through_a_link_to_dev_null_leaves_dev_null_a_device(db: str, tmp_path: Path) -> None:
    link = tmp_path / "discard.json"
    link.symlink_to("/dev/null")  # a regression would replace this link, never /dev/null itself
    result = CliRunner().invoke(cli, ["export", "--db", db, "-o", str(link)])
    assert result.exit_code == 0, result.output
    assert link.is_symlink()
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_report_folder_that_is_a_link_to_a_device_is_refused(db: str, tmp_path: Path) -> None:
    link = tmp_path / "out"
    link.symlink_to("/dev/null")
    result = CliRunner().invoke(cli, ["report", "--db", db, "--out", str(link)])
    assert result.exit_code == 7, result.output
    assert "report folder" in _one_line(result.output)
    assert link.is_symlink()
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_export_to_standard_output_redirected_to_a_file_writes_that_file(db: str, tmp_path: Path) -> None:
    link = tmp_path / "stdout"
    link.symlink_to("/proc/self/fd/1")
    redirected = tmp_path / "shell.csv"
    with redirected.open("wb") as handle:  # as `icp-audit export -o out/stdout > shell.csv` would
        inode = os.fstat(handle.fileno()).st_ino
        done = subprocess.run(
            [sys.executable, "-m", "crawler", "export", "--db", db, "--format", "csv", "-o", str(link)],
            stdout=handle,
            stderr=subprocess.PIPE,
            timeout=60,
            check=False,
        )
    assert done.returncode == 0, done.stderr
    assert redirected.stat().st_ino == inode  # written through the descriptor, not replaced
    assert redirected.read_bytes().startswith("\ufeffurl,final_url".encode())
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary file
