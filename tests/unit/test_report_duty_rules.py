"""rules.report_duty_rules: VAL-004 annual report season, VAL-005 monthly report reminder (opt-in)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from rules.model import LicenceFacts, Severity
from rules.policy import Policy
from rules.report_duty_rules import val_004_annual_report, val_005_monthly_report

LICENCE = LicenceFacts(
    "陕B2-20210271", "西安朝前智能科技有限公司", date(2026, 8, 30), issued=date(2021, 8, 30)
)


def policy(today: date, **licence: object) -> Policy:
    return Policy(licence=replace(LICENCE, **licence), today=today)  # type: ignore[arg-type]


# ---- VAL-004 -----------------------------------------------------------------------------------

VAL_004 = [
    # (today, licence changes, expected (case, severity) or None)
    pytest.param(date(2026, 1, 1), {}, ("season", Severity.INFO), id="jan-1-season-opens"),
    pytest.param(date(2026, 3, 31), {}, ("season", Severity.INFO), id="mar-31-due-day"),
    pytest.param(date(2026, 4, 1), {}, ("catch-up", Severity.WARNING), id="apr-1-catch-up"),
    pytest.param(date(2026, 4, 30), {}, ("catch-up", Severity.WARNING), id="apr-30-last-catch-up-day"),
    pytest.param(date(2026, 5, 1), {}, None, id="may-over"),
    pytest.param(date(2026, 11, 27), {}, None, id="november"),
    pytest.param(date(2022, 2, 1), {}, ("season", Severity.INFO), id="first-report-for-2021"),
    pytest.param(date(2021, 2, 1), {}, None, id="issued-after-the-year-reported-on"),
    pytest.param(date(2022, 2, 1), {"issued": date(2022, 1, 5)}, None, id="issued-this-year"),
    pytest.param(date(2026, 2, 1), {"issued": None}, ("season", Severity.INFO), id="issue-date-unknown"),
    pytest.param(date(2028, 2, 1), {}, None, id="expired-before-the-year-reported-on"),
    pytest.param(date(2027, 2, 1), {}, ("season", Severity.INFO), id="expired-during-the-year-reported-on"),
    pytest.param(
        date(2028, 2, 1), {"renewed_until": date(2031, 8, 30)}, ("season", Severity.INFO), id="renewed"
    ),
]


@pytest.mark.parametrize(("today", "licence", "expected"), VAL_004)
def test_val_004_cases(
    today: date, licence: dict[str, object], expected: tuple[str, Severity] | None
) -> None:
    findings = val_004_annual_report(policy(today, **licence))
    assert [(dict(f.params)["case"], f.severity) for f in findings] == ([expected] if expected else [])
    assert all(f.rule == "VAL-004" for f in findings)


def test_val_004_season_message() -> None:
    (finding,) = val_004_annual_report(policy(date(2026, 2, 1)))
    assert finding.message == "the annual report for 2025 is due by 2026-03-31 in dxzhgl.miit.gov.cn"
    assert dict(finding.params) == {"case": "season", "year": "2025", "due": "2026-03-31"}
    assert finding.evidence == (
        "陕B2-20210271 issued 2021-08-30, due 2026-03-31 in dxzhgl.miit.gov.cn; judged on 2026-02-01"
    )


def test_val_004_catch_up_message() -> None:
    (finding,) = val_004_annual_report(policy(date(2026, 4, 2)))
    assert finding.message == (
        "the annual report for 2025 was due on 2026-03-31; if it is not filed by the end of April "
        "the company is put on the 电信业务经营不良名单"
    )


# ---- VAL-005 -----------------------------------------------------------------------------------

OPT_IN = {"VAL-005": Severity.INFO}

VAL_005 = [
    # (today, severity overrides, fires)
    pytest.param(date(2026, 5, 1), OPT_IN, True, id="opted-in-1st"),
    pytest.param(date(2026, 5, 15), OPT_IN, True, id="opted-in-15th-due-day"),
    pytest.param(date(2026, 5, 16), OPT_IN, False, id="opted-in-16th"),
    pytest.param(date(2026, 5, 1), {}, False, id="off-by-default"),
    pytest.param(date(2026, 5, 1), {"VAL-004": Severity.WARNING}, False, id="another-rule-named"),
    pytest.param(date(2026, 9, 1), OPT_IN, False, id="licence-expired"),
]


@pytest.mark.parametrize(("today", "overrides", "fires"), VAL_005)
def test_val_005_cases(today: date, overrides: dict[str, Severity], fires: bool) -> None:
    findings = val_005_monthly_report(replace(policy(today), severity=overrides))
    assert [f.rule for f in findings] == (["VAL-005"] if fires else [])


def test_val_005_message_names_its_only_basis() -> None:
    (finding,) = val_005_monthly_report(replace(policy(date(2026, 5, 3)), severity=OPT_IN))
    assert finding.severity is Severity.INFO
    assert finding.message == (
        "the monthly report is due by 2026-05-15 in dxzhgl.miit.gov.cn (basis: the licence notes only)"
    )
    assert finding.params == (("due", "2026-05-15"),)


def test_val_005_severity_comes_from_the_opt_in() -> None:
    from rules.judge import judge_site

    opted = replace(policy(date(2026, 5, 3)), severity={"VAL-005": Severity.WARNING})
    assert [(f.rule, f.severity) for f in judge_site(opted) if f.rule == "VAL-005"] == [
        ("VAL-005", Severity.WARNING)
    ]
