"""Report files are written atomically, also when the report comes in pieces (crawler.publish)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.publish import copy_file, write_text


def test_pieces_are_written_in_order(tmp_path: Path) -> None:
    path = tmp_path / "run-1.html"
    write_text(path, iter(["<p>", "陕B2-20210271", "</p>"]))
    assert path.read_text(encoding="utf-8") == "<p>陕B2-20210271</p>"
    assert path.stat().st_mode & 0o777 == 0o644


def test_a_failing_report_leaves_the_old_file_and_no_temporary_one(tmp_path: Path) -> None:
    path = tmp_path / "run-1.html"
    path.write_text("old report", encoding="utf-8")

    def pieces() -> Iterator[str]:
        yield "<p>half"
        raise RuntimeError("template bug")

    with pytest.raises(RuntimeError, match="template bug"):
        write_text(path, pieces())
    assert path.read_text(encoding="utf-8") == "old report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run-1.html"]


def test_latest_is_a_byte_copy(tmp_path: Path) -> None:
    run = tmp_path / "run-7.html"
    write_text(run, "报告 ✓\n")
    copy_file(run, tmp_path / "latest.html")
    assert (tmp_path / "latest.html").read_bytes() == run.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["latest.html", "run-7.html"]
