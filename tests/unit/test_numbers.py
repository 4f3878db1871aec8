"""rules.numbers: recognisers for licence, ICP证, ICP备 and 公安 numbers (reference §2.2–§2.5)."""

from __future__ import annotations

import itertools
import re

import pytest

from rules.numbers import NumberKind, NumberMatch, find_numbers, licence_key, parse_licence
from rules.text import normalise

LIC = NumberKind.LICENCE
ZHENG = NumberKind.ICP_ZHENG
BEIAN = NumberKind.ICP_FILING
GONGAN = NumberKind.PUBLIC_SECURITY
OURS = "陕B2-20210271"


def found(text: str) -> list[NumberMatch]:
    return find_numbers(normalise(text))


def keys(text: str, kind: NumberKind | None = None) -> list[str]:
    return [m.key for m in found(text) if kind is None or m.kind is kind]


# (raw footer text, kind, canonical value, comparison key): exactly one number expected.
SINGLE = [
    # licence (B2-style)
    pytest.param("陕B2-20210271", LIC, OURS, OURS, id="lic-seed"),
    pytest.param("增值电信业务经营许可证：陕B2-20210271", LIC, OURS, OURS, id="lic-label-colon"),
    pytest.param("增值电信业务经营许可证陕B2-20210271号", LIC, OURS, OURS, id="lic-label-no-colon-hao"),
    pytest.param("陕B2-20210271号", LIC, OURS, OURS, id="lic-hao-suffix"),
    pytest.param("陕B2-20210271-1", LIC, "陕B2-20210271-1", OURS, id="lic-dash-N-same-key"),
    pytest.param("陕B2-20210271-102号", LIC, "陕B2-20210271-102", OURS, id="lic-dash-NNN-hao"),
    pytest.param("陕 B2 - 20210271", LIC, OURS, OURS, id="lic-spaces"),
    pytest.param("陕 B2 - 20210271 - 1 号", LIC, "陕B2-20210271-1", OURS, id="lic-spaces-everywhere"),
    pytest.param("陕Ｂ２－２０２１０２７１", LIC, OURS, OURS, id="lic-full-width"),
    pytest.param("陕B2\u201320210271", LIC, OURS, OURS, id="lic-en-dash"),
    pytest.param("陕B2-2021\u200b0271", LIC, OURS, OURS, id="lic-zero-width"),
    pytest.param("B2-20140447", LIC, "B2-20140447", "B2-20140447", id="lic-no-prefix"),
    pytest.param("合字B2-20170010", LIC, "合字B2-20170010", "合字B2-20170010", id="lic-hezi"),
    pytest.param("合字B1.B2-20130004", LIC, "合字B1.B2-20130004", "合字B1.B2-20130004", id="lic-hezi-B1.B2"),
    pytest.param(
        "合字A1.B1.B2-20180017", LIC, "合字A1.B1.B2-20180017", "合字A1.B1.B2-20180017", id="lic-hezi-A1.B1.B2"
    ),
    pytest.param("A2.B1.B2-20100001", LIC, "A2.B1.B2-20100001", "A2.B1.B2-20100001", id="lic-A2.B1.B2"),
    pytest.param(
        "A2 . B1 、B2-20100001", LIC, "A2.B1.B2-20100001", "A2.B1.B2-20100001", id="lic-cats-mixed-seps"
    ),
    pytest.param("B1·B2-20100001", LIC, "B1.B2-20100001", "B1.B2-20100001", id="lic-cats-middle-dot"),
    pytest.param("ICP证：陕B2-20140148", LIC, "陕B2-20140148", "陕B2-20140148", id="lic-under-ICP证-label"),
    pytest.param(
        "沪ICP证：沪B2-20100043", LIC, "沪B2-20100043", "沪B2-20100043", id="lic-under-prov-ICP证-label"
    ),
    pytest.param("黔ICP证：黔B2-20140009号", LIC, "黔B2-20140009", "黔B2-20140009", id="lic-under-ICP证-hao"),
    pytest.param("ICP证合字B2-20070004号", LIC, "合字B2-20070004", "合字B2-20070004", id="lic-ICP证合字"),
    pytest.param("浙B2-20080101-4", LIC, "浙B2-20080101-4", "浙B2-20080101", id="lic-zhejiang-filing-suffix"),
    pytest.param("B2-20100312号(ICP加挂服务)", LIC, "B2-20100312", "B2-20100312", id="lic-suffix-note"),
    # ICP证
    pytest.param("京ICP证030173号", ZHENG, "京ICP证030173号", "京ICP证030173号", id="zheng"),
    pytest.param("京ICP证030173号-1", ZHENG, "京ICP证030173号-1", "京ICP证030173号", id="zheng-dash-N"),
    pytest.param("粤ICP证070359", ZHENG, "粤ICP证070359号", "粤ICP证070359号", id="zheng-no-hao"),
    pytest.param("沪ICP证：130164号", ZHENG, "沪ICP证130164号", "沪ICP证130164号", id="zheng-colon"),
    pytest.param("京 ICP 证 080047 号", ZHENG, "京ICP证080047号", "京ICP证080047号", id="zheng-spaces"),
    pytest.param("京icp证080047号", ZHENG, "京ICP证080047号", "京ICP证080047号", id="zheng-lowercase"),
    # ICP备
    pytest.param("京ICP备12049103号", BEIAN, "京ICP备12049103号", "京ICP备12049103号", id="beian-8"),
    pytest.param("陕ICP备2026009958号", BEIAN, "陕ICP备2026009958号", "陕ICP备2026009958号", id="beian-10"),
    pytest.param("京ICP备20018813号-3", BEIAN, "京ICP备20018813号-3", "京ICP备20018813号", id="beian-dash-N"),
    pytest.param("陕ICP备 13013915号-3", BEIAN, "陕ICP备13013915号-3", "陕ICP备13013915号", id="beian-space"),
    pytest.param(
        "京ICP备12049103号-2A", BEIAN, "京ICP备12049103号-2A", "京ICP备12049103号", id="beian-app-A"
    ),
    pytest.param(
        "京ICP备12049103号-1X", BEIAN, "京ICP备12049103号-1X", "京ICP备12049103号", id="beian-mini-X"
    ),
    pytest.param(
        "京ICP备12049103号-1x", BEIAN, "京ICP备12049103号-1X", "京ICP备12049103号", id="beian-x-upper"
    ),
    pytest.param("陇ICP备 05000593", BEIAN, "陇ICP备05000593号", "陇ICP备05000593号", id="beian-missing-hao"),
    pytest.param(
        "粤ICP备09082681-1", BEIAN, "粤ICP备09082681号-1", "粤ICP备09082681号", id="beian-no-hao-dash-N"
    ),
    pytest.param("京ICP备：14012449号", BEIAN, "京ICP备14012449号", "京ICP备14012449号", id="beian-colon"),
    pytest.param(
        "京ICP备:14012449号", BEIAN, "京ICP备14012449号", "京ICP备14012449号", id="beian-ascii-colon"
    ),
    pytest.param(
        "蜀ICP备2021031984号", BEIAN, "蜀ICP备2021031984号", "蜀ICP备2021031984号", id="beian-alt-province"
    ),
    # 公安
    pytest.param(
        "京公网安备11010502030143号", GONGAN, "京公网安备11010502030143号", "11010502030143", id="gongan-14"
    ),
    pytest.param(
        "京公网安备110000000006号", GONGAN, "京公网安备110000000006号", "110000000006", id="gongan-legacy-12"
    ),
    pytest.param(
        "鲁公网安备 37028502220584号",
        GONGAN,
        "鲁公网安备37028502220584号",
        "37028502220584",
        id="gongan-space",
    ),
    pytest.param(
        "粤公网安备 44049102496009 号",
        GONGAN,
        "粤公网安备44049102496009号",
        "44049102496009",
        id="gongan-spaces",
    ),
    pytest.param(
        "沪公安网备31010402000001号",
        GONGAN,
        "沪公网安备31010402000001号",
        "31010402000001",
        id="gongan-公安网备-typo",
    ),
    pytest.param(
        "陕公网安备案号：61019002000123",
        GONGAN,
        "陕公网安备61019002000123号",
        "61019002000123",
        id="gongan-备案号-colon",
    ),
    pytest.param(
        "陕公网安备６１０１９００２０００１２３号",
        GONGAN,
        "陕公网安备61019002000123号",
        "61019002000123",
        id="gongan-full-width",
    ),
]


@pytest.mark.parametrize(("text", "kind", "value", "key"), SINGLE)
def test_single_number(text: str, kind: NumberKind, value: str, key: str) -> None:
    norm = normalise(text)
    matches = find_numbers(norm)
    assert [(m.kind, m.value, m.key) for m in matches] == [(kind, value, key)]
    # the span covers the number itself (all of the key's digits), so evidence can quote it
    span = norm[matches[0].start : matches[0].end]
    assert re.sub(r"\D", "", key) in re.sub(r"\D", "", span)
    assert not span.startswith(" ")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "京ICP证080057号电信业务审批【2010】字第296号京公网安备11010502030143号增值电信业务经营许可证B2-20100312",
            [(ZHENG, "京ICP证080057号"), (GONGAN, "11010502030143"), (LIC, "B2-20100312")],
            id="leju-run-together",
        ),
        pytest.param(
            "增值电信业务经营许可证B2-20040144 京ICP证030367号",
            [(LIC, "B2-20040144"), (ZHENG, "京ICP证030367号")],
            id="sohu-licence-and-zheng",
        ),
        pytest.param(
            "陕ICP备2021012345号-1陕B2-20210271陕公网安备61019002000123号",
            [(BEIAN, "陕ICP备2021012345号"), (LIC, OURS), (GONGAN, "61019002000123")],
            id="three-no-separators",
        ),
        pytest.param(
            "© 2021-2026 西安朝前智能科技有限公司 | 陕ICP备2021012345号-1 | 增值电信业务经营许可证：陕B2-20210271 | "
            "陕公网安备61019002000123号",
            [(BEIAN, "陕ICP备2021012345号"), (LIC, OURS), (GONGAN, "61019002000123")],
            id="customer-footer",
        ),
        pytest.param(
            "陕B2-20210271 陕B2-20210272", [(LIC, OURS), (LIC, "陕B2-20210272")], id="two-licences-in-order"
        ),
    ],
)
def test_several_numbers(text: str, expected: list[tuple[NumberKind, str]]) -> None:
    assert [(m.kind, m.key) for m in found(text)] == expected


@pytest.mark.parametrize(
    ("text", "span"),
    [
        pytest.param("许可证：陕B2-20210271号 |", "陕B2-20210271号", id="licence-with-hao"),
        pytest.param("许可证 B2-20140447-1 |", "B2-20140447-1", id="licence-no-prefix-seq"),
        pytest.param("| 京ICP证030173号-1 |", "京ICP证030173号-1", id="zheng"),
        pytest.param("| 陕ICP备 13013915号-3 |", "陕ICP备 13013915号-3", id="beian"),
        pytest.param("| 粤公网安备 44049102496009 号 |", "粤公网安备 44049102496009 号", id="gongan"),
    ],
)
def test_span(text: str, span: str) -> None:
    (match,) = find_numbers(text)
    assert text[match.start : match.end] == span


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("陕ICP备2021012345号-1陕B2-20210271", id="after-filing-suffix"),
        pytest.param("© 2021陕B2-20210271", id="after-year"),
        pytest.param("许可证陕B2-20210271", id="after-label"),
        pytest.param("(陕B2-20210271)", id="in-parentheses"),
    ],
)
def test_digit_or_cjk_before_prefix_still_ours(text: str) -> None:
    """A digit before the province is the end of the previous number, not part of this one."""
    assert keys(text, LIC) == [OURS]


def test_matches_are_sorted_and_do_not_overlap() -> None:
    text = normalise("京ICP证080057号 ICP证：陕B2-20140148 京ICP备12049103号-2A 京公网安备11010502030143号")
    matches = find_numbers(text)
    assert [m.start for m in matches] == sorted(m.start for m in matches)
    for a, b in itertools.pairwise(matches):
        assert a.end <= b.start
    assert [m.kind for m in matches] == [ZHENG, LIC, BEIAN, GONGAN]


def test_icp_zheng_label_before_b2_number_is_a_licence_not_icp_zheng() -> None:
    for text in ("ICP证：陕B2-20140148", "陕ICP证：陕B2-20140148", "ICP证 陕B2-20140148号"):
        matches = found(text)
        assert [m.kind for m in matches] == [LIC], text
        assert matches[0].key == "陕B2-20140148"


# ---- negatives: what must never be read as the customer's number, or as any number -------------


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("陕B2-202102711", id="one-digit-too-many"),
        pytest.param("增值电信业务经营许可证：陕B2-202102711号", id="one-digit-too-many-labelled"),
        pytest.param("陕B2-2021027111", id="two-digits-too-many"),
        pytest.param("陕B2-0202102710", id="leading-digit"),
        pytest.param("陕AB2-20210271", id="letter-between-prefix-and-class"),
        pytest.param("陕B22-20210271", id="class-B22"),
        pytest.param("陕B3-20210271", id="class-B3"),
        pytest.param("陕B2-2021-0271", id="digits-split-by-dash"),
        pytest.param("陕B220210271", id="no-dash"),
    ],
)
def test_never_the_customer_key(text: str) -> None:
    assert OURS not in keys(text)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        pytest.param("陕B2-202102711", "陕B2-202102711", id="9-digits"),
        pytest.param("陕B2-2021027", "陕B2-2021027", id="7-digits"),
        pytest.param("陕B2-2021027111", "陕B2-2021027111", id="10-digits"),
        pytest.param("陕B2-202102711号", "陕B2-202102711", id="9-digits-hao"),
    ],
)
def test_malformed_length_is_a_different_licence(text: str, key: str) -> None:
    """A longer or shorter number is recognised as itself, so a footer showing it is a wrong number."""
    assert keys(text) == [key]
    assert parse_licence(text) == key != OURS


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("陕B2-20210271123", id="11-digits"),
        pytest.param("陕B2-20210", id="5-digits"),
    ],
)
def test_digit_runs_outside_6_to_10_are_no_licence(text: str) -> None:
    assert keys(text, LIC) == []


@pytest.mark.parametrize("text", ["X陕B2-20210271", "All Rights Reserved陕B2-20210271", "ICP陕B2-20210271"])
def test_a_latin_letter_before_the_province_keeps_the_prefix(text: str) -> None:
    """Inline elements join without spaces ('Chaoqian AI' + '陕B2-…'): the province still belongs to the number."""
    assert keys(text, LIC) == [OURS]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("AB2-20210271", id="letter-before-class"),
        pytest.param("XB2-20100312", id="X-before-class"),
        pytest.param("1B2-20100312", id="digit-before-class"),
        pytest.param("B2-212212138", id="placeholder-9-digits-year-2122"),
        pytest.param("增值电信业务经营许可证：B2-212212138", id="placeholder-labelled"),
        pytest.param("B2-21221213", id="year-2122"),
        pytest.param("B2-00000000", id="zeros"),
        pytest.param("粤公安备1101082014405", id="gongan-placeholder-13-digits"),
        pytest.param("粤公网安备1101082014405", id="gongan-13-digits"),
        pytest.param("京公网安备110105020301431号", id="gongan-15-digits"),
        pytest.param("京公网安备1101050203014号", id="gongan-13-digits-hao"),
        pytest.param("京ICP备1234号", id="beian-4-digits"),
        pytest.param("京ICP备12345678901号", id="beian-11-digits"),
        pytest.param("京ICP证12345号", id="zheng-5-digits"),
        pytest.param("ICP备12049103号", id="beian-no-province"),
        pytest.param("沪ICP证：沪B2", id="label-only"),
        pytest.param("电信业务审批【2010】字第296号", id="approval-number"),
        pytest.param("电话：029-88888888", id="phone-number"),
        pytest.param("© 2021-2026", id="copyright-years"),
    ],
)
def test_rejected(text: str) -> None:
    assert found(text) == []


# ---- helpers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "cats", "num", "key"),
    [
        pytest.param("陕", "B2", "20210271", OURS, id="province"),
        pytest.param(None, "B2", "20140447", "B2-20140447", id="no-prefix"),
        pytest.param("合字", "B1 、 B2", "20130004", "合字B1.B2-20130004", id="separators-canonical"),
        pytest.param(None, "A2·B1.B2", "20100001", "A2.B1.B2-20100001", id="middle-dot"),
    ],
)
def test_licence_key(prefix: str | None, cats: str, num: str, key: str) -> None:
    assert licence_key(prefix, cats, num) == key


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("陕B2-20210271", OURS, id="plain"),
        pytest.param("陕Ｂ２－２０２１０２７１-3号", OURS, id="full-width-suffixes"),
        pytest.param("增值电信业务经营许可证：陕B2-20210271 陕ICP备2021012345号-1", OURS, id="with-filing"),
        pytest.param("陕ICP备2021012345号", None, id="no-licence"),
        pytest.param("", None, id="empty"),
        pytest.param("陕B2-20210271 陕B2-20210272", None, id="two-licences"),
        pytest.param("陕B2-20210271 陕B2-20210271", None, id="same-licence-twice"),
    ],
)
def test_parse_licence(text: str, expected: str | None) -> None:
    assert parse_licence(text) == expected


def test_kind_values_are_the_json_contract() -> None:
    assert [k.value for k in NumberKind] == ["licence", "icp-filing", "icp-zheng", "public-security"]
