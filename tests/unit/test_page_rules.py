"""rules.page_rules: LIC-001, LIC-002, LIC-005, LIC-006, LIC-007 on hand-built page facts."""

from __future__ import annotations

from datetime import date

import pytest

from rules.catalogue import RULES_BY_ID
from rules.model import Finding, LicenceFacts, NumberHit, PageFacts, Severity, Verdict, Where
from rules.numbers import NumberKind
from rules.page_rules import (
    lic_001_homepage,
    lic_002_other_number,
    lic_005_not_in_footer,
    lic_006_hidden,
    lic_007_inner_footer,
)
from rules.policy import Policy
from rules.verdict import page_verdict

OURS = "陕B2-20210271"
OTHER = "陕B2-20210272"
LICENCE = LicenceFacts(
    number=OURS, holder="西安朝前智能科技有限公司", valid_until=date(2026, 8, 30), issued=date(2021, 8, 30)
)


def policy(inner: Severity = Severity.ERROR) -> Policy:
    return Policy(licence=LICENCE, today=date(2026, 11, 27), inner_pages=inner)


def hit(
    key: str = OURS,
    where: Where = Where.TEXT,
    *,
    footer: bool = True,
    visible: bool = True,
    value: str | None = None,
    reason: str | None = None,
    context: str = "",
    kind: NumberKind = NumberKind.LICENCE,
) -> NumberHit:
    return NumberHit(
        kind=kind,
        value=value or key,
        key=key,
        where=where,
        in_footer=footer,
        visible=visible,
        hidden_reason=reason,
        context=context,
    )


def facts(
    *hits: NumberHit,
    homepage: bool = True,
    js_shell: bool = False,
    footer_found: bool = True,
    footer_text: str = "© 2021-2026 西安朝前智能科技有限公司",
) -> PageFacts:
    url = "https://www.chaoqiankeji.com/" if homepage else "https://www.chaoqiankeji.com/about.html"
    return PageFacts(
        url=url,
        final_url=url,
        is_homepage=homepage,
        footer_found=footer_found,
        footer_how="footer" if footer_found else "none",
        footer_text=footer_text if footer_found else "",
        numbers=hits,
        js_shell=js_shell,
    )


def rule_ids(findings: list[Finding]) -> list[str]:
    return [f.rule for f in findings]


FOOTER = hit(context="增值电信业务经营许可证：陕B2-20210271")
FOOTER_HIDDEN = hit(visible=False, reason="display:none on span", context="hidden copy")
BODY = hit(footer=False, context="body: 陕B2-20210271")
IMG_FOOTER = hit(where=Where.IMAGE)
SCRIPT = hit(where=Where.SCRIPT, footer=False, visible=False)
COMMENT = hit(where=Where.COMMENT)
OTHER_FOOTER = hit(OTHER, context="许可证：陕B2-20210272")

# one page per verdict: (hits, js_shell)
BY_VERDICT: dict[Verdict, tuple[tuple[NumberHit, ...], bool]] = {
    Verdict.COMPLIANT: ((FOOTER,), False),
    Verdict.WRONG_NUMBER: ((OTHER_FOOTER,), False),
    Verdict.HIDDEN: ((FOOTER_HIDDEN,), False),
    Verdict.IMAGE_ONLY: ((IMG_FOOTER,), False),
    Verdict.ELSEWHERE: ((BODY,), False),
    Verdict.NEEDS_RENDER: ((SCRIPT,), False),
    Verdict.MISSING: ((COMMENT,), False),
}


def page(verdict: Verdict, *, homepage: bool = True) -> PageFacts:
    hits, js_shell = BY_VERDICT[verdict]
    f = facts(*hits, homepage=homepage, js_shell=js_shell)
    assert page_verdict(f, OURS) is verdict  # the fixture is what it claims to be
    return f


# ---- LIC-001 -----------------------------------------------------------------------------------

LIC_001 = [
    pytest.param(Verdict.COMPLIANT, None, id="compliant"),
    pytest.param(Verdict.WRONG_NUMBER, Severity.ERROR, id="wrong-number"),
    pytest.param(Verdict.HIDDEN, None, id="hidden-is-LIC-006s"),
    pytest.param(Verdict.IMAGE_ONLY, Severity.ERROR, id="image-only"),
    pytest.param(Verdict.ELSEWHERE, None, id="elsewhere-is-LIC-005s"),
    pytest.param(Verdict.NEEDS_RENDER, Severity.WARNING, id="needs-render-warning"),
    pytest.param(Verdict.MISSING, Severity.ERROR, id="missing"),
]


@pytest.mark.parametrize(("verdict", "severity"), LIC_001)
def test_lic_001_on_homepage(verdict: Verdict, severity: Severity | None) -> None:
    findings = lic_001_homepage(page(verdict), policy())
    assert [f.severity for f in findings] == ([severity] if severity else [])
    assert all(f.rule == "LIC-001" and "homepage" in f.message and OURS in f.message for f in findings)


@pytest.mark.parametrize("verdict", list(BY_VERDICT), ids=[v.value for v in BY_VERDICT])
def test_lic_001_never_on_inner_pages(verdict: Verdict) -> None:
    assert lic_001_homepage(page(verdict, homepage=False), policy()) == []


ABSENCE_CASES = [
    pytest.param(Verdict.IMAGE_ONLY, "only as an image", "image-only", id="image-only"),
    pytest.param(Verdict.NEEDS_RENDER, "JavaScript", "needs-render", id="needs-render"),
    pytest.param(Verdict.MISSING, "is not displayed", "only-in", id="missing-but-in-a-comment"),
    pytest.param(Verdict.WRONG_NUMBER, "is not displayed", "missing", id="wrong-number"),
]


@pytest.mark.parametrize(("verdict", "words", "case"), ABSENCE_CASES)
def test_lic_001_message(verdict: Verdict, words: str, case: str) -> None:
    (finding,) = lic_001_homepage(page(verdict), policy())
    assert words in finding.message
    assert dict(finding.params).items() >= {"case": case, "number": OURS}.items()


@pytest.mark.parametrize(("verdict", "words", "case"), ABSENCE_CASES)
def test_lic_007_message(verdict: Verdict, words: str, case: str) -> None:
    (finding,) = lic_007_inner_footer(page(verdict, homepage=False), policy())
    assert words in finding.message
    assert dict(finding.params).items() >= {"case": case, "number": OURS}.items()


@pytest.mark.parametrize(
    ("f", "places"),
    [
        pytest.param(facts(COMMENT), "comment", id="comment"),
        pytest.param(
            facts(COMMENT, hit(where=Where.ATTRIBUTE), hit(where=Where.NOSCRIPT, footer=False)),
            "attribute, comment, noscript",
            id="sorted-places",
        ),
    ],
)
def test_lic_001_says_where_the_number_stands_instead(f: PageFacts, places: str) -> None:
    (finding,) = lic_001_homepage(f, policy())
    assert dict(finding.params) == {"case": "only-in", "number": OURS, "places": places}
    assert finding.message.endswith(f"it stands only where visitors do not see it ({places})")


@pytest.mark.parametrize(
    ("f", "evidence"),
    [
        pytest.param(facts(COMMENT, footer_text="© 2026 朝前"), "© 2026 朝前", id="footer-text"),
        pytest.param(facts(footer_found=False), "", id="no-footer"),
        pytest.param(facts(footer_text="x" * 500), "x" * 300, id="truncated-to-300"),
    ],
)
def test_lic_001_evidence_is_the_footer_a_visitor_reads(f: PageFacts, evidence: str) -> None:
    (finding,) = lic_001_homepage(f, policy())
    assert finding.evidence == evidence


# ---- LIC-002 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hits", "values"),
    [
        pytest.param((OTHER_FOOTER,), [OTHER], id="other-in-footer"),
        pytest.param((FOOTER, OTHER_FOOTER), [OTHER], id="beside-ours"),
        pytest.param((hit(OTHER, footer=False),), [OTHER], id="other-outside-footer"),
        pytest.param(
            (hit("陕B2-202102711"), hit("B2-20100312"), hit("陕B2-202102711", footer=False)),
            ["B2-20100312", "陕B2-202102711"],
            id="several-sorted-unique",
        ),
        pytest.param(
            (hit("浙B2-20080101", value="浙B2-20080101-4"),), ["浙B2-20080101-4"], id="value-with-suffix"
        ),
        pytest.param((FOOTER,), [], id="ours-only"),
        pytest.param((hit(value="陕B2-20210271-1"),), [], id="ours-with-suffix"),
        pytest.param((hit(OTHER, visible=False),), [], id="other-hidden"),
        pytest.param((hit(OTHER, Where.IMAGE),), [], id="other-in-image"),
        pytest.param((hit(OTHER, Where.COMMENT),), [], id="other-in-comment"),
        pytest.param((hit("京ICP证030173号", kind=NumberKind.ICP_ZHENG),), [], id="icp-zheng-is-no-licence"),
        pytest.param((), [], id="nothing"),
    ],
)
def test_lic_002_lists_other_displayed_numbers(hits: tuple[NumberHit, ...], values: list[str]) -> None:
    findings = lic_002_other_number(facts(*hits), policy())
    if not values:
        assert findings == []
        return
    (finding,) = findings
    assert (finding.rule, finding.severity) == ("LIC-002", Severity.ERROR)
    assert finding.message == f"displays {', '.join(values)} instead of or beside {OURS}"
    assert dict(finding.params) == {"values": ", ".join(values), "number": OURS}


def test_lic_002_evidence_is_context_or_value() -> None:
    (finding,) = lic_002_other_number(facts(OTHER_FOOTER, hit("B2-20100312")), policy())
    assert finding.evidence == "许可证：陕B2-20210272 | B2-20100312"


def test_lic_002_on_inner_pages_too() -> None:
    assert rule_ids(lic_002_other_number(facts(OTHER_FOOTER, homepage=False), policy())) == ["LIC-002"]


# ---- LIC-005 -----------------------------------------------------------------------------------


@pytest.mark.parametrize("homepage", [True, False], ids=["homepage", "inner"])
def test_lic_005_elsewhere(homepage: bool) -> None:
    (finding,) = lic_005_not_in_footer(facts(BODY, homepage=homepage), policy())
    assert (finding.rule, finding.severity) == ("LIC-005", Severity.WARNING)
    assert finding.message == f"{OURS} is visible but it stands outside the footer"
    assert dict(finding.params) == {"number": OURS, "case": "outside-footer"}
    assert finding.evidence == "body: 陕B2-20210271"


def test_lic_005_without_footer_region() -> None:
    (finding,) = lic_005_not_in_footer(facts(BODY, footer_found=False), policy())
    assert finding.message == f"{OURS} is visible but no footer region was found"
    assert dict(finding.params) == {"number": OURS, "case": "no-footer"}


@pytest.mark.parametrize(
    "verdict", [v for v in BY_VERDICT if v is not Verdict.ELSEWHERE], ids=lambda v: v.value
)
def test_lic_005_only_for_a_visible_copy_outside_the_footer(verdict: Verdict) -> None:
    assert lic_005_not_in_footer(page(verdict), policy()) == []


def test_lic_005_hidden_footer_copy_beside_visible_copy_elsewhere() -> None:
    """Verdict hidden, but the visible copy outside the footer must still be reported (by LIC-005)."""
    f = facts(FOOTER_HIDDEN, BODY)
    assert page_verdict(f, OURS) is Verdict.HIDDEN
    assert rule_ids(lic_005_not_in_footer(f, policy())) == ["LIC-005"]


# ---- LIC-006 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hits", "reasons"),
    [
        pytest.param((FOOTER_HIDDEN,), "display:none on span", id="hidden-in-footer"),
        pytest.param(
            (hit(footer=False, visible=False),), "hidden", id="hidden-outside-footer-default-reason"
        ),
        pytest.param(
            (
                hit(visible=False, reason="visibility:hidden"),
                hit(visible=False, reason="display:none"),
                hit(visible=False, reason="visibility:hidden"),
            ),
            "display:none; visibility:hidden",
            id="reasons-sorted-unique",
        ),
        pytest.param((FOOTER_HIDDEN, IMG_FOOTER), "display:none on span", id="hidden-plus-image"),
        pytest.param((FOOTER_HIDDEN, OTHER_FOOTER), "display:none on span", id="hidden-plus-other-visible"),
    ],
)
def test_lic_006_fires_when_no_visible_copy(hits: tuple[NumberHit, ...], reasons: str) -> None:
    (finding,) = lic_006_hidden(facts(*hits), policy())
    assert (finding.rule, finding.severity) == ("LIC-006", Severity.ERROR)
    assert finding.message == f"{OURS} is in the markup but hidden ({reasons})"
    assert dict(finding.params) == {"number": OURS, "reasons": reasons}
    assert finding.evidence == hits[0].context


@pytest.mark.parametrize(
    "hits",
    [
        pytest.param((FOOTER_HIDDEN, FOOTER), id="visible-copy-in-footer"),
        pytest.param((FOOTER_HIDDEN, BODY), id="visible-copy-elsewhere"),
        pytest.param((FOOTER,), id="compliant"),
        pytest.param((COMMENT,), id="comment-is-not-hidden-text"),
        pytest.param((SCRIPT,), id="script-is-not-hidden-text"),
        pytest.param((hit(OTHER, visible=False),), id="other-number-hidden"),
        pytest.param((), id="nothing"),
    ],
)
def test_lic_006_silent(hits: tuple[NumberHit, ...]) -> None:
    assert lic_006_hidden(facts(*hits), policy()) == []


# ---- LIC-007 -----------------------------------------------------------------------------------


@pytest.mark.parametrize("inner", list(Severity), ids=lambda s: s.value)
@pytest.mark.parametrize(
    "verdict", [Verdict.MISSING, Verdict.IMAGE_ONLY, Verdict.WRONG_NUMBER], ids=lambda v: v.value
)
def test_lic_007_inner_page_severity_from_policy(verdict: Verdict, inner: Severity) -> None:
    (finding,) = lic_007_inner_footer(page(verdict, homepage=False), policy(inner))
    assert (finding.rule, finding.severity) == ("LIC-007", inner)
    assert "this page's footer" in finding.message


@pytest.mark.parametrize(
    ("inner", "expected"),
    [
        pytest.param(Severity.ERROR, Severity.WARNING, id="error-lowered-to-warning"),
        pytest.param(Severity.WARNING, Severity.WARNING, id="warning"),
        pytest.param(Severity.INFO, Severity.INFO, id="info-stays-info"),
    ],
)
def test_lic_007_needs_render(inner: Severity, expected: Severity) -> None:
    (finding,) = lic_007_inner_footer(page(Verdict.NEEDS_RENDER, homepage=False), policy(inner))
    assert finding.severity is expected
    assert "JavaScript" in finding.message


def test_lic_007_js_shell_without_hits() -> None:
    (finding,) = lic_007_inner_footer(facts(homepage=False, js_shell=True), policy())
    assert finding.severity is Severity.WARNING


@pytest.mark.parametrize(
    "verdict", [Verdict.COMPLIANT, Verdict.HIDDEN, Verdict.ELSEWHERE], ids=lambda v: v.value
)
def test_lic_007_silent_when_another_rule_says_it(verdict: Verdict) -> None:
    assert lic_007_inner_footer(page(verdict, homepage=False), policy()) == []


@pytest.mark.parametrize("verdict", list(BY_VERDICT), ids=lambda v: v.value)
def test_lic_007_never_on_homepage(verdict: Verdict) -> None:
    assert lic_007_inner_footer(page(verdict), policy()) == []


# ---- all LIC rules together --------------------------------------------------------------------

ALL = (lic_001_homepage, lic_002_other_number, lic_005_not_in_footer, lic_006_hidden, lic_007_inner_footer)


def all_findings(f: PageFacts) -> list[str]:
    return [finding.rule for rule in ALL for finding in rule(f, policy())]


@pytest.mark.parametrize(
    ("f", "homepage_rules", "inner_rules"),
    [
        pytest.param(facts(FOOTER), [], [], id="compliant"),
        pytest.param(facts(FOOTER, OTHER_FOOTER), ["LIC-002"], ["LIC-002"], id="compliant-plus-other"),
        pytest.param(facts(OTHER_FOOTER), ["LIC-001", "LIC-002"], ["LIC-002", "LIC-007"], id="wrong-number"),
        pytest.param(facts(FOOTER_HIDDEN), ["LIC-006"], ["LIC-006"], id="hidden"),
        pytest.param(facts(FOOTER_HIDDEN, BODY), ["LIC-005"], ["LIC-005"], id="hidden-plus-elsewhere"),
        pytest.param(facts(IMG_FOOTER), ["LIC-001"], ["LIC-007"], id="image-only"),
        pytest.param(facts(BODY), ["LIC-005"], ["LIC-005"], id="elsewhere"),
        pytest.param(facts(SCRIPT), ["LIC-001"], ["LIC-007"], id="needs-render"),
        pytest.param(facts(COMMENT), ["LIC-001"], ["LIC-007"], id="missing-comment-only"),
        pytest.param(
            facts(hit(footer=False, visible=False)),
            ["LIC-001", "LIC-006"],
            ["LIC-006", "LIC-007"],
            id="hidden-body",
        ),
    ],
)
def test_rules_together(f: PageFacts, homepage_rules: list[str], inner_rules: list[str]) -> None:
    assert all_findings(f) == homepage_rules
    inner = PageFacts(**{**{s: getattr(f, s) for s in PageFacts.__slots__}, "is_homepage": False})
    assert all_findings(inner) == inner_rules


@pytest.mark.parametrize("homepage", [True, False], ids=["homepage", "inner"])
@pytest.mark.parametrize(
    "f",
    [
        pytest.param(facts(*hits, js_shell=js), id=v.value)
        for v, (hits, js) in BY_VERDICT.items()
        if v is not Verdict.COMPLIANT
    ]
    + [
        pytest.param(facts(FOOTER_HIDDEN, BODY), id="hidden-plus-elsewhere"),
        pytest.param(facts(IMG_FOOTER, BODY), id="image-plus-elsewhere"),
        pytest.param(facts(OTHER_FOOTER, BODY), id="wrong-plus-elsewhere"),
        pytest.param(facts(js_shell=True), id="js-shell"),
        pytest.param(facts(footer_found=False), id="no-footer"),
    ],
)
def test_every_non_compliant_page_gets_a_finding(f: PageFacts, homepage: bool) -> None:
    f = PageFacts(**{**{s: getattr(f, s) for s in PageFacts.__slots__}, "is_homepage": homepage})
    assert page_verdict(f, OURS) is not Verdict.COMPLIANT
    assert all_findings(f), "a non-compliant verdict with no finding leaves the report without a reason"


def test_findings_use_catalogue_severity_and_truncate_evidence() -> None:
    long = hit(OTHER, context="上下文" * 200)
    (finding,) = lic_002_other_number(facts(long), policy())
    assert finding.severity is RULES_BY_ID["LIC-002"].severity
    assert len(finding.evidence) == 300
