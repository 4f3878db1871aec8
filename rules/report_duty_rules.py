"""Reminders of the licence holder's reporting duties (VAL-004 annual report, VAL-005 monthly report);
pure functions of the policy's licence and date."""

from __future__ import annotations

from datetime import date

from rules.catalogue import RULES_BY_ID
from rules.model import Finding, Severity, message_params
from rules.policy import Policy

REPORT_SYSTEM = "dxzhgl.miit.gov.cn"  # 电信业务市场综合管理信息系统 (年报月报), reference S9
ANNUAL_DUE = (3, 31)  # 令42号 第三十五条: 每年第一季度; S9: 截止3月31日
CATCH_UP_MONTH = 4  # S10: April catch-up, then 不良名单 in May
MONTHLY_DUE_DAY = 15  # licence 领证须知 第四条: 每月15日前填报月报 (no other source found)


def _evidence(policy: Policy, due: date) -> str:
    lic = policy.licence
    issued = f" issued {lic.issued.isoformat()}," if lic.issued else ""
    return (
        f"{lic.number}{issued} due {due.isoformat()} in {REPORT_SYSTEM}; judged on {policy.today.isoformat()}"
    )


def val_004_annual_report(policy: Policy) -> list[Finding]:
    """Every licence holder reports on the past year in the first quarter, by 31 March, in the MIIT
    system (dxzhgl.miit.gov.cn). From January to March this is a reminder; in April the deadline has
    passed and April is the catch-up month: a company that has not reported by then is put on the
    电信业务经营不良名单 and published in May.

    A licence first issued this year reports next year; one that expired before last year began has
    nothing to report. Whether this year's report was filed is not known to the tool.
    """
    today, lic = policy.today, policy.licence
    year = today.year - 1  # the year reported on
    if today.month > CATCH_UP_MONTH or (lic.issued and lic.issued.year > year):
        return []
    if lic.effective_until < date(year, 1, 1):
        return []
    due = date(today.year, *ANNUAL_DUE)
    if today.month < CATCH_UP_MONTH:
        message = f"the annual report for {year} is due by {due.isoformat()} in {REPORT_SYSTEM}"
        values = message_params(case="season", year=year, due=due.isoformat())
        severity = RULES_BY_ID["VAL-004"].severity
    else:
        message = (
            f"the annual report for {year} was due on {due.isoformat()}; if it is not filed by the end of "
            "April the company is put on the 电信业务经营不良名单"
        )
        values = message_params(case="catch-up", year=year, due=due.isoformat())
        severity = Severity.WARNING
    return [Finding("VAL-004", severity, message, _evidence(policy, due), values)]


def val_005_monthly_report(policy: Policy) -> list[Finding]:
    """The licence's own notes (领证须知 第四条) ask for a monthly report in the MIIT system before the
    15th of each month. No law or notice confirming this deadline was found, so the reminder is off
    unless the profile opts in by naming VAL-005 under [rules.severity] (e.g. "VAL-005" = "info");
    it then appears from the 1st to the 15th of each month.
    """
    today = policy.today
    if "VAL-005" not in policy.severity or today.day > MONTHLY_DUE_DAY:
        return []
    if today > policy.licence.effective_until:
        return []  # expired: VAL-001 is the news, not the monthly report
    due = today.replace(day=MONTHLY_DUE_DAY)
    message = (
        f"the monthly report is due by {due.isoformat()} in {REPORT_SYSTEM} (basis: the licence notes only)"
    )
    values = message_params(due=due.isoformat())
    return [Finding("VAL-005", RULES_BY_ID["VAL-005"].severity, message, _evidence(policy, due), values)]
