"""CSV and JUnit exports of a run, for spreadsheets and CI systems (DESIGN.md §5)."""

from __future__ import annotations

import csv
import io
import re
from xml.sax.saxutils import quoteattr

from reports.bidi import code_point_label
from rules.model import Finding, Severity
from rules.records import RunRecord

CSV_HEADER = ("url", "final_url", "status", "verdict", "findings")
# What XML 1.0 cannot hold: C0 controls but tab and newlines, U+FFFE, U+FFFF and lone surrogates.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


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


def _xml(text: str) -> str:
    """`text` as XML character data: what XML cannot hold shown as [U+XXXX] (as reports show bidi
    controls), then &, <, > and CR escaped; attributes use `quoteattr` over `_xml_chars`."""
    escaped = _xml_chars(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return escaped.replace("\r", "&#13;")  # a parser would read a bare CR as a newline


def _xml_chars(text: str) -> str:
    return _NOT_XML.sub(lambda m: code_point_label(m[0]), text) if _NOT_XML.search(text) else text


def _attr(text: str) -> str:
    return quoteattr(_xml_chars(text))


def _case(name: str, findings: tuple[Finding, ...]) -> str:
    errors = [f for f in findings if f.severity is Severity.ERROR]
    if not errors:
        return f'    <testcase classname="icp-audit" name={_attr(name)}/>\n'
    text = "\n".join(f"{f.rule} [{f.severity}] {f.message} | {f.evidence}" for f in errors)
    message = _attr("; ".join(f"{f.rule}: {f.message}" for f in errors))
    body = _xml(text)
    return (
        f'    <testcase classname="icp-audit" name={_attr(name)}>\n'
        f'      <failure message={message} type="error">{body}</failure>\n    </testcase>\n'
    )


def dumps_junit(record: RunRecord) -> str:
    """One testcase per page (failed when it has an error finding) plus one named `site`."""
    cases = [_case("site", record.site_findings), *(_case(p.url, p.findings) for p in record.pages)]
    failures = sum("<failure" in c for c in cases)
    suite = _attr(f"icp-audit run {record.info.id}: {record.info.site}")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n'
        f'  <testsuite name={suite} tests="{len(cases)}" failures="{failures}" errors="0">\n'
        + "".join(cases)
        + "  </testsuite>\n</testsuites>\n"
    )
