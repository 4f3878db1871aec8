"""A user-named output path is written without damaging what it points at (crawler.output_file).

Regular files are replaced atomically (through a symlink: the link's target, the link stays a link);
FIFOs and devices are written through; a folder is refused. /dev/null is only ever reached through a
symlink in tmp_path, so code that replaced the path would replace the link, never /dev/null itself.
"""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from crawler.errors import OutputError
from crawler.publish import copy_file, write_text


class _FifoReader:
    """Reads a FIFO to its end in a thread, as `cat fifo` would."""

    def __init__(self, fifo: Path) -> None:
        self.data = b""
        self._thread = threading.Thread(target=self._read, args=(fifo,), daemon=True)
        self._thread.start()

    def _read(self, fifo: Path) -> None:
        with fifo.open("rb") as handle:
            self.data = handle.read()

    def result(self) -> bytes:
        self._thread.join(timeout=10)
        assert not self._thread.is_alive()
        return self.data


def test_a_symlink_to_a_regular_file_replaces_the_target_and_stays_a_link(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "run.json"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "run.json"
    link.symlink_to(target)
    write_text(link, "new 陕B2-20210271")
    assert link.is_symlink()
    assert os.readlink(link) == str(target)
    assert target.read_text(encoding="utf-8") == "new 陕B2-20210271"
    assert sorted(p.name for p in (tmp_path / "real").iterdir()) == ["run.json"]  # no temporary file
    assert sorted(p.name for p in tmp_path.iterdir()) == ["real", "run.json"]


def test_a_relative_symlink_chain_reaches_the_final_file(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "final.html").write_text("old", encoding="utf-8")
    (tmp_path / "a" / "middle.html").symlink_to("final.html")
    (tmp_path / "latest.html").symlink_to("a/middle.html")
    write_text(tmp_path / "latest.html", "new")
    assert (tmp_path / "latest.html").is_symlink()
    assert (tmp_path / "a" / "middle.html").is_symlink()
    assert (tmp_path / "a" / "final.html").read_text(encoding="utf-8") == "new"


def test_a_dangling_symlink_creates_its_target_and_stays_a_link(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    link = tmp_path / "out.csv"
    link.symlink_to(tmp_path / "real" / "out.csv")
    write_text(link, "a,b\n")
    assert link.is_symlink()
    assert (tmp_path / "real" / "out.csv").read_text(encoding="utf-8") == "a,b\n"


def test_a_dangling_symlink_into_a_missing_folder_is_one_clear_error(tmp_path: Path) -> None:
    link = tmp_path / "out.csv"
    link.symlink_to(tmp_path / "nowhere" / "out.csv")
    with pytest.raises(OutputError, match="nowhere"):
        write_text(link, "a,b\n")
    assert link.is_symlink()


def test_a_fifo_is_written_through_and_stays_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = _FifoReader(fifo)
    write_text(fifo, iter(["<p>", "报告", "</p>"]))
    assert reader.result().decode("utf-8") == "<p>报告</p>"
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


def test_a_symlink_to_a_fifo_is_written_through(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "latest.html"
    link.symlink_to(fifo)
    source = tmp_path / "run-1.html"
    source.write_bytes(b"\xe6\x8a\xa5\xe5\x91\x8a")
    reader = _FifoReader(fifo)
    copy_file(source, link)
    assert reader.result() == b"\xe6\x8a\xa5\xe5\x91\x8a"
    assert link.is_symlink()
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_a_symlink_to_a_character_device_is_written_through(tmp_path: Path) -> None:
    link = tmp_path / "null"
    link.symlink_to("/dev/null")
    write_text(link, "discarded")
    assert link.is_symlink()
    assert os.readlink(link) == "/dev/null"
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null"]


@pytest.mark.parametrize("through_link", [False, True])
def test_a_folder_is_refused_with_one_line(tmp_path: Path, through_link: bool) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "keep.html").write_text("kept", encoding="utf-8")
    path = folder
    if through_link:
        path = tmp_path / "link"
        path.symlink_to(folder)
    with pytest.raises(OutputError) as raised:
        write_text(path, "x")
    message = str(raised.value)
    assert "\n" not in message
    assert str(path) in message
    assert "folder" in message
    assert (folder / "keep.html").read_text(encoding="utf-8") == "kept"
    assert sorted(p.name for p in folder.iterdir()) == ["keep.html"]


@pytest.mark.parametrize("via", ["/dev/fd", "/proc/self/fd", "link-to-fd-folder"])
def test_a_descriptor_of_a_regular_file_is_written_through_not_replaced(tmp_path: Path, via: str) -> None:
    opened = tmp_path / "opened.txt"
    with opened.open("w", encoding="utf-8") as handle:  # as a shell's `> opened.txt` would
        inode = os.fstat(handle.fileno()).st_ino
        folder = via
        if via == "link-to-fd-folder":
            (tmp_path / "fds").symlink_to("/dev/fd")
            folder = str(tmp_path / "fds")
        write_text(Path(folder) / str(handle.fileno()), "陕B2-20210271")
    assert opened.stat().st_ino == inode
    assert opened.read_text(encoding="utf-8") == "陕B2-20210271"
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
