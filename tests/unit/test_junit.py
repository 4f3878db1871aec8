"""The JUnit export is well-formed XML whatever the pages held (reports.tabular.dumps_junit)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.exports import write_export
from reports import dumps_junit
from rules.model import Finding, LicenceFacts, Severity, Verdict
from rules.records import PageRecord, RunInfo, RunRecord, RunStatus

WHEN = datetime(2026, 11, 26, 18, 30, tzinfo=UTC)
LICENCE = LicenceFacts(
    number="陕B2-20210271", holder="西安朝前智能科技有限公司", valid_until=date(2027, 8, 30)
)
# What XML 1.0 cannot hold (C0 controls, U+FFFE, U+FFFF, lone surrogates), beside what it must escape.
HOSTILE = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\ufffe", "\uffff", "\ud800", "\udfff"]
HOSTILE += ["]]>", "&", "<", ">", '"', "'", "\r", "\n", "\t", "&#0;", "\U0010ffff", "陕B2-20210271"]
texts = st.lists(
    st.one_of(st.sampled_from(HOSTILE), st.text(alphabet=st.characters(exclude_categories=()), max_size=8)),
    max_size=6,
).map("".join)


def _record(site: str, url: str, message: str, evidence: str) -> RunRecord:
    info = RunInfo(7, site, RunStatus.COMPLETE, "manual", WHEN, WHEN, "0.1.0", LICENCE, date(2026, 11, 27))
    error = Finding("LIC-001", Severity.ERROR, message, evidence)
    pages = (
        PageRecord(url, url, 200, "text/html", 0, Verdict.MISSING, findings=(error,)),
        PageRecord(url + "/ok", None, 200, "text/html", 1, Verdict.COMPLIANT),
    )
    return RunRecord(info, (Finding("SITE-001", Severity.ERROR, message, evidence),), pages)


def _xml_clean(text: str) -> bool:
    return all(
        c in "\t\n\r" or "\x20" <= c <= "\ud7ff" or "\ue000" <= c <= "\ufffd" or c >= "\U00010000"
        for c in text
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(site=texts, url=texts, message=texts, evidence=texts)
def test_every_junit_export_parses(site: str, url: str, message: str, evidence: str) -> None:
    text = dumps_junit(_record(site, url, message, evidence))
    root = ET.fromstring(text.encode("utf-8"))  # strict UTF-8: a lone surrogate cannot even be encoded
    cases = root.findall("./testsuite/testcase")
    assert [c.get("name") is not None for c in cases] == [True, True, True]
    assert len(root.findall("./testsuite/testcase/failure")) == 2
    assert root.find("./testsuite").get("failures") == "2"  # type: ignore[union-attr]
    if _xml_clean(url):  # what XML can hold is kept exactly
        assert cases[1].get("name") == url
        assert cases[2].get("name") == url + "/ok"


def test_characters_xml_cannot_hold_are_shown_not_dropped() -> None:
    root = ET.fromstring(dumps_junit(_record("s", "http://a/\x1b[31m\ufffe", "bad\x00 \ud800", "e")))
    cases = root.findall("./testsuite/testcase")
    assert cases[1].get("name") == "http://a/[U+001B][31m[U+FFFE]"
    failure = cases[1].find("failure")
    assert failure is not None
    assert failure.get("message") == "LIC-001: bad[U+0000] [U+D800]"
    assert failure.text == "LIC-001 [error] bad[U+0000] [U+D800] | e"


def test_carriage_returns_and_markup_in_the_failure_text_survive_parsing() -> None:
    root = ET.fromstring(dumps_junit(_record("s", "u", "a\r\nb", "<b>]]>&amp;</b>")))
    failure = root.find("./testsuite/testcase/failure")
    assert failure is not None
    assert failure.text == "SITE-001 [error] a\r\nb | <b>]]>&amp;</b>"


def test_the_exported_file_parses(tmp_path: Path) -> None:
    out = tmp_path / "junit.xml"
    write_export(_record("站\x0c", "http://a/\uffff", "m\x07", "\udc80"), "junit", str(out))
    root = ET.parse(out).getroot()
    assert root.find("./testsuite") is not None


def test_junit_and_the_html_report_show_a_hidden_character_in_one_form() -> None:
    from reports.bidi import code_point_label, show_bidi_controls

    junit = dumps_junit(_record("s", "https://a.example/", "m\x1b", "e"))
    assert code_point_label("\x1b") == "[U+001B]"
    assert code_point_label("\x1b") in junit
    assert show_bidi_controls("\u202e") == code_point_label("\u202e")
