"""Footer pictures end to end: a `--render always` audit of a local site with two footer templates stores
one picture per template with the run, and its report embeds them as data: images that decode offline."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from crawler.static_server import serve_folder
from reports.messages import ZH
from rules.records import RunRecord
from storage import Database
from tests.browser.harness import icp_audit, open_file
from tests.conftest import SITES, audit_args

PICTURES_SITE = SITES / "pictures"  # index.html: a plain footer; news.html: one over a busy gradient


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> tuple[RunRecord, Path]:
    """The site audited once in browser mode (a child process: this one's event loop is Playwright's)."""
    work = tmp_path_factory.mktemp("pictures")
    with serve_folder(PICTURES_SITE) as base:
        done = icp_audit(*audit_args(base, work, "--render", "always", "--today", "2026-01-15"))
    assert done.returncode in (0, 2), done.stderr
    with Database.open(str(work / "a.db")) as db:
        record = db.load_run("latest")
    return record, work / "out" / f"run-{record.info.id}.html"


def test_the_run_stores_one_picture_per_footer_template(audited: tuple[RunRecord, Path]) -> None:
    record, _ = audited
    templates = {p.footer_fingerprint for p in record.pages if p.verdict.judged}
    assert len(templates) == 2
    assert {s.fingerprint for s in record.footer_shots} == templates
    kinds = sorted(s.media_type for s in record.footer_shots)
    assert kinds == ["image/jpeg", "image/png"]  # the busy footer is too large as a lossless PNG
    for shot in record.footer_shots:
        assert shot.viewport == "desktop"
        assert 0 < shot.width <= 1366
        assert 0 < shot.height <= 480
        assert 0 < len(shot.data) <= 40_000


def test_the_report_shows_them_in_the_template_table_and_they_decode_offline(
    audited: tuple[RunRecord, Path], browser: Browser
) -> None:
    _, report = audited
    html = report.read_text("utf-8")
    table = re.search(r'<table class="templates">.*?</table>', html, re.S)
    assert table is not None
    images = re.findall(r'<img class="shot" src="data:image/(?:png|jpeg);base64,[A-Za-z0-9+/=]+"', table[0])
    assert len(images) == 2
    assert html.count('<img class="shot"') == 2  # nowhere else
    with open_file(browser, report) as visit:
        shots = visit.page.locator("table.templates img.shot")
        assert shots.count() == 2
        decoded = []
        for i in range(2):
            shot = shots.nth(i)
            shot.scroll_into_view_if_needed()
            decoded.append(shot.evaluate("img => img.decode().then(() => [img.naturalWidth, img.alt])"))
        visit.assert_quiet()  # no request beyond the file, no CSP violation in the console
    for width, alt in decoded:
        assert width > 0
        assert alt.startswith(ZH.text["templates_picture_alt"].split("{")[0])  # says what it shows
