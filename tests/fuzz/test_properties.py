"""Hypothesis over the judging entry points (issue 12): any page assembled from hostile and ordinary
fragments is judged without an exception, to a valid verdict, and planned for rendering without one.

Fixed seed and budget (`derandomize`, FUZZ_EXAMPLES): the same pages on every CI run, a few seconds
in all. `python -m benchmarks.fuzz --examples 5000` runs the same property with fresh random pages.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.judging import Judged, judge_html
from crawler.render.plan import render_reason
from rules.model import Finding, Severity, Verdict
from tests.fuzz.families import PAGE, judge, policy

FUZZ_EXAMPLES = 150

# Pieces of the size families and of ordinary footers: opened and closed, numbers and near-numbers.
FRAGMENTS = (
    "<noscript>", "</noscript>", "<!--", "-->", "<template>", "</template>", "<script>", "</script>",
    "<style>", "</style>", "<footer>", "</footer>", "<div>", "</div>", "<p>", "<a href='/x'>", "</a>",
    '<iframe srcdoc="<p>京ICP备12345678号</p>">', "</iframe>", '<img alt="京公网安备11010502000001号">',
    "<span style='display:none'>", "</span>", "增值电信业务经营许可证：", "陕B2-20210271", "京ICP备12345678号-1",
    "京ICP证123456号", "京公网安备11010502000001号", "B2-2010", "B2.", "A1、", "京ICP备", "1111111111",
    "----", "  ", "\u200b", "\u3000", "ａｂｃ", "１２３", "备案号", "@media (max-width:1px){", "a{color:red}",
    'content:"证', "@import x ", "/*", "*/", "a[", "]", "{", "}", "<", ">", "&amp;", "&#x9655;",
)  # fmt: skip
PAGES = st.lists(st.sampled_from(FRAGMENTS), max_size=60).map(
    lambda parts: "<html><body><main>关于我们</main>" + "".join(parts) + "</body></html>"
)
FUZZ = settings(
    max_examples=FUZZ_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def valid(judged: Judged) -> None:
    """A judgement the rest of the run can store: a verdict, and findings with ids and severities."""
    assert isinstance(judged.judgement.verdict, Verdict)
    assert judged.judgement.verdict.judged
    for finding in judged.judgement.findings:
        assert isinstance(finding, Finding)
        assert finding.rule
        assert isinstance(finding.severity, Severity)
    assert isinstance(judged.fingerprint, str)


@FUZZ
@given(PAGES)
def test_any_page_is_judged_to_a_valid_verdict(html: str) -> None:
    valid(judge(html))


@FUZZ
@given(PAGES, st.sampled_from(list(Verdict)))
def test_any_page_is_planned_for_rendering_without_an_exception(html: str, verdict: Verdict) -> None:
    reason = render_reason(mode="auto", is_homepage=False, verdict=verdict, html=html, phone=True)
    assert reason in (None, "needs-render", "script", "css", "phone")


@FUZZ
@given(PAGES, st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join))
def test_any_page_with_any_linked_style_sheet_is_judged_to_a_valid_verdict(html: str, css: str) -> None:
    sheet = "http://127.0.0.1:9/site.css"
    linked = html.replace("<body>", f'<head><link rel="stylesheet" href="{sheet}"></head><body>', 1)
    valid(judge_html(linked, PAGE, policy(), {sheet: css}, {}))
