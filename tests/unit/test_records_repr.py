"""A stored run's repr stays short however many pages it holds (asyncio and pytest format it)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from rules.model import LicenceFacts, Verdict
from rules.records import PageRecord, RunInfo, RunRecord, RunStatus


def test_a_run_of_10000_pages_has_a_one_line_repr() -> None:
    info = RunInfo(
        id=7,
        site="朝前科技官网",
        status=RunStatus.COMPLETE,
        trigger="manual",
        started_at=datetime(2026, 11, 27, tzinfo=UTC),
        finished_at=None,
        tool_version="0",
        licence=LicenceFacts(
            number="陕B2-20210271", holder="西安朝前智能科技有限公司", valid_until=date(2026, 8, 30)
        ),
        today=date(2026, 11, 27),
    )
    page = PageRecord(
        url="http://127.0.0.1/",
        final_url=None,
        status=200,
        content_type=None,
        depth=0,
        verdict=Verdict.COMPLIANT,
    )
    record = RunRecord(info=info, site_findings=(), pages=(page,) * 10_000)
    assert repr(record) == "RunRecord(run 7 of '朝前科技官网', 10000 pages)"
