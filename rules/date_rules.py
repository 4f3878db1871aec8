"""Licence validity by date (VAL-*): expiry, renewal deadline, renewal window, not yet issued; pure functions of the policy."""

from __future__ import annotations

from datetime import timedelta

from rules.catalogue import RULES_BY_ID
from rules.model import Finding, Params, message_params
from rules.policy import Policy

RENEWAL_LEAD = timedelta(days=90)  # 令42号: apply for renewal 90 calendar days before expiry
WARNING_LEAD = timedelta(days=180)  # reference §4: warn half a year ahead


def _finding(rule: str, message: str, evidence: str, values: Params) -> Finding:
    return Finding(rule, RULES_BY_ID[rule].severity, message, evidence, values)


def _evidence(policy: Policy) -> str:
    lic = policy.licence
    renewed = f", renewed_until {lic.renewed_until.isoformat()}" if lic.renewed_until else ""
    return f"{lic.number} valid_until {lic.valid_until.isoformat()}{renewed}; judged on {policy.today.isoformat()}"


def val_001_expired(policy: Policy) -> list[Finding]:
    """The licence is past its expiry date and no renewal is recorded: the site operates without a licence."""
    days = policy.licence.days_left(policy.today)
    if days >= 0:
        return []
    number, until = policy.licence.number, policy.licence.effective_until.isoformat()
    message = f"licence {number} expired on {until}, {-days} days ago"
    values = message_params(number=number, until=until, days=-days)
    return [_finding("VAL-001", message, _evidence(policy), values)]


def val_002_renewal_deadline(policy: Policy) -> list[Finding]:
    """Renewal had to be filed 90 days before expiry; past that day a late application is refused."""
    deadline = policy.licence.effective_until - RENEWAL_LEAD
    if policy.today <= deadline:  # the deadline day itself is the last day to file, not yet late
        return []
    late = (policy.today - deadline).days
    message = f"the renewal deadline {deadline.isoformat()} passed {late} day{'s' if late != 1 else ''} ago"
    values = message_params(deadline=deadline.isoformat(), days=late)
    return [_finding("VAL-002", message, _evidence(policy), values)]


def val_003_renewal_window(policy: Policy) -> list[Finding]:
    """Within 180 days of expiry and before the renewal deadline: time to prepare the renewal."""
    until = policy.licence.effective_until
    if not (until - WARNING_LEAD <= policy.today <= until - RENEWAL_LEAD):
        return []
    deadline = (until - RENEWAL_LEAD).isoformat()
    message = f"licence expires on {until.isoformat()}; file the renewal by {deadline}"
    values = message_params(until=until.isoformat(), deadline=deadline)
    return [_finding("VAL-003", message, _evidence(policy), values)]


def val_007_not_yet_issued(policy: Policy) -> list[Finding]:
    """The date judged comes before the licence's issue date: on that day the site had no licence yet.

    A licence is valid from the day it is issued; judged earlier (an audit `--today` in the past, or a
    mistyped `issued` in the profile), the site operated without one. Needs `issued` in the profile.
    """
    lic, today = policy.licence, policy.today
    days = lic.days_before_issue(today)
    if not days or lic.issued is None:
        return []
    number, issued = lic.number, lic.issued.isoformat()
    message = f"judged on {today.isoformat()}, {days} day{'s' if days != 1 else ''} before licence {number} was issued on {issued}"
    values = message_params(today=today.isoformat(), days=days, number=number, issued=issued)
    evidence = (
        f"{number} issued {issued}, valid_until {lic.valid_until.isoformat()}; judged on {today.isoformat()}"
    )
    return [_finding("VAL-007", message, evidence, values)]
