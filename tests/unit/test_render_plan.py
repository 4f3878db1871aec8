"""Which pages `--render auto` sends to the browser, where the browser is found, and how the in-page
script's JSON becomes facts (crawler.render.plan, .browser.find_chromium, .rendered)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from crawler.render.browser import CHROMIUM_ENV, BrowserUnavailable, find_chromium
from crawler.render.plan import css_unsettled, render_reason, scripts_touch_footer
from crawler.render.rendered import parse_snapshot, rendered_facts
from rules.model import Verdict, Where
from rules.numbers import NumberKind

PLAIN = "<footer><p>增值电信业务经营许可证：陕B2-20210271</p></footer>"


@pytest.mark.parametrize(
    ("mode", "home", "verdict", "html", "reason"),
    [
        ("never", True, Verdict.NEEDS_RENDER, PLAIN, None),
        ("always", False, Verdict.COMPLIANT, PLAIN, "always"),
        ("auto", True, Verdict.COMPLIANT, PLAIN, "homepage"),
        ("auto", False, Verdict.NEEDS_RENDER, PLAIN, "needs-render"),
        ("auto", False, Verdict.COMPLIANT, PLAIN, None),
        ("auto", False, Verdict.COMPLIANT, PLAIN + "<script>$('.beian').hide()</script>", "script"),
        ("auto", False, Verdict.COMPLIANT, PLAIN + "<style>footer > p { color: #fff }</style>", "css"),
    ],
)
def test_render_reason(mode: str, home: bool, verdict: Verdict, html: str, reason: str | None) -> None:
    assert render_reason(mode=mode, is_homepage=home, verdict=verdict, html=html) == reason


@pytest.mark.parametrize(
    ("html", "touches"),
    [
        ("<script>document.write('x')</script>", True),
        ("<script>customElements.define('x-f', F)</script>", True),
        ("<script>document.getElementById('footer').remove()</script>", True),
        ('<script src="/js/footer.js"></script>', True),
        ("<script>var a = 1; console.log(a)</script>", False),
        ('<script src="/js/jquery.min.js"></script>', False),
        ('<script type="application/ld+json">{"name": "footer"}</script>', False),
    ],
)
def test_scripts_touch_footer(html: str, touches: bool) -> None:
    assert scripts_touch_footer(html) is touches


@pytest.mark.parametrize(
    ("css", "unsettled"),
    [
        (".lic::after { content: '陕B2-20210271' }", True),
        ("footer > .lic { display: none }", True),
        ("p:nth-child(2) { visibility: hidden }", True),
        ("footer .lic { display: none }", False),  # the static cascade evaluates these
        ("a:hover { text-decoration: underline }", False),  # changes no visibility
        ("@media (min-width: 768px) { .lic { display: none } }", False),
    ],
)
def test_css_unsettled(css: str, unsettled: bool) -> None:
    assert css_unsettled("", [css]) is unsettled


def test_a_named_browser_is_never_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CHROMIUM_ENV, str(tmp_path / "nonexistent"))
    with pytest.raises(BrowserUnavailable, match="apt-get install chromium"):
        find_chromium("")
    fake = tmp_path / "chrome"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    assert find_chromium(str(fake)) == str(fake)  # the profile's path beats the environment
    with pytest.raises(BrowserUnavailable, match=r"crawl\.chromium"):
        find_chromium(str(tmp_path / "missing"))


def test_the_system_chromium_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CHROMIUM_ENV, raising=False)
    assert os.access(find_chromium(""), os.X_OK)


def test_snapshot_to_facts() -> None:
    data = {
        "segs": [
            {"t": "许可证：陕B2-", "s": "", "v": True, "f": True, "c": True},
            {"t": "2021", "s": "", "v": False, "r": "display:none on span", "f": True},
            {"t": "20210271", "s": "", "v": True, "f": True, "h": "https://beian.miit.gov.cn/"},
            {"t": 5},  # malformed: dropped
        ],
        "other": [{"w": "comment", "t": "陕ICP备2021012345号-1", "f": True}, {"w": "script", "t": "陕B2-1"}],
        "links": ["https://x.cn/a", "javascript:void(0)"],
        "how": "footer",
        "found": True,
    }
    snap = parse_snapshot(data)
    assert snap.links == ("https://x.cn/a",)
    facts = rendered_facts(snap, "https://x.cn/", "https://x.cn/", is_homepage=True)
    shown = [h for h in facts.numbers if h.visible]
    # hidden text splits the number in the markup; a visitor reads it whole
    assert [(h.kind, h.value, h.in_footer, h.href, h.centred) for h in shown] == [
        (NumberKind.LICENCE, "陕B2-20210271", True, "https://beian.miit.gov.cn/", True)
    ]
    assert {h.where for h in facts.numbers} == {Where.TEXT, Where.COMMENT}  # scripts already ran
    assert facts.footer_text == "许可证:陕B2- 20210271"  # normalised, as the static path keeps it
    assert not facts.js_shell


def test_a_page_without_a_snapshot_is_an_error() -> None:
    with pytest.raises(ValueError, match="no DOM snapshot"):
        parse_snapshot(None)


class _DeadDriver:
    """What async_playwright() gives when its bundled Node.js cannot load (e.g. no libatomic.so.1)."""

    async def start(self) -> None:
        raise Exception("Connection closed while reading from the driver")  # Playwright's own bare Exception


def test_a_driver_that_dies_on_start_is_an_unavailable_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncio

    from crawler.render import browser

    monkeypatch.setattr(browser, "async_playwright", _DeadDriver)
    with pytest.raises(
        BrowserUnavailable, match=r"driver would not start.*Connection closed.*apt-get install"
    ):
        asyncio.run(browser.Renderer.launch("/usr/bin/chromium"))


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        ("<footer><bdo dir=rtl>17201202-2B陕</bdo></footer>", "css"),
        ("<footer><p dir='rtl'>陕B2-20210271</p></footer>", "css"),
        ("<footer><p style='direction:rtl'>陕B2-20210271</p></footer>", "css"),
        ("<footer><p>\u202e陕B2-20210271</p></footer>", "css"),
        ("<footer><p>&#x202E;陕B2-20210271</p></footer>", "css"),
        ("<footer><p>&#8295;陕B2-20210271</p></footer>", "css"),
        ("<footer><p>陕B2-20210271</p></footer>", None),
    ],
)
def test_text_laid_out_right_to_left_is_left_to_the_browser(html: str, reason: str | None) -> None:
    """A page that only displays the number in the right order after bidi layout (issue 12) is
    rendered by `auto`: static analysis reads the logical order."""
    assert render_reason(mode="auto", is_homepage=False, verdict=Verdict.MISSING, html=html) == reason
