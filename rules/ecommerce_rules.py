"""The e-commerce display rule (ECOM-001: 营业执照 / 亮照 on a shop's homepage); a pure function of signals."""

from __future__ import annotations

from rules.catalogue import RULES_BY_ID
from rules.model import Finding, PageFacts, Severity, SignalKind, message_params
from rules.policy import Policy


def ecom_001_business_licence(facts: PageFacts, policy: Policy) -> list[Finding]:
    """A site that sells goods or services is an e-commerce operator: 《电子商务法》第十五条 asks it to show
    its 营业执照 information (or a 亮照 link to it) prominently and permanently on its homepage. A
    homepage with a cart, checkout or buy buttons and no such link gets a warning; any other page that
    sells without one gets a note to confirm the homepage shows it.
    """
    kinds = {s.kind for s in facts.signals}
    if SignalKind.SHOP not in kinds or SignalKind.BUSINESS_LICENCE in kinds:
        return []
    shop = list(dict.fromkeys(s.evidence for s in facts.signals if s.kind is SignalKind.SHOP))
    what = "; ".join(shop)
    what = what if len(what) <= 160 else what[:159] + "…"
    if facts.is_homepage:
        case, severity = "homepage", RULES_BY_ID["ECOM-001"].severity
        message = f"the homepage sells ({what}) but shows no business licence (营业执照) link"
    else:
        case, severity = "inner", Severity.INFO
        message = f"this page sells ({what}) and shows no business licence (营业执照) link: confirm the homepage shows it"
    values = message_params(case=case, what=what)
    return [Finding("ECOM-001", severity, message, " | ".join(shop)[:300], values)]
