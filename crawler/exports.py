"""Write a stored run in one of the export formats, to a file or standard output; I/O."""

from __future__ import annotations

import sys
from collections.abc import Iterable
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
    return "".join(export_parts(record, fmt, diff=diff))


def export_parts(record: RunRecord, fmt: str, *, diff: RunDiff | None = None) -> Iterable[str]:
    """`render_export`'s text in pieces: the JSON one page at a time, never held whole (issue 12)."""
    # Here, not at the top: `FORMATS` is read by every start of the command line.
    from reports import diff_to_json, dumps_csv, dumps_junit, dumps_run_parts

    if fmt == "json":
        return dumps_run_parts(record, diff=diff_to_json(diff))
    if fmt == "csv":
        return [dumps_csv(record)]
    if fmt == "junit":
        return [dumps_junit(record)]
    raise OutputError(f"export format {fmt!r} is not supported (use one of {', '.join(FORMATS)})")


def write_export(record: RunRecord, fmt: str, output: str | None, *, diff: RunDiff | None = None) -> None:
    """Write the export to `output`, or to standard output when None."""
    parts = export_parts(record, fmt, diff=diff)
    if output is None:
        last = ""
        for last in parts:
            sys.stdout.write(last)
        if not last.endswith("\n"):
            sys.stdout.write("\n")
        return
    write_text(Path(output), parts)  # a symlink, a FIFO or /dev/null is written through, never replaced
