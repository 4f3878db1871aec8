"""Number variants seen on real footers (issue 13 item 2): a separator between province and ICP, the
next inline element's text run into a filing's suffix, 公安 numbers without a province prefix, and a
licence written after an ICP证 label. Each is read as the number a visitor sees, and no other."""

from __future__ import annotations

import pytest

from crawler import textscan
from rules.model import Verdict
from rules.numbers import NumberKind, find_numbers
from rules.text import normalise

LIC = NumberKind.LICENCE
ZHENG = NumberKind.ICP_ZHENG
BEIAN = NumberKind.ICP_FILING
GONGAN = NumberKind.PUBLIC_SECURITY


def read(text: str) -> list[tuple[NumberKind, str]]:
    found = find_numbers(normalise(text))
    # the page-scale recogniser (crawler.textscan) reads the same numbers, in short and long text
    assert textscan.find_numbers(textscan.normalise(text)) == found
    long = "公司简介" * 400 + " " + text + " " + "联系我们" * 400
    assert [(m.kind, m.value) for m in textscan.find_numbers(textscan.normalise(long))] == [
        (m.kind, m.value) for m in found
    ]
    return [(m.kind, m.value) for m in found]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a separator between the province and ICP
        ("京｜ICP备11020872号－17", [(BEIAN, "京ICP备11020872号-17")]),
        ("京|ICP备11020872号-17", [(BEIAN, "京ICP备11020872号-17")]),
        ("京 | ICP备11020872号", [(BEIAN, "京ICP备11020872号")]),
        ("京│ICP备11020872号", [(BEIAN, "京ICP备11020872号")]),
        ("京丨ICP备11020872号", [(BEIAN, "京ICP备11020872号")]),
        ("京·ICP备11020872号", [(BEIAN, "京ICP备11020872号")]),
        ("京：ICP备11020872号", [(BEIAN, "京ICP备11020872号")]),
        ("京/ICP备11020872号-2", [(BEIAN, "京ICP备11020872号-2")]),
        ("京 ICP 备 11020872 号", [(BEIAN, "京ICP备11020872号")]),
        ("京｜ICP证030173号", [(ZHENG, "京ICP证030173号")]),
        # the next inline element's text straight after the suffix
        ("陕ICP备2021004976号-3Powered by 朝前", [(BEIAN, "陕ICP备2021004976号-3")]),
        ("陕ICP备2021004976号-3 Powered by 朝前", [(BEIAN, "陕ICP备2021004976号-3")]),
        ("陕ICP备2021004976号-3|技术支持", [(BEIAN, "陕ICP备2021004976号-3")]),
        ("陕ICP备2021004976号-3技术支持：朝前", [(BEIAN, "陕ICP备2021004976号-3")]),
        ("陕ICP备2021004976号-3Copyright © 2024", [(BEIAN, "陕ICP备2021004976号-3")]),
        ("陕ICP备2021004976号-3A", [(BEIAN, "陕ICP备2021004976号-3A")]),
        ("陕ICP备2021004976号-1X小程序", [(BEIAN, "陕ICP备2021004976号-1X")]),
        # the converse: 号- followed by the digits of something else
        ("陕ICP备2021004976号-20240101", [(BEIAN, "陕ICP备2021004976号")]),
        ("陕ICP备2021004976号-029-88886666", [(BEIAN, "陕ICP备2021004976号")]),
        # 公安 numbers without a province prefix, and other wordings
        ("公安备案号11010502030143", [(GONGAN, "公网安备11010502030143号")]),
        ("公安备案号：11010502030143", [(GONGAN, "公网安备11010502030143号")]),
        ("公网安备号11010502030143", [(GONGAN, "公网安备11010502030143号")]),
        ("公安机关备案号：11010502030143", [(GONGAN, "公网安备11010502030143号")]),
        ("京公安备案号11010502030143", [(GONGAN, "京公网安备11010502030143号")]),
        ("京公网安备11010502030143号", [(GONGAN, "京公网安备11010502030143号")]),
        ("公安备案号：京公网安备11010502030143号", [(GONGAN, "京公网安备11010502030143号")]),
        # a licence after an ICP证 label, with or without its own prefix
        ("沪ICP证 B2-20040070", [(LIC, "沪B2-20040070")]),
        ("沪ICP证B2-20040070号", [(LIC, "沪B2-20040070")]),
        ("沪ICP证：B2-20040070", [(LIC, "沪B2-20040070")]),
        ("沪ICP证：沪B2-20040070", [(LIC, "沪B2-20040070")]),
        ("沪 ICP 证 : B2-20040070-1", [(LIC, "沪B2-20040070-1")]),
        ("京ICP证：沪B2-20040070", [(LIC, "沪B2-20040070")]),  # its own prefix wins
        ("经营许可证：B2-20040070", [(LIC, "B2-20040070")]),  # no ICP证 label: as written
        ("沪ICP证030173号 B2-20040070", [(ZHENG, "沪ICP证030173号"), (LIC, "B2-20040070")]),
    ],
)
def test_real_footer_variants(text: str, expected: list[tuple[NumberKind, str]]) -> None:
    assert read(text) == expected


def test_licence_after_icp_zheng_label_has_the_label_province_as_key() -> None:
    (m,) = find_numbers(normalise("沪ICP证 B2-20040070"))
    assert m.key == "沪B2-20040070"


@pytest.mark.parametrize(
    "text",
    [
        "陕ICP备2021004976号-3O",  # a look-alike letter after the suffix: -30 shown, not -3
        "陕ICP备2021004976号-3l",
    ],
)
def test_a_look_alike_after_the_suffix_is_not_the_suffix(text: str) -> None:
    assert (BEIAN, "陕ICP备2021004976号-3") not in read(text)


@pytest.mark.parametrize(
    "text",
    [
        "公安备案号1101050203014",  # 13 digits
        "公安备案号110105020301433",  # 15 digits
        "公安备案号11010502030143O",  # a look-alike letter: another number
        "公安11010502030143",  # no 备案 wording: some other number
        "备案号11010502030143",
    ],
)
def test_no_prefix_public_security_needs_its_wording_and_digits(text: str) -> None:
    assert (GONGAN, "公网安备11010502030143号") not in read(text)


def test_a_capitalised_word_after_an_app_letter() -> None:
    assert read("陕ICP备2021004976号-2APowered by 朝前") == [(BEIAN, "陕ICP备2021004976号-2A")]


@pytest.mark.parametrize("shown", ["陕ICP证 B2-20210271", "陕ICP证：B2-20210271号", "陕ICP证：陕B2-20210271"])
def test_the_pages_own_licence_under_an_icp_zheng_label_raises_no_false_error(shown: str) -> None:
    from tests.fuzz.families import judge  # the bundled test profile: licence 陕B2-20210271

    html = f"<html><body><main>关于我们</main><footer>{shown} 陕ICP备2021004976号-3</footer></body></html>"
    judgement = judge(html).judgement
    assert judgement.verdict is Verdict.COMPLIANT
    assert "LIC-002" not in [f.rule for f in judgement.findings]
