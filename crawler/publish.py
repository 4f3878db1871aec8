"""Write a run's report files (run-<id>.html, latest.html, index.html) and exports; I/O."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING

from crawler.errors import OutputError
from crawler.output_file import write_output

if TYPE_CHECKING:
    from rules.diff import RunDiff
    from rules.records import RunInfo, RunRecord

EVERY_RUN = 1_000_000  # list_runs limit for the index: every stored run


def ensure_writable(folder: Path) -> None:
    """Create the report folder and prove it is writable, before a long crawl is wasted."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".write-test-"):
            pass
    except OSError as exc:
        raise OutputError(
            f"report folder {folder}: cannot write there ({exc.strerror}); pass --out DIR"
        ) from exc


def write_text(path: Path, text: str | Iterable[str]) -> None:
    """Write atomically: a reader (or a crash) never sees half a report. `text` may come in pieces
    (a large report is never held whole); if producing them fails, no file is left behind."""

    def fill(handle: IO[str]) -> None:
        if isinstance(text, str):
            handle.write(text)
        else:
            handle.writelines(text)

    write_output(path, fill)


def copy_file(source: Path, path: Path) -> None:
    """Copy `source` to `path` atomically (latest.html is the run's report, byte for byte)."""

    def fill(handle: IO[bytes]) -> None:
        with source.open("rb") as original:
            shutil.copyfileobj(original, handle)

    write_output(path, fill, binary=True)


def write_reports(
    record: RunRecord,
    folder: Path,
    *,
    lang: str,
    generated_at: datetime,
    latest: bool = True,
    diff: RunDiff | None = None,
    runs: Sequence[RunInfo] = (),
) -> Path:
    """Render the run's HTML report as run-<id>.html (and latest.html when it is the newest run).

    index.html is rewritten too, listing `runs` (every stored run, from Database.list_runs).
    """
    # Jinja2 and the report views load here, after the crawl, not while an audit starts.
    from reports import render_run_parts

    ensure_writable(folder)
    path = folder / f"run-{record.info.id}.html"
    write_text(path, render_run_parts(record, lang=lang, generated_at=generated_at, diff=diff))
    if latest:
        copy_file(path, folder / "latest.html")
    write_index(folder, runs or [record.info], lang=lang, generated_at=generated_at)
    return path


def write_index(folder: Path, runs: Sequence[RunInfo], *, lang: str, generated_at: datetime) -> Path:
    """Render index.html over `runs`, linking the runs whose run-<id>.html is in `folder`."""
    from reports import render_index

    linked = {info.id for info in runs if (folder / f"run-{info.id}.html").is_file()}
    path = folder / "index.html"
    write_text(path, render_index(runs, lang=lang, generated_at=generated_at, linked=linked))
    return path
