"""`icp-audit notify test`: send a test message to every channel of a profile's [notify]; thin, I/O."""

from __future__ import annotations

import asyncio
import sys

import click

from crawler.cli_options import lang_option
from crawler.errors import ConfigError
from crawler.jobs import utc_now
from crawler.notify import deliver
from crawler.notify_redact import redact
from crawler.outcome import EXIT_FAILED
from crawler.profiles import load_profile
from reports.alert import trial_alert


@click.group()
def notify() -> None:
    """Alert channel commands (the profile's [notify] table)."""


@notify.command("test")
@click.option(
    "--config", "config", metavar="PATH", help="Profile TOML [default: the bundled chaoqiankeji.com one]."
)
@lang_option
def notify_test(config: str | None, lang: str) -> None:
    """Send a test message to every channel in the profile's [notify]; one line per channel.

    Exits 0 when every channel accepted it, 4 when one failed, 3 when no channel is configured.

    Example: icp-audit notify test --config /data/site.toml
    """
    profile = load_profile(config)
    if not profile.notify.channels():
        raise ConfigError(
            [
                f"{config or 'the bundled profile'}: no alert channel; add a [notify] table (see icp-audit.example.toml)"
            ]
        )
    where = profile.notify.report_url or "(set report_url in [notify] to link reports)"
    alert = trial_alert(profile.site.name, where, lang)
    deliveries = asyncio.run(deliver(profile.notify, alert, lang=lang, report=None, now=utc_now))
    for d in deliveries:
        click.echo(redact(f"{d.channel}: {'ok' if d.ok else 'FAILED'}: {d.detail}"))
    sys.exit(0 if all(d.ok for d in deliveries) else EXIT_FAILED)
