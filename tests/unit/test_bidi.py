"""Unit tests of reports.bidi: bidi controls in crawled text are shown as escapes, and links keep working."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from markupsafe import Markup

from reports import render_index, render_run
from reports.bidi import BIDI_CONTROLS, encode_bidi_controls, show_bidi_controls
from rules.model import LicenceFacts, Verdict
from rules.records import PageRecord, RunInfo, RunRecord, RunStatus

RLO = "\u202e"
WHEN = datetime(2026, 11, 26, 18, 30, tzinfo=UTC)
LICENCE = LicenceFacts(
    number="陕B2-20210271", holder="西安朝前智能科技有限公司", valid_until=date(2027, 8, 30)
)


def record(url: str, footer: str, site: str = "朝前科技官网") -> RunRecord:
    """A run of one missing-number page: it is failing, so the report shows its URL as a link and its footer."""
    info = RunInfo(1, site, RunStatus.COMPLETE, "manual", WHEN, WHEN, "0.1.0", LICENCE, date(2026, 11, 27))
    page = PageRecord(url, url, 200, "text/html", 0, Verdict.MISSING, footer_found=True, footer_text=footer)
    return RunRecord(info, (), (page,))


@pytest.mark.parametrize("control", list(BIDI_CONTROLS))
def test_every_control_becomes_a_visible_escape(control: str) -> None:
    shown = show_bidi_controls(f"a{control}b")
    assert shown == f"a[U+{ord(control):04X}]b"


def test_other_values_pass_through_and_markup_stays_markup() -> None:
    assert show_bidi_controls(7) == 7
    assert show_bidi_controls("陕B2-20210271 «»") == "陕B2-20210271 «»"
    shown = show_bidi_controls(Markup(f"<b>{RLO}x</b>"))
    assert isinstance(shown, Markup)
    assert shown == Markup("<b>[U+202E]x</b>")  # not escaped a second time


def test_links_percent_encode_controls_as_a_browser_sends_them() -> None:
    assert encode_bidi_controls(f"http://a.example/{RLO}gnp.exe") == "http://a.example/%E2%80%AEgnp.exe"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_control_reaches_the_report(lang: str) -> None:
    url = f"http://a.example/{RLO}gnp.exe"
    html = render_run(record(url, f"版权所有 {RLO}1720120-2B陕"), lang=lang, generated_at=WHEN)
    assert not any(c in html for c in BIDI_CONTROLS)
    assert 'href="http://a.example/%E2%80%AEgnp.exe"' in html
    assert "/[U+202E]gnp.exe" in html
    assert "[U+202E]1720120-2B陕" in html


def test_no_control_reaches_the_index() -> None:
    html = render_index([record("http://a.example/", "", site=f"朝前{RLO}科技").info], generated_at=WHEN)
    assert RLO not in html
    assert "朝前[U+202E]科技" in html
