"""The explicit registry of rule functions, by the thing they judge; pure data (no import-time magic)."""

from __future__ import annotations

from collections.abc import Callable

from rules import date_rules, net_rules, page_rules
from rules.model import FetchOutcome, Finding, PageFacts, SiteFacts
from rules.policy import Policy

PageRule = Callable[[PageFacts, Policy], list[Finding]]
SiteRule = Callable[[Policy], list[Finding]]
CrawlRule = Callable[[SiteFacts, Policy], list[Finding]]  # site rules that need what the crawl saw
FetchRule = Callable[[FetchOutcome], list[Finding]]

PAGE_RULES: tuple[tuple[str, PageRule], ...] = (
    ("LIC-001", page_rules.lic_001_homepage),
    ("LIC-002", page_rules.lic_002_other_number),
    ("LIC-005", page_rules.lic_005_not_in_footer),
    ("LIC-006", page_rules.lic_006_hidden),
    ("LIC-007", page_rules.lic_007_inner_footer),
)
SITE_RULES: tuple[tuple[str, SiteRule], ...] = (
    ("VAL-001", date_rules.val_001_expired),
    ("VAL-002", date_rules.val_002_renewal_deadline),
    ("VAL-003", date_rules.val_003_renewal_window),
)
CRAWL_RULES: tuple[tuple[str, CrawlRule], ...] = ()
FETCH_RULES: tuple[tuple[str, FetchRule], ...] = (("NET-001", net_rules.net_001_fetch_failed),)

ALL_RULE_IDS: tuple[str, ...] = tuple(
    rid for rid, _ in (*PAGE_RULES, *SITE_RULES, *CRAWL_RULES, *FETCH_RULES)
)
