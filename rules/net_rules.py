"""Crawl facts as findings (NET-*): a page that could not be fetched; pure."""

from __future__ import annotations

from rules.catalogue import RULES_BY_ID
from rules.model import FetchOutcome, Finding, message_params


def net_001_fetch_failed(outcome: FetchOutcome) -> list[Finding]:
    """A page in scope could not be fetched, so nobody can tell whether it shows the number."""
    if outcome.error is None and (outcome.status is None or outcome.status < 400):
        return []
    if outcome.status is not None and outcome.status >= 400:
        what = f"HTTP {outcome.status}"
        values = message_params(what=what, case="http", status=outcome.status)
    else:
        what = str(outcome.error)
        values = message_params(what=what, case="error", error=what)
    evidence = outcome.error_detail or (" → ".join((*outcome.redirects, outcome.final_url or outcome.url)))
    severity = RULES_BY_ID["NET-001"].severity
    return [Finding("NET-001", severity, f"fetch failed: {what}", evidence[:300], values)]
