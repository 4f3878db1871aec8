"""runs_to_prune: keep the newest N per site and/or the young ones, never the latest complete or a running run."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from crawler.retention import protected_runs, runs_to_prune
from rules.model import LicenceFacts
from rules.records import RunInfo, RunStatus

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
LICENCE = LicenceFacts(number="京B2-20201234", holder="示例", valid_until=date(2027, 1, 1))
C, F, INT, R = RunStatus.COMPLETE, RunStatus.FAILED, RunStatus.INTERRUPTED, RunStatus.RUNNING


def run(run_id: int, status: RunStatus, days_ago: int, site: str = "a") -> RunInfo:
    return RunInfo(
        id=run_id,
        site=site,
        status=status,
        trigger="manual",
        started_at=NOW - timedelta(days=days_ago),
        finished_at=None,
        tool_version="0.1.0",
        licence=LICENCE,
        today=date(2026, 6, 1),
    )


# Site a: 1..5, newest last; 4 is the latest complete; 5 failed.
A = [run(1, C, 50), run(2, F, 40), run(3, C, 30), run(4, C, 20), run(5, F, 10)]


@pytest.mark.parametrize(
    ("runs", "keep", "older_than_days", "expected"),
    [
        pytest.param(A, None, None, [], id="neither-prunes-nothing"),
        pytest.param(A, 2, None, [1, 2, 3], id="keep-2"),
        pytest.param(A, 5, None, [], id="keep-all"),
        pytest.param(A, 0, None, [1, 2, 3, 5], id="keep-0-still-keeps-latest-complete"),
        pytest.param(A, 1, None, [1, 2, 3], id="keep-1-is-a-failed-run-latest-complete-kept-too"),
        pytest.param(A, None, 25, [1, 2, 3], id="older-than-25-days"),
        pytest.param(A, None, 0, [1, 2, 3, 5], id="older-than-0-keeps-latest-complete"),
        pytest.param(A, None, 30, [1, 2], id="exactly-at-the-cutoff-is-kept"),
        pytest.param(A, 3, 45, [1], id="both-prune-only-what-both-prune"),
        pytest.param(A, 1, 35, [1, 2], id="both-the-other-way"),
        pytest.param(
            [run(1, F, 50), run(2, INT, 40)], 0, None, [1, 2], id="no-complete-run-nothing-protected"
        ),
        pytest.param(
            [run(1, C, 50), run(2, R, 40), run(3, F, 1)], 0, None, [3], id="running-is-never-pruned"
        ),
        pytest.param(
            [
                run(1, C, 50, "a"),
                run(2, C, 40, "b"),
                run(3, C, 30, "a"),
                run(4, C, 20, "b"),
                run(5, F, 1, "a"),
            ],
            1,
            None,
            [1, 2],
            id="per-site",
        ),
        pytest.param(
            [run(1, C, 50, "a"), run(2, C, 40, "b"), run(3, F, 30, "b")],
            None,
            1,
            [3],
            id="each-site-keeps-its-own-latest-complete",
        ),
        pytest.param([], 1, 1, [], id="empty"),
    ],
)
def test_runs_to_prune(
    runs: list[RunInfo], keep: int | None, older_than_days: int | None, expected: list[int]
) -> None:
    age = None if older_than_days is None else timedelta(days=older_than_days)
    assert runs_to_prune(runs, keep, age, NOW) == expected


def test_order_of_the_input_does_not_matter() -> None:
    assert runs_to_prune(list(reversed(A)), 2, None, NOW) == [1, 2, 3]


def test_protected_are_the_latest_complete_per_site_and_running_runs() -> None:
    runs = [run(1, C, 9, "a"), run(2, R, 8, "a"), run(3, C, 7, "a"), run(4, C, 6, "b"), run(5, INT, 5, "b")]
    assert protected_runs(runs) == {2, 3, 4}
