"""Turn a stored run into an exit code and a one-line summary; pure."""

from __future__ import annotations

from rules.model import Severity
from rules.records import RunRecord, RunStatus

EXIT_OK, EXIT_BUG, EXIT_FINDINGS, EXIT_CONFIG, EXIT_FAILED, EXIT_LOCKED = 0, 1, 2, 3, 4, 5
EXIT_DATABASE = 6  # the database stayed busy (locked by another writer past [storage] busy_timeout)
EXIT_OUTPUT = 7  # the report folder or an output file (-o, --json) cannot be written
EXIT_STOPPED = 130  # stopped by SIGINT/SIGTERM, as shells report a signal
FAIL_ON = {"error": Severity.ERROR, "warning": Severity.WARNING}


def exit_code(record: RunRecord, fail_on: str) -> int:
    """4 for a failed run; 2 when a finding is at or above `fail_on` (error|warning|never); else 0."""
    if record.info.status is RunStatus.FAILED:
        return EXIT_FAILED
    threshold = FAIL_ON.get(fail_on)
    if threshold is None:
        return EXIT_OK
    findings = [*record.site_findings, *(f for p in record.pages for f in p.findings)]
    return EXIT_FINDINGS if any(f.severity.rank >= threshold.rank for f in findings) else EXIT_OK


def summary_line(record: RunRecord) -> str:
    """One line a log or a CI job shows for the run."""
    info, c = record.info, record.counts
    if info.status is RunStatus.FAILED:
        return f"run {info.id} failed: {info.error}"
    return (
        f"run {info.id} {info.status}: {c.pages} pages, {c.compliant} compliant, {c.non_compliant} non-compliant, "
        f"{c.fetch_errors} fetch errors; {c.errors} errors, {c.warnings} warnings; {_licence_state(record)}"
    )


def _licence_state(record: RunRecord) -> str:
    lic, today = record.info.licence, record.info.today
    days, early = lic.days_left(today), lic.days_before_issue(today)
    if early and lic.issued:  # judged before the issue date: not valid on that day, whatever the expiry
        return f"licence {lic.number} NOT YET VALID: issued {lic.issued.isoformat()}, {early} days after {today.isoformat()}"
    return f"licence {lic.number} " + (
        f"EXPIRED {-days} days ago" if days < 0 else f"valid, {days} days left"
    )
