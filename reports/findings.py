"""Findings as the report shows them: localised rule metadata, one line per finding, one card per rule."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from reports.messages import Catalogue, finding_text
from rules.catalogue import RULES_BY_ID
from rules.model import Finding, Severity
from rules.records import PageRecord, RunRecord

EXAMPLES_PER_RULE = 3
EVIDENCE_CHARS = 600  # rules cap evidence at 300; this guards against a storage row that did not

SEVERITY_TONES = {Severity.ERROR: "bad", Severity.WARNING: "warn", Severity.INFO: "info"}


@dataclass(frozen=True, slots=True)
class FindingLine:
    """One finding: rule id and title, severity, message and evidence."""

    rule: str
    title: str
    severity: str
    tone: str
    message: str
    evidence: str


@dataclass(frozen=True, slots=True)
class RuleCard:
    """Everything found under one rule, with its advice and legal basis."""

    rule: str
    title: str
    severity: str
    tone: str
    site: bool
    lines: tuple[FindingLine, ...]  # site findings: each one; page findings: none (see the pages)
    pages: str  # "涉及 12 个页面", empty for site findings
    examples: tuple[str, ...]
    more: str
    advice: str
    basis: str


def rule_title(rule: str, cat: Catalogue) -> str:
    """The rule's title in the report language; an unknown id (e.g. RULE-ERROR) stands for itself."""
    info = RULES_BY_ID.get(rule)
    if info is None:
        return rule
    return info.title_zh if cat.lang == "zh" else info.title_en


def _advice(rule: str, cat: Catalogue) -> str:
    info = RULES_BY_ID.get(rule)
    if info is None:
        return ""
    return info.advice_zh if cat.lang == "zh" else info.advice_en


def finding_line(finding: Finding, cat: Catalogue) -> FindingLine:
    """A finding ready to display."""
    return FindingLine(
        rule=finding.rule,
        title=rule_title(finding.rule, cat),
        severity=cat.severities[finding.severity],
        tone=SEVERITY_TONES[finding.severity],
        message=finding_text(finding, cat.lang),
        evidence=finding.evidence[:EVIDENCE_CHARS],
    )


def worst_severity(findings: Iterable[Finding]) -> Severity | None:
    """The highest severity among findings, or None."""
    return max((f.severity for f in findings), key=lambda s: s.rank, default=None)


def _card(rule: str, findings: list[Finding], cat: Catalogue, *, site: bool) -> RuleCard:
    severity = worst_severity(findings) or Severity.INFO
    info = RULES_BY_ID.get(rule)
    return RuleCard(
        rule=rule,
        title=rule_title(rule, cat),
        severity=cat.severities[severity],
        tone=SEVERITY_TONES[severity],
        site=site,
        lines=tuple(finding_line(f, cat) for f in findings) if site else (),
        pages="",
        examples=(),
        more="",
        advice=_advice(rule, cat),
        basis=info.basis if info else "",
    )


def _site_cards(findings: tuple[Finding, ...], cat: Catalogue) -> list[RuleCard]:
    by_rule: dict[str, list[Finding]] = {}
    for f in findings:
        by_rule.setdefault(f.rule, []).append(f)
    return [_card(rule, fs, cat, site=True) for rule, fs in by_rule.items()]


@dataclass
class _Tally:
    """What a rule's card needs of the pages it found something on (never the pages themselves: the
    pages of a big run are read from the database a chunk at a time)."""

    pages: int = 0
    examples: list[str] = field(default_factory=list)
    worst: list[Finding] = field(default_factory=list)  # a finding of the worst severity seen


def _page_card(rule: str, tally: _Tally, cat: Catalogue) -> RuleCard:
    card = _card(rule, tally.worst, cat, site=False)
    more = tally.pages - EXAMPLES_PER_RULE
    return replace(
        card,
        pages=cat.say("finding_pages", pages=cat.count("page", tally.pages)),
        examples=tuple(tally.examples),
        more=cat.say("finding_more", pages=cat.count("page", more)) if more > 0 else "",
    )


def _page_cards(pages: Iterable[PageRecord], cat: Catalogue) -> list[RuleCard]:
    by_rule: dict[str, _Tally] = {}
    for page in pages:
        for rule, found in _by_rule(page.findings).items():
            tally = by_rule.setdefault(rule, _Tally())
            tally.pages += 1
            if len(tally.examples) < EXAMPLES_PER_RULE:
                tally.examples.append(page.url)
            worst = worst_severity([*tally.worst, *found])
            tally.worst = [next(f for f in [*tally.worst, *found] if f.severity is worst)]
    return [_page_card(rule, tally, cat) for rule, tally in by_rule.items()]


def _by_rule(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    grouped: dict[str, list[Finding]] = {}
    for f in findings:
        grouped.setdefault(f.rule, []).append(f)
    return grouped


def rule_cards(record: RunRecord, cat: Catalogue) -> tuple[RuleCard, ...]:
    """One card per rule: site findings first within a severity, worst severity first, then by id."""
    cards = _site_cards(record.site_findings, cat) + _page_cards(record.pages, cat)
    rank = {tone: i for i, tone in enumerate(("bad", "warn", "info"))}
    return tuple(sorted(cards, key=lambda c: (rank[c.tone], not c.site, c.rule)))
