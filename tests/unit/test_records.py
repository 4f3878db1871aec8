"""rules.records.Counts.of: verdict and finding counts of the JSON contract's `run.counts`."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from rules.model import Finding, LicenceFacts, Severity, Verdict
from rules.records import Counts, PageRecord, RunInfo, RunRecord, RunStatus

ERR = Finding("LIC-001", Severity.ERROR, "")
WARN = Finding("LIC-005", Severity.WARNING, "")
INFO = Finding("LIC-007", Severity.INFO, "")


def page(verdict: Verdict, *findings: Finding, url: str = "https://x.cn/") -> PageRecord:
    return PageRecord(
        url=url,
        final_url=url,
        status=200,
        content_type="text/html",
        depth=0,
        verdict=verdict,
        findings=findings,
    )


@pytest.mark.parametrize(
    ("pages", "site", "expected"),
    [
        pytest.param((), (), Counts(0, 0, 0, 0, 0, 0, 0), id="empty"),
        pytest.param((page(Verdict.COMPLIANT),), (), Counts(1, 1, 0, 0, 0, 0, 0), id="one-compliant"),
        pytest.param(
            tuple(page(v) for v in Verdict),
            (),
            Counts(pages=10, compliant=1, non_compliant=6, fetch_errors=1, errors=0, warnings=0, infos=0),
            id="one-of-each-verdict",
        ),
        pytest.param(
            (page(Verdict.NOT_HTML), page(Verdict.SKIPPED)),
            (),
            Counts(2, 0, 0, 0, 0, 0, 0),
            id="unjudged-are-neither",
        ),
        pytest.param(
            (
                page(Verdict.MISSING, ERR, WARN),
                page(Verdict.ELSEWHERE, WARN),
                page(Verdict.FETCH_ERROR, WARN),
            ),
            (),
            Counts(pages=3, compliant=0, non_compliant=2, fetch_errors=1, errors=1, warnings=3, infos=0),
            id="page-findings",
        ),
        pytest.param(
            (page(Verdict.COMPLIANT, INFO),),
            (ERR, ERR, WARN),
            Counts(pages=1, compliant=1, non_compliant=0, fetch_errors=0, errors=2, warnings=1, infos=1),
            id="site-findings-count",
        ),
        pytest.param((), (ERR,), Counts(0, 0, 0, 0, 1, 0, 0), id="site-findings-without-pages"),
    ],
)
def test_counts_of(pages: tuple[PageRecord, ...], site: tuple[Finding, ...], expected: Counts) -> None:
    assert Counts.of(pages, site) == expected


def test_each_non_compliant_judged_verdict_counts() -> None:
    for verdict in Verdict:
        counts = Counts.of((page(verdict),), ())
        assert counts.non_compliant == int(verdict.judged and verdict is not Verdict.COMPLIANT), verdict
        assert counts.compliant + counts.non_compliant == int(verdict.judged), verdict


def test_run_record_counts_recomputed() -> None:
    info = RunInfo(
        id=1,
        site="chaoqiankeji.com",
        status=RunStatus.COMPLETE,
        trigger="manual",
        started_at=datetime(2026, 11, 27, 2, 0, tzinfo=UTC),
        finished_at=None,
        tool_version="0.1.0",
        licence=LicenceFacts("陕B2-20210271", "西安朝前智能科技有限公司", date(2026, 8, 30)),
        today=date(2026, 11, 27),
    )
    pages = (page(Verdict.COMPLIANT), page(Verdict.HIDDEN, ERR))
    record = RunRecord(info=info, site_findings=(ERR, WARN), pages=pages)
    assert record.counts == Counts.of(pages, (ERR, WARN))
    assert record.counts == Counts(2, 1, 1, 0, 2, 1, 0)
