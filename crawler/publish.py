"""Write a run's report files (run-<id>.html, latest.html) and exports; I/O."""

from __future__ import annotations

import os
import tempfile
from datetime import datetime
from pathlib import Path

from crawler.errors import OutputError
from reports import render_run
from rules.diff import RunDiff
from rules.records import RunRecord


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


def write_text(path: Path, text: str) -> None:
    """Write atomically: a reader (or a crash) never sees half a report."""
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; reports are meant to be read, served and forwarded
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror}); check the folder and free space") from exc


def write_reports(
    record: RunRecord,
    folder: Path,
    *,
    lang: str,
    generated_at: datetime,
    latest: bool = True,
    diff: RunDiff | None = None,
) -> Path:
    """Render the run's HTML report as run-<id>.html (and latest.html when it is the newest run)."""
    ensure_writable(folder)
    html = render_run(record, lang=lang, generated_at=generated_at, diff=diff)
    path = folder / f"run-{record.info.id}.html"
    write_text(path, html)
    if latest:
        write_text(folder / "latest.html", html)
    return path
