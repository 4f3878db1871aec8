"""`icp-audit demo`: audit the bundled sample site served on 127.0.0.1, no internet needed; I/O."""

from __future__ import annotations

import asyncio
from importlib import resources
from pathlib import Path

from crawler.jobs import audit_and_publish, today_in
from crawler.profiles import load_profile, with_overrides
from crawler.static_server import serve_folder
from rules.records import RunRecord
from storage import Database

DEMO_FOLDER = Path("icp-audit-demo")


def run_demo(db: str | None, out: str | None, lang: str) -> tuple[RunRecord, Path]:
    """Serve the sample site, audit it with the bundled licence facts, return the run and its report."""
    folder = Path(out) if out else DEMO_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    database = Database.open(db or str(folder / "demo.db"))
    site = Path(str(resources.files("crawler").joinpath("demo_site")))
    with serve_folder(site) as base:
        profile = with_overrides(load_profile(None), start_urls=(f"{base}/",))
        profile = profile.model_copy(
            update={
                "site": profile.site.model_copy(update={"name": "示例科技 demo", "allowed_hosts": []}),
                "crawl": profile.crawl.model_copy(
                    update={"requests_per_second": 0.0, "timeout": 5.0, "retries": 0}
                ),
            }
        )
        return asyncio.run(
            audit_and_publish(profile, database, folder, today=today_in(profile.schedule.timezone), lang=lang)
        )
