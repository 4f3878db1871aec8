"""rules.markup_rules: TECH-002, filing numbers on inner pages only in non-rendered or hidden markup."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from rules.markup_rules import tech_002_not_rendered
from rules.model import LicenceFacts, NumberHit, PageFacts, Severity, Where
from rules.numbers import NumberKind
from rules.policy import Policy

POLICY = Policy(
    LicenceFacts("陕B2-20210271", "西安朝前智能科技有限公司", date(2026, 8, 30)), date(2026, 11, 27)
)
ICP = "陕ICP备2021012345号-1"
ZHENG = "京ICP证030173号"
GA = "陕公网安备61019002000123号"
KINDS = {
    "ICP备": NumberKind.ICP_FILING,
    "ICP证": NumberKind.ICP_ZHENG,
    "公网安备": NumberKind.PUBLIC_SECURITY,
}


def hit(
    value: str = ICP, where: Where = Where.TEXT, *, visible: bool = True, reason: str | None = None
) -> NumberHit:
    kind = next((k for label, k in KINDS.items() if label in value), NumberKind.LICENCE)
    return NumberHit(kind, value, value, where, True, visible, hidden_reason=reason, context=f"…{value}…")


def facts(*hits: NumberHit, homepage: bool = False, js_shell: bool = False) -> PageFacts:
    url = "https://chaoqiankeji.com/" if homepage else "https://chaoqiankeji.com/about"
    return PageFacts(url, url, homepage, True, "footer", "", hits, js_shell=js_shell)


COMMENT = hit(where=Where.COMMENT, visible=False)
HIDDEN = hit(visible=False, reason="display:none on p.icp")
SCRIPT = hit(where=Where.SCRIPT, visible=False)

TECH_002 = [
    # (hits, js_shell, expected [(case, severity)])
    pytest.param((COMMENT,), False, [("only-in", Severity.ERROR)], id="comment"),
    pytest.param(
        (hit(where=Where.NOSCRIPT, visible=False), hit(where=Where.TEMPLATE, visible=False)),
        False,
        [("only-in", Severity.ERROR)],
        id="noscript-and-template",
    ),
    pytest.param((HIDDEN,), False, [("hidden", Severity.ERROR)], id="hidden"),
    pytest.param((HIDDEN, COMMENT, SCRIPT), False, [("hidden", Severity.ERROR)], id="hidden-first"),
    pytest.param((SCRIPT, COMMENT), False, [("script", Severity.WARNING)], id="script-undecided"),
    pytest.param((COMMENT,), True, [("js-shell", Severity.WARNING)], id="js-shell-undecided"),
    pytest.param(
        (hit(ZHENG, Where.COMMENT, visible=False),), False, [("only-in", Severity.ERROR)], id="icp-zheng"
    ),
    pytest.param(
        (hit(GA, Where.COMMENT, visible=False),), False, [("only-in", Severity.WARNING)], id="gongan-capped"
    ),
    pytest.param(
        (COMMENT, hit(GA, Where.NOSCRIPT, visible=False)),
        False,
        [("only-in", Severity.ERROR), ("only-in", Severity.WARNING)],
        id="both-kinds",
    ),
    pytest.param((hit(), COMMENT), False, [], id="also-displayed"),
    pytest.param((hit(ZHENG), COMMENT), False, [], id="filing-shown-as-icp-zheng"),
    pytest.param((hit("陕ICP备2019000001号"), COMMENT), False, [], id="old-number-in-comment-harmless"),
    pytest.param((hit(where=Where.IMAGE), COMMENT), False, [], id="image-is-another-question"),
    pytest.param(
        (hit(where=Where.ATTRIBUTE, visible=False),), False, [], id="meta-only-is-not-markup-for-display"
    ),
    pytest.param((hit("陕B2-20210271", Where.COMMENT, visible=False),), False, [], id="licence-is-LIC-rules"),
    pytest.param((), False, [], id="nothing"),
]


@pytest.mark.parametrize(("hits", "js_shell", "expected"), TECH_002)
def test_tech_002_on_inner_pages(
    hits: tuple[NumberHit, ...], js_shell: bool, expected: list[tuple[str, Severity]]
) -> None:
    findings = tech_002_not_rendered(facts(*hits, js_shell=js_shell), POLICY)
    assert [(dict(f.params)["case"], f.severity) for f in findings] == expected
    assert all(f.rule == "TECH-002" for f in findings)


@pytest.mark.parametrize("hits", [(COMMENT,), (HIDDEN,), (SCRIPT,)], ids=["comment", "hidden", "script"])
def test_tech_002_leaves_the_homepage_to_ba_001_and_ga_001(hits: tuple[NumberHit, ...]) -> None:
    assert tech_002_not_rendered(facts(*hits, homepage=True), POLICY) == []


@pytest.mark.parametrize(
    ("inner", "expected"),
    [
        pytest.param(Severity.ERROR, Severity.ERROR, id="error"),
        pytest.param(Severity.WARNING, Severity.WARNING, id="warning"),
        pytest.param(Severity.INFO, Severity.INFO, id="info"),
    ],
)
def test_tech_002_follows_the_inner_page_policy(inner: Severity, expected: Severity) -> None:
    (finding,) = tech_002_not_rendered(facts(COMMENT), replace(POLICY, inner_pages=inner))
    assert finding.severity is expected


@pytest.mark.parametrize(
    ("hits", "js_shell", "message", "params"),
    [
        pytest.param(
            (COMMENT, hit(where=Where.NOSCRIPT, visible=False)),
            False,
            f"{ICP} stands only where visitors do not see it (comment, noscript)",
            {"case": "only-in", "numbers": ICP, "places": "comment, noscript"},
            id="only-in",
        ),
        pytest.param(
            (HIDDEN,),
            False,
            f"{ICP} is in the markup but hidden (display:none on p.icp)",
            {"case": "hidden", "numbers": ICP, "reasons": "display:none on p.icp"},
            id="hidden",
        ),
        pytest.param(
            (SCRIPT,),
            False,
            f"{ICP} stands only inside a script; it may be shown by JavaScript (needs a browser)",
            {"case": "script", "numbers": ICP},
            id="script",
        ),
        pytest.param(
            (COMMENT,),
            True,
            f"{ICP} stands only where visitors do not see it (comment); the page is built by JavaScript (needs a browser)",
            {"case": "js-shell", "numbers": ICP, "places": "comment"},
            id="js-shell",
        ),
    ],
)
def test_tech_002_messages(
    hits: tuple[NumberHit, ...], js_shell: bool, message: str, params: dict[str, str]
) -> None:
    (finding,) = tech_002_not_rendered(facts(*hits, js_shell=js_shell), POLICY)
    assert finding.message == message
    assert dict(finding.params) == params
    assert finding.evidence == f"…{ICP}…"
