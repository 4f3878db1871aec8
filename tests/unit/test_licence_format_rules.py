"""rules.licence_format_rules: LIC-003 format and LIC-004 province of displayed licence numbers."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from rules.licence_format_rules import LicenceParts, lic_003_format, lic_004_province, split_key
from rules.model import LicenceFacts, NumberHit, PageFacts, Severity, Where
from rules.numbers import NumberKind
from rules.policy import Policy
from rules.text import normalise

OURS = "陕B2-20210271"
LICENCE = LicenceFacts(OURS, "西安朝前智能科技有限公司", date(2026, 8, 30), issued=date(2021, 8, 30))
POLICY = Policy(licence=LICENCE, today=date(2026, 11, 27))


def hit(key: str, *, value: str | None = None, where: Where = Where.TEXT, visible: bool = True) -> NumberHit:
    return NumberHit(
        NumberKind.LICENCE,
        value or key,
        key,
        where,
        in_footer=True,
        visible=visible,
        context=f"许可证：{key}",
    )


def facts(*hits: NumberHit) -> PageFacts:
    return PageFacts("https://chaoqiankeji.com/", "https://chaoqiankeji.com/", True, True, "footer", "", hits)


@pytest.mark.parametrize(
    ("key", "parts"),
    [
        pytest.param(OURS, LicenceParts("陕", ("B2",), "20210271"), id="province"),
        pytest.param("合字B1.B2-20130004", LicenceParts("合字", ("B1", "B2"), "20130004"), id="foreign"),
        pytest.param("A2.B1.B2-20100001", LicenceParts("", ("A2", "B1", "B2"), "20100001"), id="no-prefix"),
        pytest.param("陕ICP备2021012345号", None, id="not-a-licence-key"),
    ],
)
def test_split_key(key: str, parts: LicenceParts | None) -> None:
    assert split_key(key) == parts


# ---- LIC-003 -----------------------------------------------------------------------------------

LIC_003 = [
    # (displayed key, expected case or None)
    pytest.param(OURS, None, id="ours-valid"),
    pytest.param("B2-20100312", None, id="no-prefix-valid"),
    pytest.param("合字A1.B1.B2-20180017", None, id="foreign-combo-valid"),
    pytest.param("陕B2-19900001", None, id="first-year-valid"),
    pytest.param("陕B2-202102711", "digits", id="extra-digit"),
    pytest.param("陕B2-2021027", "digits", id="missing-digit"),
    pytest.param("陕B2-2021027100", "digits", id="ten-digits"),
    pytest.param("陕B2-20990271", "year", id="future-year"),
    pytest.param("陕B2.B1-20210271", "classes", id="classes-out-of-order"),
    pytest.param("陕B2.B2-20210271", "classes", id="class-twice"),
    pytest.param("港B2-20210271", "prefix", id="unknown-prefix"),
]


@pytest.mark.parametrize(("key", "case"), LIC_003)
def test_lic_003_cases(key: str, case: str | None) -> None:
    findings = lic_003_format(facts(hit(key)), POLICY)
    assert [dict(f.params)["case"] for f in findings] == ([case] if case else [])
    assert all(f.rule == "LIC-003" and f.severity is Severity.WARNING for f in findings)


@pytest.mark.parametrize(
    ("key", "message"),
    [
        pytest.param(
            "陕B2-202102711",
            "陕B2-202102711 has 9 digits after the business classes; a licence number has 8",
            id="digits",
        ),
        pytest.param(
            "陕B2-20990271", "陕B2-20990271 starts with the year 2099, outside 1990–2026", id="year"
        ),
        pytest.param(
            "陕B2.B1-20210271",
            "陕B2.B1-20210271 lists the business classes B2.B1; each of A1, A2, B1, B2 may appear once, in that order",
            id="classes",
        ),
    ],
)
def test_lic_003_messages(key: str, message: str) -> None:
    (finding,) = lic_003_format(facts(hit(key)), POLICY)
    assert finding.message == message
    assert finding.evidence == f"许可证：{key}"


@pytest.mark.parametrize(
    "hits",
    [
        pytest.param((hit("陕B2-202102711", visible=False),), id="hidden-is-not-displayed"),
        pytest.param((hit("陕B2-202102711", where=Where.COMMENT),), id="comment"),
        pytest.param((hit("陕B2-202102711", where=Where.IMAGE),), id="image"),
        pytest.param((), id="no-number"),
    ],
)
def test_lic_003_judges_only_displayed_numbers(hits: tuple[NumberHit, ...]) -> None:
    assert lic_003_format(facts(*hits), POLICY) == []


def test_lic_003_one_finding_per_value() -> None:
    twice = facts(hit("陕B2-202102711"), hit("陕B2-202102711"), hit("陕B2-20990271"))
    assert [dict(f.params)["value"] for f in lic_003_format(twice, POLICY)] == [
        "陕B2-202102711",
        "陕B2-20990271",
    ]


def test_lic_003_year_bound_follows_the_judged_date() -> None:
    early = replace(POLICY, today=date(2020, 1, 1))
    assert [f.params for f in lic_003_format(facts(hit(OURS)), early)] == [
        (("case", "year"), ("first", "1990"), ("latest", "2020"), ("value", OURS), ("year", "2021"))
    ]


def test_lic_003_on_a_recognised_run_together_number() -> None:
    from rules.numbers import find_numbers

    (match,) = find_numbers(normalise("许可证：陕B2－２０２１０２７１１号"))
    assert [dict(f.params)["case"] for f in lic_003_format(facts(hit(match.key)), POLICY)] == ["digits"]


# ---- LIC-004 -----------------------------------------------------------------------------------

LIC_004 = [
    # (configured number, displayed key, expected case or None)
    pytest.param(OURS, OURS, None, id="ours"),
    pytest.param(OURS, "陕B2-20190001", None, id="same-province-other-number-is-LIC-002s"),
    pytest.param("川B2-20150001", "蜀B2-20150001", None, id="two-names-of-one-province"),
    pytest.param(OURS, "京B2-20210271", "province", id="another-province"),
    pytest.param(OURS, "B2-20210271", "no-prefix", id="no-prefix"),
    pytest.param(OURS, "合字B2-20210271", "province", id="foreign-prefix"),
    pytest.param("B2-20100312", "陕B2-20100312", "ours-no-prefix", id="ours-has-none"),
    pytest.param("B2-20100312", "B2-20140447", None, id="both-none"),
]


@pytest.mark.parametrize(("configured", "key", "case"), LIC_004)
def test_lic_004_cases(configured: str, key: str, case: str | None) -> None:
    policy = replace(POLICY, licence=replace(LICENCE, number=configured))
    findings = lic_004_province(facts(hit(key)), policy)
    assert [dict(f.params)["case"] for f in findings] == ([case] if case else [])
    assert all(f.rule == "LIC-004" and f.severity is Severity.WARNING for f in findings)


def test_lic_004_message_and_params() -> None:
    (finding,) = lic_004_province(facts(hit("京B2-20210271", value="京B2-20210271-1")), POLICY)
    assert (
        finding.message
        == "京B2-20210271-1 carries the issuer prefix 京; your licence 陕B2-20210271 carries 陕"
    )
    assert dict(finding.params) == {
        "case": "province",
        "value": "京B2-20210271-1",
        "number": OURS,
        "prefix": "京",
        "expected": "陕",
    }


@pytest.mark.parametrize(
    "hits",
    [
        pytest.param((hit("京B2-20210271", visible=False),), id="hidden"),
        pytest.param((hit("京B2-20210271", where=Where.SCRIPT),), id="script"),
        pytest.param((), id="none"),
    ],
)
def test_lic_004_judges_only_displayed_numbers(hits: tuple[NumberHit, ...]) -> None:
    assert lic_004_province(facts(*hits), POLICY) == []


def test_lic_004_silent_when_the_configured_number_does_not_parse() -> None:
    policy = replace(POLICY, licence=replace(LICENCE, number="not a number"))
    assert lic_004_province(facts(hit("京B2-20210271")), policy) == []
