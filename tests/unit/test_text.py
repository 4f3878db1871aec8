"""rules.text.normalise: NFKC, dash variants, zero-width characters, whitespace (reference §2.0)."""

from __future__ import annotations

import pytest

from rules.text import normalise

DASHES = {
    "U+2010 hyphen": "\u2010",
    "U+2011 non-breaking hyphen": "\u2011",
    "U+2012 figure dash": "\u2012",
    "U+2013 en dash": "\u2013",
    "U+2014 em dash": "\u2014",
    "U+2015 horizontal bar": "\u2015",
    "U+2212 minus sign": "\u2212",
    "U+FE63 small hyphen-minus": "\ufe63",
    "U+FF0D full-width hyphen-minus": "\uff0d",
}

ZERO_WIDTH = {
    "U+200B zero-width space": "\u200b",
    "U+200C zero-width non-joiner": "\u200c",
    "U+200D zero-width joiner": "\u200d",
    "U+2060 word joiner": "\u2060",
    "U+FEFF byte order mark": "\ufeff",
    "U+00AD soft hyphen": "\u00ad",
}


@pytest.mark.parametrize("dash", DASHES.values(), ids=DASHES.keys())
def test_every_dash_variant_becomes_ascii_hyphen(dash: str) -> None:
    assert normalise(f"陕B2{dash}20210271") == "陕B2-20210271"


@pytest.mark.parametrize("zw", ZERO_WIDTH.values(), ids=ZERO_WIDTH.keys())
def test_zero_width_characters_inside_a_number_are_removed(zw: str) -> None:
    assert normalise(f"陕B2-2021{zw}0271") == "陕B2-20210271"
    assert normalise(f"{zw}陕{zw}B2{zw}-{zw}20210271{zw}") == "陕B2-20210271"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("陕Ｂ２－２０２１０２７１", "陕B2-20210271", id="full-width-letters-digits-dash"),
        pytest.param("京ＩＣＰ备１２０４９１０３号", "京ICP备12049103号", id="full-width-ICP"),
        pytest.param("京ｉｃｐ证０３０１７３号", "京icp证030173号", id="full-width-lowercase-kept-lowercase"),
        pytest.param("许可证：陕B2-20210271", "许可证:陕B2-20210271", id="full-width-colon"),
        pytest.param("（ICP加挂服务）", "(ICP加挂服务)", id="full-width-parentheses"),
        pytest.param(
            "粤公网安备\u300044049102496009\u3000号", "粤公网安备 44049102496009 号", id="ideographic-space"
        ),
        pytest.param("B2-20100312\u00a0\u00a0京ICP证080057号", "B2-20100312 京ICP证080057号", id="nbsp-run"),
    ],
)
def test_nfkc(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("a  b", "a b", id="two-spaces"),
        pytest.param("a \t\n\r\f\v b", "a b", id="mixed-ascii-whitespace"),
        pytest.param("a\u3000\u00a0\u2002 b", "a b", id="unicode-spaces"),
        pytest.param("a\u200b \u200b b", "a b", id="zero-width-between-spaces"),
        pytest.param("\n\n陕ICP备  13013915号\n", " 陕ICP备 13013915号 ", id="ends-collapsed-not-stripped"),
        pytest.param("", "", id="empty"),
    ],
)
def test_whitespace_collapses_to_one_space(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("增值电信业务经营许可证：陕B2-20210271号", id="licence-line"),
        pytest.param("© 2021-2026 西安朝前智能科技有限公司 版权所有", id="copyright"),
        pytest.param("京公网安备11010502030143号", id="gongan"),
    ],
)
def test_plain_text_is_unchanged(text: str) -> None:
    # Full-width colon is the only character here NFKC folds.
    assert normalise(text) == text.replace("：", ":")


@pytest.mark.parametrize(
    "raw",
    [
        "陕Ｂ２\u2014２０２１\u200b０２７１",
        " a\u3000\u3000b\u2212c\ufe63d ",
        "合字B1\u00b7B2\u2013201300\u00ad04",
    ],
    ids=["licence-mix", "spaces-and-dashes", "middle-dot-soft-hyphen"],
)
def test_idempotent(raw: str) -> None:
    once = normalise(raw)
    assert normalise(once) == once
