"""A data-entry check of the profile's licence facts (VAL-006: term and number year); pure."""

from __future__ import annotations

from datetime import date

from rules.catalogue import RULES_BY_ID
from rules.model import Finding, Params, message_params
from rules.policy import Policy

TERM_YEARS = 5  # 令42号 (and 令19号 第十三条): a licence is valid five years
TOLERANCE_DAYS = 1  # 29 February, and certificates that end the day before the anniversary


def years_later(day: date, years: int) -> date:
    """The same calendar day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _number_year(key: str) -> int | None:
    digits = key.rpartition("-")[2]
    return int(digits[:4]) if len(digits) >= 4 and digits[:4].isdigit() else None


def _finding(message: str, evidence: str, values: Params) -> Finding:
    return Finding("VAL-006", RULES_BY_ID["VAL-006"].severity, message, evidence, values)


def val_006_term_sanity(policy: Policy) -> list[Finding]:
    """The licence facts in the profile should agree with each other: a licence runs five years from its
    issue date (valid_until = issued + 5 years, give or take a day), and the first four digits of its
    number are the year it was first issued, so they cannot be later than the issue year. A mismatch
    usually means a date was mistyped, and every date warning depends on these dates.

    Needs the issue date (`issued` in the profile); without it there is nothing to compare.
    """
    lic = policy.licence
    if lic.issued is None:
        return []
    issued, until = lic.issued.isoformat(), lic.valid_until.isoformat()
    evidence = f"{lic.number} issued {issued}, valid_until {until}"
    findings = []
    expected = years_later(lic.issued, TERM_YEARS)
    if abs((lic.valid_until - expected).days) > TOLERANCE_DAYS:
        message = f"valid_until {until} is not {TERM_YEARS} years after issued {issued} (expected {expected.isoformat()})"
        values = message_params(case="term", until=until, issued=issued, expected=expected.isoformat())
        findings.append(_finding(message, evidence, values))
    year = _number_year(policy.licence_key)
    if year is not None and year > lic.issued.year:
        message = f"licence {lic.number} starts with the year {year}, after the issue year {lic.issued.year}"
        values = message_params(case="number-year", number=lic.number, year=year, issued=lic.issued.year)
        findings.append(_finding(message, evidence, values))
    return findings
