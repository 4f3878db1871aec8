"""Rules about services and websites outside the licence (SCOPE-*): warnings or notes with the evidence a
human needs to decide, never errors; pure functions of page signals, crawl facts and policy.

Signals come from extraction (`PageFacts.signals`); these rules only weigh them against the licence.
"""

from __future__ import annotations

import contextlib
import ipaddress
from collections.abc import Iterable

from rules.catalogue import RULES_BY_ID
from rules.model import Finding, PageFacts, Severity, Signal, SignalKind, SiteFacts, message_params
from rules.policy import Policy

# Words by which the licence's excluded services name the two B25 sub-types (reference §5).
SEARCH_WORDS = ("搜索", "查询")  # (2) 信息搜索查询服务
MESSAGING_WORDS = ("即时", "交互")  # (4) 信息即时交互服务
WHAT_MAX = 160  # characters of signal evidence quoted in a message


def _excludes(policy: Policy, words: Iterable[str]) -> bool:
    """The licence lists a service containing one of `words` among its excluded services."""
    return any(word in service for service in policy.licence.excluded_services for word in words)


def _of(facts: PageFacts, *kinds: SignalKind) -> list[Signal]:
    return [s for s in facts.signals if s.kind in kinds]


def _what(signals: list[Signal]) -> str:
    """The signals' evidence, unique and in page order, joined for a message."""
    text = "; ".join(dict.fromkeys(s.evidence for s in signals))
    return text if len(text) <= WHAT_MAX else text[: WHAT_MAX - 1] + "…"


def _finding(rule: str, severity: Severity | None, message: str, signals: list[Signal], case: str) -> Finding:
    evidence = " | ".join(dict.fromkeys(s.evidence for s in signals))[:300]
    values = message_params(case=case, what=_what(signals))
    return Finding(rule, severity or RULES_BY_ID[rule].severity, message, evidence, values)


def scope_001_search(facts: PageFacts, policy: Policy) -> list[Finding]:
    """The licence excludes 信息搜索查询服务: a search engine, a 网址导航 directory or a public lookup over
    third-party data on the site may be a service outside the licence (292号令 第十九条). A plain search
    box over the company's own pages is probably not that service, but someone should confirm it
    searches only the site's own content.

    Silent when the licence does not exclude search services.
    """
    if not _excludes(policy, SEARCH_WORDS):
        return []
    service = _of(facts, SignalKind.SEARCH_SERVICE)
    if service:
        message = f"a search or lookup service, excluded by the licence: {_what(service)}"
        return [_finding("SCOPE-001", None, message, service, "service")]
    site = _of(facts, SignalKind.SITE_SEARCH)
    if site:
        message = f"a site search box: confirm it searches only the site's own content ({_what(site)})"
        return [_finding("SCOPE-001", Severity.INFO, message, site, "site-search")]
    return []


def scope_002_messaging(facts: PageFacts, policy: Policy) -> list[Finding]:
    """The licence excludes 信息即时交互服务: chat or direct messages between users, an IM SDK, or voice
    and video calls may be a service outside the licence (292号令 第十九条). A customer-service widget run
    by a vendor, where visitors talk only to the company, is a grey zone: someone should decide.

    Silent when the licence does not exclude instant-messaging services.
    """
    if not _excludes(policy, MESSAGING_WORDS):
        return []
    users = _of(facts, SignalKind.INSTANT_MESSAGING, SignalKind.VOICE_VIDEO)
    if users:
        message = (
            f"instant messaging or voice/video calls between users, excluded by the licence: {_what(users)}"
        )
        return [_finding("SCOPE-002", None, message, users, "user-chat")]
    vendor = _of(facts, SignalKind.CHAT_VENDOR)
    if vendor:
        message = (
            f"a vendor's customer-service chat: confirm visitors talk only to the company ({_what(vendor)})"
        )
        return [_finding("SCOPE-002", Severity.INFO, message, vendor, "vendor")]
    return []


def _bare_host(host: str) -> str:
    """Lower case, without a port or a trailing dot, in IDNA form (punycode, as the crawler gives the
    hosts it saw); IPv6 brackets removed."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].partition("]")[0]
    if host.count(":") == 1:
        host = host.partition(":")[0]
    host = host.replace("。", ".").rstrip(".")
    if not host.isascii():  # the standard library's IDNA codec: rules import nothing else
        with contextlib.suppress(UnicodeError):  # no valid name: compared as written
            host = host.encode("idna").decode("ascii")
    return host


def _is_local_or_ip(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def scope_003_unlicensed_domain(site: SiteFacts, policy: Policy) -> list[Finding]:
    """The licence names the websites it covers (网站域名). A host that served pages in this audit but is
    not one of those domains, or a subdomain of one, is a website the licence does not list: a URL
    change needs a 变更 filed 30 days ahead (292号令 第十一条).

    IP addresses and localhost are skipped: they are a local copy under test, not a real domain. Silent
    when the profile lists no licence domains.
    """
    domains = sorted({_bare_host(d) for d in policy.licence.domains if d.strip()})
    if not domains:
        return []
    findings = []
    listed = ", ".join(domains)
    for host in sorted({_bare_host(h) for h in site.hosts}):
        if not host or _is_local_or_ip(host) or any(host == d or host.endswith("." + d) for d in domains):
            continue
        message = f"{host} served pages but is not among the licence's websites ({listed})"
        values = message_params(host=host, domains=listed)
        evidence = f"host {host}; licence domains: {listed}"
        findings.append(Finding("SCOPE-003", RULES_BY_ID["SCOPE-003"].severity, message, evidence, values))
    return findings
