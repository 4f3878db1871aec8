"""Unit tests of the reports layer: HTML rendering (both languages, escaping, evidence) and the JSON export."""

from __future__ import annotations

import html as htmllib
import json
import re
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from crawler.fetch import FetchError
from reports import dumps_run, render_run, run_to_json
from reports.evidence import highlight, licence_key
from reports.messages import CATALOGUES, EN, ZH, catalogue, finding_text
from rules import (
    date_rules,
    ecommerce_rules,
    judge,
    licence_format_rules,
    licence_presentation_rules,
    licence_term_rules,
    markup_rules,
    net_rules,
    page_rules,
    render_rules,
    report_duty_rules,
    scope_rules,
)
from rules.judge import judge_page, judge_site
from rules.model import (
    FetchOutcome,
    Finding,
    LicenceFacts,
    NumberHit,
    PageFacts,
    Severity,
    Signal,
    SignalKind,
    SiteFacts,
    Verdict,
    Where,
    message_params,
)
from rules.numbers import NumberKind
from rules.policy import Policy
from rules.records import PageRecord, RunInfo, RunRecord, RunStatus
from rules.registry import ALL_RULE_IDS

NUMBER = "陕B2-20210271"
TODAY = date(2026, 11, 27)
STARTED = datetime(2026, 11, 26, 18, 30, tzinfo=UTC)
GENERATED = datetime(2026, 11, 26, 18, 45, tzinfo=UTC)
LICENCE = LicenceFacts(number=NUMBER, holder="西安朝前智能科技有限公司", valid_until=date(2026, 8, 30))
XSS_SCRIPT = "<script>alert(1)</script>"
XSS_ATTR = '"><img src=x onerror=alert(1)>'
FOOTER = "© 2026 西安朝前智能科技有限公司 增值电信业务经营许可证：陕B2-20210271 陕ICP备2021012345号-1"


def hit(value: str = NUMBER, **kw: object) -> NumberHit:
    """A licence-number hit, visible text in the footer unless told otherwise."""
    fields: dict[str, object] = {
        "kind": NumberKind.LICENCE,
        "value": value,
        "key": value,
        "where": Where.TEXT,
        "in_footer": True,
        "visible": True,
        "context": f"增值电信业务经营许可证：{value}",
    }
    fields.update(kw)
    return NumberHit(**fields)  # type: ignore[arg-type]


def page(url: str, verdict: Verdict = Verdict.COMPLIANT, **kw: object) -> PageRecord:
    """A fetched HTML page with a footer; override any field."""
    fields: dict[str, object] = {
        "url": url,
        "final_url": url,
        "status": 200,
        "content_type": "text/html; charset=utf-8",
        "depth": 1,
        "verdict": verdict,
        "footer_found": True,
        "footer_text": FOOTER if verdict is Verdict.COMPLIANT else "© 2026 西安朝前智能科技有限公司",
        "numbers": (hit(),) if verdict is Verdict.COMPLIANT else (),
    }
    fields.update(kw)
    return PageRecord(**fields)  # type: ignore[arg-type]


def lic007(message: str = f"{NUMBER} is not displayed on this page's footer") -> Finding:
    return Finding(
        "LIC-007",
        Severity.ERROR,
        message,
        "footer: © 2026 西安朝前智能科技有限公司",
        message_params(number=NUMBER, case="missing"),
    )


def customer_pages() -> tuple[PageRecord, ...]:
    """The kinds of page a real audit of the customer's site records."""
    base = "https://chaoqiankeji.com"
    return (
        page(f"{base}/", depth=0, is_homepage=True),
        page(f"{base}/about", findings=(lic007(),), verdict=Verdict.MISSING),
        page(f"{base}/news/1", findings=(lic007(),), verdict=Verdict.MISSING),
        page(
            f"{base}/contact",
            Verdict.WRONG_NUMBER,
            footer_text="© 2026 朝前科技 增值电信业务经营许可证：陕B2-20190001",
            numbers=(hit("陕B2-20190001"),),
            findings=(
                Finding(
                    "LIC-002",
                    Severity.ERROR,
                    f"displays 陕B2-20190001 instead of or beside {NUMBER}",
                    "x",
                    message_params(values="陕B2-20190001", number=NUMBER),
                ),
            ),
        ),
        page(
            f"{base}/products",
            Verdict.HIDDEN,
            numbers=(hit(visible=False, hidden_reason="display:none on div.icp"),),
            findings=(
                Finding(
                    "LIC-006",
                    Severity.ERROR,
                    f"{NUMBER} is in the markup but hidden (display:none on div.icp)",
                    "…",
                    message_params(number=NUMBER, reasons="display:none on div.icp"),
                ),
            ),
        ),
        page(
            f"{base}/cases",
            Verdict.ELSEWHERE,
            numbers=(hit(in_footer=False, context=f"页面顶部：许可证 {NUMBER} 号"),),
            findings=(
                Finding(
                    "LIC-005",
                    Severity.WARNING,
                    f"{NUMBER} is visible but it stands outside the footer",
                    "…",
                    message_params(number=NUMBER, case="outside-footer"),
                ),
            ),
        ),
        page(
            f"{base}/old",
            Verdict.FETCH_ERROR,
            status=404,
            footer_found=False,
            footer_text="",
            error="http: 404 Not Found",
            findings=(
                Finding(
                    "NET-001",
                    Severity.WARNING,
                    "fetch failed: HTTP 404",
                    f"{base}/old",
                    message_params(what="HTTP 404", case="http", status=404),
                ),
            ),
        ),
        page(f"{base}/brochure.pdf", Verdict.NOT_HTML, content_type="application/pdf", footer_found=False),
        page(
            f"{base}/admin/", Verdict.SKIPPED, status=None, final_url=None, error="disallowed by robots.txt"
        ),
    )


def make_record(
    pages: tuple[PageRecord, ...] | None = None,
    *,
    today: date = TODAY,
    licence: LicenceFacts = LICENCE,
    status: RunStatus = RunStatus.COMPLETE,
    error: str | None = None,
    site: str = "朝前科技官网",
) -> RunRecord:
    """A stored run of the customer's site, site findings from the real VAL rules."""
    info = RunInfo(
        id=7,
        site=site,
        status=status,
        trigger="schedule",
        started_at=STARTED,
        finished_at=datetime(2026, 11, 26, 18, 41, 5, tzinfo=UTC),
        tool_version="0.1.0",
        licence=licence,
        today=today,
        error=error,
    )
    site_findings = judge_site(Policy(licence=licence, today=today))
    return RunRecord(info, site_findings, customer_pages() if pages is None else pages)


def text_of(html: str) -> str:
    """The visible text of a rendered report, tags dropped and whitespace collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- HTML -------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_renders_a_self_contained_document(lang: str) -> None:
    html = render_run(make_record(), lang=lang, generated_at=GENERATED)
    assert html.startswith("<!doctype html>")
    assert f'<html lang="{catalogue(lang).html_lang}">' in html
    assert '<meta charset="utf-8">' in html
    for forbidden in ("<script", "<link", 'src="http', "@import", "url(", "<img", "<iframe"):
        assert forbidden not in html.lower()
    assert "@media print" in html


def test_zh_report_leads_with_the_expiry() -> None:
    html = render_run(make_record(), generated_at=GENERATED)
    text = text_of(html)
    assert "已过期 89 天" in text
    assert "2026-08-30" in text
    assert "续期申请截止日" in text
    assert "2026-06-01" in text
    assert "网站不合规" in text
    # the licence panel comes before the headline, the headline before the tiles
    body = html[html.index("<body>") :]
    assert body.index("已过期 89 天") < body.index("网站不合规") < body.index("记录页面")
    assert "西安朝前智能科技有限公司" in text
    assert "已完成" in text
    assert "#7" in text
    assert "0.1.0" in text
    assert "2026-11-27" in text


def test_en_report_is_complete() -> None:
    html = render_run(make_record(), lang="en", generated_at=GENERATED)
    text = text_of(html)
    assert "Expired 89 days ago" in text
    assert "Site is NOT compliant" in text
    assert "Licence has expired" in text  # rule title from the catalogue
    assert "Renewal deadline" in text
    # no Chinese UI string leaks into the English report (crawled text, the holder and the legal
    # basis, which cites Chinese law by its Chinese name, may be Chinese)
    ui = re.sub(r'<p class="basis">.*?</p>', "", html)
    for zh_text in ZH.text.values():
        if len(zh_text) > 5 and "{" not in zh_text:
            assert zh_text not in ui


def test_verdict_names_in_both_languages() -> None:
    zh = text_of(render_run(make_record(), generated_at=GENERATED))
    for name in ("合规", "编号错误", "已隐藏", "不在页脚", "缺失", "抓取失败", "非网页", "已跳过"):
        assert name in zh
    en = text_of(render_run(make_record(), lang="en", generated_at=GENERATED))
    for name in ("Wrong number", "Hidden", "Not in footer", "Missing", "Fetch error", "Skipped"):
        assert name in en


def test_findings_show_advice_and_basis() -> None:
    text = text_of(render_run(make_record(), generated_at=GENERATED))
    assert "经营许可证已过期" in text
    assert "dxzhgl.miit.gov.cn" in text  # VAL-001 advice
    assert "电信业务经营许可管理办法" in text  # VAL-001 basis
    assert "页面底部未显示许可证编号" in text  # LIC-007 title
    assert "涉及 2 个页面" in text


def test_unknown_rule_ids_fall_back_to_the_id() -> None:
    odd = Finding("RULE-ERROR", Severity.WARNING, "rule LIC-002 failed: KeyError", "'x'")
    record = make_record((page("https://chaoqiankeji.com/x", findings=(odd,)),))
    html = render_run(record, generated_at=GENERATED)
    assert "RULE-ERROR" in html
    assert "rule LIC-002 failed: KeyError" in html  # no params (an old run): the stored message


# --- finding messages -----------------------------------------------------------------------------


def all_findings(record: RunRecord) -> list[Finding]:
    return [*record.site_findings, *(f for p in record.pages for f in p.findings)]


def test_zh_report_says_findings_in_chinese() -> None:
    record = make_record()
    text = htmllib.unescape(text_of(render_run(record, generated_at=GENERATED)))
    assert f"经营许可证 {NUMBER} 已于 2026-08-30 到期，已过期 89 天" in text  # VAL-001
    assert "续期申请截止日 2026-06-01 已过 179 天" in text  # VAL-002
    assert f"页面显示的许可证编号是 陕B2-20190001，而不是（或并列于）本公司的 {NUMBER}" in text  # LIC-002
    assert "（display:none on div.icp）" in text  # LIC-006: the hidden reason stays as data
    assert "页面抓取失败：HTTP 状态码 404" in text  # NET-001
    assert {f.rule for f in all_findings(record)} >= {"VAL-001", "VAL-002", "LIC-002", "LIC-005", "LIC-006"}
    for finding in all_findings(record):
        assert finding.params, finding.rule  # every finding of the record is localisable ...
        assert finding.message not in text  # ... so no English finding sentence is left


def test_en_report_keeps_the_english_messages() -> None:
    record = make_record()
    text = htmllib.unescape(text_of(render_run(record, lang="en", generated_at=GENERATED)))
    for finding in all_findings(record):
        assert finding.message in text


def test_json_export_keeps_the_english_message() -> None:
    record = make_record()
    doc = run_to_json(record)
    assert doc["site_findings"][0]["message"] == record.site_findings[0].message  # type: ignore[index]
    assert "已过期" not in dumps_run(record)


def _facts(*hits: NumberHit, homepage: bool = True, **kw: object) -> PageFacts:
    url = "https://chaoqiankeji.com/" if homepage else "https://chaoqiankeji.com/about"
    fields: dict[str, object] = {
        "url": url,
        "final_url": url,
        "is_homepage": homepage,
        "footer_found": True,
        "footer_how": "footer",
        "footer_text": "© 2026",
        "numbers": hits,
    }
    fields.update(kw)
    return PageFacts(**fields)  # type: ignore[arg-type]


def real_findings() -> list[Finding]:
    """At least one finding of every rule id and case, made by the real rules."""
    policy = Policy(licence=LICENCE, today=TODAY)
    image, script = hit(where=Where.IMAGE), hit(where=Where.SCRIPT, in_footer=False, visible=False)
    body = hit(in_footer=False)
    comment = hit(where=Where.COMMENT, visible=False)
    absent = [_facts(), _facts(image), _facts(script), _facts(js_shell=True), _facts(comment)]
    found = [
        *(f for facts in absent for f in page_rules.lic_001_homepage(facts, policy)),
        *(
            f
            for facts in absent
            for f in page_rules.lic_007_inner_footer(replace(facts, is_homepage=False), policy)
        ),
        *page_rules.lic_002_other_number(_facts(hit("陕B2-20190001"), hit("B2-20100312")), policy),
        *page_rules.lic_005_not_in_footer(_facts(body), policy),
        *page_rules.lic_005_not_in_footer(_facts(body, footer_found=False), policy),
        *page_rules.lic_006_hidden(
            _facts(hit(visible=False, hidden_reason="display:none on span.lic")), policy
        ),
        *page_rules.lic_006_hidden(_facts(hit(visible=False)), policy),
        *date_rules.val_001_expired(policy),
        *date_rules.val_002_renewal_deadline(replace(policy, today=date(2026, 6, 2))),
        *date_rules.val_003_renewal_window(replace(policy, today=date(2026, 5, 1))),
        *date_rules.val_007_not_yet_issued(
            Policy(licence=replace(LICENCE, issued=date(2021, 8, 30)), today=date(2021, 8, 1))
        ),
    ]
    for status, error in ((404, "http"), (None, "connect"), (200, "too_large"), (None, "brand_new")):
        outcome = FetchOutcome("https://chaoqiankeji.com/x", None, status, None, error=error)
        found.extend(net_rules.net_001_fetch_failed(outcome))
    orphans = SiteFacts(orphans=("https://chaoqiankeji.com/promo",))
    found.extend(net_rules.net_002_sitemap_only(orphans, policy))
    sitemap = SiteFacts(
        sitemap_problems=(("https://chaoqiankeji.com/sitemap.xml", "lists more than 50,000 URLs"),)
    )
    found.extend(net_rules.net_003_sitemap_problems(sitemap, policy))
    found.extend(net_rules.net_004_bad_links(_facts(bad_links=("http://[::1/a",), bad_link_count=2), policy))
    found.extend(markup_rules.tech_005_not_parsed("elements nest more than 5,000 deep"))
    found.extend(
        render_rules.tech_003_unconfirmed(SiteFacts(unrendered=3, render_problem="no Chromium found"), policy)
    )
    found.extend(
        render_rules.tech_006_images_unread(SiteFacts(images_unread=2, ocr_problem="no OCR"), policy)
    )
    found.extend(render_rules.tech_001_after_script(_facts(hit(), server_keys=frozenset()), policy))
    found.extend(
        render_rules.tech_004_one_viewport(_facts(viewport_gaps=(("陕B2-20210271", "mobile"),)), policy)
    )
    found.extend(_format_duty_scope_findings(policy))
    found.extend(_filing_findings(policy))
    return found


def _format_duty_scope_findings(policy: Policy) -> list[Finding]:
    """LIC-003/004/008/009, VAL-004/005/006, TECH-002, SCOPE-001/002/003 and ECOM-001, every case."""
    lic = licence_format_rules
    wrong = hit("陕B2-20190001")
    filing = {"kind": NumberKind.ICP_FILING, "key": "陕ICP备2021012345号", "in_footer": True}
    icp = "陕ICP备2021012345号-1"
    inner = {"homepage": False}
    scoped = replace(
        policy,
        licence=replace(
            LICENCE, domains=("chaoqiankeji.com",), excluded_services=("信息搜索查询服务", "信息即时交互服务")
        ),
    )

    def signals(*pairs: tuple[SignalKind, str], homepage: bool = True) -> PageFacts:
        return _facts(homepage=homepage, signals=tuple(Signal(k, e) for k, e in pairs))

    return [
        *(
            f
            for value in (
                "港B2-20210271",
                "陕B2-202102711",
                "陕B2-20990271",
                "陕B2.B1-20210271",
                "陕B2-2O210271",
            )
            for f in lic.lic_003_format(_facts(hit(value)), policy)
        ),
        *(
            f
            for value in ("京B2-20210271", "B2-20210271")
            for f in lic.lic_004_province(_facts(hit(value)), policy)
        ),
        *lic.lic_004_province(
            _facts(hit("陕B2-20100312")), replace(policy, licence=replace(LICENCE, number="B2-20100312"))
        ),
        *licence_presentation_rules.lic_008_image_or_script(_facts(wrong, hit(where=Where.IMAGE)), policy),
        *licence_presentation_rules.lic_008_image_or_script(
            _facts(wrong, hit(where=Where.SCRIPT, in_footer=False, visible=False)), policy
        ),
        *licence_presentation_rules.lic_009_link_target(
            _facts(hit(href="https://chaoqiankeji.com/about")), policy
        ),
        *report_duty_rules.val_004_annual_report(replace(policy, today=date(2026, 2, 1))),
        *report_duty_rules.val_004_annual_report(replace(policy, today=date(2026, 4, 10))),
        *report_duty_rules.val_005_monthly_report(
            replace(policy, today=date(2026, 5, 10), severity={"VAL-005": Severity.INFO})
        ),
        *licence_term_rules.val_006_term_sanity(
            replace(policy, licence=replace(LICENCE, issued=date(2021, 9, 30)))
        ),
        *licence_term_rules.val_006_term_sanity(
            replace(
                policy,
                licence=replace(LICENCE, issued=date(2020, 8, 30), valid_until=date(2025, 8, 30)),
            )
        ),
        *(
            f
            for facts in (
                _facts(hit(icp, visible=False, hidden_reason="display:none on p.icp", **filing), **inner),
                _facts(hit(icp, where=Where.SCRIPT, visible=False, **filing), **inner),
                _facts(hit(icp, where=Where.COMMENT, visible=False, **filing), **inner),
                _facts(hit(icp, where=Where.COMMENT, visible=False, **filing), js_shell=True, **inner),
            )
            for f in markup_rules.tech_002_not_rendered(facts, policy)
        ),
        *scope_rules.scope_001_search(signals((SignalKind.SEARCH_SERVICE, "网址导航")), scoped),
        *scope_rules.scope_001_search(signals((SignalKind.SITE_SEARCH, "form[role=search]")), scoped),
        *scope_rules.scope_002_messaging(signals((SignalKind.INSTANT_MESSAGING, "私信")), scoped),
        *scope_rules.scope_002_messaging(signals((SignalKind.CHAT_VENDOR, "53kf.com")), scoped),
        *scope_rules.scope_003_unlicensed_domain(SiteFacts(hosts=("chaoqiankeji.com", "cq-tech.cn")), scoped),
        *ecommerce_rules.ecom_001_business_licence(signals((SignalKind.SHOP, "加入购物车")), policy),
        *ecommerce_rules.ecom_001_business_licence(
            signals((SignalKind.SHOP, "立即购买 ¥99"), homepage=False), policy
        ),
    ]


def _filing_findings(policy: Policy) -> list[Finding]:
    """BA-001…BA-008 and GA-001…GA-005, every case, from the real rules."""
    from rules import filing_rules as ba
    from rules import public_security_rules as ga
    from rules.numbers import find_numbers
    from rules.text import normalise

    def num(text: str, **kw: object) -> NumberHit:
        (m,) = find_numbers(normalise(text))
        fields: dict[str, object] = {"kind": m.kind, "value": m.value, "key": m.key, "where": Where.TEXT}
        fields.update(in_footer=True, visible=True, context=f"© 2026 {text}", raw=normalise(text))
        fields.update(kw)
        return NumberHit(**fields)  # type: ignore[arg-type]

    icp, mps = "陕ICP备2021012345号-1", "https://beian.mps.gov.cn/#/query/webSearch?code="
    linked = {"href": ba.MIIT_URL, "centred": True}
    gongan = "陕公网安备61019002000123号"
    absent = [
        _facts(),
        _facts(num(icp, visible=False, hidden_reason="display:none on p.beian"), num(gongan, visible=False)),
        _facts(num(icp, where=Where.IMAGE), num(gongan, where=Where.IMAGE)),
        _facts(js_shell=True),
        _facts(num(icp, where=Where.COMMENT, visible=False), num(gongan, where=Where.COMMENT, visible=False)),
    ]
    hrefs = (
        "http://www.miibeian.gov.cn/",
        "https://beian.mps.gov.cn/",
        "https://chaoqiankeji.com/beian.miit.gov.cn",
        "https://chaoqiankeji.com/",
    )
    ga_hrefs = (
        None,
        "http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=61019002000123",
        "https://beian.mps.gov.cn/",
        f"{mps}61019002000124",
        "https://beian.miit.gov.cn/",
    )
    configured = replace(policy, filing_icp=icp)
    return [
        *(f for facts in absent for f in ba.ba_001_homepage(facts, policy)),
        *ba.ba_002_not_linked(_facts(num(icp)), policy),
        *(f for href in hrefs for f in ba.ba_003_wrong_link(_facts(num(icp, href=href)), policy)),
        *ba.ba_004_position(_facts(num(icp, in_footer=False)), policy),
        *ba.ba_004_position(_facts(num(icp, in_footer=False), footer_found=False), policy),
        *ba.ba_004_position(_facts(num(icp, centred=False)), policy),
        *ba.ba_004_position(_facts(num(icp)), policy),
        *(
            f
            for text in (
                "陕ICP备202101234号",
                "云ICP备2021012345号",
                "陕ICP备2021012345-1",
                "陕ICP备2021012345号-1K",
            )
            for f in ba.ba_005_format(_facts(num(text, **linked)), policy)
        ),
        *ba.ba_006_province(_facts(num("粤ICP备2021031984号", **linked)), policy),
        *ba.ba_007_configured(_facts(num("陕ICP备2019000001号", **linked)), configured),
        *ba.ba_007_configured(_facts(num("陕ICP备2021012345号-2", **linked)), configured),
        *ba.ba_007_configured(_facts(num(icp, **linked)), policy),
        *(
            f
            for text in (icp, "陕ICP备2021012345号", "陕ICP备2021012345号-2A", "陕ICP备2021012345号-1X")
            for f in ba.ba_008_form(_facts(num(text, **linked)), policy)
        ),
        *(f for facts in absent for f in ga.ga_001_homepage(facts, policy)),
        *(
            f
            for text in (
                "陕公网安备11010502030143号",
                "陕公网安备99010502030143号",
                "京公网安备110000000006号",
            )
            for f in ga.ga_002_format(_facts(num(text)), policy)
        ),
        *(f for href in ga_hrefs for f in ga.ga_003_link(_facts(num(gongan, href=href)), policy)),
        *ga.ga_004_badge(_facts(num(gongan)), policy),
        *ga.ga_005_convention(_facts(num("陕公安网备61019002000123号")), policy),
        *ga.ga_005_convention(_facts(num("蜀公网安备51010402000001号")), policy),
    ]


def _template_key(finding: Finding) -> str:
    values = dict(finding.params)
    return f"{finding.rule}/{values['case']}" if "case" in values else finding.rule


def test_every_rule_and_case_has_a_template_in_both_languages() -> None:
    assert set(ZH.findings) == set(EN.findings)
    assert {key.split("/")[0] for key in ZH.findings} == {*ALL_RULE_IDS, "RULE-ERROR"}
    made = {_template_key(f) for f in real_findings()}
    assert made == set(ZH.findings) - {"RULE-ERROR"}  # every template is reachable, none missing
    assert set(ZH.fetch_errors) == set(EN.fetch_errors) == {e.value for e in FetchError}


@pytest.mark.parametrize("finding", real_findings(), ids=_template_key)
def test_finding_text_from_the_real_rules(finding: Finding) -> None:
    zh = finding_text(finding, "zh")
    assert zh != finding.message
    assert re.search(r"[\u4e00-\u9fff]", zh)
    # the only Latin text left in Chinese is data: numbers, dates, CSS reasons, HTTP, HTML, JavaScript
    words = set(re.findall(r"[A-Za-z_]{3,}", zh)) - {"HTTP", "HTML", "JavaScript", "TLS", "ICP"}
    data = " ".join(value for _, value in finding.params)
    assert all(word in data for word in words), words
    en = finding_text(finding, "en")
    if finding.rule == "NET-001" and dict(finding.params)["case"] == "error":
        error = dict(finding.params)["error"]
        assert en == f"fetch failed: {EN.fetch_errors.get(error, error)}"
    else:
        assert en == finding.message  # the English templates say what the rules say


def test_days_are_counted_in_each_language() -> None:
    (late,) = date_rules.val_002_renewal_deadline(Policy(licence=LICENCE, today=date(2026, 6, 2)))
    assert finding_text(late, "zh") == "续期申请截止日 2026-06-01 已过 1 天"
    assert finding_text(late, "en") == "the renewal deadline 2026-06-01 passed 1 day ago"


def test_rule_error_is_localised(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(facts: PageFacts, policy: Policy) -> list[Finding]:
        """Always fails."""
        raise KeyError("x")

    monkeypatch.setattr(judge, "PAGE_RULES", (("LIC-999", boom),))
    (error,) = judge_page(_facts(hit()), Policy(licence=LICENCE, today=TODAY)).findings
    assert finding_text(error, "zh") == "规则 LIC-999 运行出错（KeyError），本页未按该规则检查"
    assert finding_text(error, "en") == error.message == "rule LIC-999 failed: KeyError"


@pytest.mark.parametrize(
    "finding",
    [
        pytest.param(Finding("VAL-001", Severity.ERROR, "licence X expired"), id="no-params-old-run"),
        pytest.param(
            Finding("LIC-001", Severity.ERROR, "odd", params=message_params(number=NUMBER, case="new")),
            id="unknown-case",
        ),
        pytest.param(
            Finding("LIC-999", Severity.ERROR, "later rule", params=message_params(number=NUMBER)),
            id="unknown-rule",
        ),
        pytest.param(
            Finding("VAL-001", Severity.ERROR, "missing param", params=message_params(number=NUMBER)),
            id="missing-param",
        ),
    ],
)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_finding_text_falls_back_to_the_message(finding: Finding, lang: str) -> None:
    assert finding_text(finding, lang) == finding.message


def test_zh_report_falls_back_for_a_finding_without_params() -> None:
    old = replace(lic007(), params=())
    record = make_record((page("https://chaoqiankeji.com/a", Verdict.MISSING, findings=(old,)),))
    text = htmllib.unescape(text_of(render_run(record, generated_at=GENERATED)))
    assert old.message in text
    assert f"经营许可证 {NUMBER} 已于 2026-08-30 到期" in text  # the site findings still localised


HOSTILE = (XSS_SCRIPT, XSS_ATTR)


@pytest.mark.parametrize("evil", HOSTILE)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_crawled_text_is_escaped(evil: str, lang: str) -> None:
    bad = page(
        f"https://chaoqiankeji.com/{evil}",
        Verdict.WRONG_NUMBER,
        final_url=f"https://chaoqiankeji.com/{evil}",
        footer_text=f"{evil} 陕B2-20190001 {evil}",
        numbers=(hit("陕B2-20190001", context=evil, href=f"javascript:{evil}", hidden_reason=evil),),
        findings=(Finding("LIC-002", Severity.ERROR, evil, evil), Finding(evil, Severity.ERROR, evil, evil)),
        error=evil,
    )
    unfetched = page(f"javascript:{evil}", Verdict.FETCH_ERROR, status=500, error=evil)
    record = make_record((bad, unfetched), site=evil, error=evil, status=RunStatus.FAILED)
    html = render_run(record, lang=lang, generated_at=GENERATED)
    assert evil not in html
    assert "<script" not in html
    assert "<img" not in html
    assert 'href="javascript' not in html
    assert "&lt;script&gt;" in html or "&#34;&gt;&lt;img" in html


def test_footer_number_is_highlighted() -> None:
    html = render_run(make_record(), generated_at=GENERATED)
    assert '<mark class="other">陕B2-20190001</mark>' in html  # the wrong number in the footer
    assert f'<mark class="ours">{NUMBER}</mark>' in html  # ours, visible outside the footer


def test_highlight_splits_around_numbers() -> None:
    key = licence_key(NUMBER)
    parts = highlight("许可证：陕B2-20210271 旧号 B2-20190001 备案", key)
    assert [(p.text, p.mark) for p in parts] == [
        ("许可证:", ""),  # normalised (NFKC), as extraction stores footer text
        ("陕B2-20210271", "ours"),
        (" 旧号 ", ""),
        ("B2-20190001", "other"),
        (" 备案", ""),
    ]
    assert highlight("", key) == ()


def test_hostile_footer_around_a_number_stays_escaped_inside_mark() -> None:
    evil_footer = f"<b>{NUMBER}</b>{XSS_SCRIPT}"
    bad = page(
        "https://chaoqiankeji.com/p",
        Verdict.ELSEWHERE,
        footer_text=evil_footer,
        findings=(Finding("LIC-005", Severity.WARNING, "m", "e"),),
    )
    html = render_run(make_record((bad,)), generated_at=GENERATED)
    assert f'&lt;b&gt;<mark class="ours">{NUMBER}</mark>&lt;/b&gt;&lt;script&gt;' in html


def test_identical_failing_pages_are_grouped() -> None:
    pages = tuple(
        page(f"https://chaoqiankeji.com/n/{i}", Verdict.MISSING, findings=(lic007(),)) for i in range(9)
    )
    html = render_run(make_record(pages), generated_at=GENERATED)
    assert "以下 9 个页面情况相同" in html
    assert "展开其余 4 个页面" in html
    assert html.count('<article class="card tone-bad">') == 1  # one evidence group
    assert html.count('<article class="card rule tone-bad">') == 3  # VAL-001, VAL-002, LIC-007


def test_compliant_site_with_a_valid_licence() -> None:
    licence = replace(LICENCE, renewed_until=date(2031, 8, 30))
    record = make_record((page("https://chaoqiankeji.com/", depth=0, is_homepage=True),), licence=licence)
    text = text_of(render_run(record, generated_at=GENERATED))
    assert "网站合规" in text
    assert "网站不合规" not in text
    assert "剩余" in text
    assert "已过期" not in text
    assert "2031-08-30" in text
    assert "没有不合规的页面" in text


def test_failed_run_with_no_pages_renders() -> None:
    record = make_record((), status=RunStatus.FAILED, error="robots.txt unreachable: connect timeout")
    for lang in ("zh", "en"):
        html = render_run(record, lang=lang, generated_at=GENERATED)
        assert "robots.txt unreachable: connect timeout" in html
    text = text_of(render_run(record, generated_at=GENERATED))
    assert "失败" in text
    assert "本次审计没有记录任何页面" in text


def test_interrupted_run_without_errors_is_not_called_compliant() -> None:
    licence = replace(LICENCE, valid_until=date(2030, 1, 1))
    record = make_record(
        (page("https://chaoqiankeji.com/", depth=0),), licence=licence, status=RunStatus.INTERRUPTED
    )
    text = text_of(render_run(record, generated_at=GENERATED))
    assert "未能完整判定" in text
    assert "已中断" in text


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="zh, en"):
        render_run(make_record(), lang="fr", generated_at=GENERATED)


def test_catalogues_cover_the_same_keys_and_every_enum_value() -> None:
    assert set(ZH.text) == set(EN.text)
    for cat in CATALOGUES.values():
        assert set(cat.verdicts) == set(Verdict) == set(cat.verdict_help)
        assert set(cat.severities) == set(Severity)
        assert set(cat.statuses) == set(RunStatus)
        assert set(cat.kinds) == set(NumberKind)
        assert set(cat.wheres) == set(Where)
    assert ZH.verdicts[Verdict.NEEDS_RENDER] == "需浏览器渲染"
    assert EN.count("day", 1) == "1 day"
    assert EN.count("day", 2) == "2 days"


def test_ten_thousand_pages_render_compactly() -> None:
    pages = tuple(
        page(f"https://chaoqiankeji.com/item/{i:05d}")
        if i % 10
        else page(f"https://chaoqiankeji.com/item/{i:05d}", Verdict.MISSING, findings=(lic007(),))
        for i in range(10_000)
    )
    html = render_run(make_record(pages), generated_at=GENERATED)
    assert len(html.encode()) < 5_000_000
    assert html.count("<tr class=") == 10_000
    assert '<details class="bulk">' in html


# --- JSON -------------------------------------------------------------------------------------

RUN_KEYS = {"id", "site", "status", "trigger", "started_at", "finished_at", "tool_version", "counts"}
RUN_KEYS_ADDED = {"skipped"}  # issue 12: every URL skipped, counted by reason
COUNT_KEYS = {"pages", "compliant", "non_compliant", "fetch_errors", "errors", "warnings", "infos"}
PAGE_KEYS = {
    "url",
    "final_url",
    "status",
    "content_type",
    "depth",
    "verdict",
    "footer_found",
    "numbers",
    "findings",
    "error",
}
PAGE_KEYS_ADDED = {"redirects", "size", "elapsed_ms", "footer_fingerprint"}  # beyond DESIGN §5: it only grows
FINDING_KEYS = {"rule", "severity", "message", "evidence"}
NUMBER_KEYS = {"kind", "value", "in_footer", "visible", "href"}


def test_json_export_matches_the_contract() -> None:
    record = make_record()
    doc = run_to_json(record)
    assert set(doc) == {"schema", "run", "licence", "site_findings", "pages", "diff", "templates"}  # + added
    assert doc["schema"] == "icp-audit/run/v1"
    assert doc["diff"] is None
    run = doc["run"]
    assert isinstance(run, dict)
    assert set(run) == RUN_KEYS | RUN_KEYS_ADDED
    assert set(run["counts"]) == COUNT_KEYS
    assert run["status"] == "complete"
    assert run["trigger"] == "schedule"
    assert run["started_at"] == "2026-11-26T18:30:00Z"
    assert run["finished_at"] == "2026-11-26T18:41:05Z"
    assert doc["licence"] == {
        "number": NUMBER,
        "holder": "西安朝前智能科技有限公司",
        "valid_until": "2026-08-30",
        "days_left": -89,
    }
    site_findings = doc["site_findings"]
    assert isinstance(site_findings, list)
    assert [f["rule"] for f in site_findings] == ["VAL-001", "VAL-002"]
    assert all(set(f) == FINDING_KEYS for f in site_findings)
    pages = doc["pages"]
    assert isinstance(pages, list)
    assert len(pages) == len(record.pages)
    for p in pages:
        assert set(p) == PAGE_KEYS | PAGE_KEYS_ADDED
        assert isinstance(p["redirects"], list)
        assert all(set(n) == NUMBER_KEYS for n in p["numbers"])
        assert all(set(f) == FINDING_KEYS for f in p["findings"])
        assert p["error"] is None or isinstance(p["error"], str)
    assert pages[0]["numbers"][0]["kind"] == "licence"
    assert {p["verdict"] for p in pages} >= {"compliant", "wrong-number", "fetch-error", "skipped"}


def test_json_counts_come_from_the_record() -> None:
    record = make_record()
    counts = run_to_json(record)["run"]["counts"]  # type: ignore[index]
    c = record.counts
    assert counts == {
        "pages": c.pages,
        "compliant": c.compliant,
        "non_compliant": c.non_compliant,
        "fetch_errors": c.fetch_errors,
        "errors": c.errors,
        "warnings": c.warnings,
        "infos": c.infos,
    }
    assert counts["pages"] == 9
    assert counts["compliant"] == 1
    assert counts["fetch_errors"] == 1


def test_json_kinds_and_null_times() -> None:
    numbers = tuple(hit(f"x{k.value}", kind=k) for k in NumberKind)
    record = make_record((page("https://chaoqiankeji.com/", numbers=numbers),), status=RunStatus.RUNNING)
    record = replace(record, info=replace(record.info, finished_at=None))
    doc = run_to_json(record)
    assert doc["run"]["finished_at"] is None  # type: ignore[index]
    kinds = [n["kind"] for n in doc["pages"][0]["numbers"]]  # type: ignore[index]
    assert kinds == ["licence", "icp-filing", "icp-zheng", "public-security"]


def test_json_diff_is_passed_through_and_dumps_keeps_chinese() -> None:
    diff: dict[str, object] = {"against_run": 6, "findings": {"new": [], "resolved": [], "open": []}}
    assert run_to_json(make_record(), diff=diff)["diff"] == diff
    text = dumps_run(make_record())
    assert "西安朝前智能科技有限公司" in text
    assert "\\u" not in text
    assert text.startswith('{\n  "schema": "icp-audit/run/v1"')
    assert json.loads(text) == run_to_json(make_record())


def test_naive_times_are_taken_as_utc() -> None:
    record = make_record()
    record = replace(record, info=replace(record.info, started_at=datetime(2026, 11, 26, 18, 30)))
    assert run_to_json(record)["run"]["started_at"] == "2026-11-26T18:30:00Z"  # type: ignore[index]


# --- a date judged before the licence was issued -----------------------------------------------

ISSUED = date(2021, 8, 30)


def _before_issue() -> RunRecord:
    licence = replace(LICENCE, issued=ISSUED)
    return make_record(
        (page("https://chaoqiankeji.com/", depth=0, is_homepage=True),),
        today=date(2021, 8, 1),
        licence=licence,
    )


@pytest.mark.parametrize(
    ("lang", "big", "note", "valid_words"),
    [
        pytest.param(
            "zh",
            "尚未生效",
            "按检查日 2021-08-01 计，许可证 2021-08-30 才发证（还差 29 天），当日尚未生效",
            ("剩余", "有效期内"),
            id="zh",
        ),
        pytest.param(
            "en",
            "Not yet in force",
            "Judged on 2021-08-01, the licence was issued only on 2021-08-30 (29 days later)",
            ("days left", "is valid"),
            id="en",
        ),
    ],
)
def test_the_licence_card_before_the_issue_date(
    lang: str, big: str, note: str, valid_words: tuple[str, ...]
) -> None:
    html = render_run(_before_issue(), lang=lang, generated_at=GENERATED)
    text = text_of(html)
    assert big in text
    assert note in text
    for word in valid_words:
        assert word not in text
    assert '<section class="panel licence tone-bad"' in html
    body = html[html.index("<body>") :]
    headline = catalogue(lang).text["headline_fail"]
    assert body.index(big) < body.index(headline)  # the card leads the report, as for an expired licence
    assert finding_text(next(f for f in _before_issue().site_findings if f.rule == "VAL-007"), lang) in text


def test_the_headline_says_the_licence_was_not_yet_issued() -> None:
    text = text_of(render_run(_before_issue(), lang="en", generated_at=GENERATED))
    assert "Site is NOT compliant" in text
    assert "Licence 陕B2-20210271 was not yet issued on 2021-08-01 (issued 2021-08-30)" in text


def test_the_summary_line_before_the_issue_date() -> None:
    from crawler.outcome import summary_line

    line = summary_line(_before_issue())
    assert "valid" not in line.replace("NOT YET VALID", "")
    assert line.endswith("licence 陕B2-20210271 NOT YET VALID: issued 2021-08-30, 29 days after 2021-08-01")
    on_the_day = replace(_before_issue(), info=replace(_before_issue().info, today=ISSUED))
    assert summary_line(on_the_day).endswith("licence 陕B2-20210271 valid, 1826 days left")


def test_the_alert_licence_line_before_the_issue_date() -> None:
    from reports.alert import AlertReason, alert_reasons, compose_alert
    from reports.alert_render import alert_text

    record = _before_issue()
    assert AlertReason.LICENCE in alert_reasons(record, None)
    for lang, expected in (("zh", "尚未生效"), ("en", "not yet in force")):
        alert = compose_alert(
            record, None, alert_reasons(record, None), report="r.html", report_path="r.html", lang=lang
        )
        text = alert_text(alert)
        assert expected in text
        assert "剩余" not in text
        assert "days left" not in text


@pytest.mark.parametrize("pages", ["all", "none"])
def test_the_json_export_written_page_by_page_is_the_document_dumped_whole(pages: str) -> None:
    # Issue 12: the export is written in pieces, one page at a time, and must not differ by a byte.
    from reports.json_export import dumps_run_parts

    record = make_record()
    if pages == "none":
        record = replace(record, pages=())
    diff = {"against_run": 1, "findings": {"new": [], "resolved": [], "open": []}}
    whole = json.dumps(run_to_json(record, diff=diff), ensure_ascii=False, indent=2)
    parts = list(dumps_run_parts(record, diff=diff))
    assert "".join(parts) == whole
    assert len(parts) == len(record.pages) + 3  # head, one piece per page, the array's end, the tail
