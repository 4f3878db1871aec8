"""`rules.diff`: findings matched by (rule, normalised URL), site findings by rule, pages by URL."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from reports import diff_to_json, render_run
from rules.diff import DiffFinding, RunDiff, diff_runs, normalise_url
from rules.model import Finding, LicenceFacts, Severity, Verdict
from rules.records import PageRecord, RunInfo, RunRecord, RunStatus

LICENCE = LicenceFacts(number="陕B2-20210271", holder="X", valid_until=date(2026, 8, 30))
E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


def record(run_id: int, pages: dict[str, tuple[str, ...]], site: tuple[str, ...] = ()) -> RunRecord:
    """A run whose pages carry findings named "RULE" or "RULE:severity" (error by default)."""

    def finding(spec: str) -> Finding:
        rule, _, severity = spec.partition(":")
        return Finding(rule, Severity(severity or "error"), f"{rule} says so")

    info = RunInfo(
        id=run_id,
        site="s",
        status=RunStatus.COMPLETE,
        trigger="manual",
        started_at=datetime(2026, 1, 1, tzinfo=UTC),
        finished_at=None,
        tool_version="0",
        licence=LICENCE,
        today=date(2026, 1, 1),
    )
    records = tuple(
        PageRecord(url, url, 200, "text/html", 0, Verdict.MISSING, findings=tuple(finding(s) for s in specs))
        for url, specs in pages.items()
    )
    return RunRecord(info, tuple(finding(s) for s in site), records)


def keys(found: tuple[DiffFinding, ...]) -> list[tuple[str, str | None]]:
    return [(f.rule, f.url) for f in found]


A, B, C = "https://x.cn/a", "https://x.cn/b", "https://x.cn/c"

CASES = [
    # (previous pages, previous site, current pages, current site, new, resolved, open)
    pytest.param({A: ("LIC-001",)}, (), {A: ("LIC-001",)}, (), [], [], [("LIC-001", A)], id="unchanged"),
    pytest.param({A: ()}, (), {A: ("LIC-001",)}, (), [("LIC-001", A)], [], [], id="new-on-page"),
    pytest.param({A: ("LIC-001",)}, (), {A: ()}, (), [], [("LIC-001", A)], [], id="resolved-on-page"),
    pytest.param(
        {A: ("LIC-001",)}, (), {B: ("LIC-001",)}, (), [("LIC-001", B)], [("LIC-001", A)], [], id="other-page"
    ),
    pytest.param(
        {A: ("LIC-001",)}, (), {A: ("LIC-002",)}, (), [("LIC-002", A)], [("LIC-001", A)], [], id="rule"
    ),
    pytest.param({}, ("VAL-001",), {}, ("VAL-001",), [], [], [("VAL-001", None)], id="site-open"),
    pytest.param({}, ("VAL-001",), {}, ("VAL-002",), [("VAL-002", None)], [("VAL-001", None)], [], id="site"),
    pytest.param(
        {A: ("VAL-001",)}, (), {}, ("VAL-001",), [("VAL-001", None)], [("VAL-001", A)], [], id="page-vs-site"
    ),
    pytest.param(
        {A: ("LIC-001", "LIC-001")}, (), {A: ("LIC-001",)}, (), [], [], [("LIC-001", A)], id="duplicates-once"
    ),
    pytest.param({}, (), {}, (), [], [], [], id="empty"),
]


@pytest.mark.parametrize(("before", "before_site", "now", "now_site", "new", "resolved", "still"), CASES)
def test_findings_are_matched_by_rule_and_url(
    before: dict[str, tuple[str, ...]],
    before_site: tuple[str, ...],
    now: dict[str, tuple[str, ...]],
    now_site: tuple[str, ...],
    new: list[tuple[str, str | None]],
    resolved: list[tuple[str, str | None]],
    still: list[tuple[str, str | None]],
) -> None:
    diff = diff_runs(record(2, now, now_site), record(1, before, before_site))
    assert diff.against_run == 1
    assert keys(diff.new) == new
    assert keys(diff.resolved) == resolved
    assert keys(diff.open) == still


@pytest.mark.parametrize(
    ("before", "now", "added", "gone"),
    [
        ([A, B], [A, B], [], []),
        ([A], [A, B, C], [B, C], []),
        ([A, B, C], [B], [], [A, C]),
        ([A], [B], [B], [A]),
        (["HTTPS://X.CN/a#top"], [A], [], []),
        (["https://x.cn"], ["https://x.cn/"], [], []),
    ],
)
def test_pages_added_and_gone_by_url(
    before: list[str], now: list[str], added: list[str], gone: list[str]
) -> None:
    diff = diff_runs(record(2, dict.fromkeys(now, ())), record(1, dict.fromkeys(before, ())))
    assert list(diff.pages_added) == added
    assert list(diff.pages_gone) == gone


def test_new_and_open_use_the_current_wording_resolved_the_previous() -> None:
    previous = record(1, {A: ("LIC-001:warning", "LIC-002")})
    current = record(2, {"https://X.CN/a": ("LIC-001:error", "LIC-003:info")})
    diff = diff_runs(current, previous)
    assert diff.open == (DiffFinding("LIC-001", "https://X.CN/a", E, "LIC-001 says so"),)
    assert diff.new == (DiffFinding("LIC-003", "https://X.CN/a", INFO, "LIC-003 says so"),)
    assert diff.resolved == (DiffFinding("LIC-002", A, E, "LIC-002 says so"),)
    assert diff.count(diff.new, INFO) == 1
    assert diff.count(diff.resolved, W) == 0


@pytest.mark.parametrize(
    ("url", "normal"),
    [
        ("https://x.cn/a", "https://x.cn/a"),
        ("HTTPS://X.cn/A", "https://x.cn/A"),
        ("https://x.cn/a?q=1#f", "https://x.cn/a?q=1"),
        ("https://x.cn", "https://x.cn/"),
        (" https://x.cn/ ", "https://x.cn/"),
    ],
)
def test_normalise_url(url: str, normal: str) -> None:
    assert normalise_url(url) == normal


def test_the_diff_is_frozen() -> None:
    diff = RunDiff(1, (), (), (), (), ())
    with pytest.raises(AttributeError):
        diff.against_run = 2  # type: ignore[misc]


def test_diff_to_json_is_the_contract_object() -> None:
    diff = diff_runs(
        record(2, {A: ("LIC-002",), B: ()}, ("VAL-001",)), record(1, {A: ("LIC-001",)}, ("VAL-001",))
    )
    assert diff_to_json(None) is None
    assert diff_to_json(diff) == {
        "against_run": 1,
        "findings": {
            "new": [{"rule": "LIC-002", "url": A, "severity": "error", "message": "LIC-002 says so"}],
            "resolved": [{"rule": "LIC-001", "url": A, "severity": "error", "message": "LIC-001 says so"}],
            "open": [{"rule": "VAL-001", "url": None, "severity": "error", "message": "VAL-001 says so"}],
        },
        "pages": {"added": [B], "gone": []},
    }


@pytest.mark.parametrize(("lang", "heading"), [("zh", "自上次以来的变化"), ("en", "Since the previous run")])
def test_the_report_shows_changes_only_with_a_diff(lang: str, heading: str) -> None:
    current = record(2, {A: ("LIC-002",), B: ()})
    at = datetime(2026, 1, 1, tzinfo=UTC)
    assert heading not in render_run(current, lang=lang, generated_at=at)
    html = render_run(current, lang=lang, generated_at=at, diff=diff_runs(current, record(1, {A: ()})))
    assert heading in html
    assert "#1" in html
