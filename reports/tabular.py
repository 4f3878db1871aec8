"""CSV and JUnit exports of a run, for spreadsheets and CI systems (DESIGN.md §5)."""

from __future__ import annotations

import csv
import io
from xml.sax.saxutils import quoteattr

from rules.model import Finding, Severity
from rules.records import RunRecord

CSV_HEADER = ("url", "final_url", "status", "verdict", "findings")


def dumps_csv(record: RunRecord) -> str:
    """One row per page; UTF-8 with a byte-order mark so Excel opens the Chinese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for page in record.pages:
        ids = " ".join(f.rule for f in page.findings)
        status = "" if page.status is None else str(page.status)
        writer.writerow((page.url, page.final_url or "", status, page.verdict.value, ids))
    return "\ufeff" + buffer.getvalue()


def _case(name: str, findings: tuple[Finding, ...]) -> str:
    errors = [f for f in findings if f.severity is Severity.ERROR]
    if not errors:
        return f'    <testcase classname="icp-audit" name={quoteattr(name)}/>\n'
    text = "\n".join(f"{f.rule} [{f.severity}] {f.message} | {f.evidence}" for f in errors)
    message = quoteattr("; ".join(f"{f.rule}: {f.message}" for f in errors))
    body = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return (
        f'    <testcase classname="icp-audit" name={quoteattr(name)}>\n'
        f'      <failure message={message} type="error">{body}</failure>\n    </testcase>\n'
    )


def dumps_junit(record: RunRecord) -> str:
    """One testcase per page (failed when it has an error finding) plus one named `site`."""
    cases = [_case("site", record.site_findings), *(_case(p.url, p.findings) for p in record.pages)]
    failures = sum("<failure" in c for c in cases)
    suite = quoteattr(f"icp-audit run {record.info.id}: {record.info.site}")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n'
        f'  <testsuite name={suite} tests="{len(cases)}" failures="{failures}" errors="0">\n'
        + "".join(cases)
        + "  </testsuite>\n</testsuites>\n"
    )
