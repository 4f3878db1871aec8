"""Unit tests of crawler.paint (the thresholds and checks of issue 12's CSS families) and of data:
style sheets (crawler.stylesheets.data_css)."""

from __future__ import annotations

import pytest

from crawler.paint import (
    clip_path_hiding,
    clip_rect_hiding,
    faint,
    filter_hiding,
    right_to_left,
    tiny_font,
    tiny_frame,
)
from crawler.stylesheets import data_css


@pytest.mark.parametrize(
    ("value", "hides"),
    [("0", True), ("0%", True), (".01", True), ("0.09", True), ("9%", True), ("0.1", False), ("1", False),
     ("50%", False), ("var(--x)", False)],
)  # fmt: skip
def test_faint(value: str, hides: bool) -> None:
    assert faint(value) is hides


@pytest.mark.parametrize(
    ("value", "hides"),
    [("0", True), ("0%", True), ("0.1px", True), ("1px", True), (".1em", True), ("20%", True), ("4px", False),
     ("12px", False), ("100%", False), ("small", False), ("inherit", False)],
)  # fmt: skip
def test_tiny_font(value: str, hides: bool) -> None:
    assert tiny_font(value) is hides


@pytest.mark.parametrize(
    ("value", "sure", "unsure"),
    [("none", False, False), ("opacity(0)", True, False), ("opacity(5%)", True, False),
     ("opacity(.5)", False, False), ("grayscale(100%)", False, False), ("blur(1px)", False, False),
     ("blur(6px)", False, True), ("brightness(0)", False, True), ("url(#hide)", False, True)],
)  # fmt: skip
def test_filter_hiding(value: str, sure: bool, unsure: bool) -> None:
    certain, maybe = filter_hiding(value)
    assert (certain is not None, maybe is not None) == (sure, unsure)


@pytest.mark.parametrize(
    ("value", "sure", "unsure"),
    [("none", False, False), ("inset(100%)", True, False), ("inset(50%)", True, False),
     ("inset(0 50% 0 50%)", True, False), ("inset(0)", False, False), ("inset(2px round 4px)", False, False),
     ("inset(10%)", False, True), ("circle(0)", True, False), ("circle(50%)", False, True),
     ("polygon(0 0, 1px 0, 1px 1px)", False, True), ("url(#c)", False, True)],
)  # fmt: skip
def test_clip_path_hiding(value: str, sure: bool, unsure: bool) -> None:
    certain, maybe = clip_path_hiding(value)
    assert (certain is not None, maybe is not None) == (sure, unsure)


@pytest.mark.parametrize(
    ("value", "position", "sure", "unsure"),
    [("rect(0 0 0 0)", "absolute", True, False), ("rect(1px,1px,1px,1px)", "fixed", True, False),
     ("rect(0 0 0 0)", "static", False, False), ("rect(0 200px 40px 0)", "absolute", False, False),
     ("rect(0 auto auto 0)", "absolute", False, True), ("auto", "absolute", False, False)],
)  # fmt: skip
def test_clip_rect_hiding(value: str, position: str, sure: bool, unsure: bool) -> None:
    certain, maybe = clip_rect_hiding(value, position)
    assert (certain is not None, maybe is not None) == (sure, unsure)


def test_right_to_left() -> None:
    assert right_to_left("bdo", {"dir": "rtl"}, {}) == "<bdo dir=rtl>"
    assert right_to_left("p", {"dir": "RTL"}, {}) is not None
    assert right_to_left("p", {}, {"direction": ("rtl", None)}) is not None
    assert right_to_left("p", {}, {"unicode-bidi": ("bidi-override", None)}) is not None
    assert right_to_left("p", {"dir": "ltr"}, {"unicode-bidi": ("isolate", None)}) is None
    assert right_to_left("p", {"dir": "auto"}, {}) is None


def test_tiny_frame() -> None:
    assert tiny_frame({"width": "1", "height": "1"}, {}) is not None
    assert tiny_frame({"width": "600", "height": "40"}, {}) is None
    assert tiny_frame({"width": "600"}, {"height": ("2px", False)}) is not None
    assert tiny_frame({}, {}) is None


def test_data_css() -> None:
    assert data_css("data:text/css,.a%7Bdisplay:none%7D") == ".a{display:none}"
    assert data_css("data:text/css;charset=utf-8;base64,LmF7ZGlzcGxheTpub25lfQ==") == ".a{display:none}"
    assert data_css("DATA:,.a{x:y}") == ".a{x:y}"
    assert data_css("data:image/png;base64,AAAA") is None
    assert data_css("https://example.com/a.css") is None
    assert data_css(None) is None


@pytest.mark.parametrize(
    ("footer", "head", "verdict"),
    [
        ("<div style='opacity:.3'><p style='opacity:.3'>{}</p></div>", "", "hidden"),
        ("<div class='a'><p class='b'>{}</p></div>", "<style>.a{opacity:.3}.b{opacity:.3}</style>", "hidden"),
        ("<div style='opacity:.5'><p style='opacity:.5'>{}</p></div>", "", "compliant"),
        ("<div class='a'><p>{}</p></div>", "<style>.a{opacity:.8}</style>", "compliant"),
    ],
)
def test_opacity_multiplies_down_the_tree(footer: str, head: str, verdict: str) -> None:
    """0.3 inside 0.3 paints the text at 0.09, under OPACITY_MIN, as a browser composes it."""
    from crawler.extract import extract
    from rules.verdict import page_verdict

    url = "https://www.chaoqiankeji.com/"
    html = (
        f"<html><head>{head}</head><body><main><p>西安朝前智能科技有限公司专注于人工智能。</p></main>"
        f"<footer>{footer.format('增值电信业务经营许可证：陕B2-20210271')}</footer></body></html>"
    )
    assert page_verdict(extract(html, url, url, is_homepage=True).facts, "陕B2-20210271").value == verdict


@pytest.mark.parametrize(
    ("style", "verdict"),
    [
        ("color:rgba(0,0,0,.05)", "hidden"),
        ("color:#0000000a", "hidden"),
        ("content-visibility:hidden", "hidden"),
        ("-webkit-mask-image:linear-gradient(transparent,transparent)", "hidden"),
        ("mask:url(m.svg)", "needs-render"),
        ("line-height:0;overflow:hidden", "hidden"),
        ("line-height:0px;overflow:hidden", "hidden"),
        ("line-height:1;overflow:hidden", "compliant"),
        ("letter-spacing:-1em", "hidden"),
        ("letter-spacing:-10px", "hidden"),
        ("letter-spacing:-1px", "compliant"),
        ("clip-path:inset(0 0 100% 0)", "hidden"),
        ("color:rgba(0,0,0,.6)", "compliant"),
    ],
)
def test_more_ways_to_paint_nothing(style: str, verdict: str) -> None:
    from crawler.extract import extract
    from rules.verdict import page_verdict

    url = "https://www.chaoqiankeji.com/"
    html = (
        "<html><body><main><p>西安朝前智能科技有限公司专注于人工智能。</p></main>"
        f"<footer><p style='{style}'>增值电信业务经营许可证：陕B2-20210271</p></footer></body></html>"
    )
    assert page_verdict(extract(html, url, url, is_homepage=True).facts, "陕B2-20210271").value == verdict


def test_paint_rules_that_cannot_hide_build_no_hiding_sheet() -> None:
    from crawler.visibility import page_styles

    sheet = ".card{filter:grayscale(1);letter-spacing:1px;direction:ltr;clip-path:none;mask:none}"
    assert page_styles((sheet,)).hiding is None
    styles = page_styles((".tip{filter:blur(6px)} .tip.on{filter:none}",))
    assert styles.hiding is not None
    assert [r.selector for r in styles.hiding.rules] == [".tip", ".tip.on"]  # the undoing rule cascades
