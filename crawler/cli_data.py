"""The commands besides `audit`: export, report, runs, config check, demo, schedule, health; thin, I/O."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from crawler.cli_options import db_option, lang_option, log_format_option, open_db, out_option
from crawler.errors import Stopped
from crawler.exports import FORMATS, write_export
from crawler.history import diff_of
from crawler.jobs import utc_now
from crawler.lock import close_dead_runs
from crawler.outcome import EXIT_CONFIG
from crawler.output_file import check_output, signals_stop_writing
from crawler.paths import report_folder
from crawler.publish import EVERY_RUN, write_reports
from rules.diff import DiffFinding, diff_runs

if TYPE_CHECKING:
    from crawler.config import Profile


MAX_RUN_ID = 2**63 - 1  # the largest id a database column holds (SQLite INTEGER, PostgreSQL BIGINT)


def _run_id(value: str) -> int | str:
    if value == "latest":
        return value
    # ASCII only: str.isdigit also accepts '²', which int() refuses; 19 digits at most: int() refuses
    # thousands of them, and the database any id above MAX_RUN_ID.
    if not (value.isascii() and value.isdigit()) or len(value) > 19 or int(value) > MAX_RUN_ID:
        raise click.BadParameter(f"{value!r} is not a run id; use a number from `icp-audit runs` or 'latest'")
    return int(value)


@contextmanager
def _stopped_writing(what: str, again: str) -> Iterator[None]:
    """SIGINT or SIGTERM in the block stop the writing with no half-written file left (exit 130)."""
    try:
        with signals_stop_writing():
            yield
    except KeyboardInterrupt as exc:
        raise Stopped(
            f"stopped ({exc or 'SIGINT'}) while writing {what}: the stored run is unchanged and no file is "
            f"half-written; write it again with: {again}"
        ) from exc


@click.command()
@click.option("--run", "run", default="latest", show_default=True, help="Run id or 'latest'.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="json", show_default=True)
@click.option("-o", "--output", "output", metavar="FILE", help="Write here instead of standard output.")
@db_option
def export(run: str, fmt: str, output: str | None, db: str | None) -> None:
    """Export a stored run (JSON contract icp-audit/run/v1, CSV or JUnit).

    Example: icp-audit export --run latest --format json -o run.json
    """
    wanted = _run_id(run)  # a bad id is a usage error before any database file is created
    if output:
        check_output(Path(output))  # so is a folder, or a file in a missing folder
    database = open_db(db)
    close_dead_runs(database)  # a run whose audit died reads as interrupted, not running
    record = database.load_run(wanted)
    again = f"icp-audit export --run {record.info.id} --format {fmt}" + (f" -o {output}" if output else "")
    with _stopped_writing(f"the {fmt} export of run {record.info.id}", again):
        write_export(record, fmt, output, diff=diff_of(database, record))


@click.command()
@click.option("--run", "run", default="latest", show_default=True, help="Run id or 'latest'.")
@db_option
@out_option
@lang_option
def report(run: str, db: str | None, out: str | None, lang: str) -> None:
    """Re-render a stored run's HTML report from the database.

    Example: icp-audit report --run 3 --lang en --out reports
    """
    wanted = _run_id(run)  # a bad id is a usage error before any database file is created
    database = open_db(db)
    close_dead_runs(database)  # a run whose audit died reads as interrupted, not running
    record = database.load_run(wanted)
    newest = database.list_runs(limit=1)
    latest = bool(newest) and newest[0].id == record.info.id
    folder = report_folder(out)
    with _stopped_writing(
        f"the report of run {record.info.id} in {folder}",
        f"icp-audit report --run {record.info.id} --out {folder}",
    ):
        path = write_reports(
            record,
            folder,
            lang=lang,
            generated_at=utc_now(),
            latest=latest,
            diff=diff_of(database, record),
            runs=database.list_runs(limit=EVERY_RUN),
        )
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
    database = open_db(db)
    close_dead_runs(database)  # a run whose audit died reads as interrupted, not running
    for info in database.list_runs(limit=limit):
        c = info.counts
        counts = f"{c.pages} pages, {c.compliant} compliant, {c.errors} errors" if c else ""
        started = info.started_at.strftime("%Y-%m-%d %H:%M UTC")
        sent = database.notifications(info.id)
        alerts = (
            "  alerts: " + ", ".join(f"{n.channel} {'ok' if n.ok else 'FAILED'}" for n in sent)
            if sent
            else ""
        )
        click.echo(
            f"{info.id:>5}  {started}  {info.status:<11} {info.trigger:<8} {info.site}  {counts}{alerts}"
        )


def _diff_line(f: DiffFinding) -> str:
    return f"  {f.severity.value:<7} {f.rule:<8} {f.url or 'site'}  {f.message}"


@click.command("diff")
@click.argument("run_a", required=False)
@click.argument("run_b", required=False)
@db_option
def diff_command(run_a: str | None, run_b: str | None, db: str | None) -> None:
    """Show what changed between two runs: findings new, resolved and still open, pages added and gone.

    With no run, the latest run against the previous complete run of its site; with one, that run
    against its previous complete run; with two, RUN_B against the earlier RUN_A.

    Example: icp-audit diff 3 5
    """
    first, second = _run_id(run_a or "latest"), _run_id(run_b) if run_b is not None else None
    database = open_db(db)
    if second is None:
        record = database.load_run(first)
        changes = diff_of(database, record)
        if changes is None:
            click.echo(f"run {record.info.id} ({record.info.site}): no earlier complete run to compare with")
            return
    else:
        record = database.load_run(second)
        changes = diff_runs(record, database.load_run(first))
    click.echo(
        f"run {record.info.id} ({record.info.site}) against run {changes.against_run}: "
        f"{len(changes.new)} new, {len(changes.resolved)} resolved, {len(changes.open)} still open; "
        f"{len(changes.pages_added)} pages added, {len(changes.pages_gone)} gone"
    )
    for heading, found in (("new:", changes.new), ("resolved:", changes.resolved)):
        if found:
            click.echo(heading)
            for f in found:
                click.echo(_diff_line(f))


@click.group()
def config() -> None:
    """Profile commands."""


@config.command("check")
@click.argument("path", required=False)
def config_check(path: str | None) -> None:
    """Validate a profile and print the effective settings (defaults filled in); exit 3 when invalid.

    Example: icp-audit config check my-site.toml
    """
    from crawler.profiles import load_profile  # pydantic: only for the commands that read a profile

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


# `schedule` and `health` share it, so the image's HEALTHCHECK checks exactly the sites the scheduler runs.
_scheduled_configs = click.option(
    "--config",
    "configs",
    multiple=True,
    metavar="PATH",
    envvar="ICP_AUDIT_CONFIG",
    help="Profile TOML, or a folder of *.toml profiles (repeatable; env ICP_AUDIT_CONFIG)"
    " [default: the bundled chaoqiankeji.com one].",
)


@click.command()
@_scheduled_configs
@db_option
@out_option
@lang_option
@log_format_option
def schedule(configs: tuple[str, ...], db: str | None, out: str | None, lang: str, log_format: str) -> None:
    """Run the audit at each profile's cron time in its time zone until SIGTERM or SIGINT.

    Example: icp-audit schedule --config /data/site.toml
    """
    from crawler.logs import log_output, page_events
    from crawler.profiles import load_profile, profile_paths
    from crawler.schedule import run_scheduler

    profiles = [load_profile(p) for p in profile_paths(configs)] or [load_profile(None)]
    on_page = page_events() if log_format == "json" else None  # fetch_error events
    with log_output(log_format, text=True):
        code = asyncio.run(
            run_scheduler(profiles, open_db(db), report_folder(out), lang=lang, on_page=on_page)
        )
    sys.exit(code if code is not None else EXIT_CONFIG)


@click.command()
@_scheduled_configs
@db_option
def health(configs: tuple[str, ...], db: str | None) -> None:
    """Exit 0 when every scheduled site was audited completely within one schedule period plus a grace, else 1.

    Prints one line per site saying why (no run yet, last run failed, too old). The container's HEALTHCHECK.

    Example: icp-audit health --config /data/profiles
    """
    from crawler.health import site_health
    from crawler.profiles import load_profile, profile_paths

    profiles = [load_profile(p) for p in profile_paths(configs)] or [load_profile(None)]
    database, now, all_healthy = open_db(db), utc_now(), True
    close_dead_runs(database)  # a run whose audit died reads as interrupted, not running
    for profile in profiles:
        runs_of_site = database.list_runs(site=profile.site.name, limit=1)
        healthy, why = site_health(
            runs_of_site[0] if runs_of_site else None,
            profile.schedule.cron,
            profile.schedule.timezone,
            now,
        )
        click.echo(f"{'healthy' if healthy else 'unhealthy'}: {profile.site.name}: {why}")
        all_healthy = all_healthy and healthy
    sys.exit(0 if all_healthy else 1)


@click.command()
@click.option("--keep", type=click.IntRange(min=0), metavar="N", help="Keep the newest N runs of each site.")
@click.option(
    "--older-than",
    "older_than",
    type=click.IntRange(min=0),
    metavar="DAYS",
    help="Delete runs that started more than DAYS days ago (with --keep: only those beyond the newest N).",
)
@db_option
@out_option
def prune(keep: int | None, older_than: int | None, db: str | None, out: str | None) -> None:
    """Delete old runs with their pages, findings and run-<id>.html reports; never a site's latest complete run.

    Running runs are never deleted either. Pass --keep, --older-than or both (a run is then deleted only
    when both would delete it).

    Example: icp-audit prune --keep 30 --db audit.db --out reports
    """
    from datetime import timedelta

    from crawler.errors import ConfigError, OutputError
    from crawler.publish import write_index
    from crawler.retention import runs_to_prune

    if keep is None and older_than is None:
        raise ConfigError(["icp-audit prune: pass --keep N or --older-than DAYS (or both)"])
    age = None if older_than is None else timedelta(days=older_than)
    database = open_db(db)
    ids = runs_to_prune(database.list_runs(limit=None), keep, age, utc_now())
    count = database.delete_runs(ids)
    folder = report_folder(out)
    for run_id in ids:
        path = folder / f"run-{run_id}.html"
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            raise OutputError(
                f"{path}: cannot delete the report ({exc.strerror}); runs {ids} are gone"
            ) from exc
    if ids and (folder / "index.html").exists():  # the index must not list runs that are gone
        write_index(folder, database.list_runs(limit=None), lang="zh", generated_at=utc_now())
    listed = f" (ids {', '.join(map(str, ids))})" if ids else ""
    click.echo(f"pruned {count} runs{listed}, kept the latest complete run of each site")
