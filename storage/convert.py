"""Conversions between ORM rows (or the column values inserted) and the plain `rules` records; storage layer."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from rules.model import Finding, LicenceFacts, NumberHit, Params, Severity, Verdict, Where
from rules.numbers import NumberKind
from rules.records import Counts, FooterShot, NotificationRecord, PageRecord, RunInfo, RunStatus
from storage.models import FindingRow, FooterShotRow, NotificationRow, PageRow, RunRow


def _dumps(value: Any) -> str:
    # ensure_ascii=False keeps Chinese numbers readable in the sqlite3 shell.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def require_aware(name: str, value: datetime | None) -> None:
    """Reject naive datetimes early, with the argument's name, instead of deep in a flush."""
    if value is not None and value.tzinfo is None:
        raise ValueError(f"{name} must be a tz-aware datetime, got {value.isoformat()}")


def run_row(
    *, site: str, trigger: str, tool_version: str, licence: LicenceFacts, today: date, started_at: datetime
) -> RunRow:
    """A new `running` run row."""
    return RunRow(
        site=site,
        status=RunStatus.RUNNING.value,
        trigger=trigger,
        tool_version=tool_version,
        started_at=started_at,
        finished_at=None,
        today=today,
        error=None,
        licence_number=licence.number,
        licence_holder=licence.holder,
        licence_valid_until=licence.valid_until,
        licence_issued=licence.issued,
        licence_renewed_until=licence.renewed_until,
        licence_domains=_dumps(list(licence.domains)),
        licence_excluded_services=_dumps(list(licence.excluded_services)),
    )


def run_info(row: RunRow, counts: Counts | None = None) -> RunInfo:
    """The `RunInfo` of a run row."""
    licence = LicenceFacts(
        number=row.licence_number,
        holder=row.licence_holder,
        valid_until=row.licence_valid_until,
        issued=row.licence_issued,
        renewed_until=row.licence_renewed_until,
        domains=tuple(json.loads(row.licence_domains)),
        excluded_services=tuple(json.loads(row.licence_excluded_services)),
    )
    return RunInfo(
        id=row.id,
        site=row.site,
        status=RunStatus(row.status),
        trigger=row.trigger,
        started_at=row.started_at,
        finished_at=row.finished_at,
        tool_version=row.tool_version,
        licence=licence,
        today=row.today,
        error=row.error,
        counts=counts,
        **_skipped(row.skipped),
    )


def _skipped(stored: str) -> dict[str, Any]:
    data = json.loads(stored or "{}")
    by_reason = data.get("by_reason", {})
    return {"skipped": tuple(sorted(by_reason.items())), "skipped_exact": bool(data.get("exact", True))}


def skipped_json(by_reason: Mapping[str, int], exact: bool) -> str:
    """The runs.skipped column: every skipped URL counted by reason kind."""
    return _dumps({"by_reason": dict(sorted(by_reason.items())), "exact": exact})


def finding_values(run_id: int, page_id: int | None, finding: Finding) -> dict[str, Any]:
    """The column values of a finding row: of the page `page_id`, or of the site when it is None."""
    return {
        "run_id": run_id,
        "page_id": page_id,
        "rule": finding.rule,
        "severity": finding.severity.value,
        "message": finding.message,
        "evidence": finding.evidence,
        "params": _params_json(finding.params),
    }


@functools.lru_cache(maxsize=1024)
def _params_json(params: Params) -> str:
    # Cached: a site's pages repeat the same few findings.
    return _dumps([list(pair) for pair in params])


def finding(row: FindingRow) -> Finding:
    """The `Finding` of a finding row."""
    return _finding(row.rule, row.severity, row.message, row.evidence, row.params)


# The pages of a site repeat the same footer, numbers and findings: loading a run shares one
# (immutable) object per distinct stored value instead of building one per page, so a 10,000-page
# run loads in a fraction of the memory. The caches are bounded.
@functools.lru_cache(maxsize=1024)
def _finding(rule: str, severity: str, message: str, evidence: str, params: str | None) -> Finding:
    # Rows written before params existed hold '[]' (the column default), or NULL if a tool wrote one.
    pairs = json.loads(params or "[]")
    return Finding(
        rule=rule,
        severity=Severity(severity),
        message=message,
        evidence=evidence,
        params=tuple((str(key), str(value)) for key, value in pairs),
    )


@functools.lru_cache(maxsize=1024)
def _numbers(stored: str) -> tuple[NumberHit, ...]:
    return tuple(_hit(d) for d in json.loads(stored))


@functools.lru_cache(maxsize=1024)
def _shared(text: str) -> str:
    return text


def _hit_dict(hit: NumberHit) -> dict[str, Any]:
    return {
        "kind": hit.kind.value,
        "value": hit.value,
        "key": hit.key,
        "where": hit.where.value,
        "in_footer": hit.in_footer,
        "visible": hit.visible,
        "href": hit.href,
        "hidden_reason": hit.hidden_reason,
        "context": hit.context,
        "raw": hit.raw,
        "centred": hit.centred,
        "badge": hit.badge,
    }


# Writing shares the same way: most pages carry their template's footer numbers, and their JSON
# was a fifth of the CPU of storing a page.
@functools.lru_cache(maxsize=1024)
def _numbers_json(numbers: tuple[NumberHit, ...]) -> str:
    return _dumps([_hit_dict(hit) for hit in numbers])


def _hit(data: dict[str, Any]) -> NumberHit:
    # Optional fields use .get so rows written before a field existed still load.
    return NumberHit(
        kind=NumberKind(data["kind"]),
        value=data["value"],
        key=data["key"],
        where=Where(data["where"]),
        in_footer=data["in_footer"],
        visible=data["visible"],
        href=data.get("href"),
        hidden_reason=data.get("hidden_reason"),
        context=data.get("context", ""),
        raw=data.get("raw", ""),
        centred=data.get("centred"),
        badge=data.get("badge", False),
    )


def page_values(run_id: int, page: PageRecord) -> dict[str, Any]:
    """The column values of a page row; its findings are inserted after it, with its id."""
    return {
        "run_id": run_id,
        "url": page.url,
        "final_url": page.final_url,
        "status": page.status,
        "content_type": page.content_type,
        "depth": page.depth,
        "verdict": page.verdict.value,
        "footer_found": page.footer_found,
        "footer_text": page.footer_text,
        "is_homepage": page.is_homepage,
        "numbers": _numbers_json(page.numbers),
        "error": page.error,
        "redirects": _dumps(list(page.redirects)) if page.redirects else "[]",
        "size": page.size,
        "elapsed_ms": page.elapsed_ms,
        "footer_fingerprint": page.footer_fingerprint,
    }


def page_record(row: PageRow, findings: Sequence[Finding]) -> PageRecord:
    """The `PageRecord` of a page row and its findings (loaded separately, in insertion order)."""
    return PageRecord(
        url=row.url,
        final_url=row.final_url,
        status=row.status,
        content_type=row.content_type,
        depth=row.depth,
        verdict=Verdict(row.verdict),
        footer_found=row.footer_found,
        footer_text=_shared(row.footer_text),
        is_homepage=row.is_homepage,
        numbers=_numbers(row.numbers),
        findings=tuple(findings),
        error=row.error,
        redirects=tuple(json.loads(row.redirects)),
        size=row.size,
        elapsed_ms=row.elapsed_ms,
        footer_fingerprint=row.footer_fingerprint,
    )


def notification_row(run_id: int, record: NotificationRecord) -> NotificationRow:
    """A notification row of a run."""
    return NotificationRow(
        run_id=run_id, channel=record.channel, ok=record.ok, detail=record.detail, sent_at=record.sent_at
    )


def notification(row: NotificationRow) -> NotificationRecord:
    """The `NotificationRecord` of a notification row."""
    return NotificationRecord(channel=row.channel, ok=row.ok, detail=row.detail, sent_at=row.sent_at)


def footer_shot_row(run_id: int, shot: FooterShot) -> FooterShotRow:
    """A footer picture row of a run."""
    return FooterShotRow(
        run_id=run_id,
        fingerprint=shot.fingerprint,
        viewport=shot.viewport,
        media_type=shot.media_type,
        width=shot.width,
        height=shot.height,
        image=shot.data,
    )


def footer_shot(row: FooterShotRow) -> FooterShot:
    """The `FooterShot` of a footer picture row."""
    return FooterShot(
        fingerprint=row.fingerprint,
        media_type=row.media_type,
        data=bytes(row.image),  # some drivers return memoryview
        width=row.width,
        height=row.height,
        viewport=row.viewport,
    )
