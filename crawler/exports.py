"""Write a stored run in one of the export formats, to a file or standard output; I/O."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from crawler.errors import OutputError
from crawler.publish import write_text

if TYPE_CHECKING:
    from rules.diff import RunDiff
    from rules.records import RunRecord

FORMATS = ("json", "csv", "junit")


def render_export(record: RunRecord, fmt: str, *, diff: RunDiff | None = None) -> str:
    """The export's text in format `fmt`; the JSON carries `diff` (null for a site's first run)."""
    # Here, not at the top: `FORMATS` is read by every start of the command line.
    from reports import diff_to_json, dumps_csv, dumps_junit, dumps_run

    if fmt == "json":
        return dumps_run(record, diff=diff_to_json(diff))
    if fmt == "csv":
        return dumps_csv(record)
    if fmt == "junit":
        return dumps_junit(record)
    raise OutputError(f"export format {fmt!r} is not supported (use one of {', '.join(FORMATS)})")


def write_export(record: RunRecord, fmt: str, output: str | None, *, diff: RunDiff | None = None) -> None:
    """Write the export to `output`, or to standard output when None."""
    text = render_export(record, fmt, diff=diff)
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    write_text(Path(output), text)  # a symlink, a FIFO or /dev/null is written through, never replaced
