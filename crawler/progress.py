"""Feedback while crawling: a progress bar in a terminal, nothing on a pipe; I/O."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from crawler.audit import PageListener
from rules.model import Verdict
from rules.records import PageRecord


def _print_line(record: PageRecord, queued: int) -> None:
    status = record.status if record.status is not None else "---"
    elapsed = f"{record.elapsed_ms}ms" if record.elapsed_ms is not None else "-"
    detail = f"  ({record.error})" if record.error else ""
    print(f"{status} {record.verdict:<12} {elapsed:>7}  {record.url}{detail}", file=sys.stderr)


@contextmanager
def crawl_progress(enabled: bool | None = None, *, verbose: bool = False) -> Iterator[PageListener | None]:
    """Yield a page listener: one line per URL when verbose, else a progress bar in a terminal, else None."""
    if verbose:
        yield _print_line
        return
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        yield None
        return
    columns = (
        TextColumn("[bold]crawling"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[errors]} errors"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("crawl", total=1, errors=0)
        state = {"done": 0, "errors": 0}

        def on_page(record: PageRecord, queued: int) -> None:
            state["done"] += 1
            state["errors"] += record.verdict is Verdict.FETCH_ERROR
            bar.update(task, completed=state["done"], total=state["done"] + queued, errors=state["errors"])

        yield on_page
