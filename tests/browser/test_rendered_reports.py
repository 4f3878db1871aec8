"""The run report and index.html of real audits of the local company site, rendered in headless Chromium."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import ExitStack
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Playwright

from reports import render_run
from rules.model import LicenceFacts, Verdict
from rules.records import PageRecord, RunInfo, RunRecord, RunStatus
from tests.browser.harness import HAN, Reports, Visit, han_fonts, launch, open_file, screenshot, tofu

Opened = Callable[[str, str], Visit]
KINDS = [("run", "zh"), ("run", "en"), ("index", "zh"), ("index", "en")]


@pytest.fixture(scope="module")
def reports(company_reports: Future[Reports]) -> Reports:
    """The company site's reports (the audits started with the package, see conftest)."""
    return company_reports.result(timeout=120)


@pytest.fixture(scope="module")
def opened(browser: Browser, reports: Reports) -> Iterator[Opened]:
    """Each report opened once at a desktop width, kept open for this module's read-only checks."""
    visits: dict[tuple[str, str], Visit] = {}
    with ExitStack() as stack:

        def visit(kind: str, lang: str) -> Visit:
            if (kind, lang) not in visits:
                visits[kind, lang] = stack.enter_context(open_file(browser, reports[kind, lang]))
            return visits[kind, lang]

        yield visit


@pytest.mark.parametrize(("kind", "lang"), KINDS)
def test_opens_offline_without_errors_and_is_screenshotted(opened: Opened, kind: str, lang: str) -> None:
    visit = opened(kind, lang)
    shot = screenshot(visit.page, f"{kind}-{lang}")
    visit.assert_quiet()
    page = visit.page
    assert page.evaluate("document.documentElement.lang").startswith(lang)
    assert page.get_by_role("heading", level=1).count() == 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # nothing sticks out
    assert shot.stat().st_size > 10_000


@pytest.mark.parametrize(("kind", "lang"), KINDS)
def test_chinese_text_is_drawn_with_a_cjk_font(opened: Opened, kind: str, lang: str) -> None:
    found = han_fonts(opened(kind, lang).page)
    # distinct texts: the site name is Chinese in both languages; the zh pages are Chinese throughout
    assert sum(len(HAN.findall(text)) for text, _ in found) >= (100 if lang == "zh" else 6)
    assert tofu(found) == []


def test_the_font_check_catches_tofu_when_no_cjk_font_is_installed(
    playwright: Playwright, reports: Reports, tmp_path: Path
) -> None:
    """The control: the same check in a Chromium whose fontconfig sees only DejaVu (no fonts-noto-cjk)."""
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f"<dir>/usr/share/fonts/truetype/dejavu</dir><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>",
        "utf-8",
    )
    no_cjk = launch(playwright.chromium, env={**os.environ, "FONTCONFIG_FILE": str(config)})
    try:
        with open_file(no_cjk, reports["index", "zh"]) as visit:
            found = han_fonts(visit.page)
    finally:
        no_cjk.close()
    assert found
    assert len(tofu(found)) == len(found)  # every Chinese text is flagged
    assert all("DejaVu" in f["familyName"] for _, fonts in found for f in fonts)


@pytest.mark.parametrize(("kind", "lang"), KINDS)
def test_every_link_goes_to_a_file_or_the_web(opened: Opened, kind: str, lang: str) -> None:
    hrefs: list[str] = opened(kind, lang).page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)")
    assert all(re.match(r"(https?|file)://", h) for h in hrefs), hrefs
    if kind == "index":
        assert any(h.endswith("/run-2.html") for h in hrefs)  # the index links the report beside it


def test_prints_on_a4_with_the_print_stylesheet(browser: Browser, reports: Reports) -> None:
    with open_file(browser, reports["run", "zh"]) as visit:
        page = visit.page
        link = page.locator("a[href]").first
        screen_colour = link.evaluate("a => getComputedStyle(a).color")
        page.emulate_media(media="print")
        body_colour = page.evaluate("getComputedStyle(document.body).color")
        assert link.evaluate("a => getComputedStyle(a).color") == body_colour != screen_colour
        assert page.evaluate("getComputedStyle(document.querySelector('main')).maxWidth") == "none"
        pdf = page.pdf(format="A4")
        visit.assert_quiet()
    assert pdf.startswith(b"%PDF-")
    assert re.search(rb"/MediaBox \[0 0 595\.\d+ 84[12]\.\d+\]", pdf)  # A4: 595 x 842 points
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) >= 2


def test_no_text_column_collapses_on_a_phone(browser: Browser, reports: Reports) -> None:
    with open_file(browser, reports["run", "zh"], width=390) as visit:
        page = visit.page
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        widths: list[float] = page.eval_on_selector_all(
            "td", "tds => tds.filter(td => td.innerText.trim().length > 3).map(td => td.offsetWidth)"
        )
    assert widths
    assert min(widths) >= 40  # a narrower cell stacks its text one character per line


_OVERLAPS = """() => {
  const box = e => e.getBoundingClientRect();
  const meet = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const labels = [...document.querySelectorAll('svg text')].map(t => [t.textContent, box(t)]);
  const bars = [...document.querySelectorAll('svg rect')].map(box).filter(b => b.height > 0);
  return labels.filter(([, l]) => bars.some(b => meet(l, b))).map(([text]) => text);
}"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_trend_axis_labels_clear_the_bars(opened: Opened, lang: str) -> None:
    page = opened("index", lang).page
    assert page.locator("svg rect").count() == 2  # one error bar per run
    assert page.evaluate(_OVERLAPS) == []


def seven_pages_missing_the_number() -> RunRecord:
    """A run whose seven inner pages share one footer without the number: one evidence group, 5 URLs + 2 folded."""
    when = datetime(2026, 11, 26, 18, 30, tzinfo=UTC)
    licence = LicenceFacts(
        number="陕B2-20210271", holder="西安朝前智能科技有限公司", valid_until=date(2026, 8, 30)
    )
    info = RunInfo(
        1, "朝前科技官网", RunStatus.COMPLETE, "manual", when, when, "0.1.0", licence, date(2026, 11, 27)
    )
    pages = tuple(
        PageRecord(
            f"https://chaoqiankeji.com/news/{i}",
            None,
            200,
            "text/html",
            1,
            Verdict.MISSING,
            True,
            "© 朝前科技",
        )
        for i in range(1, 8)
    )
    return RunRecord(info, (), pages)


def test_print_unfolds_what_the_screen_folds(browser: Browser, tmp_path: Path) -> None:
    report = tmp_path / "run-1.html"
    report.write_text(render_run(seven_pages_missing_the_number(), generated_at=datetime.now(UTC)), "utf-8")
    with open_file(browser, report) as visit:
        folded = visit.page.get_by_role(
            "link", name="https://chaoqiankeji.com/news/7", exact=True, include_hidden=True
        )
        assert not folded.evaluate("a => a.checkVisibility()")  # behind a closed <details> on screen
        visit.page.emulate_media(media="print")
        assert folded.evaluate("a => a.checkVisibility()")  # on paper there is nothing to click open
        visit.assert_quiet()
