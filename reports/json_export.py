"""The JSON export of a run, exactly the `icp-audit/run/v1` contract of DESIGN.md §5."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

from rules.diff import DiffFinding, RunDiff
from rules.model import Finding, NumberHit, Verdict
from rules.records import Counts, PageRecord, RunRecord
from rules.templates import Template, group_templates, light_page, page_fingerprint

SCHEMA = "icp-audit/run/v1"


def iso_utc(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with a "Z" (naive datetimes are taken as UTC), or None."""
    if moment is None:
        return None
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _counts(counts: Counts) -> dict[str, object]:
    return {
        "pages": counts.pages,
        "compliant": counts.compliant,
        "non_compliant": counts.non_compliant,
        "fetch_errors": counts.fetch_errors,
        "errors": counts.errors,
        "warnings": counts.warnings,
        "infos": counts.infos,
    }


def _finding(finding: Finding) -> dict[str, object]:
    return {
        "rule": finding.rule,
        "severity": finding.severity.value,
        "message": finding.message,
        "evidence": finding.evidence,
    }


def _number(hit: NumberHit) -> dict[str, object]:
    return {
        "kind": hit.kind.value,
        "value": hit.value,
        "in_footer": hit.in_footer,
        "visible": hit.visible,
        "href": hit.href,
    }


def _page(page: PageRecord) -> dict[str, object]:
    return {
        "url": page.url,
        "final_url": page.final_url,
        "status": page.status,
        "content_type": page.content_type,
        "depth": page.depth,
        "verdict": page.verdict.value,
        "footer_found": page.footer_found,
        "numbers": [_number(h) for h in page.numbers],
        "findings": [_finding(f) for f in page.findings],
        "error": page.error,
        # Added fields (the contract only grows): the rest of the fetch outcome.
        "redirects": list(page.redirects),
        "size": page.size,
        "elapsed_ms": page.elapsed_ms,
        "footer_fingerprint": page_fingerprint(page) or None,  # null for a page not judged
    }


def _run(record: RunRecord) -> dict[str, object]:
    info = record.info
    return {
        "id": info.id,
        "site": info.site,
        "status": info.status.value,
        "trigger": info.trigger,
        "started_at": iso_utc(info.started_at),
        "finished_at": iso_utc(info.finished_at),
        "tool_version": info.tool_version,
        "counts": _counts(record.counts),
        "skipped": _skipped(record),  # added (issue 12)
    }


def _skipped(record: RunRecord) -> dict[str, object]:
    """Every URL skipped, by reason kind; only `rows` of them are in `pages` (a sample, on big sites)."""
    rows = sum(p.verdict is Verdict.SKIPPED for p in record.pages)
    by_reason = dict(record.info.skipped)
    return {
        "total": max(sum(by_reason.values()), rows),  # runs stored before the counts: the rows
        "rows": rows,
        "by_reason": by_reason,
        "exact": record.info.skipped_exact,
    }


def _template(template: Template) -> dict[str, object]:
    example = template.example
    return {
        "fingerprint": template.fingerprint,
        "pages": len(template.pages),
        "verdicts": {v.value: n for v, n in template.verdicts},
        "broken_pages": template.broken_pages,
        "example_url": example.url,
        "footer_found": example.footer_found,
        "footer_text": example.footer_text,
    }


def templates_to_json(record: RunRecord) -> list[dict[str, object]]:
    """The added `templates` array: one object per footer variant of the judged pages, broken ones first;
    its pages carry the same `footer_fingerprint`."""
    return [_template(t) for t in group_templates(record.pages, keep=light_page)]


def _diff_finding(finding: DiffFinding) -> dict[str, object]:
    return {
        "rule": finding.rule,
        "url": finding.url,
        "severity": finding.severity.value,
        "message": finding.message,
    }


def diff_to_json(diff: RunDiff | None) -> dict[str, object] | None:
    """The contract's `diff` object (`F` = rule, url, severity, message), or None for a site's first run."""
    if diff is None:
        return None
    return {
        "against_run": diff.against_run,
        "findings": {
            "new": [_diff_finding(f) for f in diff.new],
            "resolved": [_diff_finding(f) for f in diff.resolved],
            "open": [_diff_finding(f) for f in diff.open],
        },
        "pages": {"added": list(diff.pages_added), "gone": list(diff.pages_gone)},
    }


def run_to_json(record: RunRecord, *, diff: dict[str, object] | None = None) -> dict[str, object]:
    """The run as the `icp-audit/run/v1` document; `diff` is null until a diff against an earlier run is given."""
    return _document(record, diff, [_page(p) for p in record.pages])


def _document(record: RunRecord, diff: dict[str, object] | None, pages: object) -> dict[str, object]:
    licence = record.info.licence
    return {
        "schema": SCHEMA,
        "run": _run(record),
        "licence": {
            "number": licence.number,
            "holder": licence.holder,
            "valid_until": licence.valid_until.isoformat(),
            "days_left": licence.days_left(record.info.today),
        },
        "site_findings": [_finding(f) for f in record.site_findings],
        "pages": pages,
        "diff": diff,
        "templates": templates_to_json(record),  # added: footer variants (rules.templates)
    }


def dumps_run(record: RunRecord, *, diff: dict[str, object] | None = None) -> str:
    """The JSON document as UTF-8-friendly text (Chinese kept readable), indented by 2."""
    return "".join(dumps_run_parts(record, diff=diff))


_PAGES_HERE = "\x00pages\x00"  # stands for the pages array while the rest is dumped (a string no run has)


def dumps_run_parts(record: RunRecord, *, diff: dict[str, object] | None = None) -> Iterator[str]:
    """`dumps_run`'s text in pieces, one page at a time: the pages of a big run are read from the database
    a chunk at a time and never held whole, nor is the text (issue 12)."""
    text = json.dumps(_document(record, diff, _PAGES_HERE), ensure_ascii=False, indent=2)
    head, tail = text.split(json.dumps(_PAGES_HERE), 1)
    yield head
    opening = "[\n    "
    for page in record.pages:
        yield opening + json.dumps(_page(page), ensure_ascii=False, indent=2).replace("\n", "\n    ")
        opening = ",\n    "
    yield "[]" if opening == "[\n    " else "\n  ]"
    yield tail
