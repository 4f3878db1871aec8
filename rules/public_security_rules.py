"""Rules about the 公安联网备案号 on one page (GA-001…GA-005); each a pure function of facts and policy.

The display duty comes from the filing platform's instructions, not a statute, and enforcement varies
by locality (reference §1c): these rules warn or inform, they never raise errors.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rules.absence import absence
from rules.catalogue import RULES_BY_ID
from rules.hit_groups import by_value, link_evidence
from rules.links import fragment_param, host_of
from rules.model import Finding, NumberHit, PageFacts, Params, Severity, message_params
from rules.numbers import NumberKind
from rules.policy import Policy
from rules.provinces import BY_CODE, province_of
from rules.verdict import shown

MPS_HOST = "beian.mps.gov.cn"
LEGACY_HOSTS = frozenset({"www.beian.gov.cn", "beian.gov.cn"})  # registerSystemInfo: unreachable since 2025
CANONICAL_LABEL = "公网安备"
TYPO_LABEL = "公安网备"

# English messages by rule and case; reports/messages.py holds the same text as its "en" templates.
_GA001 = {
    "missing": "no public security filing number (公安备案号) is displayed on the homepage",
    "hidden": "{values} is on the homepage but hidden ({reasons})",
    "image-only": "{values} appears only as an image on the homepage; pixels are not text",
    "needs-render": (
        "no public security filing number is in the static HTML of the homepage; "
        "it may be built by JavaScript (needs a browser)"
    ),
    "only-in": (
        "no public security filing number is displayed on the homepage; "
        "{values} stands only where visitors do not see it ({places})"
    ),
}
_GA002 = {
    "province": "{number}: digits 1-2 ({code}) belong to {code_province}, but the prefix {prefix} is {province}",
    "code": "{number}: digits 1-2 ({code}) are no province code",
    "legacy": "{number} has the legacy 12-digit form; current numbers have 14 digits",
}
_GA003 = {
    "unlinked": "{number} is not linked; link it to {expected}",
    "legacy": "{number} links to {href} on the legacy host {host}, reported unreachable since 2025; link to {expected}",
    "no-code": "{number} links to {href} without its digits; link to {expected}",
    "other-code": "{number} links to {href}, which looks up {code} instead of {digits}; link to {expected}",
    "other-host": "{number} links to {href}, not to the public security filing platform; link to {expected}",
}
_GA005 = {
    "label": "{raw} is labelled {label}; the platform's label is {canonical}",
    "prefix": "{number} uses the prefix {prefix}; public security numbers of {province} use {expected}",
}


def _finding(
    rule: str, template: str, evidence: str, values: Mapping[str, object], severity: Severity | None = None
) -> Finding:
    params: Params = message_params(**values)
    message = template.format_map(dict(params))
    return Finding(rule, severity or RULES_BY_ID[rule].severity, message, evidence[:300], params)


def mps_link(digits: str) -> str:
    """The platform's public query for a number: where its link must point."""
    return f"https://{MPS_HOST}/#/query/webSearch?code={digits}"


def displayed(facts: PageFacts) -> list[NumberHit]:
    """The 公安 number hits a visitor reads."""
    return [h for h in facts.numbers if h.kind is NumberKind.PUBLIC_SECURITY and shown(h)]


def ga_001_homepage(facts: PageFacts, policy: Policy) -> list[Finding]:
    """The homepage should show the 公安联网备案号 at the bottom (公安部令第33号 第十二条 makes filing a duty;
    the platform asks for the number “网站首页底部显著位置”). Enforcement varies, hence a warning."""
    if not facts.is_homepage:
        return []
    gone = absence(facts, [h for h in facts.numbers if h.kind is NumberKind.PUBLIC_SECURITY])
    if gone is None:
        return []
    severity = Severity.INFO if gone.case == "needs-render" else None  # undecided without a browser
    return [_finding("GA-001", _GA001[gone.case], gone.evidence, gone.params(), severity)]


def _number_problems(value: str, digits: str) -> Iterable[tuple[str, dict[str, str]]]:
    prefix, code = value[:1], digits[:2]
    province, owner = province_of(prefix), BY_CODE.get(code)
    if owner is None:
        yield "code", {"code": code}
    elif province is not None and owner != province:
        yield (
            "province",
            {"code": code, "code_province": owner.name, "prefix": prefix, "province": province.name},
        )
    if len(digits) == 12:
        yield "legacy", {}


def ga_002_format(facts: PageFacts, policy: Policy) -> list[Finding]:
    """A 公安备案号 has 14 digits whose first two are the code of the province in its prefix (61 = 陕);
    other digits are a typo or another site's number. The legacy 12-digit form is reported as info."""
    findings: list[Finding] = []
    for value, hits in by_value(displayed(facts)).items():
        for case, extra in _number_problems(value, hits[0].key):
            severity = Severity.INFO if case == "legacy" else None
            values = {"number": value, "case": case, **extra}
            findings.append(_finding("GA-002", _GA002[case], link_evidence(hits[0]), values, severity))
    return findings


def _link_case(href: str, digits: str) -> tuple[str, dict[str, str]] | None:
    host = host_of(href)
    if host in LEGACY_HOSTS:
        return "legacy", {"host": host}
    if host != MPS_HOST:
        return "other-host", {}
    code = fragment_param(href, "code")
    if not code:
        return "no-code", {}
    if code != digits:
        return "other-code", {"code": code, "digits": digits}
    return None


def ga_003_link(facts: PageFacts, policy: Policy) -> list[Finding]:
    """The 公安备案号 should link to the platform's public query for the same digits,
    https://beian.mps.gov.cn/#/query/webSearch?code=<digits>. The old www.beian.gov.cn portal
    (registerSystemInfo?recordcode=…) was reported unreachable in 2025."""
    findings: list[Finding] = []
    seen: set[tuple[str, str | None]] = set()
    for hit in displayed(facts):
        if (hit.value, hit.href) in seen:
            continue
        seen.add((hit.value, hit.href))
        expected = mps_link(hit.key)
        problem = ("unlinked", {}) if not hit.href else _link_case(hit.href, hit.key)
        if problem is None:
            continue
        case, extra = problem
        values = {"number": hit.value, "expected": expected, "case": case, **extra}
        if hit.href:
            values["href"] = hit.href
        findings.append(_finding("GA-003", _GA003[case], link_evidence(hit), values))
    return findings


def ga_004_badge(facts: PageFacts, policy: Policy) -> list[Finding]:
    """The platform asks for its police-badge icon (警徽) beside the number, inside the same link."""
    return [
        _finding(
            "GA-004", "{number} has no police-badge icon beside it", link_evidence(hits[0]), {"number": value}
        )
        for value, hits in by_value(displayed(facts)).items()
        if not any(h.badge for h in hits)
    ]


def _convention_problems(hit: NumberHit) -> Iterable[tuple[str, dict[str, str]]]:
    raw = hit.raw.replace(" ", "")
    if TYPO_LABEL in raw:
        yield "label", {"raw": hit.raw, "label": TYPO_LABEL, "canonical": CANONICAL_LABEL}
    prefix = hit.value[:1]
    province = province_of(prefix)
    if province is not None and prefix != province.public_security:
        yield "prefix", {"prefix": prefix, "province": province.name, "expected": province.public_security}


def ga_005_convention(facts: PageFacts, policy: Policy) -> list[Finding]:
    """公安 numbers follow their own conventions: the label 公网安备 (not 公安网备), and the prefixes 川, 贵,
    滇 and 甘 where ICP filings use 蜀, 黔, 滇 and 陇."""
    findings: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for hit in displayed(facts):
        for case, extra in _convention_problems(hit):
            if (hit.value, case) not in seen:
                seen.add((hit.value, case))
                values = {"number": hit.value, "case": case, **extra}
                findings.append(_finding("GA-005", _GA005[case], link_evidence(hit), values))
    return findings
