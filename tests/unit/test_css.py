"""CSS as extraction reads it: colours, backgrounds, lengths, @media, @import and which rules are kept."""

from __future__ import annotations

import pytest

from crawler.css import TRANSPARENT, background_colour, colour, imports, media_applies, px, sheet_rules
from crawler.visibility import page_styles


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("white", "#ffffff"),
        ("WHITE", "#ffffff"),
        ("#fff", "#ffffff"),
        ("#FFFFFF", "#ffffff"),
        ("#ffff", "#ffffff"),
        ("#ffffffff", "#ffffff"),
        ("#ffffff80", None),
        ("#fff0", TRANSPARENT),
        ("rgb(255, 255, 255)", "#ffffff"),
        ("rgb(255 255 255)", "#ffffff"),
        ("rgb(100%, 100%, 100%)", "#ffffff"),
        ("rgba(255,255,255,1)", "#ffffff"),
        ("rgba(255,255,255,0.5)", None),
        ("rgba(0,0,0,0)", TRANSPARENT),
        ("rgb(0 0 0 / 0%)", TRANSPARENT),
        ("hsl(0, 0%, 100%)", "#ffffff"),
        ("hsl(120deg 100% 25%)", "#008000"),
        ("transparent", TRANSPARENT),
        ("rebeccapurple", "#663399"),
        ("grey", "#808080"),
        ("currentcolor", None),
        ("var(--text)", None),
        ("#ggg", None),
        ("rgb(1,2)", None),
    ],
)
def test_colour(value: str, expected: str | None) -> None:
    assert colour(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("#fff", "#ffffff"),
        ("#1a1a1a url(bg.png) no-repeat", "image"),
        ("linear-gradient(#fff, #000)", "image"),
        ("none", TRANSPARENT),
        ("transparent", TRANSPARENT),
        ("white none repeat scroll 0 0", "#ffffff"),
        ("rgb(26, 26, 26) 0 0", "#1a1a1a"),
        ("var(--bg)", None),
    ],
)
def test_background_colour(value: str, expected: str | None) -> None:
    assert background_colour(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", 0.0),
        ("-9999px", -9999.0),
        ("-100em", -1600.0),
        ("1px", 1.0),
        ("3pt", 4.0),
        ("auto", None),
        ("50%", None),
    ],
)
def test_px(value: str, expected: float | None) -> None:
    assert px(value) == expected


@pytest.mark.parametrize(
    ("media", "applies"),
    [
        (None, True),
        ("", True),
        ("all", True),
        ("screen", True),
        ("print", False),
        ("screen and (min-width: 1200px)", True),
        ("screen and (min-width: 1400px)", False),
        ("(max-width: 768px)", False),
        ("(max-width: 1920px)", True),
        ("print, screen and (min-width: 992px)", True),
        ("not screen", False),
    ],
)
def test_media_applies(media: str | None, applies: bool) -> None:
    assert media_applies(media) is applies


def test_imports() -> None:
    css = "@charset 'utf-8'; @import url(\"a.css\"); @import 'b.css' print; /* @import 'c.css'; */ .x{color:red}"
    assert imports(css) == (("a.css", ""), ("b.css", "print"))
    assert imports(".x{color:red} @IMPORT 'd.css';") == (("d.css", ""),)
    assert imports(".x{color:red}") == ()


def test_sheet_rules_keep_simple_selectors_and_read_properties() -> None:
    rules = sheet_rules(
        "div.a, .b > p, #c .d:hover, * {color:#fff; margin:0} ul li{ TEXT-ALIGN : Center } .e{float:left}"
    )
    assert [(r.selector, r.decls) for r in rules] == [
        ("div.a", (("color", "#fff", False),)),
        ("*", (("color", "#fff", False),)),
        ("ul li", (("text-align", "center", False),)),
    ]


def test_page_styles_match_only_what_hides() -> None:
    styles = page_styles(
        (".a{width:100px;overflow:hidden} .b{height:0;overflow:hidden} .c{color:red;display:block}",)
    )
    assert styles.hiding is not None
    assert [(r.selector, r.decls) for r in styles.hiding.rules] == [
        (".b", (("height", "0", False), ("overflow", "hidden", False))),
        (".c", (("display", "block", False),)),
    ]
    assert styles.colours


def test_page_styles_without_hiding_rules() -> None:
    styles = page_styles((".a{display:block;text-align:center}",))
    assert styles.hiding is None
    assert [r.selector for index in styles.late for rules in index.values() for r in rules] == [".a"]
    assert not styles.colours


def test_opacity_declarations_kept_when_one_hides() -> None:
    styles = page_styles((".a{opacity:.5}", ".b{opacity:0}"))
    assert styles.hiding is not None
    assert [r.selector for r in styles.hiding.rules] == [".a", ".b"]
    assert page_styles((".a{opacity:.5}",)).hiding is None
