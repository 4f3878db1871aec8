"""Rules about the licence display on one page (LIC-*); each a pure function of facts and policy.

A rule returns [] when its precondition does not hold or another rule already says the same thing.
"""

from __future__ import annotations

from rules.catalogue import RULES_BY_ID
from rules.model import Finding, NumberHit, PageFacts, Params, Severity, Verdict, Where, message_params
from rules.policy import Policy
from rules.verdict import licence_hits, page_verdict, shown, undecided

_NOT_SHOWN = (Verdict.MISSING, Verdict.IMAGE_ONLY, Verdict.NEEDS_RENDER, Verdict.WRONG_NUMBER)


# The `case` param of LIC-001 and LIC-007: which of the absence messages was said.
_ABSENCE_CASES = {Verdict.IMAGE_ONLY: "image-only", Verdict.NEEDS_RENDER: "needs-render"}


def _finding(
    rule: str, message: str, evidence: str, values: Params, severity: Severity | None = None
) -> Finding:
    return Finding(rule, severity or RULES_BY_ID[rule].severity, message, evidence[:300], values)


def _only_in(facts: PageFacts, key: str) -> str:
    """Where the configured number stands instead of visible text ("comment, noscript"), or ""."""
    return ", ".join(sorted({h.where.value for h in licence_hits(facts) if h.key == key and not shown(h)}))


def _footer_evidence(facts: PageFacts) -> str:
    """The evidence of an absence: the footer text a visitor reads (empty when no footer was found)."""
    return facts.footer_text if facts.footer_found else ""


def _absence_message(verdict: Verdict, number: str, place: str, only_in: str) -> str:
    if verdict is Verdict.IMAGE_ONLY:
        return f"{number} appears only as an image on {place}; pixels are not text"
    if verdict is Verdict.NEEDS_RENDER:
        return (
            f"{number} is not in the static HTML of {place}; it may be built by JavaScript (needs a browser)"
        )
    if only_in:
        return (
            f"{number} is not displayed on {place}; it stands only where visitors do not see it ({only_in})"
        )
    return f"{number} is not displayed on {place}"


def _absence_params(verdict: Verdict, number: str, only_in: str) -> Params:
    case = _ABSENCE_CASES.get(verdict, "only-in" if only_in else "missing")
    return message_params(number=number, case=case, **({"places": only_in} if case == "only-in" else {}))


def _absence(rule: str, facts: PageFacts, policy: Policy, place: str, severity: Severity | None) -> Finding:
    verdict = page_verdict(facts, policy.licence_key)
    only_in = _only_in(facts, policy.licence_key) if verdict is Verdict.MISSING else ""
    number = policy.licence.number
    return _finding(
        rule,
        _absence_message(verdict, number, place, only_in),
        _footer_evidence(facts),
        _absence_params(verdict, number, only_in),
        severity,
    )


def lic_001_homepage(facts: PageFacts, policy: Policy) -> list[Finding]:
    """The homepage must show the licence number as visible text (292号令 第十二条)."""
    verdict = page_verdict(facts, policy.licence_key)
    if not facts.is_homepage or verdict not in _NOT_SHOWN:
        return []
    severity = Severity.WARNING if verdict is Verdict.NEEDS_RENDER else None
    return [_absence("LIC-001", facts, policy, "the homepage", severity)]


def lic_002_other_number(facts: PageFacts, policy: Policy) -> list[Finding]:
    """Only the configured licence number may be displayed; another one is a typo, an old or a foreign number."""
    others: list[NumberHit] = [h for h in licence_hits(facts) if shown(h) and h.key != policy.licence_key]
    values = sorted({h.value for h in others})
    if not values:
        return []
    evidence = " | ".join(h.context or h.value for h in others)
    number, shown_values = policy.licence.number, ", ".join(values)
    message = f"displays {shown_values} instead of or beside {number}"
    return [_finding("LIC-002", message, evidence, message_params(values=shown_values, number=number))]


def lic_005_not_in_footer(facts: PageFacts, policy: Policy) -> list[Finding]:
    """The licence condition asks for the number at the bottom of the page, in the footer."""
    # HIDDEN too: a hidden footer copy beside a visible one elsewhere is otherwise reported by no rule.
    if page_verdict(facts, policy.licence_key) not in (Verdict.ELSEWHERE, Verdict.HIDDEN):
        return []
    hit = next((h for h in licence_hits(facts) if h.key == policy.licence_key and shown(h)), None)
    if hit is None:
        return []
    number = policy.licence.number
    if facts.footer_found:
        reason, case = "it stands outside the footer", "outside-footer"
    else:
        reason, case = "no footer region was found", "no-footer"
    values = message_params(number=number, case=case)
    return [_finding("LIC-005", f"{number} is visible but {reason}", hit.context, values)]


def lic_006_hidden(facts: PageFacts, policy: Policy) -> list[Finding]:
    """A number a visitor cannot see is not displayed: hidden by CSS, the hidden attribute, or similar."""
    ours = [h for h in licence_hits(facts) if h.key == policy.licence_key]
    hidden = [h for h in ours if h.where is Where.TEXT and not h.visible and not undecided(h)]
    if not hidden or any(shown(h) for h in ours):
        return []
    reasons = "; ".join(sorted({h.hidden_reason or "hidden" for h in hidden}))
    number = policy.licence.number
    message = f"{number} is in the markup but hidden ({reasons})"
    values = message_params(number=number, reasons=reasons)
    return [_finding("LIC-006", message, hidden[0].context, values)]


def lic_007_inner_footer(facts: PageFacts, policy: Policy) -> list[Finding]:
    """Every page's footer should carry the number (licence note: “公司网站页面底部”); severity per profile."""
    verdict = page_verdict(facts, policy.licence_key)
    if facts.is_homepage or verdict not in _NOT_SHOWN:
        return []
    severity = policy.inner_pages
    if verdict is Verdict.NEEDS_RENDER and severity is Severity.ERROR:
        severity = Severity.WARNING  # undecided without a browser: do not cry wolf
    return [_absence("LIC-007", facts, policy, "this page's footer", severity)]
