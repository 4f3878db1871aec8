"""The alert about a run: whether one is due, its wording (zh/en), and the generic webhook JSON; pure.

Lines are kept as (template, values) so that each channel escapes only the values, which may come
from crawled pages (hostile), and never our own wording; see reports/alert_render.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Any

from reports.messages import catalogue
from rules.catalogue import RULES_BY_ID
from rules.diff import RunDiff
from rules.model import Finding, Severity
from rules.records import RunRecord, RunStatus

ALERT_SCHEMA = "icp-audit/alert/v1"
LICENCE_RULES = ("VAL-001", "VAL-002", "VAL-007")  # expired; renewal deadline passed; judged before issue
TOP_FINDINGS = 5
RENEWAL_NOTICE = timedelta(days=90)


class AlertReason(StrEnum):
    """Why an alert is sent, in the order the title picks the most important one."""

    FAILED = "failed"
    LICENCE = "licence"
    NEW_ERRORS = "new_errors"
    INTERRUPTED = "interrupted"  # an earlier run's process died before it finished
    RESOLVED = "resolved"
    EVERY_RUN = "every_run"  # [notify] every_run: nothing new, sent anyway


Line = tuple[str, Mapping[str, str]]
"""A sentence template of the catalogue's `alerts` and its values (values are escaped per channel, templates never)."""


@dataclass(frozen=True, slots=True)
class TopFinding:
    """One rule's findings in the run, summed up for the alert."""

    rule: str
    severity: Severity
    title: str
    count: int
    new: bool
    example_url: str | None


@dataclass(frozen=True, slots=True)
class Alert:
    """A composed alert: title, body lines, top findings, report location and the JSON payload."""

    title: Line
    lines: tuple[Line, ...]
    top_heading: str
    top: tuple[Line, ...]
    report_label: str
    report: str  # a URL when the profile has report_url, else the report file's path
    payload: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Changes:
    """New and resolved findings of a complete run (all of them new on a site's first run)."""

    against_run: int | None
    new: tuple[tuple[str, str | None, Severity], ...]  # (rule, url, severity)
    resolved: int

    @property
    def new_errors(self) -> int:
        """How many new findings are errors."""
        return sum(severity is Severity.ERROR for _, _, severity in self.new)


def _all_findings(record: RunRecord) -> list[tuple[Finding, str | None]]:
    return [(f, None) for f in record.site_findings] + [(f, p.url) for p in record.pages for f in p.findings]


def changes_of(record: RunRecord, diff: RunDiff | None) -> Changes:
    """What is new and resolved: nothing for a run that did not complete (its pages are partial)."""
    if record.info.status is not RunStatus.COMPLETE:
        return Changes(None if diff is None else diff.against_run, (), 0)
    if diff is None:
        return Changes(None, tuple((f.rule, url, f.severity) for f, url in _all_findings(record)), 0)
    return Changes(diff.against_run, tuple((f.rule, f.url, f.severity) for f in diff.new), len(diff.resolved))


def alert_reasons(
    record: RunRecord, diff: RunDiff | None, *, interrupted_before: int = 0, every_run: bool = False
) -> tuple[AlertReason, ...]:
    """Why this run deserves an alert (empty: it does not), most important first."""
    changes = changes_of(record, diff)
    found = {
        AlertReason.FAILED: record.info.status is RunStatus.FAILED,
        AlertReason.LICENCE: any(f.rule in LICENCE_RULES for f in record.site_findings),
        AlertReason.NEW_ERRORS: changes.new_errors > 0,
        AlertReason.INTERRUPTED: interrupted_before > 0,
        AlertReason.RESOLVED: changes.resolved > 0,
    }
    reasons = tuple(reason for reason, present in found.items() if present)
    return reasons or ((AlertReason.EVERY_RUN,) if every_run else ())


def top_findings(
    record: RunRecord, changes: Changes, lang: str, limit: int = TOP_FINDINGS
) -> list[TopFinding]:
    """The run's findings grouped by rule: worst severity first, then new ones, then the most pages."""
    new_rules = {rule for rule, _, _ in changes.new}
    groups: dict[str, list[tuple[Finding, str | None]]] = {}
    for finding, url in _all_findings(record):
        groups.setdefault(finding.rule, []).append((finding, url))
    top = []
    for rule, found in groups.items():
        info = RULES_BY_ID.get(rule)
        title = rule if info is None else (info.title_zh if lang == "zh" else info.title_en)
        severity = max((f.severity for f, _ in found), key=lambda s: s.rank)
        example = next((url for _, url in found if url is not None), None)
        top.append(TopFinding(rule, severity, title, len(found), rule in new_rules, example))
    top.sort(key=lambda t: (-t.severity.rank, not t.new, -t.count, t.rule))
    return top[:limit]


def report_location(report_path: str, run_id: int, report_url: str) -> str:
    """Where management opens the report: `<report_url>/run-<id>.html`, or the file's path."""
    return f"{report_url.rstrip('/')}/run-{run_id}.html" if report_url else report_path


def compose_alert(
    record: RunRecord,
    diff: RunDiff | None,
    reasons: tuple[AlertReason, ...],
    *,
    report: str,
    report_path: str,
    lang: str,
    interrupted_before: int = 0,
) -> Alert:
    """The alert about `record` in `lang` ("zh" or "en"), for the given reasons."""
    cat = catalogue(lang)
    text, info, c = cat.alerts, record.info, record.counts
    changes = changes_of(record, diff)
    days = info.licence.days_left(info.today)
    lines: list[Line] = [
        (
            text["run"],
            {
                "site": info.site,
                "id": str(info.id),
                "trigger": cat.triggers.get(info.trigger, info.trigger),
                "status": cat.statuses[info.status],
                "today": info.today.isoformat(),
            },
        ),
        (text["reasons"], {"reasons": text["list_sep"].join(text[f"reason_{r}"] for r in reasons)}),
    ]
    if info.status is RunStatus.FAILED:
        lines.append((text["failed"], {"error": info.error or "?"}))
    pages = {k: str(v) for k, v in asdict(c).items()}
    lines += [(text["pages"], pages), (text["findings"], pages)]
    if info.status is RunStatus.COMPLETE:
        against = {"run": str(changes.against_run), "new": str(len(changes.new))}
        against |= {"new_errors": str(changes.new_errors), "resolved": str(changes.resolved)}
        lines.append((text["changes" if changes.against_run else "first_run"], against))
    if interrupted_before:
        lines.append((text["interrupted"], {"n": str(interrupted_before)}))
    lines.append(_licence_line(record, lang))
    top = top_findings(record, changes, lang)
    top_lines = tuple(_top_line(t, lang) for t in top)
    title = (text[f"title_{reasons[0]}"] if reasons else text["title_every_run"], {"site": info.site})
    payload = _payload(record, changes, reasons, top, report, report_path, days, interrupted_before)
    return Alert(title, tuple(lines), text["top"], top_lines, text["report"], report, payload)


def _licence_line(record: RunRecord, lang: str) -> Line:
    cat = catalogue(lang)
    text, info = cat.alerts, record.info
    licence, days = info.licence, info.licence.days_left(info.today)
    deadline = licence.effective_until - RENEWAL_NOTICE
    values = {"number": licence.number, "until": licence.effective_until.isoformat()}
    if licence.days_before_issue(info.today) and licence.issued:
        return text["licence_not_issued"], values | {
            "issued": licence.issued.isoformat(),
            "today": info.today.isoformat(),
        }
    if days < 0:
        return text["licence_expired"], values | {"days": cat.count("day", -days)}
    if info.today > deadline:
        return text["licence_deadline"], values | {
            "deadline": deadline.isoformat(),
            "days": cat.count("day", days),
        }
    return text["licence_valid"], values | {"days": cat.count("day", days)}


def _top_line(top: TopFinding, lang: str) -> Line:
    cat = catalogue(lang)
    text = cat.alerts
    values = {
        "severity": cat.severities[top.severity],
        "rule": top.rule,
        "title": top.title,
        "count": str(top.count),
        "new": text["new_marker"] if top.new else "",
        "url": top.example_url or "",
    }
    return (text["top_line_url"] if top.example_url else text["top_line"]), values


def _payload(
    record: RunRecord,
    changes: Changes,
    reasons: tuple[AlertReason, ...],
    top: list[TopFinding],
    report: str,
    report_path: str,
    days: int,
    interrupted_before: int,
) -> dict[str, Any]:
    info = record.info
    return {
        "schema": ALERT_SCHEMA,
        "test": False,
        "site": info.site,
        "run_id": info.id,
        "status": str(info.status),
        "trigger": info.trigger,
        "started_at": info.started_at.isoformat(),
        "finished_at": info.finished_at.isoformat() if info.finished_at else None,
        "today": info.today.isoformat(),
        "reasons": [str(r) for r in reasons],
        "error": info.error,
        "counts": asdict(record.counts),
        "against_run": changes.against_run,
        "new": len(changes.new),
        "new_errors": changes.new_errors,
        "resolved": changes.resolved,
        "interrupted_before": interrupted_before,
        "licence": {
            "number": info.licence.number,
            "valid_until": info.licence.effective_until.isoformat(),
            "days_left": days,
        },
        "top_findings": [
            {
                "rule": t.rule,
                "severity": str(t.severity),
                "title": t.title,
                "count": t.count,
                "new": t.new,
                "example_url": t.example_url,
            }
            for t in top
        ],
        "report": report,
        "report_path": report_path,
    }


def trial_alert(site: str, report: str, lang: str) -> Alert:
    """The message `icp-audit notify test` sends: proves a channel works, says where reports appear."""
    text = catalogue(lang).alerts
    payload = {"schema": ALERT_SCHEMA, "test": True, "site": site, "report": report}
    lines: tuple[Line, ...] = ((text["test_body"], {"site": site}),)
    return Alert(
        (text["title_test"], {"site": site}), lines, text["top"], (), text["report"], report, payload
    )
