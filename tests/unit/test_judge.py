"""rules.judge and rules.registry: the registry is consistent, rules are applied with overrides, a rule
that raises becomes a RULE-ERROR finding; NET-001 from fetch outcomes."""

from __future__ import annotations

import inspect
from datetime import date

import pytest

import rules.judge
from rules import registry
from rules.catalogue import CATALOGUE, RULES_BY_ID, RuleInfo
from rules.judge import Judgement, judge_page, judge_site, judge_unfetched, worst
from rules.model import FetchOutcome, Finding, LicenceFacts, NumberHit, PageFacts, Severity, Verdict, Where
from rules.net_rules import net_001_fetch_failed
from rules.numbers import NumberKind
from rules.policy import Policy

OURS = "陕B2-20210271"
LICENCE = LicenceFacts(number=OURS, holder="西安朝前智能科技有限公司", valid_until=date(2026, 8, 30))


def policy(
    today: date = date(2026, 11, 27),
    severity: dict[str, Severity] | None = None,
    inner: Severity = Severity.ERROR,
    licence: LicenceFacts = LICENCE,
) -> Policy:
    return Policy(licence=licence, today=today, inner_pages=inner, severity=severity or {})


def hit(
    key: str = OURS, *, footer: bool = True, visible: bool = True, where: Where = Where.TEXT
) -> NumberHit:
    return NumberHit(NumberKind.LICENCE, key, key, where, in_footer=footer, visible=visible)


def facts(*hits: NumberHit, homepage: bool = True) -> PageFacts:
    return PageFacts("https://x.cn/", "https://x.cn/", homepage, True, "footer", "", hits)


ALL_RULES = (
    *registry.PAGE_RULES,
    *registry.SITE_RULES,
    *registry.CRAWL_RULES,
    *registry.FETCH_RULES,
    *registry.PARSE_RULES,
)


# ---- registry ----------------------------------------------------------------------------------


def test_rule_ids_unique() -> None:
    assert len(registry.ALL_RULE_IDS) == len(set(registry.ALL_RULE_IDS))
    assert len(CATALOGUE) == len(RULES_BY_ID)


def test_registry_and_catalogue_name_the_same_rules() -> None:
    assert set(registry.ALL_RULE_IDS) == set(RULES_BY_ID)


@pytest.mark.parametrize(("rule_id", "fn"), ALL_RULES, ids=[rid for rid, _ in ALL_RULES])
def test_rule_function_has_docstring(rule_id: str, fn: object) -> None:
    doc = inspect.getdoc(fn)
    assert doc, rule_id
    assert doc.strip(), rule_id


@pytest.mark.parametrize(("rule_id", "fn"), ALL_RULES, ids=[rid for rid, _ in ALL_RULES])
def test_function_name_matches_id(rule_id: str, fn: object) -> None:
    assert getattr(fn, "__name__", "").startswith(rule_id.lower().replace("-", "_") + "_")


@pytest.mark.parametrize(
    ("group", "scopes"),
    [
        pytest.param(registry.PAGE_RULES, {"homepage", "page"}, id="page"),
        pytest.param(registry.SITE_RULES, {"site"}, id="site"),
        pytest.param(registry.CRAWL_RULES, {"site"}, id="crawl"),
        pytest.param(registry.FETCH_RULES, {"page"}, id="fetch"),
        pytest.param(registry.PARSE_RULES, {"page"}, id="parse"),
    ],
)
def test_catalogue_scope_matches_registry_group(
    group: tuple[tuple[str, object], ...], scopes: set[str]
) -> None:
    for rule_id, _ in group:
        assert RULES_BY_ID[rule_id].scope in scopes, rule_id


@pytest.mark.parametrize("info", CATALOGUE, ids=[r.id for r in CATALOGUE])
def test_catalogue_entries_are_complete(info: RuleInfo) -> None:
    assert all([info.title_zh, info.title_en, info.basis, info.advice_zh, info.advice_en])
    assert isinstance(info.severity, Severity)


# ---- judge_page --------------------------------------------------------------------------------


def test_judge_page_compliant() -> None:
    assert judge_page(facts(hit(), homepage=False), policy()) == Judgement(Verdict.COMPLIANT, ())
    home = judge_page(facts(hit()), policy())  # the licence is right; the homepage lacks both filing numbers
    assert (home.verdict, [f.rule for f in home.findings]) == (Verdict.COMPLIANT, ["BA-001", "GA-001"])


def test_judge_page_missing_on_homepage() -> None:
    judgement = judge_page(facts(), policy())
    assert judgement.verdict is Verdict.MISSING
    assert [(f.rule, f.severity) for f in judgement.findings] == [
        ("LIC-001", Severity.ERROR),
        ("BA-001", Severity.ERROR),
        ("GA-001", Severity.WARNING),
    ]


def test_judge_page_findings_in_registry_order() -> None:
    judgement = judge_page(facts(hit("陕B2-202102711"), homepage=False), policy())
    assert judgement.verdict is Verdict.WRONG_NUMBER
    assert [f.rule for f in judgement.findings] == ["LIC-002", "LIC-003", "LIC-007"]  # 9 digits: LIC-003


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        pytest.param({}, [("LIC-002", Severity.ERROR), ("LIC-007", Severity.ERROR)], id="defaults"),
        pytest.param(
            {"LIC-002": Severity.WARNING},
            [("LIC-002", Severity.WARNING), ("LIC-007", Severity.ERROR)],
            id="override-one",
        ),
        pytest.param(
            {"LIC-007": Severity.INFO, "VAL-001": Severity.WARNING},
            [("LIC-002", Severity.ERROR), ("LIC-007", Severity.INFO)],
            id="override-beats-inner-pages",
        ),
    ],
)
def test_judge_page_applies_severity_overrides(
    overrides: dict[str, Severity], expected: list[tuple[str, Severity]]
) -> None:
    judgement = judge_page(facts(hit("陕B2-20210272"), homepage=False), policy(severity=overrides))
    assert [(f.rule, f.severity) for f in judgement.findings] == expected


def test_inner_pages_policy_without_override() -> None:
    judgement = judge_page(facts(homepage=False), policy(inner=Severity.WARNING))
    assert [(f.rule, f.severity) for f in judgement.findings] == [("LIC-007", Severity.WARNING)]


def test_rule_raising_becomes_rule_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(facts: PageFacts, policy: Policy) -> list[Finding]:
        """Always fails."""
        raise KeyError("x" * 500)

    rules_with_bug = (("LIC-999", boom), *registry.PAGE_RULES)
    monkeypatch.setattr(registry, "PAGE_RULES", rules_with_bug)
    monkeypatch.setattr(rules.judge, "PAGE_RULES", rules_with_bug)

    judgement = judge_page(facts(), policy())
    assert judgement.verdict is Verdict.MISSING
    error, *others = judgement.findings
    assert (error.rule, error.severity) == ("RULE-ERROR", Severity.WARNING)
    assert error.message == "rule LIC-999 failed: KeyError"
    assert dict(error.params) == {"rule": "LIC-999", "error": "KeyError"}
    assert len(error.evidence) == 300
    assert [f.rule for f in others] == ["LIC-001", "BA-001", "GA-001"]  # the other rules still ran


def test_rule_error_can_be_overridden(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(facts: PageFacts, policy: Policy) -> list[Finding]:
        """Always fails."""
        raise ValueError("bad")

    monkeypatch.setattr(rules.judge, "PAGE_RULES", (("LIC-999", boom),))
    judgement = judge_page(facts(hit()), policy(severity={"RULE-ERROR": Severity.ERROR}))
    assert [(f.rule, f.severity, f.evidence, f.params) for f in judgement.findings] == [
        ("RULE-ERROR", Severity.ERROR, "bad", (("error", "ValueError"), ("rule", "LIC-999")))
    ]


# ---- judge_site / judge_unfetched / worst -------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "overrides", "expected"),
    [
        pytest.param(
            date(2026, 11, 27), {}, [("VAL-001", Severity.ERROR), ("VAL-002", Severity.ERROR)], id="expired"
        ),
        pytest.param(date(2026, 5, 1), {}, [("VAL-003", Severity.WARNING)], id="window"),
        pytest.param(
            date(2026, 5, 1), {"VAL-003": Severity.INFO}, [("VAL-003", Severity.INFO)], id="override"
        ),
        pytest.param(date(2025, 1, 1), {}, [("VAL-004", Severity.INFO)], id="annual-report-season"),
        pytest.param(date(2025, 6, 1), {}, [], id="fine"),
    ],
)
def test_judge_site(
    today: date, overrides: dict[str, Severity], expected: list[tuple[str, Severity]]
) -> None:
    assert [(f.rule, f.severity) for f in judge_site(policy(today, overrides))] == expected


def test_judge_site_renewed() -> None:
    renewed = LicenceFacts(OURS, "x", date(2026, 8, 30), renewed_until=date(2031, 8, 30))
    assert judge_site(policy(date(2026, 11, 27), licence=renewed)) == ()


GONE = FetchOutcome("https://x.cn/gone.html", "https://x.cn/gone.html", 404, "text/html", error="http")


@pytest.mark.parametrize(
    ("verdict", "rules_fired"),
    [
        pytest.param(Verdict.FETCH_ERROR, ["NET-001"], id="fetch-error"),
        pytest.param(Verdict.NOT_HTML, [], id="not-html"),
        pytest.param(Verdict.SKIPPED, [], id="skipped"),
    ],
)
def test_judge_unfetched(verdict: Verdict, rules_fired: list[str]) -> None:
    judgement = judge_unfetched(GONE, verdict, policy())
    assert judgement.verdict is verdict
    assert [f.rule for f in judgement.findings] == rules_fired


def test_judge_unfetched_override() -> None:
    judgement = judge_unfetched(GONE, Verdict.FETCH_ERROR, policy(severity={"NET-001": Severity.ERROR}))
    assert [f.severity for f in judgement.findings] == [Severity.ERROR]


def _f(severity: Severity) -> Finding:
    return Finding("X", severity, "")


@pytest.mark.parametrize(
    ("severities", "expected"),
    [
        pytest.param([], None, id="none"),
        pytest.param([Severity.INFO], Severity.INFO, id="info"),
        pytest.param([Severity.INFO, Severity.WARNING, Severity.INFO], Severity.WARNING, id="warning"),
        pytest.param([Severity.WARNING, Severity.ERROR, Severity.INFO], Severity.ERROR, id="error"),
    ],
)
def test_worst(severities: list[Severity], expected: Severity | None) -> None:
    assert worst([_f(s) for s in severities]) is expected
    assert worst(tuple(_f(s) for s in severities)) is expected


def test_severity_rank_order() -> None:
    assert [s.rank for s in (Severity.INFO, Severity.WARNING, Severity.ERROR)] == [0, 1, 2]


# ---- NET-001 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outcome", "message", "evidence"),
    [
        pytest.param(GONE, "fetch failed: HTTP 404", "https://x.cn/gone.html", id="404"),
        pytest.param(
            FetchOutcome(
                "https://x.cn/a", "https://x.cn/a", 500, "text/html", error="http", error_detail="boom"
            ),
            "fetch failed: HTTP 500",
            "boom",
            id="500-with-detail",
        ),
        pytest.param(
            FetchOutcome(
                "https://x.cn/a", None, None, None, error="connect", error_detail="Connection refused"
            ),
            "fetch failed: connect",
            "Connection refused",
            id="connect-error",
        ),
        pytest.param(
            FetchOutcome("https://x.cn/a", None, None, None, error="timeout"),
            "fetch failed: timeout",
            "https://x.cn/a",
            id="timeout-no-detail",
        ),
        pytest.param(
            FetchOutcome(
                "https://x.cn/a", "https://x.cn/c", 404, None, redirects=("https://x.cn/a", "https://x.cn/b")
            ),
            "fetch failed: HTTP 404",
            "https://x.cn/a → https://x.cn/b → https://x.cn/c",
            id="404-after-redirects",
        ),
        pytest.param(
            FetchOutcome("https://x.cn/big", "https://x.cn/big", 200, "text/html", error="too_large"),
            "fetch failed: too_large",
            "https://x.cn/big",
            id="200-too-large",
        ),
    ],
)
def test_net_001_fires(outcome: FetchOutcome, message: str, evidence: str) -> None:
    (finding,) = net_001_fetch_failed(outcome)
    assert (finding.rule, finding.severity) == ("NET-001", Severity.WARNING)
    assert finding.message == message
    assert finding.evidence == evidence
    what = message.removeprefix("fetch failed: ")
    if what.startswith("HTTP "):
        expected = {"what": what, "case": "http", "status": what.removeprefix("HTTP ")}
    else:
        expected = {"what": what, "case": "error", "error": what}
    assert dict(finding.params) == expected


@pytest.mark.parametrize(
    "outcome",
    [
        pytest.param(FetchOutcome("https://x.cn/", "https://x.cn/", 200, "text/html"), id="200"),
        pytest.param(FetchOutcome("https://x.cn/", "https://x.cn/new", 301, "text/html"), id="301"),
        pytest.param(FetchOutcome("https://x.cn/", "https://x.cn/", 399, None), id="399"),
        pytest.param(FetchOutcome("https://x.cn/", None, None, None), id="not-fetched-no-error"),
    ],
)
def test_net_001_silent(outcome: FetchOutcome) -> None:
    assert net_001_fetch_failed(outcome) == []


# ---- Policy ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "key"),
    [
        pytest.param(OURS, OURS, id="canonical"),
        pytest.param("陕B2-20210271号", OURS, id="hao"),
        pytest.param("陕Ｂ２－２０２１０２７１", OURS, id="full-width"),
        pytest.param("陕 B2 - 20210271", OURS, id="spaces"),
        pytest.param("not a number", "not a number", id="unparseable-falls-back"),
    ],
)
def test_policy_licence_key(number: str, key: str) -> None:
    licence = LicenceFacts(number=number, holder="x", valid_until=date(2026, 8, 30))
    assert policy(licence=licence).licence_key == key
