"""Crawl facts as findings (NET-*): a page that could not be fetched, pages only the sitemap leads to,
sitemaps that could not be fully used, malformed links on a page; pure."""

from __future__ import annotations

from rules.catalogue import RULES_BY_ID
from rules.model import FetchOutcome, Finding, PageFacts, SiteFacts, message_params
from rules.policy import Policy

ORPHANS_LISTED = 10  # URLs named in the message; the evidence names up to ORPHANS_IN_EVIDENCE
ORPHANS_IN_EVIDENCE = 50
BAD_LINKS_QUOTED = 5  # malformed hrefs a page's NET-004 quotes (extraction keeps no more)


def net_001_fetch_failed(outcome: FetchOutcome) -> list[Finding]:
    """A page in scope could not be fetched, so nobody can tell whether it shows the number."""
    if outcome.error is None and (outcome.status is None or outcome.status < 400):
        return []
    if outcome.status is not None and outcome.status >= 400:
        what = f"HTTP {outcome.status}"
        values = message_params(what=what, case="http", status=outcome.status)
    else:
        what = str(outcome.error)
        values = message_params(what=what, case="error", error=what)
    evidence = outcome.error_detail or (" → ".join((*outcome.redirects, outcome.final_url or outcome.url)))
    severity = RULES_BY_ID["NET-001"].severity
    return [Finding("NET-001", severity, f"fetch failed: {what}", evidence[:300], values)]


def net_002_sitemap_only(site: SiteFacts, policy: Policy) -> list[Finding]:
    """Pages listed in the sitemap that no audited page links to: search engines find them, but a
    visitor browsing the site cannot navigate to them. They were audited like every other page; this
    is a hint to link them (or drop stale ones from the sitemap), not a licence problem.

    Silent when the crawl was cut short by max_pages or max_depth, since unvisited pages may link them.
    """
    if not site.orphans:
        return []
    listed = ", ".join(site.orphans[:ORPHANS_LISTED]) + (" …" if len(site.orphans) > ORPHANS_LISTED else "")
    count = len(site.orphans)
    message = (
        f"{count} page(s) reachable only through the sitemap: visitors cannot navigate to them ({listed})"
    )
    evidence = "\n".join(site.orphans[:ORPHANS_IN_EVIDENCE])
    values = message_params(count=count, urls=listed)
    return [Finding("NET-002", RULES_BY_ID["NET-002"].severity, message, evidence, values)]


def net_003_sitemap_problems(site: SiteFacts, policy: Policy) -> list[Finding]:
    """The sitemaps (or the robots.txt lines naming them) could not be fully used: malformed
    entries, a file cut at the protocol's limits (50 MB, 50,000 URLs), not gzip although named so,
    an index naming too many or out-of-scope sitemaps, a sitemap that could not be fetched. Pages
    listed only there may have gone unaudited; fix the sitemap so every page can be found."""
    if not site.sitemap_problems:
        return []
    count = len(site.sitemap_problems)
    first_url, first = site.sitemap_problems[0]
    message = f"{count} sitemap problem(s); first: {first_url}: {first}"
    evidence = "\n".join(f"{url}: {problem}" for url, problem in site.sitemap_problems[:ORPHANS_IN_EVIDENCE])
    values = message_params(count=count, url=first_url, problem=first)
    return [Finding("NET-003", RULES_BY_ID["NET-003"].severity, message[:500], evidence[:4000], values)]


def net_004_bad_links(facts: PageFacts, policy: Policy) -> list[Finding]:
    """Links on the page whose address is malformed (an unclosed IPv6 bracket): browsers cannot follow
    them and the audit did not either, so pages they were meant to reach may have gone unaudited. Fix
    the addresses in the page's markup."""
    if not facts.bad_link_count:
        return []
    count, first = facts.bad_link_count, facts.bad_links[0] if facts.bad_links else ""
    message = f"{count} malformed link(s) not followed; first: {first}"
    values = message_params(count=count, href=first)
    evidence = "\n".join(facts.bad_links)
    return [Finding("NET-004", RULES_BY_ID["NET-004"].severity, message[:500], evidence[:2000], values)]
