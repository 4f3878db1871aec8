"""The `icp-audit` command line (click): thin commands that load, call one function, map to an exit code."""

from __future__ import annotations

import atexit
import gc
import importlib
import os
import sys
import traceback
from collections.abc import Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import click

from crawler import __version__
from crawler.cli_options import (
    close_databases,
    db_option,
    lang_option,
    log_format_option,
    open_db,
    out_option,
)
from crawler.errors import AuditError, ConfigError, LockedError, OutputError, Stopped
from storage.errors import StorageError

if TYPE_CHECKING:
    from rules.records import RunRecord
    from storage import Database


class _LazyCommands(MutableMapping[str, click.Command]):
    """The group's subcommands by name, each one's module imported when the command is first looked up:
    `icp-audit audit` and `--version` skip importing the others (and SQLAlchemy, Jinja2, ...)."""

    def __init__(self, lazy: Mapping[str, str]) -> None:
        self._lazy = dict(lazy)  # name -> "module:attribute"
        self._loaded: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        if name not in self._loaded:
            module, attribute = self._lazy[name].split(":")
            self._loaded[name] = cast(click.Command, getattr(importlib.import_module(module), attribute))
        return self._loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._loaded[name] = command
        self._lazy.pop(name, None)

    def __delitem__(self, name: str) -> None:
        if name not in self._lazy and name not in self._loaded:
            raise KeyError(name)
        self._lazy.pop(name, None)
        self._loaded.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter({**dict.fromkeys(self._lazy), **self._loaded})

    def __len__(self) -> int:
        return len(self._lazy.keys() | self._loaded.keys())


_SUBCOMMANDS = {
    "export": "crawler.cli_data:export",
    "report": "crawler.cli_data:report",
    "runs": "crawler.cli_data:runs",
    "diff": "crawler.cli_data:diff_command",
    "config": "crawler.cli_data:config",
    "demo": "crawler.cli_data:demo",
    "schedule": "crawler.cli_data:schedule",
    "health": "crawler.cli_data:health",
    "prune": "crawler.cli_data:prune",
    "notify": "crawler.cli_notify:notify",
}


@contextmanager
def _collector_off() -> Iterator[None]:
    """The cyclic garbage collector off for the block: loading the crawler makes only long-lived
    objects, which its full passes traced again and again (~50 ms of an audit's start)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def _startup_frozen() -> Iterator[None]:
    """Every object alive now (modules, profile, database engine) left out of the collector's passes
    for the block: each full pass of a crawl traced them all again (~100 ms per 2,000 pages)."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()  # an in-process caller (a test) gets its objects collectable again


def _cancelled(exc: BaseException) -> bool:
    """Whether `exc` is asyncio's CancelledError, without importing asyncio (none was raised if no
    module imported it)."""
    asyncio = sys.modules.get("asyncio")
    return asyncio is not None and isinstance(exc, asyncio.CancelledError)


def _exit_for(exc: AuditError | StorageError) -> int:
    """The exit code of an error the user can fix."""
    from crawler.outcome import (  # here: it loads `rules`
        EXIT_CONFIG,
        EXIT_DATABASE,
        EXIT_LOCKED,
        EXIT_OUTPUT,
        EXIT_STOPPED,
    )
    from storage.errors import DatabaseBusyError

    if isinstance(exc, LockedError):
        return EXIT_LOCKED
    if isinstance(exc, DatabaseBusyError):
        return EXIT_DATABASE
    if isinstance(exc, OutputError):
        return EXIT_OUTPUT
    return EXIT_STOPPED if isinstance(exc, Stopped) else EXIT_CONFIG


class _Group(click.Group):
    """Maps the errors a user can cause to one line and an exit code; --debug shows the traceback."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        # Not standalone: click would exit 2 on a usage error, and 2 means "findings" here.
        kwargs["standalone_mode"] = False
        try:
            result = super().main(*args, **kwargs)
        except click.ClickException as exc:
            from crawler.outcome import EXIT_CONFIG  # here, not at the top: it loads `rules`

            exc.show()
            sys.exit(EXIT_CONFIG)
        except BaseException as exc:
            if not isinstance(exc, click.Abort | KeyboardInterrupt) and not _cancelled(exc):
                raise
            from crawler.outcome import EXIT_STOPPED

            click.echo("icp-audit: stopped; a run in progress is marked interrupted", err=True)
            sys.exit(EXIT_STOPPED)
        sys.exit(result if isinstance(result, int) else 0)

    def invoke(self, ctx: click.Context) -> Any:
        debug = bool(ctx.params.get("debug")) or os.environ.get("ICP_AUDIT_DEBUG") == "1"
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except ConfigError as exc:
            from crawler.outcome import EXIT_CONFIG

            if debug:
                traceback.print_exc()
            for line in exc.lines:
                click.echo(line, err=True)
            ctx.exit(EXIT_CONFIG)
        except (AuditError, StorageError) as exc:
            if debug:
                traceback.print_exc()
            click.echo(f"icp-audit: {exc}", err=True)
            ctx.exit(_exit_for(exc))
        except Exception as exc:
            from crawler.outcome import EXIT_BUG

            if debug:
                raise
            click.echo(
                f"icp-audit: unexpected {type(exc).__name__}: {exc} (a bug; rerun with --debug and report it)",
                err=True,
            )
            ctx.exit(EXIT_BUG)


@click.group(cls=_Group, commands=_LazyCommands(_SUBCOMMANDS))
@click.version_option(__version__, prog_name="icp-audit")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
def cli(debug: bool) -> None:
    """Prove, page by page, that a website displays its ICP licence number, and that the licence is valid."""


@cli.command()
@click.option(
    "--config", "config", metavar="PATH", help="Profile TOML [default: the bundled chaoqiankeji.com one]."
)
@click.option(
    "--start-url",
    "start_urls",
    multiple=True,
    metavar="URL",
    help="Start here instead of the profile's start URLs (repeatable; adds the host to the scope).",
)
@click.option("--max-pages", type=click.IntRange(min=1), help="Fetch at most this many URLs.")
@click.option("--max-depth", type=click.IntRange(min=0), help="Follow links this deep (0 = start URLs only).")
@db_option
@out_option
@lang_option
@click.option(
    "--json", "json_path", metavar="PATH", help="Also write the JSON export (icp-audit/run/v1) here."
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "never"]),
    default="error",
    show_default=True,
    help="Exit 2 when a finding is at or above this severity.",
)
@click.option(
    "--today", type=click.DateTime(["%Y-%m-%d"]), help="Judge licence dates against this day (YYYY-MM-DD)."
)
@click.option(
    "--render",
    type=click.Choice(["never", "auto", "always"]),
    help="Judge pages in Chromium: never, auto (the pages static analysis cannot settle, and the "
    "homepage) or always [default: the profile's crawl.render, auto].",
)
@click.option(
    "--viewport",
    type=click.Choice(["desktop", "mobile", "both"]),
    help="Viewport(s) the browser renders: desktop (1366×900), mobile (375×667, a phone's user agent: "
    "judged as a phone shows the page) or both (judged on desktop; a number hidden on one of them is a "
    "warning) [default: the profile's crawl.viewport, desktop].",
)
@click.option(
    "--url-list",
    "url_list",
    metavar="FILE",
    help="Audit just the URLs in FILE (one per line, # comments): no link following, no sitemap.",
)
@click.option(
    "--verbose",
    is_flag=True,
    help="Print one line per URL (status, verdict, time) instead of a progress bar.",
)
@log_format_option
def audit(
    config: str | None,
    start_urls: tuple[str, ...],
    max_pages: int | None,
    max_depth: int | None,
    db: str | None,
    out: str | None,
    lang: str,
    json_path: str | None,
    fail_on: str,
    today: Any,
    render: str | None,
    viewport: str | None,
    url_list: str | None,
    verbose: bool,
    log_format: str,
) -> None:
    """Audit the site once now: crawl, judge every page, store the run, write the report.

    Example: icp-audit audit --start-url http://127.0.0.1:8000/ --db audit.db --out reports
    """
    with _collector_off():
        # Imported here, not at the top: the other commands (and --version) do without the crawler.
        import asyncio

        from crawler.errors import ReportNotWritten
        from crawler.jobs import audit_and_publish, cancel_on_sigterm, today_in
        from crawler.logs import event, log, log_output, run_end
        from crawler.outcome import exit_code, summary_line
        from crawler.paths import report_folder
        from crawler.profiles import load_profile, read_url_list, with_overrides
        from crawler.progress import crawl_progress

        profile = load_profile(config)
        browser = {k: v for k, v in (("render", render), ("viewport", viewport)) if v}
        if browser:
            profile = profile.model_copy(update={"crawl": profile.crawl.model_copy(update=browser)})
        if url_list:
            start_urls, max_depth = read_url_list(url_list), 0
            profile = profile.model_copy(
                update={"crawl": profile.crawl.model_copy(update={"use_sitemap": False})}
            )
        profile = with_overrides(profile, start_urls=start_urls, max_pages=max_pages, max_depth=max_depth)
        day: date = today.date() if today else today_in(profile.schedule.timezone)
        if json_path:
            from crawler.output_file import check_output

            check_output(Path(json_path))  # a folder or a missing one: refused before the crawl
        database = open_db(db)
    with (
        _startup_frozen(),
        log_output(log_format),
        crawl_progress(verbose=verbose, log_format=log_format) as on_page,
    ):
        site = profile.site.name
        event(log, "run_start", "audit of %s started", site, site=site, trigger="manual")
        folder = report_folder(out)
        try:
            record, path = asyncio.run(
                cancel_on_sigterm(
                    audit_and_publish(
                        profile, database, folder, today=day, lang=lang, on_page=on_page, stoppable=True
                    )
                )
            )
        except (ReportNotWritten, Stopped) as exc:
            if exc.run_id is None:
                raise
            sys.exit(_report_not_written(database, exc, exc.run_id, json_path, log_format))
        if json_path:
            _write_json(database, record, json_path, f"its report is {path}")
        code = exit_code(record, fail_on)
        if log_format == "json":  # stdout is pure JSON lines: the run_end event replaces the two lines
            run_end(record, path, exit_code=code)
        else:
            click.echo(summary_line(record))
            click.echo(f"report: {path}")
    sys.exit(code)


def _write_json(database: Database, record: RunRecord, json_path: str, report: str) -> None:
    """The JSON export of a stored run to --json; a signal stops it with no half-written file."""
    from crawler.exports import write_export
    from crawler.history import diff_of
    from crawler.output_file import signals_stop_writing

    run = record.info.id
    try:
        with signals_stop_writing():
            write_export(record, "json", json_path, diff=diff_of(database, record))
    except KeyboardInterrupt as exc:
        raise Stopped(
            f"stopped ({exc or 'SIGINT'}) while writing --json {json_path}: run {run} is complete and stored"
            f"{', ' + report if report else ''}; write the JSON with: icp-audit export --run {run} "
            f"-o {json_path} (and the same --db)",
            run,
        ) from exc


def _report_not_written(
    database: Database, exc: AuditError, run_id: int, json_path: str | None, log_format: str
) -> int:
    """After a complete, stored run whose report (or alerts) a failure or a signal cut short: the summary,
    --json all the same (the run is complete; CI reads it), then one line saying what to rerun."""
    from crawler.outcome import summary_line

    record = database.load_run(run_id)
    if log_format == "text":
        click.echo(summary_line(record))
    note = ""
    if json_path:
        try:
            _write_json(database, record, json_path, "")
            note = f"; --json {json_path} written"
        except (OutputError, Stopped) as failed:
            note = f"; --json not written either: {failed}"
    click.echo(f"icp-audit: {exc}{note}", err=True)
    return _exit_for(exc)


def main() -> None:
    """Console-script entry point."""
    atexit.register(_end_quickly)
    cli(prog_name="icp-audit")


def _end_quickly() -> None:
    """Close the databases, then spare the interpreter's last full collection: it walks every object
    the process made (about 0.2 s after a 1,000-page audit) for cycles about to vanish anyway; frozen
    objects are skipped. Reports and exports are closed files by now."""
    close_databases()
    gc.freeze()
