"""What browser mode adds to the judgement: numbers shown only after JavaScript (TECH-001), and pages
that could not be confirmed in a browser (TECH-003); pure functions of facts and policy.
"""

from __future__ import annotations

from rules.catalogue import RULES_BY_ID
from rules.model import Finding, PageFacts, SiteFacts, message_params
from rules.policy import Policy
from rules.verdict import shown

UNRENDERED_LISTED = 1  # the problem line quoted in the message


def tech_001_after_script(facts: PageFacts, policy: Policy) -> list[Finding]:
    """Footer numbers a browser shows that the server's HTML does not: visitors without JavaScript,
    search engines and the bureau's simple checkers do not see them."""
    if facts.server_keys is None:
        return []
    late = [h for h in facts.numbers if shown(h) and h.in_footer and h.key not in facts.server_keys]
    values = sorted({h.value for h in late})
    if not values:
        return []
    numbers = ", ".join(values)
    message = f"{numbers} appear(s) only after JavaScript runs; the server's HTML does not show them"
    evidence = " | ".join(h.context or h.value for h in late)[:300]
    return [
        Finding(
            "TECH-001", RULES_BY_ID["TECH-001"].severity, message, evidence, message_params(numbers=numbers)
        )
    ]


def tech_004_one_viewport(facts: PageFacts, policy: Policy) -> list[Finding]:
    """A footer number a visitor reads on one viewport (desktop or phone) but not on the other: the
    footer must carry it whatever the screen."""
    if not facts.viewport_gaps:
        return []
    findings = []
    for viewport in sorted({v for _, v in facts.viewport_gaps}):
        numbers = ", ".join(n for n, v in facts.viewport_gaps if v == viewport)
        message = f"{numbers} is not shown on the {viewport} viewport, although another viewport shows it"
        values = message_params(numbers=numbers, viewport=viewport)
        findings.append(Finding("TECH-004", RULES_BY_ID["TECH-004"].severity, message, numbers, values))
    return findings


def tech_003_unconfirmed(site: SiteFacts, policy: Policy) -> list[Finding]:
    """Pages that needed a browser to be judged but were judged from their HTML alone: their verdicts
    (needs-render, or what scripts and style sheets may change) are unconfirmed."""
    if not site.unrendered:
        return []
    count, problem = site.unrendered, site.render_problem or "the browser failed"
    message = f"{count} page(s) could not be confirmed in a browser and were judged from their HTML alone ({problem})"
    values = message_params(count=count, problem=problem)
    return [Finding("TECH-003", RULES_BY_ID["TECH-003"].severity, message, problem[:300], values)]


def tech_006_images_unread(site: SiteFacts, policy: Policy) -> list[Finding]:
    """Pages with footer images that were not read with OCR: a number shown only in a picture there is
    not seen (the page may be missing rather than image-only or wrong-number)."""
    if not site.images_unread:
        return []
    count, problem = site.images_unread, site.ocr_problem or "not read"
    message = f"the footer images of {count} page(s) were not read with OCR ({problem})"
    values = message_params(count=count, problem=problem)
    return [Finding("TECH-006", RULES_BY_ID["TECH-006"].severity, message, problem[:300], values)]
