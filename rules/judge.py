"""Apply the registry to one page or to the site, with the profile's severity overrides; pure.

An exception inside a rule is a bug in that rule: it becomes a `RULE-ERROR` finding for the page
instead of ending the audit.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from rules.model import FetchOutcome, Finding, PageFacts, Severity, SiteFacts, Verdict, message_params
from rules.policy import Policy
from rules.registry import CRAWL_RULES, FETCH_RULES, PAGE_RULES, PARSE_RULES, SITE_RULES
from rules.verdict import page_verdict


@dataclass(frozen=True, slots=True)
class Judgement:
    """A page's verdict and findings."""

    verdict: Verdict
    findings: tuple[Finding, ...]


def _override(findings: list[Finding], policy: Policy) -> list[Finding]:
    return [
        replace(f, severity=policy.severity[f.rule]) if f.rule in policy.severity else f for f in findings
    ]


def _rule_error(rule_id: str, exc: Exception) -> Finding:
    error = type(exc).__name__
    values = message_params(rule=rule_id, error=error)
    return Finding("RULE-ERROR", Severity.WARNING, f"rule {rule_id} failed: {error}", str(exc)[:300], values)


def judge_page(facts: PageFacts, policy: Policy) -> Judgement:
    """Verdict and findings of one fetched HTML page."""
    findings: list[Finding] = []
    for rule_id, rule in PAGE_RULES:
        try:
            findings.extend(rule(facts, policy))
        except Exception as exc:
            findings.append(_rule_error(rule_id, exc))
    return Judgement(page_verdict(facts, policy.licence_key), tuple(_override(findings, policy)))


def judge_unfetched(outcome: FetchOutcome, verdict: Verdict, policy: Policy) -> Judgement:
    """Verdict and findings of a URL that produced no HTML (fetch error, not HTML, skipped)."""
    findings = [f for _, rule in FETCH_RULES for f in rule(outcome)] if verdict is Verdict.FETCH_ERROR else []
    return Judgement(verdict, tuple(_override(findings, policy)))


def judge_unparsed(reason: str, policy: Policy) -> Judgement:
    """A fetched HTML page the static path would not parse (too deeply nested): static analysis
    cannot decide, so `needs-render` (never compliant), with TECH-005 saying why."""
    findings = [f for _, rule in PARSE_RULES for f in rule(reason)]
    return Judgement(Verdict.NEEDS_RENDER, tuple(_override(findings, policy)))


def judge_site(policy: Policy, site: SiteFacts | None = None) -> tuple[Finding, ...]:
    """Site-level findings: the licence's validity by date, and what the whole crawl saw."""
    findings = [f for _, rule in SITE_RULES for f in rule(policy)]
    findings += [f for _, crawl_rule in CRAWL_RULES for f in crawl_rule(site or SiteFacts(), policy)]
    return tuple(_override(findings, policy))


def worst(findings: tuple[Finding, ...] | list[Finding]) -> Severity | None:
    """The highest severity among findings, or None."""
    return max((f.severity for f in findings), key=lambda s: s.rank, default=None)
