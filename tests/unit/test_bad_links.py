"""Malformed hrefs on a page (an unclosed IPv6 bracket) are recorded against
the page: NET-004 (info) counts them and quotes the first few; the verdict is unchanged."""

from __future__ import annotations

from rules.judge import judge_page
from rules.model import Verdict
from rules.net_rules import BAD_LINKS_QUOTED
from tests.unit.test_extract import LIC, MAIN, facts, page
from tests.unit.test_judge import policy

POLICY = policy()


def _page(*hrefs: str) -> str:
    links = "".join(f"<a href='{h}'>x</a>" for h in hrefs)
    return page(MAIN + f"<p>{links}</p><footer><p>增值电信业务经营许可证：{LIC}</p></footer>")


def test_malformed_hrefs_are_counted_and_quoted_without_changing_the_verdict() -> None:
    bad = [f"http://[::1{i}/a" for i in range(12)] + ["//[v1.x/page"]
    f = facts(_page("/ok.html", *bad, bad[0]))
    assert f.bad_link_count == len(bad)  # distinct hrefs: the repeated one is counted once
    assert f.bad_links == tuple(bad[:BAD_LINKS_QUOTED])
    judged = judge_page(f, POLICY)
    [net] = [x for x in judged.findings if x.rule == "NET-004"]
    assert net.severity.value == "info"
    assert f"{len(bad)} malformed link(s)" in net.message
    assert bad[0] in net.evidence
    assert judged.verdict is Verdict.COMPLIANT


def test_a_page_of_good_links_has_no_finding() -> None:
    f = facts(_page("/a.html", "https://beian.miit.gov.cn/", "mailto:x@y.cn", "javascript:void(0)"))
    assert f.bad_link_count == 0
    assert not [x for x in judge_page(f, POLICY).findings if x.rule == "NET-004"]
