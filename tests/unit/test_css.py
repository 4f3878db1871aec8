"""CSS as extraction reads it: colours, backgrounds, lengths, @media, @import and which rules are kept."""

from __future__ import annotations

import pytest

from crawler.css import (
    TRANSPARENT,
    background_colour,
    colour,
    imports,
    media_applies,
    px,
    sheet_rules,
)
from crawler.selectors import AttrTest
from crawler.visibility import NO_PENDING, page_styles, transform_hiding


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
    assert [(r.selector, r.decls, r.exact) for r in rules] == [
        ("div.a", (("color", "#fff", False),), True),
        (".b > p", (("color", "#fff", False),), False),  # read as `.b p`: may only leave text undecided
        ("*", (("color", "#fff", False),), True),
        ("ul li", (("text-align", "center", False),), True),
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


def test_attribute_selectors_are_parsed() -> None:
    rules = sheet_rules(
        "[data-role=licence], p[title='a b' i], footer .x[data-k^=\"v\"], [hidden], a[href$=.pdf], [1=2],"
        " [ns|a], [a=b]>p, [a=b c], [data-x {display:none}"
    )
    assert [(r.selector, r.rank[:3], [c.key for c in r.compounds]) for r in rules] == [
        ("[data-role=licence]", (0, 1, 0), ["[data-role"]),
        ("p[title='a b' i]", (0, 1, 1), ["p"]),
        ('footer .x[data-k^="v"]', (0, 2, 1), ["footer", ".x"]),
        ("[hidden]", (0, 1, 0), ["[hidden"]),
        ("[a=b]>p", (0, 1, 1), ["[a", "p"]),  # read loosely, as `[a=b] p`
    ]
    assert [r.exact for r in rules] == [True, True, True, True, False]
    assert rules[1].compounds[0].attrs == (AttrTest("title", "=", "a b", True),)


@pytest.mark.parametrize(
    ("test", "value", "matches"),
    [
        (AttrTest("a", None, "", False), None, True),
        (AttrTest("a", "=", "x", False), "x", True),
        (AttrTest("a", "=", "x", False), "X", False),
        (AttrTest("a", "=", "x", True), "X", True),
        (AttrTest("a", "=", "", False), None, True),
        (AttrTest("a", "~=", "b", False), "a b c", True),
        (AttrTest("a", "~=", "b", False), "abc", False),
        (AttrTest("a", "~=", "", False), "", False),
        (AttrTest("a", "|=", "zh", False), "zh-CN", True),
        (AttrTest("a", "|=", "zh", False), "zhx", False),
        (AttrTest("a", "^=", "lic", False), "licence", True),
        (AttrTest("a", "^=", "", False), "licence", False),
        (AttrTest("a", "$=", "ence", False), "licence", True),
        (AttrTest("a", "*=", "cen", False), "licence", True),
        (AttrTest("a", "*=", "xyz", False), "licence", False),
    ],
)
def test_attribute_test_matches(test: AttrTest, value: str | None, matches: bool) -> None:
    assert test.matches({"a": value}) is matches
    assert test.matches({"b": value}) is False


def test_style_sheet_matches_attribute_keyed_rules() -> None:
    styles = page_styles(("[data-role=licence]{display:none} footer [data-k]{visibility:hidden}",))
    sheet = styles.hiding
    assert sheet is not None
    assert set(sheet.attr_names) == {"data-role", "data-k"}
    rules, _ = sheet.match("p", {"data-role": "licence"}, NO_PENDING)
    assert [r.selector for r in rules] == ["[data-role=licence]"]
    assert sheet.match("p", {"data-role": "other"}, NO_PENDING)[0] == []
    _, pending = sheet.match("footer", {}, NO_PENDING)
    assert [r.selector for r in sheet.match("span", {"data-k": None}, pending)[0]] == ["footer [data-k]"]


@pytest.mark.parametrize(
    ("prop", "value", "why"),
    [
        ("transform", "scale(0)", "scaled to nothing"),
        ("transform", "scale(0.0, 1)", "scaled to nothing"),
        ("transform", "scalex(0)", "scaled to nothing"),
        ("transform", "scaley(0%)", "scaled to nothing"),
        ("transform", "scale3d(0, 1, 1)", "scaled to nothing"),
        ("transform", "matrix(0, 0, 0, 0, 0, 0)", "scaled to nothing"),
        ("transform", "matrix(1, 2, 2, 4, 0, 0)", "scaled to nothing"),
        ("transform", "matrix(1, 0, 0, 1, 0, 5000)", "off-screen"),
        ("transform", "matrix3d(1,0,0,0, 0,1,0,0, 0,0,1,0, -9999,0,0,1)", "off-screen"),
        ("transform", "matrix3d(0,0,0,0, 0,0,0,0, 0,0,1,0, 0,0,0,1)", "scaled to nothing"),
        ("transform", "translate(-9999px)", "off-screen"),
        ("transform", "translatex(-100em)", "off-screen"),
        ("transform", "translatey(-1000px)", "off-screen"),
        ("transform", "translate3d(0, 9999px, 0)", "off-screen"),
        ("transform", "rotate(45deg) scale(0)", "scaled to nothing"),
        ("scale", "0", "scaled to nothing"),
        ("scale", "1 0", "scaled to nothing"),
        ("translate", "-9999px", "off-screen"),
        ("transform", "none", None),
        ("transform", "scale(0.5)", None),
        ("transform", "scaley(-1)", None),
        ("transform", "translate(-50%, -50%)", None),
        ("transform", "translatex(-998px)", None),
        ("transform", "matrix(1, 0, 0, 1, 10, 10)", None),
        ("transform", "matrix(a, b)", None),
        ("scale", "1", None),
        ("translate", "10px 20px", None),
    ],
)
def test_transform_hiding(prop: str, value: str, why: str | None) -> None:
    assert transform_hiding(prop, value) == why


def test_transform_declarations_kept_when_one_hides() -> None:
    styles = page_styles((".a{transform:rotate(3deg)}", ".b{transform:scale(0)}"))
    assert styles.hiding is not None
    assert [r.selector for r in styles.hiding.rules] == [".a", ".b"]
    assert page_styles((".a{transform:rotate(3deg)}",)).hiding is None


def test_offset_rules_kept_from_the_fixed_threshold() -> None:
    styles = page_styles((".a{position:fixed;bottom:-120px;height:40px} .b{position:absolute;top:-20px}",))
    assert styles.hiding is not None
    assert [(r.selector, r.decls) for r in styles.hiding.rules] == [
        (
            ".a",
            (("position", "fixed", False), ("bottom", "-120px", False), ("height", "40px", False)),
        )
    ]
