"""Which stored runs `icp-audit prune` deletes: keep the newest N per site and/or those younger than an age; pure."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta

from rules.records import RunInfo, RunStatus


def protected_runs(runs: Sequence[RunInfo]) -> set[int]:
    """Ids never pruned: the latest (highest id) complete run of each site, and every running run."""
    latest_complete: dict[str, int] = {}
    protected: set[int] = set()
    for run in runs:
        if run.status is RunStatus.RUNNING:
            protected.add(run.id)
        elif run.status is RunStatus.COMPLETE and run.id > latest_complete.get(run.site, -1):
            latest_complete[run.site] = run.id
    return protected | set(latest_complete.values())


def runs_to_prune(
    runs: Sequence[RunInfo], keep: int | None, older_than: timedelta | None, now: datetime
) -> list[int]:
    """The ids to delete, ascending.

    `keep`: a run among the newest `keep` runs of its site (by id, any status) is kept.
    `older_than`: a run that started at or after `now - older_than` is kept.
    Given both, a run is kept when either keeps it (it is pruned only when both would prune it).
    Neither: nothing is pruned. The runs of `protected_runs` are always kept.
    """
    if keep is None and older_than is None:
        return []
    by_site: dict[str, list[RunInfo]] = defaultdict(list)
    for run in runs:
        by_site[run.site].append(run)
    newest: set[int] = set()
    if keep is not None:
        for site_runs in by_site.values():
            newest.update(r.id for r in sorted(site_runs, key=lambda r: r.id, reverse=True)[:keep])
    protected = protected_runs(runs)
    cutoff = None if older_than is None else now - older_than
    pruned = [
        run.id
        for run in runs
        if run.id not in protected
        and (keep is None or run.id not in newest)
        and (cutoff is None or run.started_at < cutoff)
    ]
    return sorted(pruned)
