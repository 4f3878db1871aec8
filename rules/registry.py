"""The explicit registry of rule functions, by the thing they judge; pure data (no import-time magic)."""

from __future__ import annotations

from collections.abc import Callable

from rules import (
    date_rules,
    ecommerce_rules,
    filing_rules,
    licence_format_rules,
    licence_presentation_rules,
    licence_term_rules,
    markup_rules,
    net_rules,
    page_rules,
    public_security_rules,
    render_rules,
    report_duty_rules,
    scope_rules,
)
from rules.model import FetchOutcome, Finding, PageFacts, SiteFacts
from rules.policy import Policy

PageRule = Callable[[PageFacts, Policy], list[Finding]]
SiteRule = Callable[[Policy], list[Finding]]
CrawlRule = Callable[[SiteFacts, Policy], list[Finding]]  # site rules that need what the crawl saw
FetchRule = Callable[[FetchOutcome], list[Finding]]
ParseRule = Callable[[str], list[Finding]]  # a fetched page not parsed, from the reason why

PAGE_RULES: tuple[tuple[str, PageRule], ...] = (
    ("LIC-001", page_rules.lic_001_homepage),
    ("LIC-002", page_rules.lic_002_other_number),
    ("LIC-003", licence_format_rules.lic_003_format),
    ("LIC-004", licence_format_rules.lic_004_province),
    ("LIC-005", page_rules.lic_005_not_in_footer),
    ("LIC-006", page_rules.lic_006_hidden),
    ("LIC-007", page_rules.lic_007_inner_footer),
    ("LIC-008", licence_presentation_rules.lic_008_image_or_script),
    ("LIC-009", licence_presentation_rules.lic_009_link_target),
    ("BA-001", filing_rules.ba_001_homepage),
    ("BA-002", filing_rules.ba_002_not_linked),
    ("BA-003", filing_rules.ba_003_wrong_link),
    ("BA-004", filing_rules.ba_004_position),
    ("BA-005", filing_rules.ba_005_format),
    ("BA-006", filing_rules.ba_006_province),
    ("BA-007", filing_rules.ba_007_configured),
    ("BA-008", filing_rules.ba_008_form),
    ("GA-001", public_security_rules.ga_001_homepage),
    ("GA-002", public_security_rules.ga_002_format),
    ("GA-003", public_security_rules.ga_003_link),
    ("GA-004", public_security_rules.ga_004_badge),
    ("GA-005", public_security_rules.ga_005_convention),
    ("TECH-001", render_rules.tech_001_after_script),
    ("TECH-002", markup_rules.tech_002_not_rendered),
    ("TECH-004", render_rules.tech_004_one_viewport),
    ("SCOPE-001", scope_rules.scope_001_search),
    ("SCOPE-002", scope_rules.scope_002_messaging),
    ("ECOM-001", ecommerce_rules.ecom_001_business_licence),
    ("NET-004", net_rules.net_004_bad_links),
)
SITE_RULES: tuple[tuple[str, SiteRule], ...] = (
    ("VAL-001", date_rules.val_001_expired),
    ("VAL-002", date_rules.val_002_renewal_deadline),
    ("VAL-003", date_rules.val_003_renewal_window),
    ("VAL-004", report_duty_rules.val_004_annual_report),
    ("VAL-005", report_duty_rules.val_005_monthly_report),
    ("VAL-006", licence_term_rules.val_006_term_sanity),
    ("VAL-007", date_rules.val_007_not_yet_issued),
)
CRAWL_RULES: tuple[tuple[str, CrawlRule], ...] = (
    ("SCOPE-003", scope_rules.scope_003_unlicensed_domain),
    ("NET-002", net_rules.net_002_sitemap_only),
    ("NET-003", net_rules.net_003_sitemap_problems),
    ("TECH-003", render_rules.tech_003_unconfirmed),
    ("TECH-006", render_rules.tech_006_images_unread),
)
FETCH_RULES: tuple[tuple[str, FetchRule], ...] = (("NET-001", net_rules.net_001_fetch_failed),)
PARSE_RULES: tuple[tuple[str, ParseRule], ...] = (("TECH-005", markup_rules.tech_005_not_parsed),)

ALL_RULE_IDS: tuple[str, ...] = tuple(
    rid for rid, _ in (*PAGE_RULES, *SITE_RULES, *CRAWL_RULES, *FETCH_RULES, *PARSE_RULES)
)
