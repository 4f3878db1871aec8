"""rules.scope_rules: SCOPE-001 search, SCOPE-002 messaging (page signals), SCOPE-003 domains (crawl)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from rules.model import LicenceFacts, PageFacts, Severity, Signal, SignalKind, SiteFacts
from rules.policy import Policy
from rules.scope_rules import scope_001_search, scope_002_messaging, scope_003_unlicensed_domain

SEED = LicenceFacts(
    "陕B2-20210271",
    "西安朝前智能科技有限公司",
    date(2026, 8, 30),
    domains=("chaoqiankeji.com",),
    excluded_services=("信息搜索查询服务", "信息即时交互服务"),
)
POLICY = Policy(licence=SEED, today=date(2026, 11, 27))
ALL_INCLUDED = replace(POLICY, licence=replace(SEED, excluded_services=()))
K = SignalKind


def page(*signals: tuple[SignalKind, str]) -> PageFacts:
    url = "https://chaoqiankeji.com/"
    return PageFacts(url, url, True, True, "footer", "", signals=tuple(Signal(k, e) for k, e in signals))


# ---- SCOPE-001 ---------------------------------------------------------------------------------

SCOPE_001 = [
    # (signals, expected (case, severity) or None)
    pytest.param(
        [(K.SEARCH_SERVICE, "网址导航: 200 external links")], ("service", Severity.WARNING), id="service"
    ),
    pytest.param(
        [(K.SITE_SEARCH, "form[role=search] → /search?q=")], ("site-search", Severity.INFO), id="site"
    ),
    pytest.param(
        [(K.SITE_SEARCH, "input[type=search]"), (K.SEARCH_SERVICE, "企业信息查询")],
        ("service", Severity.WARNING),
        id="service-wins",
    ),
    pytest.param([(K.CHAT_VENDOR, "53kf.com")], None, id="unrelated-signal"),
    pytest.param([], None, id="no-signal"),
]


@pytest.mark.parametrize(("signals", "expected"), SCOPE_001)
def test_scope_001_cases(
    signals: list[tuple[SignalKind, str]], expected: tuple[str, Severity] | None
) -> None:
    findings = scope_001_search(page(*signals), POLICY)
    assert [(dict(f.params)["case"], f.severity) for f in findings] == ([expected] if expected else [])
    assert all(f.rule == "SCOPE-001" for f in findings)


def test_scope_001_silent_when_the_licence_includes_search() -> None:
    assert scope_001_search(page((K.SEARCH_SERVICE, "搜索引擎")), ALL_INCLUDED) == []


def test_scope_001_evidence_for_a_human() -> None:
    (finding,) = scope_001_search(
        page((K.SEARCH_SERVICE, "网址导航"), (K.SEARCH_SERVICE, "车辆查询")), POLICY
    )
    assert finding.message == "a search or lookup service, excluded by the licence: 网址导航; 车辆查询"
    assert finding.evidence == "网址导航 | 车辆查询"


def test_scope_001_long_evidence_is_cut_in_the_message() -> None:
    (finding,) = scope_001_search(page((K.SITE_SEARCH, "x" * 500)), POLICY)
    what = dict(finding.params)["what"]
    assert len(what) == 160
    assert what.endswith("…")
    assert finding.evidence == "x" * 300


# ---- SCOPE-002 ---------------------------------------------------------------------------------

SCOPE_002 = [
    pytest.param(
        [(K.INSTANT_MESSAGING, "script: easemob-websdk.js")], ("user-chat", Severity.WARNING), id="im"
    ),
    pytest.param(
        [(K.VOICE_VIDEO, "getUserMedia; 视频通话")], ("user-chat", Severity.WARNING), id="voice-video"
    ),
    pytest.param([(K.CHAT_VENDOR, "script: meiqia.com")], ("vendor", Severity.INFO), id="vendor"),
    pytest.param(
        [(K.CHAT_VENDOR, "53kf.com"), (K.INSTANT_MESSAGING, "私信")],
        ("user-chat", Severity.WARNING),
        id="im-wins",
    ),
    pytest.param([(K.SITE_SEARCH, "input[type=search]")], None, id="unrelated-signal"),
    pytest.param([], None, id="no-signal"),
]


@pytest.mark.parametrize(("signals", "expected"), SCOPE_002)
def test_scope_002_cases(
    signals: list[tuple[SignalKind, str]], expected: tuple[str, Severity] | None
) -> None:
    findings = scope_002_messaging(page(*signals), POLICY)
    assert [(dict(f.params)["case"], f.severity) for f in findings] == ([expected] if expected else [])
    assert all(f.rule == "SCOPE-002" for f in findings)


def test_scope_002_silent_when_the_licence_includes_messaging() -> None:
    assert scope_002_messaging(page((K.INSTANT_MESSAGING, "聊天室")), ALL_INCLUDED) == []


def test_scope_002_message() -> None:
    (finding,) = scope_002_messaging(page((K.VOICE_VIDEO, "语音通话"), (K.INSTANT_MESSAGING, "私信")), POLICY)
    assert finding.message == (
        "instant messaging or voice/video calls between users, excluded by the licence: 语音通话; 私信"
    )


# ---- SCOPE-003 ---------------------------------------------------------------------------------

SCOPE_003 = [
    # (hosts, licence domains, hosts reported)
    pytest.param(
        ("chaoqiankeji.com", "www.chaoqiankeji.com"), ("chaoqiankeji.com",), [], id="listed-and-www"
    ),
    pytest.param(
        ("CHAOQIANKEJI.COM.", "chaoqiankeji.com:8443"), ("chaoqiankeji.com",), [], id="case-dot-port"
    ),
    pytest.param(("shop.chaoqiankeji.com",), ("chaoqiankeji.com",), [], id="subdomain"),
    pytest.param(("chaoqiankeji.cn",), ("chaoqiankeji.com",), ["chaoqiankeji.cn"], id="other-tld"),
    pytest.param(
        ("notchaoqiankeji.com",), ("chaoqiankeji.com",), ["notchaoqiankeji.com"], id="suffix-not-label"
    ),
    pytest.param(
        ("b.cn", "a.cn", "chaoqiankeji.com", "a.cn"),
        ("chaoqiankeji.com",),
        ["a.cn", "b.cn"],
        id="sorted-unique",
    ),
    pytest.param(("127.0.0.1", "localhost", "[::1]", "10.0.0.5:8080"), ("chaoqiankeji.com",), [], id="local"),
    pytest.param(("example.cn",), ("www.example.cn",), ["example.cn"], id="apex-not-under-listed-www"),
    pytest.param(("example.cn",), (), [], id="no-domains-configured"),
    pytest.param(("xn--fsqu00a.xn--0zwm56d",), ("例子.测试",), [], id="idn-licence-domain-punycode-host"),
    pytest.param(("www.例子.测试",), ("XN--FSQU00A.xn--0zwm56d.",), [], id="idn-host-punycode-domain"),
    pytest.param((), ("chaoqiankeji.com",), [], id="nothing-crawled"),
]


@pytest.mark.parametrize(("hosts", "domains", "reported"), SCOPE_003)
def test_scope_003_cases(hosts: tuple[str, ...], domains: tuple[str, ...], reported: list[str]) -> None:
    policy = replace(POLICY, licence=replace(SEED, domains=domains))
    findings = scope_003_unlicensed_domain(SiteFacts(hosts=hosts), policy)
    assert [dict(f.params)["host"] for f in findings] == reported
    assert all(f.rule == "SCOPE-003" and f.severity is Severity.WARNING for f in findings)


def test_scope_003_message() -> None:
    (finding,) = scope_003_unlicensed_domain(SiteFacts(hosts=("cq-tech.cn",)), POLICY)
    assert (
        finding.message
        == "cq-tech.cn served pages but is not among the licence's websites (chaoqiankeji.com)"
    )
    assert finding.evidence == "host cq-tech.cn; licence domains: chaoqiankeji.com"


def test_scope_rules_never_raise_errors() -> None:
    every = page(*((k, k.value) for k in SignalKind))
    findings = [
        *scope_001_search(every, POLICY),
        *scope_002_messaging(every, POLICY),
        *scope_003_unlicensed_domain(SiteFacts(hosts=("a.cn",)), POLICY),
    ]
    assert findings
    assert all(f.severity is not Severity.ERROR for f in findings)
