"""Rules about how the licence number is presented besides being text: images, scripts (LIC-008) and
its link target (LIC-009); pure functions of page facts and policy."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from rules.catalogue import RULES_BY_ID
from rules.model import Finding, NumberHit, PageFacts, Verdict, Where, message_params
from rules.policy import Policy
from rules.verdict import licence_hits, page_verdict, shown

# Verdicts whose absence findings (LIC-001 on the homepage, LIC-007 elsewhere) already say that the
# number stands only in an image, only in a script, or only where nobody reads it.
_SAID_BY_ABSENCE = (Verdict.IMAGE_ONLY, Verdict.NEEDS_RENDER, Verdict.MISSING)

USEFUL_HOSTS = ("beian.miit.gov.cn", "dxzhgl.miit.gov.cn")  # MIIT filing system, licence system
# The provincial 通信管理局 sites: sxca.miit.gov.cn (陕西), cqca.miit.gov.cn (重庆, reference S9), …
BUREAU_HOST = re.compile(r"^(?:[a-z0-9-]+\.)*(?:[a-z]{2,4})?ca\.miit\.gov\.cn$")
SCAN_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".pdf")  # a scan of the licence


def _ours(facts: PageFacts, policy: Policy) -> list[NumberHit]:
    return [h for h in licence_hits(facts) if h.key == policy.licence_key]


def lic_008_image_or_script(facts: PageFacts, policy: Policy) -> list[Finding]:
    """The licence number stands on this page only in an image (its alt or title text) or only inside a
    script. Pixels are not text a visitor can copy or the bureau can search, and a script may or may
    not show the number: only a browser can tell.

    Most such pages already get LIC-001 or LIC-007, which say so; this note speaks only where those say
    something else (another number in the footer, or a hidden copy), so the image or script is not lost.
    """
    ours = _ours(facts, policy)
    if any(shown(h) for h in ours) or page_verdict(facts, policy.licence_key) in _SAID_BY_ABSENCE:
        return []
    findings = []
    number = policy.licence.number
    for where, case, message in (
        (Where.IMAGE, "image", f"{number} stands on this page only as an image (alt or title text)"),
        (Where.SCRIPT, "script", f"{number} stands on this page only inside a script (needs a browser)"),
    ):
        hit = next((h for h in ours if h.where is where), None)
        if hit is not None:
            evidence = (hit.context or hit.raw or hit.value)[:300]
            values = message_params(case=case, number=number)
            findings.append(Finding("LIC-008", RULES_BY_ID["LIC-008"].severity, message, evidence, values))
    return findings


def link_is_useful(href: str) -> bool:
    """The link target lets a visitor check the licence: the MIIT filing or licence system, a
    provincial 通信管理局 site, or a scan of the licence (an image or PDF file)."""
    parts = urlsplit(href.strip())
    host = (parts.hostname or "").rstrip(".")
    if parts.scheme.lower() not in ("http", "https", ""):
        return False  # javascript:, mailto:, data: …
    if host in USEFUL_HOSTS or BUREAU_HOST.match(host):
        return True
    return parts.path.lower().endswith(SCAN_SUFFIXES)


def lic_009_link_target(facts: PageFacts, policy: Policy) -> list[Finding]:
    """No rule requires a link on the licence number, but where there is one it should let a visitor
    check the licence: the MIIT filing system (beian.miit.gov.cn), the licence system
    (dxzhgl.miit.gov.cn), a provincial 通信管理局 site (sxca.miit.gov.cn and the like) or a scan of the
    licence.

    The check reads the address only: the target is not fetched, so a scan that no longer loads is
    not noticed.
    """
    number = policy.licence.number
    seen: set[str] = set()
    findings = []
    for hit in _ours(facts, policy):
        href = hit.href
        if not href or href in seen or not (shown(hit) or hit.where is Where.IMAGE):
            continue
        seen.add(href)
        if link_is_useful(href):
            continue
        message = f"{number} links to {href}: not the MIIT filing or licence system, a 通信管理局 site or a licence scan"
        values = message_params(number=number, href=href)
        evidence = (hit.context or hit.value)[:300]
        findings.append(Finding("LIC-009", RULES_BY_ID["LIC-009"].severity, message, evidence, values))
    return findings
