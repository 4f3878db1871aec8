"""The commands besides `audit`: export, report, runs, config check, demo and schedule; thin, I/O."""

from __future__ import annotations

import asyncio
import json
import sys

import click

from crawler.cli_options import db_option, lang_option, log_format_option, open_db, out_option
from crawler.config import Profile
from crawler.exports import FORMATS, write_export
from crawler.jobs import utc_now
from crawler.outcome import EXIT_CONFIG
from crawler.paths import report_folder
from crawler.profiles import load_profile
from crawler.publish import write_reports


def _run_id(value: str) -> int | str:
    if value == "latest":
        return value
    if not value.isdigit():
        raise click.BadParameter(f"{value!r} is not a run id; use a number from `icp-audit runs` or 'latest'")
    return int(value)


@click.command()
@click.option("--run", "run", default="latest", show_default=True, help="Run id or 'latest'.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="json", show_default=True)
@click.option("-o", "--output", "output", metavar="FILE", help="Write here instead of standard output.")
@db_option
def export(run: str, fmt: str, output: str | None, db: str | None) -> None:
    """Export a stored run (JSON contract icp-audit/run/v1, CSV or JUnit).

    Example: icp-audit export --run latest --format json -o run.json
    """
    record = open_db(db).load_run(_run_id(run))
    write_export(record, fmt, output)


@click.command()
@click.option("--run", "run", default="latest", show_default=True, help="Run id or 'latest'.")
@db_option
@out_option
@lang_option
def report(run: str, db: str | None, out: str | None, lang: str) -> None:
    """Re-render a stored run's HTML report from the database.

    Example: icp-audit report --run 3 --lang en --out reports
    """
    database = open_db(db)
    record = database.load_run(_run_id(run))
    newest = database.list_runs(limit=1)
    latest = bool(newest) and newest[0].id == record.info.id
    path = write_reports(record, report_folder(out), lang=lang, generated_at=utc_now(), latest=latest)
    click.echo(f"report: {path}")


@click.command()
@click.option(
    "--limit", default=20, show_default=True, type=click.IntRange(min=1), help="How many runs to list."
)
@db_option
def runs(limit: int, db: str | None) -> None:
    """List stored runs, newest first.

    Example: icp-audit runs --limit 5
    """
    for info in open_db(db).list_runs(limit=limit):
        c = info.counts
        counts = f"{c.pages} pages, {c.compliant} compliant, {c.errors} errors" if c else ""
        started = info.started_at.strftime("%Y-%m-%d %H:%M UTC")
        click.echo(f"{info.id:>5}  {started}  {info.status:<11} {info.trigger:<8} {info.site}  {counts}")


@click.group()
def config() -> None:
    """Profile commands."""


@config.command("check")
@click.argument("path", required=False)
def config_check(path: str | None) -> None:
    """Validate a profile and print the effective settings (defaults filled in); exit 3 when invalid.

    Example: icp-audit config check my-site.toml
    """
    profile: Profile = load_profile(path)
    click.echo(json.dumps(profile.model_dump(mode="json"), ensure_ascii=False, indent=2))


@click.command()
@click.option("--db", "db", metavar="URL|PATH", help="Database [default ./icp-audit-demo/demo.db].")
@click.option("--out", "out", metavar="DIR", help="Report folder [default ./icp-audit-demo].")
@lang_option
def demo(db: str | None, out: str | None, lang: str) -> None:
    """Serve a bundled sample site on 127.0.0.1, audit it and print where the report is (no internet needed).

    Example: icp-audit demo --lang en
    """
    from crawler.demo import run_demo

    record, path = run_demo(db, out, lang)
    click.echo(f"demo site audited: {record.counts.compliant} of {record.counts.pages} pages compliant")
    click.echo(f"report: {path.resolve()}")


@click.command()
@click.option("--config", "configs", multiple=True, metavar="PATH", help="Profile TOML (repeatable).")
@db_option
@out_option
@lang_option
@log_format_option
def schedule(configs: tuple[str, ...], db: str | None, out: str | None, lang: str, log_format: str) -> None:
    """Run the audit at each profile's cron time in its time zone until SIGTERM or SIGINT.

    Example: icp-audit schedule --config /data/site.toml
    """
    from crawler.logs import log_output, page_events
    from crawler.schedule import run_scheduler

    profiles = [load_profile(p) for p in configs] or [load_profile(None)]
    on_page = page_events() if log_format == "json" else None  # fetch_error events
    with log_output(log_format, text=True):
        code = asyncio.run(
            run_scheduler(profiles, open_db(db), report_folder(out), lang=lang, on_page=on_page)
        )
    sys.exit(code if code is not None else EXIT_CONFIG)
