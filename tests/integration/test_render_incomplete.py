"""Renders that cannot be trusted (issue 13 items 3 and 5a), audited in `--render always` from a local
server with the machine's Chromium: a page that navigates away (location.href/replace/assign, a meta
refresh, a submitted form), loops forever or never stops changing keeps its static facts and counts in
TECH-003; a script that empties the page, builds its footer, or adds a line 1.5 s after load is judged
as the browser shows it."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from crawler.audit import run_audit
from crawler.client import make_client
from crawler.profiles import load_profile, with_overrides
from crawler.static_server import serve_folder
from rules.records import PageRecord, RunRecord
from storage import Database
from tests.conftest import LOCAL_PROFILE

PAGES = Path(__file__).resolve().parents[1] / "render_incomplete"
LICENCE = "陕B2-20210271"
KEPT = {  # static verdict kept: the render was incomplete
    "navigates-in-scope.html": "compliant",
    "navigates-off-scope.html": "compliant",
    "meta-refresh.html": "compliant",
    "form-submit.html": "compliant",
    "needs-render-navigates.html": "needs-render",
    "mutates-forever.html": "compliant",
    "endless-loop.html": "compliant",
}
RENDERED = {  # judged as the browser shows it
    "plain.html": "compliant",
    "emptied.html": "missing",
    "script-footer.html": "compliant",
    "timer-1500ms.html": "compliant",
}


async def _audit(base: str, db: Database) -> int:
    profile = with_overrides(load_profile(str(LOCAL_PROFILE)), start_urls=(f"{base}/index.html",))
    update = {"render": "always", "render_timeout": 8.0, "render_concurrency": 1}
    profile = profile.model_copy(update={"crawl": profile.crawl.model_copy(update=update)})
    async with make_client(profile) as client:
        outcome = await run_audit(
            profile, client=client, db=db, now=lambda: datetime.now(UTC), today=date(2026, 1, 15)
        )
    return outcome.run_id


@pytest.fixture(scope="module")
def record(tmp_path_factory: pytest.TempPathFactory) -> RunRecord:
    with serve_folder(PAGES) as base:
        db = Database.open(str(tmp_path_factory.mktemp("incomplete") / "a.db"))
        try:
            return db.load_run(asyncio.run(_audit(base, db)))
        finally:
            db.close()


def _page(record: RunRecord, name: str) -> PageRecord:
    return next(p for p in record.pages if p.url.endswith("/" + name))


@pytest.mark.parametrize("name", sorted({**KEPT, **RENDERED}))
def test_each_page_has_the_better_founded_verdict(record: RunRecord, name: str) -> None:
    assert _page(record, name).verdict.value == {**KEPT, **RENDERED}[name]


@pytest.mark.parametrize("name", sorted(n for n, v in KEPT.items() if v == "compliant"))
def test_an_incomplete_render_keeps_the_static_footer(record: RunRecord, name: str) -> None:
    page = _page(record, name)
    assert LICENCE in page.footer_text  # not the header menu of a document cut at the script
    assert [h.value for h in page.numbers if h.in_footer and h.visible] == [LICENCE]


def test_incomplete_renders_are_counted_in_tech_003(record: RunRecord) -> None:
    messages = [f.message for f in record.site_findings if f.rule == "TECH-003"]
    assert len(messages) == 1
    count = re.match(r"(\d+) page", messages[0])
    assert count is not None
    assert int(count.group(1)) == len(KEPT), messages


def test_a_line_added_after_load_is_seen_and_noted_as_built_by_script(record: RunRecord) -> None:
    page = _page(record, "timer-1500ms.html")
    assert LICENCE in page.footer_text
    assert "TECH-001" in {f.rule for f in page.findings}
