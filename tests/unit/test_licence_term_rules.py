"""rules.licence_term_rules: VAL-006 term and number-year sanity of the profile's licence facts."""

from __future__ import annotations

from datetime import date

import pytest

from rules.licence_term_rules import val_006_term_sanity, years_later
from rules.model import LicenceFacts, Severity
from rules.policy import Policy

TODAY = date(2026, 11, 27)


def policy(number: str, issued: date | None, valid_until: date) -> Policy:
    return Policy(licence=LicenceFacts(number, "x", valid_until, issued=issued), today=TODAY)


@pytest.mark.parametrize(
    ("day", "later"),
    [
        pytest.param(date(2021, 8, 30), date(2026, 8, 30), id="plain"),
        pytest.param(date(2024, 2, 29), date(2029, 2, 28), id="leap-day"),
        pytest.param(date(2020, 12, 31), date(2025, 12, 31), id="year-end"),
    ],
)
def test_years_later(day: date, later: date) -> None:
    assert years_later(day, 5) == later


VAL_006 = [
    # (number, issued, valid_until, expected cases)
    pytest.param("陕B2-20210271", date(2021, 8, 30), date(2026, 8, 30), [], id="seed"),
    pytest.param("陕B2-20210271", date(2021, 8, 30), date(2026, 8, 29), [], id="day-before-anniversary"),
    pytest.param("陕B2-20210271", date(2021, 8, 30), date(2026, 8, 31), [], id="day-after-anniversary"),
    pytest.param("京B2-20240001", date(2024, 2, 29), date(2029, 3, 1), [], id="leap-day-issue"),
    pytest.param("浙B2-20080101", date(2023, 5, 1), date(2028, 5, 1), [], id="renewed-keeps-old-number"),
    pytest.param("陕B2-20210271", None, date(2026, 8, 30), [], id="issue-date-unknown"),
    pytest.param("陕B2-20210271", date(2021, 8, 30), date(2026, 9, 30), ["term"], id="month-off"),
    pytest.param("陕B2-20210271", date(2021, 8, 30), date(2031, 8, 30), ["term"], id="ten-years"),
    pytest.param("陕B2-20220271", date(2021, 8, 30), date(2026, 8, 30), ["number-year"], id="number-later"),
    pytest.param("陕B2-20220271", date(2021, 8, 30), date(2026, 9, 2), ["term", "number-year"], id="both"),
    pytest.param("not a number", date(2021, 8, 30), date(2026, 8, 30), [], id="unparseable-number"),
]


@pytest.mark.parametrize(("number", "issued", "valid_until", "cases"), VAL_006)
def test_val_006_cases(number: str, issued: date | None, valid_until: date, cases: list[str]) -> None:
    findings = val_006_term_sanity(policy(number, issued, valid_until))
    assert [dict(f.params)["case"] for f in findings] == cases
    assert all(f.rule == "VAL-006" and f.severity is Severity.WARNING for f in findings)


def test_val_006_messages() -> None:
    term, year = val_006_term_sanity(policy("陕B2-20220271", date(2021, 8, 30), date(2026, 9, 2)))
    assert (
        term.message == "valid_until 2026-09-02 is not 5 years after issued 2021-08-30 (expected 2026-08-30)"
    )
    assert year.message == "licence 陕B2-20220271 starts with the year 2022, after the issue year 2021"
    assert term.evidence == year.evidence == "陕B2-20220271 issued 2021-08-30, valid_until 2026-09-02"
