"""Feedback while crawling: a progress bar in a terminal, nothing on a pipe, events in JSON mode; I/O."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from crawler.audit import PageListener
from crawler.logs import page_events
from rules.model import Verdict
from rules.records import PageRecord


def _print_line(record: PageRecord, queued: int) -> None:
    status = record.status if record.status is not None else "---"
    elapsed = f"{record.elapsed_ms}ms" if record.elapsed_ms is not None else "-"
    detail = f"  ({record.error})" if record.error else ""
    print(f"{status} {record.verdict:<12} {elapsed:>7}  {record.url}{detail}", file=sys.stderr)


def bar_text(done: int, queued: int, errors: int, seconds: float) -> str:
    """What the bar shows beside the bar itself: pages done, queued, errors and pages per second; pure."""
    rate = done / seconds if seconds > 0 else 0.0
    return f"{done} done, {queued} queued, {errors} errors, {rate:.1f} pages/s"


@contextmanager
def crawl_progress(
    enabled: bool | None = None, *, verbose: bool = False, log_format: str = "text"
) -> Iterator[PageListener | None]:
    """Yield a page listener: events when log_format is json; else one line per URL when verbose,
    else a progress bar in a terminal, else None."""
    if log_format == "json":
        yield page_events(verbose=verbose)
        return
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
        TextColumn("{task.fields[stats]}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        started = time.monotonic()
        task = bar.add_task("crawl", total=1, stats=bar_text(0, 0, 0, 0.0))
        state = {"done": 0, "errors": 0}

        def on_page(record: PageRecord, queued: int) -> None:
            state["done"] += 1
            state["errors"] += record.verdict is Verdict.FETCH_ERROR
            stats = bar_text(state["done"], queued, state["errors"], time.monotonic() - started)
            bar.update(task, completed=state["done"], total=state["done"] + queued, stats=stats)

        yield on_page
