"""Rules about the ICP备案号 on one page (BA-001…BA-008); each a pure function of facts and policy.

The filing numbers judged are the ICP备 numbers a visitor reads; on a page that shows none, the
licence-derived filing forms some provinces use instead (京ICP证…号-N, 浙B2-…-N; reference §2.4).
A rule returns [] when its precondition does not hold or another rule already says the same thing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache

from rules.absence import absence, distinct_values
from rules.catalogue import RULES_BY_ID
from rules.hit_groups import by_value, link_evidence
from rules.links import host_of, mentions_host
from rules.model import Finding, NumberHit, PageFacts, Params, Severity, message_params
from rules.numbers import BEIAN_RE, NumberKind, find_numbers
from rules.policy import Policy
from rules.provinces import licence_province, province_of
from rules.text import normalise
from rules.verdict import shown

MIIT_HOST = "beian.miit.gov.cn"
MIIT_URL = "https://beian.miit.gov.cn/"
# Former MIIT hosts (dead since about 2019; the www form never answered) and the 公安 platform's hosts.
OBSOLETE_HOSTS = frozenset(
    {
        "miibeian.gov.cn",
        "www.miibeian.gov.cn",
        "miitbeian.gov.cn",
        "www.miitbeian.gov.cn",
        "www.beian.miit.gov.cn",
    }
)
PUBLIC_SECURITY_HOSTS = frozenset({"beian.gov.cn", "www.beian.gov.cn", "beian.mps.gov.cn"})
FILINGS_SETTING = "[filings] icp"

# English messages by rule and case; reports/messages.py holds the same text as its "en" templates.
_BA001 = {
    "missing": "no ICP filing number (ICP备案号) is displayed on the homepage",
    "hidden": "{values} is on the homepage but hidden ({reasons})",
    "image-only": "{values} appears only as an image on the homepage; pixels are not text",
    "needs-render": (
        "no ICP filing number is in the static HTML of the homepage; "
        "it may be built by JavaScript (needs a browser)"
    ),
    "only-in": (
        "no ICP filing number is displayed on the homepage; "
        "{values} stands only where visitors do not see it ({places})"
    ),
}
_BA003 = {
    "obsolete": "{number} links to {href}: {host} is an obsolete or unreachable MIIT host; link to {expected}",
    "public-security": (
        "{number} links to {href}, the public security filing platform ({host}); "
        "an ICP filing number links to {expected}"
    ),
    "missing-scheme": (
        "{number} links to {href}: the address lacks https:// so it opens on this site; link to {expected}"
    ),
    "other": "{number} links to {href}, not to the MIIT filing system; link to {expected}",
}
_BA004 = {
    "outside-footer": "{number} is visible but stands outside the footer; it belongs at the bottom centre",
    "no-footer": "{number} is visible but no footer region was found; it belongs at the bottom centre",
    "not-centred": "{number} is in the footer but not centred",
    "centring-unknown": "{number} is in the footer; whether it is centred cannot be judged without a browser",
}
_BA005 = {
    "digits": "{number}: the main number has {digits} digits; 8 or 10 expected",
    "prefix": "{number}: {prefix} is not an ICP filing prefix; {province} files under {expected}",
    "no-hao": "{raw} is written without 号; the full form is {number}",
    "kind-k": "{number}: the suffix K (quick app) is not a confirmed filing kind",
}
_BA007 = {
    "mismatch": "displays {values} instead of or beside the configured filing {expected}",
    "suffix": "displays {values}: the main number matches the configured {expected} but the website suffix differs",
    "not-configured": "{values} could not be checked: no expected ICP filing number is configured ({setting})",
}
_BA008 = {
    "entity": (
        "{number} is shown in the entity form (主体备案号) without a website suffix; since 2019-04-22 "
        "each domain has its own website number (-N), which some provinces ask for"
    ),
    "website": (
        "{number} is shown in the website form (网站备案号, suffix -{seq}); "
        "some provinces ask for the entity form (主体备案号) without the suffix"
    ),
    "app": "{number} is an app filing number (suffix -{seq}); a website shows its own website number",
    "mini-program": (
        "{number} is a mini-program filing number (suffix -{seq}); a website shows its own website number"
    ),
}


def _finding(
    rule: str, template: str, evidence: str, values: Mapping[str, object], severity: Severity | None = None
) -> Finding:
    params: Params = message_params(**values)
    message = template.format_map(dict(params))
    return Finding(rule, severity or RULES_BY_ID[rule].severity, message, evidence[:300], params)


def _derived(hit: NumberHit) -> bool:
    """A licence-derived filing form: an ICP证 number, or a licence number with a `-N` website suffix."""
    return hit.kind is NumberKind.ICP_ZHENG or (hit.kind is NumberKind.LICENCE and hit.value != hit.key)


def displayed_filings(facts: PageFacts) -> list[NumberHit]:
    """The filing-number hits a visitor reads: ICP备 numbers, else licence-derived filing forms."""
    visible = [h for h in facts.numbers if shown(h)]
    return [h for h in visible if h.kind is NumberKind.ICP_FILING] or [h for h in visible if _derived(h)]


def ba_001_homepage(facts: PageFacts, policy: Policy) -> list[Finding]:
    """The homepage must show the site's ICP备案号 as visible text (33号令 第十三条; 292号令 第十二条)."""
    if not facts.is_homepage:
        return []
    gone = absence(facts, [h for h in facts.numbers if h.kind is NumberKind.ICP_FILING or _derived(h)])
    if gone is None:
        return []
    severity = Severity.WARNING if gone.case == "needs-render" else None  # undecided without a browser
    return [_finding("BA-001", _BA001[gone.case], gone.evidence, gone.params(), severity)]


def ba_002_not_linked(facts: PageFacts, policy: Policy) -> list[Finding]:
    """The ICP备案号 must link to the MIIT filing system, https://beian.miit.gov.cn/, so that the public
    can check it (33号令 第十三条; a missing link is fined under 第二十五条). The number itself may be the link."""
    return [
        _finding(
            "BA-002",
            "{number} is not linked; link it to {expected}",
            link_evidence(hits[0]),
            {"number": value, "expected": MIIT_URL},
        )
        for value, hits in by_value(displayed_filings(facts)).items()
        if not any(h.href for h in hits)
    ]


def _link_case(href: str, host: str) -> str:
    if host in OBSOLETE_HOSTS:
        return "obsolete"
    if host in PUBLIC_SECURITY_HOSTS:
        return "public-security"
    if mentions_host(href, OBSOLETE_HOSTS | {MIIT_HOST}):
        return "missing-scheme"
    return "other"


def ba_003_wrong_link(facts: PageFacts, policy: Policy) -> list[Finding]:
    """The ICP备案号 links somewhere other than beian.miit.gov.cn: a former MIIT host (miibeian.gov.cn,
    miitbeian.gov.cn, www.beian.miit.gov.cn) that no longer answers, the 公安 filing platform, or a page of
    the site itself. Visitors following it cannot check the number."""
    findings: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for hit in displayed_filings(facts):
        if not hit.href or (hit.value, hit.href) in seen:
            continue
        seen.add((hit.value, hit.href))
        host = host_of(hit.href)
        if host == MIIT_HOST:
            continue
        case = _link_case(hit.href, host)
        values = {"number": hit.value, "href": hit.href, "expected": MIIT_URL, "case": case}
        if case in ("obsolete", "public-security"):
            values["host"] = host
        findings.append(_finding("BA-003", _BA003[case], link_evidence(hit), values))
    return findings


def _position_case(facts: PageFacts, hits: list[NumberHit]) -> str | None:
    footer = [h for h in hits if h.in_footer]
    if not footer:
        return "outside-footer" if facts.footer_found else "no-footer"
    if any(h.centred for h in footer):
        return None
    if all(h.centred is False for h in footer):
        return "not-centred"
    # Centring set by a stylesheet the extraction could not resolve: say so once, on the homepage.
    return "centring-unknown" if facts.is_homepage else None


def ba_004_position(facts: PageFacts, policy: Policy) -> list[Finding]:
    """The ICP备案号 belongs at the bottom centre of the page, “主页底部的中央位置” (33号令 第十三条).
    Where the markup does not tell whether its block is centred, the homepage gets an info to check it
    in a browser; inner pages stay silent."""
    findings: list[Finding] = []
    for value, hits in by_value(displayed_filings(facts)).items():
        case = _position_case(facts, hits)
        if case is None:
            continue
        severity = Severity.INFO if case == "centring-unknown" else None
        hit = next((h for h in hits if h.in_footer), hits[0])
        findings.append(
            _finding("BA-004", _BA004[case], link_evidence(hit), {"number": value, "case": case}, severity)
        )
    return findings


def _format_problems(hit: NumberHit) -> Iterable[tuple[str, Severity | None, dict[str, object]]]:
    match = BEIAN_RE.search(hit.raw) if hit.raw else None
    match = match or BEIAN_RE.search(hit.value)
    if match is None:
        return
    main, prefix = match["main"], match["prov"]
    if len(main) not in (8, 10):
        yield "digits", None, {"digits": len(main)}
    province = province_of(prefix)
    if province is not None and prefix not in (province.icp, *province.legacy_icp):
        yield "prefix", None, {"prefix": prefix, "province": province.name, "expected": province.icp}
    if match["hao"] is None:
        yield "no-hao", Severity.INFO, {"raw": match[0].strip()}
    if (match["kind"] or "").upper() == "K":
        yield "kind-k", Severity.INFO, {}


def ba_005_format(facts: PageFacts, policy: Policy) -> list[Finding]:
    """An ICP备案号 reads province + ICP备 + an 8- or 10-digit main number + 号, optionally -N and an
    app (A) or mini-program (X) letter (reference §2.4). A missing 号 or the unconfirmed K letter is info."""
    findings: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for hit in displayed_filings(facts):
        if hit.kind is not NumberKind.ICP_FILING:
            continue
        for case, severity, extra in _format_problems(hit):
            if (hit.value, case) not in seen:
                seen.add((hit.value, case))
                values = {"number": hit.value, "case": case, **extra}
                findings.append(_finding("BA-005", _BA005[case], link_evidence(hit), values, severity))
    return findings


def ba_006_province(facts: PageFacts, policy: Policy) -> list[Finding]:
    """The filing is made with the 通信管理局 of the company's province (33号令 第三条), the province of
    its licence: a filing of another province is a typo or another company's number."""
    company = licence_province(policy.licence_key)
    if company is None:  # a cross-regional (no prefix) or 合字 licence names no province
        return []
    findings: list[Finding] = []
    for value, hits in by_value(displayed_filings(facts)).items():
        if hits[0].kind is NumberKind.LICENCE:  # the licence's own prefix: LIC rules judge it
            continue
        province = province_of(value[:1])
        if province is None or province == company:
            continue
        values = {
            "number": value,
            "prefix": value[:1],
            "province": province.name,
            "licence": policy.licence.number,
            "licence_prefix": policy.licence_key[:1],
            "licence_province": company.name,
        }
        template = "{number} was filed in {province} ({prefix}), but the licence {licence} is from {licence_province} ({licence_prefix})"
        findings.append(_finding("BA-006", template, link_evidence(hits[0]), values))
    return findings


@lru_cache(maxsize=16)  # the same profile judges every page of a run
def _expected_filing(text: str) -> tuple[str, str, NumberKind | None]:
    """Key, value and kind of the configured filing; the bare text when no filing pattern matches."""
    clean = normalise(text).strip()
    filing_kinds = (NumberKind.ICP_FILING, NumberKind.ICP_ZHENG, NumberKind.LICENCE)
    match = next((m for m in find_numbers(clean) if m.kind in filing_kinds), None)
    if match is None:
        bare = clean.replace(" ", "")
        return bare, bare, None
    return match.key, match.value, match.kind


def _comparable(facts: PageFacts, kind: NumberKind | None) -> list[NumberHit]:
    """Displayed filings of the configured kind (a 京ICP证 beside a 京ICP备 number), else all of them."""
    same = [
        h
        for h in facts.numbers
        if shown(h) and h.kind is kind and (kind is not NumberKind.LICENCE or _derived(h))
    ]
    return same or displayed_filings(facts)


def ba_007_configured(facts: PageFacts, policy: Policy) -> list[Finding]:
    """The displayed 备案号 must be the site's own filing (292号令 第十二条), the one in the profile's
    [filings] icp. Another main number is an error; the same main number with another website suffix
    (-1, -2) is info. Without a configured filing the homepage says once that it could not be checked."""
    if not policy.filing_icp.strip():
        shown_values = distinct_values(displayed_filings(facts))
        if not facts.is_homepage or not shown_values:
            return []
        values = {"values": ", ".join(shown_values), "setting": FILINGS_SETTING, "case": "not-configured"}
        hits = displayed_filings(facts)
        return [_finding("BA-007", _BA007["not-configured"], link_evidence(hits[0]), values, Severity.INFO)]
    key, expected, kind = _expected_filing(policy.filing_icp)
    groups = by_value(_comparable(facts, kind))
    others = [hits for hits in groups.values() if hits[0].key != key and hits[0].value != key]
    suffixes = [hits for value, hits in groups.items() if hits[0].key == key and value != expected]
    findings: list[Finding] = []
    for case, severity, found in (("mismatch", None, others), ("suffix", Severity.INFO, suffixes)):
        if found:
            values = {"values": ", ".join(h[0].value for h in found), "expected": expected, "case": case}
            evidence = " | ".join(link_evidence(h[0]) for h in found)
            findings.append(_finding("BA-007", _BA007[case], evidence, values, severity))
    return findings


def _form_case(seq: str) -> str:
    if not seq:
        return "entity"
    return {"A": "app", "X": "mini-program"}.get(seq[-1].upper(), "website")


def ba_008_form(facts: PageFacts, policy: Policy) -> list[Finding]:
    """Which form the homepage shows: the entity number (主体备案号) or the website number with its -N
    suffix (网站备案号). Provinces differ on which they want, so this is information, not a fault."""
    if not facts.is_homepage:
        return []
    findings: list[Finding] = []
    for value, hits in by_value(displayed_filings(facts)).items():
        seq = value[len(hits[0].key) :].lstrip("-")
        case = _form_case(seq)
        if seq.upper().endswith("K"):  # an unconfirmed letter: BA-005 says so
            continue
        values = {"number": value, "case": case, **({"seq": seq} if seq else {})}
        findings.append(_finding("BA-008", _BA008[case], link_evidence(hits[0]), values))
    return findings
