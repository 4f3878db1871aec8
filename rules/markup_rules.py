"""Filing numbers that stand in the markup but are not displayed (TECH-002), and pages whose markup
could not be parsed at all (TECH-005); pure functions.

The split with the other rules, so that each situation is said once:
- the licence number: LIC-001 and LIC-007 ("only in a comment", "needs a browser"), LIC-006 (hidden);
- the ICP备案号 (with ICP证) and the 公安备案号 on the homepage: BA-001 and GA-001 say the same;
- those filing numbers on every other page: TECH-002.
"""

from __future__ import annotations

from rules.catalogue import RULES_BY_ID
from rules.model import Finding, NumberHit, PageFacts, Severity, Where, message_params
from rules.numbers import NumberKind
from rules.policy import Policy
from rules.verdict import shown

# Places a browser never renders as page text.
UNRENDERED = (Where.COMMENT, Where.NOSCRIPT, Where.TEMPLATE)
# The filing numbers judged together, and the homepage rule whose severity caps this one's for them.
GROUPS: tuple[tuple[tuple[NumberKind, ...], str], ...] = (
    ((NumberKind.ICP_FILING, NumberKind.ICP_ZHENG), "BA-001"),
    ((NumberKind.PUBLIC_SECURITY,), "GA-001"),
)


def _undisplayed(hits: list[NumberHit], js_shell: bool) -> tuple[str, list[NumberHit]] | None:
    """(case, the hits that make it) when none of `hits` is displayed but some stand in the markup.

    The order of the page verdict's table: hidden text is a definite fact; an image is a display of a
    kind (pixels) and another question; a script or a JavaScript shell leaves it undecided.
    """
    if any(shown(h) or h.where is Where.IMAGE for h in hits):
        return None
    hidden = [h for h in hits if h.where is Where.TEXT]
    if hidden:
        return "hidden", hidden
    scripts = [h for h in hits if h.where is Where.SCRIPT]
    if scripts:
        return "script", scripts
    unrendered = [h for h in hits if h.where in UNRENDERED]
    if not unrendered:
        return None  # only in attributes (meta, JSON-LD, a tooltip): nothing meant to be displayed
    return ("js-shell" if js_shell else "only-in"), unrendered


def _message(case: str, numbers: str, hits: list[NumberHit]) -> tuple[str, dict[str, str]]:
    if case == "hidden":
        reasons = "; ".join(sorted({h.hidden_reason or "hidden" for h in hits}))
        return f"{numbers} is in the markup but hidden ({reasons})", {"reasons": reasons}
    if case == "script":
        return f"{numbers} stands only inside a script; it may be shown by JavaScript (needs a browser)", {}
    places = ", ".join(sorted({h.where.value for h in hits}))
    message = f"{numbers} stands only where visitors do not see it ({places})"
    if case == "js-shell":
        message += "; the page is built by JavaScript (needs a browser)"
    return message, {"places": places}


def _severity(case: str, homepage_rule: str, policy: Policy) -> Severity:
    """As strict as the homepage rule of the same number and the profile's inner-page policy allow;
    a warning at most when only a browser could tell."""
    caps = [RULES_BY_ID["TECH-002"].severity, RULES_BY_ID[homepage_rule].severity, policy.inner_pages]
    if case in ("script", "js-shell"):
        caps.append(Severity.WARNING)
    return min(caps, key=lambda s: s.rank)


def tech_002_not_rendered(facts: PageFacts, policy: Policy) -> list[Finding]:
    """A filing number in an HTML comment, <noscript>, <template>, a script or a hidden element is not
    displayed: visitors do not see it and the bureau's check does not count it (292号令 第十二条; 33号令
    第十三条). It usually means the shared footer template lost the number on these pages.

    This rule judges the ICP备案号 (and ICP证 numbers) and the 公安备案号 on pages other than the homepage,
    where BA-001 and GA-001 already say it; the licence number has LIC-001, LIC-006 and LIC-007. A number
    kind that is displayed anywhere on the page is not reported (an old number left in a comment is
    harmless). Severity: never stricter than the homepage rule for the same number (the 公安 number is
    a warning) or than the profile's inner-page policy; a warning when only a browser could tell (a
    script, a JavaScript-built page).
    """
    if facts.is_homepage:
        return []
    findings = []
    for kinds, homepage_rule in GROUPS:
        found = _undisplayed([h for h in facts.numbers if h.kind in kinds], facts.js_shell)
        if found is None:
            continue
        case, which = found
        numbers = ", ".join(dict.fromkeys(h.value for h in which))
        message, extra = _message(case, numbers, which)
        values = message_params(case=case, numbers=numbers, **extra)
        evidence = " | ".join(dict.fromkeys(h.context or h.raw or h.value for h in which))[:300]
        findings.append(
            Finding("TECH-002", _severity(case, homepage_rule, policy), message, evidence, values)
        )
    return findings


def tech_005_not_parsed(reason: str) -> list[Finding]:
    """The page was fetched, but its markup is nested too deeply to parse safely, so nobody can tell
    from its HTML whether it shows the number. It is not counted as compliant; check it in a browser
    and flatten the markup (browsers themselves stop nesting below 512 levels)."""
    values = message_params(reason=reason)
    message = f"page not parsed: {reason}"
    return [Finding("TECH-005", RULES_BY_ID["TECH-005"].severity, message, reason[:300], values)]
