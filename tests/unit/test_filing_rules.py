"""rules.filing_rules: BA-001…BA-008 on hand-built page facts (the ICP备案号: display, link, position,
format, province, configured filing, entity vs website form)."""

from __future__ import annotations

from datetime import date

import pytest

from rules.catalogue import RULES_BY_ID
from rules.filing_rules import (
    MIIT_URL,
    ba_001_homepage,
    ba_002_not_linked,
    ba_003_wrong_link,
    ba_004_position,
    ba_005_format,
    ba_006_province,
    ba_007_configured,
    ba_008_form,
)
from rules.judge import judge_page
from rules.model import Finding, LicenceFacts, NumberHit, PageFacts, Severity, Where
from rules.numbers import find_numbers
from rules.policy import Policy
from rules.text import normalise

LICENCE = "陕B2-20210271"
FILING = "陕ICP备2021012345号-1"
SITE = "https://chaoqiankeji.com/"


def policy(filing: str = "", licence: str = LICENCE) -> Policy:
    facts = LicenceFacts(number=licence, holder="西安朝前智能科技有限公司", valid_until=date(2026, 8, 30))
    return Policy(licence=facts, today=date(2026, 11, 27), filing_icp=filing)


def num(
    text: str = FILING,
    *,
    href: str | None = MIIT_URL,
    where: Where = Where.TEXT,
    footer: bool = True,
    visible: bool = True,
    centred: bool | None = True,
    raw: str | None = None,
    reason: str | None = None,
) -> NumberHit:
    """A number as extraction reports it: value and key from the recogniser, raw = the text as shown."""
    (match,) = find_numbers(normalise(text))
    return NumberHit(
        kind=match.kind,
        value=match.value,
        key=match.key,
        where=where,
        in_footer=footer,
        visible=visible,
        href=href,
        hidden_reason=reason,
        context=f"© 2026 西安朝前智能科技有限公司 {text}",
        raw=normalise(text) if raw is None else raw,
        centred=centred,
    )


def facts(
    *hits: NumberHit, homepage: bool = True, footer_found: bool = True, js_shell: bool = False
) -> PageFacts:
    url = SITE if homepage else f"{SITE}about.html"
    return PageFacts(
        url=url,
        final_url=url,
        is_homepage=homepage,
        footer_found=footer_found,
        footer_how="footer" if footer_found else "none",
        footer_text="© 2026 西安朝前智能科技有限公司" if footer_found else "",
        numbers=hits,
        js_shell=js_shell,
    )


def cases(findings: list[Finding]) -> list[tuple[str, str, Severity]]:
    return [(f.rule, dict(f.params).get("case", ""), f.severity) for f in findings]


def test_severities_come_from_the_catalogue() -> None:
    expected = {
        "BA-001": Severity.ERROR,
        "BA-002": Severity.ERROR,
        "BA-003": Severity.ERROR,
        "BA-004": Severity.WARNING,
        "BA-005": Severity.WARNING,
        "BA-006": Severity.WARNING,
        "BA-007": Severity.ERROR,
        "BA-008": Severity.INFO,
    }
    assert {rid: RULES_BY_ID[rid].severity for rid in expected} == expected


# ---- BA-001 displayed on the homepage ------------------------------------------------------------

ERR, WARN, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        pytest.param(facts(num()), [], id="visible-in-footer"),
        pytest.param(facts(num(footer=False)), [], id="visible-elsewhere-is-ba004s-business"),
        pytest.param(facts(homepage=False), [], id="inner-page"),
        pytest.param(facts(num("京ICP证030173号-1")), [], id="icp-zheng-counts"),
        pytest.param(facts(num("浙B2-20080101-4")), [], id="licence-derived-counts"),
        pytest.param(facts(), [("BA-001", "missing", ERR)], id="missing"),
        pytest.param(facts(num(LICENCE)), [("BA-001", "missing", ERR)], id="licence-is-not-a-filing"),
        pytest.param(
            facts(num(visible=False, reason="display:none on p.beian")),
            [("BA-001", "hidden", ERR)],
            id="hidden",
        ),
        pytest.param(facts(num(where=Where.IMAGE)), [("BA-001", "image-only", ERR)], id="image"),
        pytest.param(
            facts(num(where=Where.SCRIPT, visible=False)), [("BA-001", "needs-render", WARN)], id="script"
        ),
        pytest.param(facts(js_shell=True), [("BA-001", "needs-render", WARN)], id="js-shell"),
        pytest.param(
            facts(num(where=Where.COMMENT, visible=False)), [("BA-001", "only-in", ERR)], id="comment"
        ),
    ],
)
def test_ba_001(page: PageFacts, expected: list[tuple[str, str, Severity]]) -> None:
    assert cases(ba_001_homepage(page, policy())) == expected


@pytest.mark.parametrize(
    ("page", "message", "detail"),
    [
        pytest.param(
            facts(), "no ICP filing number (ICP备案号) is displayed on the homepage", {}, id="missing"
        ),
        pytest.param(
            facts(num(visible=False, reason="display:none on p.beian")),
            f"{FILING} is on the homepage but hidden (display:none on p.beian)",
            {"values": FILING, "reasons": "display:none on p.beian"},
            id="hidden",
        ),
        pytest.param(
            facts(num(where=Where.COMMENT, visible=False), num(where=Where.NOSCRIPT, visible=False)),
            f"no ICP filing number is displayed on the homepage; {FILING} stands only where visitors"
            " do not see it (comment, noscript)",
            {"values": FILING, "places": "comment, noscript"},
            id="only-in",
        ),
    ],
)
def test_ba_001_message(page: PageFacts, message: str, detail: dict[str, str]) -> None:
    (finding,) = ba_001_homepage(page, policy())
    assert finding.message == message
    assert detail.items() <= dict(finding.params).items()


# ---- BA-002 linked / BA-003 link target ----------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        pytest.param(facts(num()), [], id="linked"),
        pytest.param(facts(num(href="http://www.miibeian.gov.cn/")), [], id="wrong-link-is-ba003s"),
        pytest.param(facts(num(), num(href=None, footer=False)), [], id="one-copy-linked"),
        pytest.param(facts(num(href=None, visible=False)), [], id="hidden-is-ba001s"),
        pytest.param(facts(num(href=None)), [("BA-002", "", ERR)], id="unlinked"),
        pytest.param(
            facts(num("京ICP证030173号", href=None)), [("BA-002", "", ERR)], id="icp-zheng-unlinked"
        ),
        pytest.param(
            facts(num(href=None), num("陕ICP备2021012345号-2", href=None)),
            [("BA-002", "", ERR), ("BA-002", "", ERR)],
            id="each-number",
        ),
    ],
)
def test_ba_002(page: PageFacts, expected: list[tuple[str, str, Severity]]) -> None:
    assert cases(ba_002_not_linked(page, policy())) == expected


def test_ba_002_names_number_and_target() -> None:
    (finding,) = ba_002_not_linked(facts(num(href=None)), policy())
    assert finding.message == f"{FILING} is not linked; link it to https://beian.miit.gov.cn/"
    assert FILING in finding.evidence


@pytest.mark.parametrize(
    ("href", "case"),
    [
        pytest.param("https://beian.miit.gov.cn/", None, id="canonical"),
        pytest.param("https://beian.miit.gov.cn/#/Integrated/index", None, id="fragment"),
        pytest.param("http://beian.miit.gov.cn", None, id="http-no-slash"),
        pytest.param(
            "HTTPS://BEIAN.MIIT.GOV.CN:443/state/outPortal/loginPortal.action", None, id="upper-port"
        ),
        pytest.param("http://www.miibeian.gov.cn/", "obsolete", id="www-miibeian"),
        pytest.param("http://miibeian.gov.cn/", "obsolete", id="miibeian"),
        pytest.param(
            "https://www.miitbeian.gov.cn/publish/query/indexFirst.action", "obsolete", id="miitbeian"
        ),
        pytest.param("http://miitbeian.gov.cn", "obsolete", id="bare-miitbeian"),
        pytest.param("https://www.beian.miit.gov.cn/", "obsolete", id="www-beian-miit"),
        pytest.param("http://www.beian.gov.cn/portal/index", "public-security", id="old-mps"),
        pytest.param("https://beian.gov.cn/", "public-security", id="bare-old-mps"),
        pytest.param("https://beian.mps.gov.cn/#/query/webSearch", "public-security", id="mps"),
        pytest.param(f"{SITE}beian.miit.gov.cn", "missing-scheme", id="no-scheme"),
        pytest.param(f"{SITE}www.miibeian.gov.cn/", "missing-scheme", id="no-scheme-obsolete"),
        pytest.param(SITE, "other", id="own-site"),
        pytest.param("javascript:void(0)", "other", id="javascript"),
        pytest.param("http://[::1", "other", id="malformed"),
    ],
)
def test_ba_003(href: str, case: str | None) -> None:
    expected = [] if case is None else [("BA-003", case, ERR)]
    assert cases(ba_003_wrong_link(facts(num(href=href)), policy())) == expected


def test_ba_003_message_names_href_host_and_target() -> None:
    (finding,) = ba_003_wrong_link(facts(num(href="http://www.miibeian.gov.cn/")), policy())
    assert finding.message == (
        f"{FILING} links to http://www.miibeian.gov.cn/: www.miibeian.gov.cn is an obsolete or unreachable"
        " MIIT host; link to https://beian.miit.gov.cn/"
    )
    assert finding.evidence.endswith("→ http://www.miibeian.gov.cn/")


@pytest.mark.parametrize(
    ("page", "count"),
    [
        pytest.param(facts(num(href=None)), 0, id="unlinked-is-ba002s"),
        pytest.param(facts(num(href=SITE, visible=False)), 0, id="hidden"),
        pytest.param(facts(num(href=SITE), num(href=SITE, footer=False)), 1, id="same-href-once"),
        pytest.param(facts(num(href=SITE), num(href=MIIT_URL)), 1, id="wrong-copy-beside-right-one"),
    ],
)
def test_ba_003_counts(page: PageFacts, count: int) -> None:
    assert len(ba_003_wrong_link(page, policy())) == count


# ---- BA-004 bottom centre ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        pytest.param(facts(num(centred=True)), [], id="centred"),
        pytest.param(facts(num(centred=None), homepage=False), [], id="unknown-inner-page"),
        pytest.param(facts(num(centred=True), num(footer=False, centred=False)), [], id="one-copy-centred"),
        pytest.param(facts(num(visible=False, footer=False)), [], id="hidden"),
        pytest.param(facts(num(centred=False)), [("BA-004", "not-centred", WARN)], id="not-centred"),
        pytest.param(facts(num(centred=None)), [("BA-004", "centring-unknown", INFO)], id="unknown-homepage"),
        pytest.param(facts(num(footer=False)), [("BA-004", "outside-footer", WARN)], id="outside-footer"),
        pytest.param(
            facts(num(footer=False), footer_found=False), [("BA-004", "no-footer", WARN)], id="no-footer"
        ),
        pytest.param(
            facts(num(centred=False), num(centred=None)),
            [("BA-004", "centring-unknown", INFO)],
            id="mixed-unknown",
        ),
    ],
)
def test_ba_004(page: PageFacts, expected: list[tuple[str, str, Severity]]) -> None:
    assert cases(ba_004_position(page, policy())) == expected


# ---- BA-005 format -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hit", "expected"),
    [
        pytest.param(num(), [], id="10-digits-website"),
        pytest.param(num("京ICP备12049103号"), [], id="8-digits-entity"),
        pytest.param(num("辽ICP备2023009191号-2A"), [], id="app"),
        pytest.param(num("黔ICP备2025044274号-1X"), [], id="mini-program"),
        pytest.param(num("川ICP备09150084号"), [], id="legacy-prefix"),
        pytest.param(num("陕ICP备 2021012345 号 - 1"), [], id="spaces"),
        pytest.param(num("陕ICP备202101234号"), [("BA-005", "digits", WARN)], id="9-digits"),
        pytest.param(num("陕ICP备1234567号-1"), [("BA-005", "digits", WARN)], id="7-digits"),
        pytest.param(num("云ICP备2021012345号"), [("BA-005", "prefix", WARN)], id="placeholder-prefix"),
        pytest.param(num("粤ICP备09082681-1"), [("BA-005", "no-hao", INFO)], id="no-hao"),
        pytest.param(num("陕ICP备2021012345号-1K"), [("BA-005", "kind-k", INFO)], id="quick-app"),
        pytest.param(
            num("云ICP备20210123-1"),
            [("BA-005", "prefix", WARN), ("BA-005", "no-hao", INFO)],
            id="two-problems",
        ),
        pytest.param(num("粤ICP备09082681-1", raw=""), [], id="raw-unknown"),
        pytest.param(num("京ICP证030173号"), [], id="icp-zheng-not-judged"),
    ],
)
def test_ba_005(hit: NumberHit, expected: list[tuple[str, str, Severity]]) -> None:
    assert cases(ba_005_format(facts(hit), policy())) == expected


@pytest.mark.parametrize(
    ("hit", "message"),
    [
        pytest.param(
            num("陕ICP备202101234号"),
            "陕ICP备202101234号: the main number has 9 digits; 8 or 10 expected",
            id="digits",
        ),
        pytest.param(
            num("云ICP备2021012345号"),
            "云ICP备2021012345号: 云 is not an ICP filing prefix; 云南 files under 滇",
            id="prefix",
        ),
        pytest.param(
            num("粤ICP备09082681-1"),
            "粤ICP备09082681-1 is written without 号; the full form is 粤ICP备09082681号-1",
            id="no-hao",
        ),
    ],
)
def test_ba_005_message(hit: NumberHit, message: str) -> None:
    (finding,) = ba_005_format(facts(hit), policy())
    assert finding.message == message


def test_ba_005_once_per_number() -> None:
    bad = num("陕ICP备202101234号")
    assert len(ba_005_format(facts(bad, num("陕ICP备202101234号", footer=False)), policy())) == 1


# ---- BA-006 province -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hit", "licence", "expected"),
    [
        pytest.param(num(), LICENCE, [], id="same-province"),
        pytest.param(num("蜀ICP备2021012345号-1"), "川B2-20210001", [], id="sichuan-alternate"),
        pytest.param(num("贵ICP备06052086号"), "黔B2-20140009", [], id="guizhou-legacy"),
        pytest.param(num("陇ICP备2020003856号"), "甘B2-20200001", [], id="gansu"),
        pytest.param(num("京ICP备12049103号"), "B2-20100312", [], id="cross-regional-licence"),
        pytest.param(num("京ICP备12049103号"), "合字B2-20170010", [], id="foreign-invested-licence"),
        pytest.param(num("浙B2-20080101-4"), LICENCE, [], id="licence-derived-is-lic-business"),
        pytest.param(num("京ICP备12049103号"), LICENCE, [("BA-006", "", WARN)], id="beijing-for-shaanxi"),
        pytest.param(num("京ICP证030173号-1"), LICENCE, [("BA-006", "", WARN)], id="icp-zheng"),
    ],
)
def test_ba_006(hit: NumberHit, licence: str, expected: list[tuple[str, str, Severity]]) -> None:
    assert cases(ba_006_province(facts(hit), policy(licence=licence))) == expected


def test_ba_006_message() -> None:
    (finding,) = ba_006_province(facts(num("粤ICP备2021031984号")), policy())
    assert finding.message == (
        "粤ICP备2021031984号 was filed in 广东 (粤), but the licence 陕B2-20210271 is from 陕西 (陕)"
    )


# ---- BA-007 configured filing --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "filing", "expected"),
    [
        pytest.param(facts(num()), FILING, [], id="same"),
        pytest.param(facts(num()), " 陕ICP备 2021012345号－1 ", [], id="config-normalised"),
        pytest.param(facts(num(visible=False)), FILING, [], id="nothing-shown"),
        pytest.param(facts(num(), homepage=False), "", [], id="unconfigured-inner-page"),
        pytest.param(
            facts(num("京ICP备11000001号"), num("京ICP证030173号")),
            "京ICP证030173号",
            [],
            id="same-kind-first",
        ),
        pytest.param(facts(num()), "", [("BA-007", "not-configured", INFO)], id="unconfigured-homepage"),
        pytest.param(
            facts(num("陕ICP备2021012346号-1")), FILING, [("BA-007", "mismatch", ERR)], id="other-main"
        ),
        pytest.param(
            facts(num(), num("陕ICP备2019000001号")), FILING, [("BA-007", "mismatch", ERR)], id="beside"
        ),
        pytest.param(
            facts(num("陕ICP备2021012345号-2")), FILING, [("BA-007", "suffix", INFO)], id="other-suffix"
        ),
        pytest.param(
            facts(num()), "陕ICP备2021012345号", [("BA-007", "suffix", INFO)], id="entity-configured"
        ),
        pytest.param(facts(num()), "2021012345", [("BA-007", "mismatch", ERR)], id="unparseable-config"),
    ],
)
def test_ba_007(page: PageFacts, filing: str, expected: list[tuple[str, str, Severity]]) -> None:
    assert cases(ba_007_configured(page, policy(filing))) == expected


def test_ba_007_messages() -> None:
    (wrong,) = ba_007_configured(facts(num("陕ICP备2019000001号")), policy(FILING))
    assert (
        wrong.message == f"displays 陕ICP备2019000001号 instead of or beside the configured filing {FILING}"
    )
    (unset,) = ba_007_configured(facts(num()), policy())
    assert (
        unset.message
        == f"{FILING} could not be checked: no expected ICP filing number is configured ([filings] icp)"
    )


# ---- BA-008 entity or website form ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        pytest.param(facts(num(), homepage=False), [], id="inner-page"),
        pytest.param(facts(num("陕ICP备2021012345号-1K")), [], id="k-is-ba005s"),
        pytest.param(facts(), [], id="nothing-shown"),
        pytest.param(facts(num()), [("BA-008", "website", INFO)], id="website"),
        pytest.param(facts(num("京ICP备12049103号")), [("BA-008", "entity", INFO)], id="entity"),
        pytest.param(facts(num("辽ICP备2023009191号-2A")), [("BA-008", "app", INFO)], id="app"),
        pytest.param(
            facts(num("黔ICP备2025044274号-1X")), [("BA-008", "mini-program", INFO)], id="mini-program"
        ),
        pytest.param(facts(num("浙B2-20080101-4")), [("BA-008", "website", INFO)], id="licence-derived"),
    ],
)
def test_ba_008(page: PageFacts, expected: list[tuple[str, str, Severity]]) -> None:
    assert cases(ba_008_form(page, policy())) == expected


def test_ba_008_says_the_suffix() -> None:
    (finding,) = ba_008_form(facts(num("辽ICP备2023009191号-2A")), policy())
    assert dict(finding.params)["seq"] == "2A"
    assert "app filing number (suffix -2A)" in finding.message


# ---- through the judge ---------------------------------------------------------------------------


def test_a_right_footer_leaves_only_information() -> None:
    right = facts(num(LICENCE, href=None), num())
    findings = judge_page(right, policy(FILING)).findings
    assert [f.rule for f in findings if f.rule.startswith("BA")] == ["BA-008"]
