"""rules.date_rules: VAL-001 expired, VAL-002 renewal deadline, VAL-003 renewal window (reference §4),
VAL-007 judged before the issue date."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from rules.date_rules import (
    RENEWAL_LEAD,
    WARNING_LEAD,
    val_001_expired,
    val_002_renewal_deadline,
    val_003_renewal_window,
    val_007_not_yet_issued,
)
from rules.model import Finding, LicenceFacts, Severity
from rules.policy import Policy

VALID_UNTIL = date(2026, 8, 30)
DEADLINE = date(2026, 6, 1)  # valid_until - 90 days (reference §4 seed timeline)
WINDOW_OPENS = date(2026, 3, 3)  # valid_until - 180 days


def policy(today: date, renewed_until: date | None = None) -> Policy:
    licence = LicenceFacts(
        number="陕B2-20210271",
        holder="西安朝前智能科技有限公司",
        valid_until=VALID_UNTIL,
        issued=date(2021, 8, 30),
        renewed_until=renewed_until,
    )
    return Policy(licence=licence, today=today)


def fired(p: Policy) -> list[str]:
    findings: list[Finding] = [
        *val_001_expired(p),
        *val_002_renewal_deadline(p),
        *val_003_renewal_window(p),
        *val_007_not_yet_issued(p),
    ]
    return [f.rule for f in findings]


def test_seed_timeline_constants() -> None:
    assert VALID_UNTIL - RENEWAL_LEAD == DEADLINE
    assert VALID_UNTIL - WARNING_LEAD == WINDOW_OPENS


@pytest.mark.parametrize(
    ("today", "renewed_until", "rules"),
    [
        pytest.param(date(2021, 8, 29), None, ["VAL-007"], id="day-before-issue"),
        pytest.param(date(2021, 8, 30), None, [], id="issue-day"),
        pytest.param(date(2026, 3, 2), None, [], id="day-before-window"),
        pytest.param(WINDOW_OPENS, None, ["VAL-003"], id="window-opens-2026-03-03"),
        pytest.param(date(2026, 5, 1), None, ["VAL-003"], id="2026-05-01-window-only"),
        pytest.param(date(2026, 5, 31), None, ["VAL-003"], id="day-before-deadline"),
        pytest.param(DEADLINE, None, ["VAL-003"], id="deadline-day-2026-06-01-is-the-last-day-to-file"),
        pytest.param(date(2026, 6, 2), None, ["VAL-002"], id="day-after-deadline"),
        pytest.param(VALID_UNTIL, None, ["VAL-002"], id="expiry-day-still-valid"),
        pytest.param(date(2026, 8, 31), None, ["VAL-001", "VAL-002"], id="day-after-expiry"),
        pytest.param(date(2026, 11, 27), None, ["VAL-001", "VAL-002"], id="2026-11-27-expired"),
        pytest.param(date(2026, 11, 27), date(2031, 8, 30), [], id="2026-11-27-renewed"),
        pytest.param(date(2031, 5, 1), date(2031, 8, 30), ["VAL-003"], id="renewed-window"),
        pytest.param(date(2031, 6, 2), date(2031, 8, 30), ["VAL-002"], id="renewed-deadline-passed"),
        pytest.param(date(2031, 8, 31), date(2031, 8, 30), ["VAL-001", "VAL-002"], id="renewed-expired"),
    ],
)
def test_which_rules_fire(today: date, renewed_until: date | None, rules: list[str]) -> None:
    assert fired(policy(today, renewed_until)) == rules


def test_val_001_on_2026_11_27() -> None:
    p = policy(date(2026, 11, 27))
    assert p.licence.days_left(p.today) == -89
    (finding,) = val_001_expired(p)
    assert finding.severity is Severity.ERROR
    assert finding.message == "licence 陕B2-20210271 expired on 2026-08-30, 89 days ago"
    assert finding.params == (("days", "89"), ("number", "陕B2-20210271"), ("until", "2026-08-30"))
    assert finding.evidence == "陕B2-20210271 valid_until 2026-08-30; judged on 2026-11-27"


def test_val_002_on_2026_11_27() -> None:
    (finding,) = val_002_renewal_deadline(policy(date(2026, 11, 27)))
    assert finding.severity is Severity.ERROR
    assert finding.message == "the renewal deadline 2026-06-01 passed 179 days ago"
    assert dict(finding.params) == {"deadline": "2026-06-01", "days": "179"}


def test_val_002_on_the_deadline_day() -> None:
    """The deadline day is the last day to file (reference §4 timeline): VAL-002 starts the day after."""
    assert val_002_renewal_deadline(policy(DEADLINE)) == []
    (finding,) = val_002_renewal_deadline(policy(date(2026, 6, 2)))
    assert finding.message == "the renewal deadline 2026-06-01 passed 1 day ago"
    assert dict(finding.params) == {"deadline": "2026-06-01", "days": "1"}


def test_val_003_on_2026_05_01() -> None:
    (finding,) = val_003_renewal_window(policy(date(2026, 5, 1)))
    assert finding.severity is Severity.WARNING
    assert finding.message == "licence expires on 2026-08-30; file the renewal by 2026-06-01"
    assert dict(finding.params) == {"until": "2026-08-30", "deadline": "2026-06-01"}


@pytest.mark.parametrize(
    ("today", "days_left"),
    [
        pytest.param(date(2026, 8, 29), 1, id="day-before"),
        pytest.param(VALID_UNTIL, 0, id="expiry-day"),
        pytest.param(date(2026, 8, 31), -1, id="day-after"),
        pytest.param(date(2026, 11, 27), -89, id="2026-11-27"),
    ],
)
def test_days_left(today: date, days_left: int) -> None:
    p = policy(today)
    assert p.licence.days_left(today) == days_left
    assert bool(val_001_expired(p)) is (days_left < 0)


def test_renewal_moves_effective_until_and_is_in_the_evidence() -> None:
    p = policy(date(2031, 9, 1), renewed_until=date(2031, 8, 30))
    assert p.licence.effective_until == date(2031, 8, 30)
    (finding,) = val_001_expired(p)
    assert finding.message == "licence 陕B2-20210271 expired on 2031-08-30, 2 days ago"
    assert dict(finding.params) == {"number": "陕B2-20210271", "until": "2031-08-30", "days": "2"}
    assert finding.evidence == (
        "陕B2-20210271 valid_until 2026-08-30, renewed_until 2031-08-30; judged on 2031-09-01"
    )


def test_no_renewal_means_effective_until_is_valid_until() -> None:
    assert policy(date(2026, 1, 1)).licence.effective_until == VALID_UNTIL


def test_val_007_the_day_before_the_issue_date() -> None:
    """A licence judged before it was issued is not valid on that date, whatever its expiry."""
    p = policy(date(2021, 8, 29))
    (finding,) = val_007_not_yet_issued(p)
    assert finding.severity is Severity.ERROR
    assert (
        finding.message == "judged on 2021-08-29, 1 day before licence 陕B2-20210271 was issued on 2021-08-30"
    )
    assert dict(finding.params) == {
        "today": "2021-08-29",
        "days": "1",
        "number": "陕B2-20210271",
        "issued": "2021-08-30",
    }
    assert finding.evidence == "陕B2-20210271 issued 2021-08-30, valid_until 2026-08-30; judged on 2021-08-29"
    assert p.licence.days_before_issue(p.today) == 1


def test_val_007_counts_the_days_and_needs_an_issue_date() -> None:
    (finding,) = val_007_not_yet_issued(policy(date(2021, 1, 1)))
    assert finding.message.startswith("judged on 2021-01-01, 241 days before")
    unknown = Policy(licence=replace(policy(date(2021, 1, 1)).licence, issued=None), today=date(2021, 1, 1))
    assert val_007_not_yet_issued(unknown) == []  # without `issued` there is nothing to compare
    assert unknown.licence.days_before_issue(unknown.today) == 0
