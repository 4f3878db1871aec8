"""rules.public_security_rules: GA-001…GA-005 on hand-built page facts (the 公安联网备案号: display,
digits and province, platform link, badge icon, label and prefix conventions); rules.provinces."""

from __future__ import annotations

from datetime import date

import pytest

from rules.catalogue import RULES_BY_ID
from rules.model import Finding, LicenceFacts, NumberHit, PageFacts, Severity, Where
from rules.numbers import PROVINCES, find_numbers
from rules.policy import Policy
from rules.provinces import BY_CODE, PROVINCE_TABLE, licence_province, province_of
from rules.public_security_rules import (
    ga_001_homepage,
    ga_002_format,
    ga_003_link,
    ga_004_badge,
    ga_005_convention,
    mps_link,
)
from rules.text import normalise

DIGITS = "61019002000123"
NUMBER = f"陕公网安备{DIGITS}号"
LINK = f"https://beian.mps.gov.cn/#/query/webSearch?code={DIGITS}"
ERR, WARN, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
POLICY = Policy(
    licence=LicenceFacts("陕B2-20210271", "西安朝前智能科技有限公司", date(2026, 8, 30)),
    today=date(2026, 11, 27),
)


def num(
    text: str = NUMBER,
    *,
    href: str | None = LINK,
    badge: bool = True,
    where: Where = Where.TEXT,
    visible: bool = True,
    raw: str | None = None,
    reason: str | None = None,
) -> NumberHit:
    """A 公安 number as extraction reports it: value and key (the digits) from the recogniser."""
    (match,) = find_numbers(normalise(text))
    return NumberHit(
        kind=match.kind,
        value=match.value,
        key=match.key,
        where=where,
        in_footer=True,
        visible=visible,
        href=href,
        hidden_reason=reason,
        context=f"陕ICP备2021012345号-1 | {text}",
        raw=normalise(text) if raw is None else raw,
        badge=badge,
    )


def facts(*hits: NumberHit, homepage: bool = True, js_shell: bool = False) -> PageFacts:
    url = "https://chaoqiankeji.com/" if homepage else "https://chaoqiankeji.com/about.html"
    return PageFacts(url, url, homepage, True, "footer", "© 2026 西安朝前智能科技有限公司", hits, js_shell)


def cases(findings: list[Finding]) -> list[tuple[str, str, Severity]]:
    return [(f.rule, dict(f.params).get("case", ""), f.severity) for f in findings]


def test_no_public_security_rule_is_an_error_by_default() -> None:
    severities = {
        rid: RULES_BY_ID[rid].severity for rid in ("GA-001", "GA-002", "GA-003", "GA-004", "GA-005")
    }
    assert severities == {"GA-001": WARN, "GA-002": WARN, "GA-003": WARN, "GA-004": INFO, "GA-005": INFO}


# ---- GA-001 displayed on the homepage ------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        pytest.param(facts(num()), [], id="visible"),
        pytest.param(facts(num(href=None, badge=False)), [], id="unlinked-still-displayed"),
        pytest.param(facts(homepage=False), [], id="inner-page"),
        pytest.param(facts(), [("GA-001", "missing", WARN)], id="missing"),
        pytest.param(
            facts(num(visible=False, reason="visibility:hidden on span.ga")),
            [("GA-001", "hidden", WARN)],
            id="hidden",
        ),
        pytest.param(facts(num(where=Where.IMAGE)), [("GA-001", "image-only", WARN)], id="image"),
        pytest.param(facts(js_shell=True), [("GA-001", "needs-render", INFO)], id="js-shell"),
        pytest.param(
            facts(num(where=Where.ATTRIBUTE, visible=False)),
            [("GA-001", "only-in", WARN)],
            id="title-attribute",
        ),
    ],
)
def test_ga_001(page: PageFacts, expected: list[tuple[str, str, Severity]]) -> None:
    assert cases(ga_001_homepage(page, POLICY)) == expected


def test_ga_001_message() -> None:
    (finding,) = ga_001_homepage(facts(), POLICY)
    assert finding.message == "no public security filing number (公安备案号) is displayed on the homepage"
    (hidden,) = ga_001_homepage(facts(num(visible=False, reason="display:none on div.ga")), POLICY)
    assert hidden.message == f"{NUMBER} is on the homepage but hidden (display:none on div.ga)"


# ---- GA-002 digits and province ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hit", "expected"),
    [
        pytest.param(num(), [], id="shaanxi-61"),
        pytest.param(num("京公网安备11010502030143号"), [], id="beijing-11"),
        pytest.param(num("川公网安备51010402000001号"), [], id="sichuan-51"),
        pytest.param(num("蜀公网安备51010402000001号"), [], id="icp-prefix-is-ga005s"),
        pytest.param(num("陕公网安备61019002000123号", visible=False), [], id="hidden"),
        pytest.param(num("陕公网安备11010502030143号"), [("GA-002", "province", WARN)], id="beijing-digits"),
        pytest.param(num("云公网安备36010902000181号"), [("GA-002", "province", WARN)], id="jiangxi-digits"),
        pytest.param(num("陕公网安备99010502030143号"), [("GA-002", "code", WARN)], id="no-province-code"),
        pytest.param(num("京公网安备110000000006号"), [("GA-002", "legacy", INFO)], id="legacy-12"),
        pytest.param(
            num("陕公网安备110000000006号"),
            [("GA-002", "province", WARN), ("GA-002", "legacy", INFO)],
            id="legacy-and-province",
        ),
    ],
)
def test_ga_002(hit: NumberHit, expected: list[tuple[str, str, Severity]]) -> None:
    assert cases(ga_002_format(facts(hit), POLICY)) == expected


def test_ga_002_message() -> None:
    (finding,) = ga_002_format(facts(num("陕公网安备11010502030143号")), POLICY)
    assert (
        finding.message
        == "陕公网安备11010502030143号: digits 1-2 (11) belong to 北京, but the prefix 陕 is 陕西"
    )


# ---- GA-003 link to the platform -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("href", "case"),
    [
        pytest.param(LINK, None, id="canonical"),
        pytest.param(f"http://beian.mps.gov.cn/#/query/webSearch?code={DIGITS}", None, id="http"),
        pytest.param(f"https://beian.mps.gov.cn/#/query/webSearch?code={DIGITS}&t=1", None, id="extra-param"),
        pytest.param(None, "unlinked", id="unlinked"),
        pytest.param(
            f"http://www.beian.gov.cn/portal/registerSystemInfo?recordcode={DIGITS}",
            "legacy",
            id="legacy-portal",
        ),
        pytest.param("http://www.beian.gov.cn/portal/registerSystemInfo", "legacy", id="legacy-no-code"),
        pytest.param("https://beian.gov.cn/", "legacy", id="legacy-bare"),
        pytest.param("https://beian.mps.gov.cn/", "no-code", id="no-code"),
        pytest.param(f"https://beian.mps.gov.cn/?code={DIGITS}", "no-code", id="code-outside-fragment"),
        pytest.param(
            "https://beian.mps.gov.cn/#/query/webSearch?code=61019002000124", "other-code", id="other-digits"
        ),
        pytest.param("https://beian.miit.gov.cn/", "other-host", id="miit-host"),
        pytest.param("https://chaoqiankeji.com/", "other-host", id="own-site"),
    ],
)
def test_ga_003(href: str | None, case: str | None) -> None:
    expected = [] if case is None else [("GA-003", case, WARN)]
    assert cases(ga_003_link(facts(num(href=href)), POLICY)) == expected


@pytest.mark.parametrize(
    ("href", "message"),
    [
        pytest.param(None, f"{NUMBER} is not linked; link it to {LINK}", id="unlinked"),
        pytest.param(
            f"http://www.beian.gov.cn/portal/registerSystemInfo?recordcode={DIGITS}",
            f"{NUMBER} links to http://www.beian.gov.cn/portal/registerSystemInfo?recordcode={DIGITS} on the legacy"
            f" host www.beian.gov.cn, reported unreachable since 2025; link to {LINK}",
            id="legacy",
        ),
        pytest.param(
            "https://beian.mps.gov.cn/#/query/webSearch?code=61019002000124",
            f"{NUMBER} links to https://beian.mps.gov.cn/#/query/webSearch?code=61019002000124, which looks up"
            f" 61019002000124 instead of {DIGITS}; link to {LINK}",
            id="other-code",
        ),
    ],
)
def test_ga_003_message(href: str | None, message: str) -> None:
    (finding,) = ga_003_link(facts(num(href=href)), POLICY)
    assert finding.message == message


def test_ga_003_skips_hidden_and_repeats() -> None:
    assert ga_003_link(facts(num(href=None, visible=False)), POLICY) == []
    assert len(ga_003_link(facts(num(href=None), num(href=None)), POLICY)) == 1


def test_mps_link() -> None:
    assert mps_link("11010502030143") == "https://beian.mps.gov.cn/#/query/webSearch?code=11010502030143"


# ---- GA-004 badge --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        pytest.param(facts(num()), [], id="badge"),
        pytest.param(facts(num(badge=False), num()), [], id="one-copy-with-badge"),
        pytest.param(facts(num(badge=False, visible=False)), [], id="hidden"),
        pytest.param(facts(), [], id="no-number"),
        pytest.param(facts(num(badge=False)), [("GA-004", "", INFO)], id="no-badge"),
        pytest.param(
            facts(num(badge=False), num("京公网安备11010502030143号", badge=False)),
            [("GA-004", "", INFO), ("GA-004", "", INFO)],
            id="each-number",
        ),
    ],
)
def test_ga_004(page: PageFacts, expected: list[tuple[str, str, Severity]]) -> None:
    assert cases(ga_004_badge(page, POLICY)) == expected


# ---- GA-005 label and prefix conventions ---------------------------------------------------------


@pytest.mark.parametrize(
    ("hit", "expected"),
    [
        pytest.param(num(), [], id="canonical"),
        pytest.param(num("川公网安备51010402000001号"), [], id="sichuan-chuan"),
        pytest.param(num("滇公网安备53010202000001号"), [], id="yunnan-dian"),
        pytest.param(num("陕公安网备61019002000123号", raw=""), [], id="raw-unknown"),
        pytest.param(num("陕公安网备61019002000123号", visible=False), [], id="hidden"),
        pytest.param(num("陕公安网备61019002000123号"), [("GA-005", "label", INFO)], id="typo-label"),
        pytest.param(
            num("陕 公安 网备 61019002000123号"), [("GA-005", "label", INFO)], id="typo-label-spaced"
        ),
        pytest.param(num("蜀公网安备51010402000001号"), [("GA-005", "prefix", INFO)], id="shu"),
        pytest.param(num("黔公网安备52010202000001号"), [("GA-005", "prefix", INFO)], id="qian"),
        pytest.param(num("陇公网安备62010202000001号"), [("GA-005", "prefix", INFO)], id="long"),
        pytest.param(num("云公网安备53010202000001号"), [("GA-005", "prefix", INFO)], id="yun"),
        pytest.param(
            num("蜀公安网备51010402000001号"),
            [("GA-005", "label", INFO), ("GA-005", "prefix", INFO)],
            id="both",
        ),
    ],
)
def test_ga_005(hit: NumberHit, expected: list[tuple[str, str, Severity]]) -> None:
    assert cases(ga_005_convention(facts(hit), POLICY)) == expected


def test_ga_005_messages() -> None:
    (label,) = ga_005_convention(facts(num("陕公安网备61019002000123号")), POLICY)
    assert (
        label.message == "陕公安网备61019002000123号 is labelled 公安网备; the platform's label is 公网安备"
    )
    (prefix,) = ga_005_convention(facts(num("黔公网安备52010202000001号")), POLICY)
    assert (
        prefix.message
        == "黔公网安备52010202000001号 uses the prefix 黔; public security numbers of 贵州 use 贵"
    )


# ---- rules.provinces -----------------------------------------------------------------------------


def test_every_recognised_prefix_names_a_province() -> None:
    assert {c for c in PROVINCES if province_of(c) is None} == set()
    assert len(BY_CODE) == len(PROVINCE_TABLE) == 31


@pytest.mark.parametrize(
    ("a", "b"), [("蜀", "川"), ("黔", "贵"), ("陇", "甘"), ("滇", "云")], ids=["四川", "贵州", "甘肃", "云南"]
)
def test_alternate_abbreviations_are_one_province(a: str, b: str) -> None:
    assert province_of(a) is province_of(b) is not None


@pytest.mark.parametrize(
    ("number", "name"),
    [("陕B2-20210271", "陕西"), ("黔B2-20140009", "贵州"), ("B2-20100312", None), ("合字B2-20170010", None)],
)
def test_licence_province(number: str, name: str | None) -> None:
    province = licence_province(number)
    assert (province.name if province else None) == name
