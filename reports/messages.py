"""The one message catalogue of the reports layer: every UI string in Chinese and English."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rules.model import Finding, Severity, Verdict, Where
from rules.numbers import NumberKind
from rules.records import RunStatus

LANGS = ("zh", "en")


@dataclass(frozen=True, slots=True)
class Catalogue:
    """The strings of one language: static labels, sentence templates, names of enum values, units."""

    lang: str
    html_lang: str
    text: Mapping[str, str]
    verdicts: Mapping[Verdict, str]
    verdict_help: Mapping[Verdict, str]
    severities: Mapping[Severity, str]
    statuses: Mapping[RunStatus, str]
    triggers: Mapping[str, str]
    kinds: Mapping[NumberKind, str]
    wheres: Mapping[Where, str]
    units: Mapping[str, tuple[str, str]]  # unit -> (singular, plural), each with "{n}"
    findings: Mapping[str, str]  # "RULE" or "RULE/case" -> message template over the finding's params
    fetch_errors: Mapping[str, str]  # FetchOutcome.error value -> its name; unknown values show as is

    def count(self, unit: str, n: int) -> str:
        """`n` with its unit, e.g. "89 天" or "1 day" / "89 days"."""
        singular, plural = self.units[unit]
        return (singular if n == 1 else plural).format(n=n)

    def say(self, key: str, **values: object) -> str:
        """A sentence template filled with values."""
        return self.text[key].format(**values)


_ZH_TEXT: dict[str, str] = {
    "report_title": "增值电信业务经营许可证合规审计报告",
    "lead_site": "站点",
    "headline_ok": "网站合规",
    "headline_fail": "网站不合规",
    "headline_unknown": "未能完整判定",
    "headline_sub": "检查日期 {today} · 判定 {judged}（共记录 {pages}）",
    "reason_expired": "经营许可证 {number} 已于 {until} 过期，已过期 {days}",
    "reason_deadline": "续期申请截止日 {deadline} 已过 {days}，请确认是否已提交延续申请",
    "reason_homepage": "首页未合规显示许可证编号（{verdict}）",
    "reason_pages": "{pages}未合规显示许可证编号",
    "reason_fetch": "{pages}抓取失败，未能检查",
    "reason_findings": "共 {errors} 条错误、{warnings} 条警告",
    "reason_failed": "本次审计失败：{error}",
    "reason_incomplete": "本次审计状态为“{status}”，结论只覆盖已检查的页面",
    "reason_no_pages": "没有可判定的页面",
    "reason_all_ok": "所有已检查页面的页脚均可见正确的许可证编号，且许可证在有效期内",
    "licence_heading": "经营许可证",
    "licence_number": "许可证编号",
    "licence_holder": "持证单位",
    "licence_valid_until": "有效期至",
    "licence_renewed_until": "已续期至",
    "licence_deadline": "续期申请截止日",
    "licence_expired": "已过期 {days}",
    "licence_left": "剩余 {days}",
    "licence_expires_today": "今天到期",
    "licence_deadline_passed": "已过 {days}",
    "licence_deadline_left": "还有 {days}",
    "licence_note_expired": "按检查日 {today} 计，许可证已于 {until} 到期。无有效许可证继续经营可能被责令停止、罚款。",
    "licence_note_deadline": "有效期届满前 90 日须申请延续，截止日 {deadline} 已过。",
    "licence_note_window": "许可证将于 {until} 到期，请在 {deadline} 前提交延续申请。",
    "licence_note_valid": "许可证在有效期内。",
    "tiles_heading": "页面检查结果",
    "tile_pages": "记录页面",
    "tile_compliant": "合规",
    "tile_non_compliant": "不合规",
    "tile_fetch_errors": "抓取失败",
    "tile_errors": "错误",
    "tile_warnings": "警告",
    "run_heading": "本次审计",
    "run_site": "站点",
    "run_id": "运行编号",
    "run_status": "状态",
    "run_trigger": "触发方式",
    "run_started": "开始时间",
    "run_finished": "结束时间",
    "run_duration": "耗时",
    "run_version": "工具版本",
    "run_today": "判定日期",
    "run_generated": "报告生成时间",
    "run_error": "失败原因",
    "not_finished": "未结束",
    "findings_heading": "发现的问题（按规则）",
    "findings_none": "没有发现问题。",
    "finding_site": "全站",
    "finding_pages": "涉及 {pages}",
    "finding_advice": "整改建议",
    "finding_basis": "依据",
    "finding_evidence": "证据",
    "finding_examples": "例如",
    "finding_more": "等，另有 {pages}",
    "failing_heading": "不合规页面及证据",
    "failing_none": "没有不合规的页面。",
    "failing_intro": "相同问题的页面合并显示。共 {pages}，{groups}。",
    "failing_capped": "另有 {groups}未在此展开，见下方“全部页面”。",
    "group_same": "以下 {pages}情况相同",
    "group_more": "展开其余 {pages}",
    "group_footer": "页脚文字",
    "group_no_footer": "未找到页脚区域。",
    "group_footer_empty": "页脚区域没有可见文字。",
    "group_numbers": "页面上找到的编号",
    "group_no_numbers": "页面上没有找到任何登记编号。",
    "group_findings": "问题",
    "group_error": "错误信息",
    "group_status": "HTTP 状态",
    "number_visible": "可见",
    "number_invisible": "不可见",
    "number_in_footer": "在页脚",
    "number_not_in_footer": "不在页脚",
    "number_link": "链接",
    "mark_ours": "本公司许可证编号",
    "mark_other": "其他许可证编号",
    "pages_heading": "全部页面",
    "pages_summary": "共 {pages}（点击展开）",
    "pages_print_note": "页面较多，完整列表请查看电子版。",
    "pages_none": "本次审计没有记录任何页面。",
    "col_url": "地址",
    "col_status": "状态码",
    "col_verdict": "结论",
    "col_findings": "问题",
    "col_kind": "类型",
    "col_value": "编号",
    "col_where": "位置",
    "col_context": "上下文",
    "legend_heading": "结论说明",
    "footer_note": "本报告由 icp-audit {version} 自动生成。页面结论只针对经营许可证编号的显示；法规依据见各问题说明。",
    "severity_word": "严重程度",
    "none": "—",
    "colon": "：",
    "list_sep": "、",
}

_EN_TEXT: dict[str, str] = {
    "report_title": "Telecom Value-Added Services Licence Compliance Audit",
    "lead_site": "Site",
    "headline_ok": "Site is compliant",
    "headline_fail": "Site is NOT compliant",
    "headline_unknown": "Could not be fully judged",
    "headline_sub": "Judged on {today} · {judged} judged ({pages} recorded)",
    "reason_expired": "Licence {number} expired on {until}, {days} ago",
    "reason_deadline": "The renewal deadline {deadline} passed {days} ago: confirm the renewal was filed",
    "reason_homepage": "The homepage does not display the licence number properly ({verdict})",
    "reason_pages": "Licence number not displayed properly on {pages}",
    "reason_fetch": "Not checked, could not be fetched: {pages}",
    "reason_findings": "{errors} errors and {warnings} warnings in total",
    "reason_failed": "This audit failed: {error}",
    "reason_incomplete": "This audit is “{status}”: the result covers only the pages checked",
    "reason_no_pages": "No page could be judged",
    "reason_all_ok": "Every checked page shows the correct licence number in its footer and the licence is valid",
    "licence_heading": "Licence",
    "licence_number": "Licence number",
    "licence_holder": "Holder",
    "licence_valid_until": "Valid until",
    "licence_renewed_until": "Renewed until",
    "licence_deadline": "Renewal deadline",
    "licence_expired": "Expired {days} ago",
    "licence_left": "{days} left",
    "licence_expires_today": "Expires today",
    "licence_deadline_passed": "passed {days} ago",
    "licence_deadline_left": "in {days}",
    "licence_note_expired": "Judged on {today}, the licence expired on {until}. Operating without a valid licence risks an order to stop and a fine.",
    "licence_note_deadline": "Renewal must be filed 90 days before expiry; the deadline {deadline} has passed.",
    "licence_note_window": "The licence expires on {until}; file the renewal before {deadline}.",
    "licence_note_valid": "The licence is valid.",
    "tiles_heading": "Page results",
    "tile_pages": "Pages recorded",
    "tile_compliant": "Compliant",
    "tile_non_compliant": "Not compliant",
    "tile_fetch_errors": "Fetch errors",
    "tile_errors": "Errors",
    "tile_warnings": "Warnings",
    "run_heading": "This audit",
    "run_site": "Site",
    "run_id": "Run",
    "run_status": "Status",
    "run_trigger": "Trigger",
    "run_started": "Started",
    "run_finished": "Finished",
    "run_duration": "Duration",
    "run_version": "Tool version",
    "run_today": "Judged on",
    "run_generated": "Report generated",
    "run_error": "Why it failed",
    "not_finished": "not finished",
    "findings_heading": "Findings by rule",
    "findings_none": "No findings.",
    "finding_site": "Site",
    "finding_pages": "{pages} affected",
    "finding_advice": "How to fix",
    "finding_basis": "Basis",
    "finding_evidence": "Evidence",
    "finding_examples": "For example",
    "finding_more": "and {pages} more",
    "failing_heading": "Non-compliant pages and evidence",
    "failing_none": "No non-compliant pages.",
    "failing_intro": "Pages with identical evidence are shown together. {pages} in {groups}.",
    "failing_capped": "{groups} more are not expanded here; see “All pages” below.",
    "group_same": "{pages} with the same evidence",
    "group_more": "Show the other {pages}",
    "group_footer": "Footer text",
    "group_no_footer": "No footer region was found.",
    "group_footer_empty": "The footer region has no visible text.",
    "group_numbers": "Numbers found on the page",
    "group_no_numbers": "No registration number was found on the page.",
    "group_findings": "Findings",
    "group_error": "Error",
    "group_status": "HTTP status",
    "number_visible": "visible",
    "number_invisible": "not visible",
    "number_in_footer": "in footer",
    "number_not_in_footer": "Not in footer",
    "number_link": "link",
    "mark_ours": "your licence number",
    "mark_other": "another licence number",
    "pages_heading": "All pages",
    "pages_summary": "{pages} (click to expand)",
    "pages_print_note": "Too many pages to print; see the electronic report for the full list.",
    "pages_none": "This audit recorded no pages.",
    "col_url": "URL",
    "col_status": "Status",
    "col_verdict": "Verdict",
    "col_findings": "Findings",
    "col_kind": "Kind",
    "col_value": "Number",
    "col_where": "Where",
    "col_context": "Context",
    "legend_heading": "What the verdicts mean",
    "footer_note": "Generated by icp-audit {version}. Page verdicts concern the display of the licence number; the legal basis is given with each finding.",
    "severity_word": "Severity",
    "none": "—",
    "colon": ": ",
    "list_sep": ", ",
}

# Finding messages by rule id, or "id/case" when a rule words several situations (`case` param).
# Placeholders are the rule's params; `days` arrives counted ("89 天"), `error` named (fetch_errors).
_ZH_FINDINGS: dict[str, str] = {
    "LIC-001/missing": "首页未显示经营许可证编号 {number}",
    "LIC-001/only-in": "首页未显示经营许可证编号 {number}；它只出现在访客看不到的地方（{places}）",
    "LIC-001/image-only": "首页只以图片形式显示经营许可证编号 {number}；图片中的编号不算文字",
    "LIC-001/needs-render": "首页的静态 HTML 中没有经营许可证编号 {number}；它可能由 JavaScript 生成（需浏览器渲染才能判定）",
    "LIC-002": "页面显示的许可证编号是 {values}，而不是（或并列于）本公司的 {number}",
    "LIC-005/outside-footer": "经营许可证编号 {number} 可见，但不在页脚中",
    "LIC-005/no-footer": "经营许可证编号 {number} 可见，但页面上没有找到页脚区域",
    "LIC-006": "经营许可证编号 {number} 在网页代码中，但访客看不到（{reasons}）",
    "LIC-007/missing": "本页页脚未显示经营许可证编号 {number}",
    "LIC-007/only-in": "本页页脚未显示经营许可证编号 {number}；它只出现在访客看不到的地方（{places}）",
    "LIC-007/image-only": "本页页脚只以图片形式显示经营许可证编号 {number}；图片中的编号不算文字",
    "LIC-007/needs-render": "本页的静态 HTML 中没有经营许可证编号 {number}；它可能由 JavaScript 生成（需浏览器渲染才能判定）",
    "NET-001/http": "页面抓取失败：HTTP 状态码 {status}",
    "NET-001/error": "页面抓取失败：{error}",
    "VAL-001": "经营许可证 {number} 已于 {until} 到期，已过期 {days}",
    "VAL-002": "续期申请截止日 {deadline} 已过 {days}",
    "VAL-003": "许可证将于 {until} 到期；请最迟于 {deadline} 提交延续申请",
    "RULE-ERROR": "规则 {rule} 运行出错（{error}），本页未按该规则检查",
}
_EN_FINDINGS: dict[str, str] = {
    "LIC-001/missing": "{number} is not displayed on the homepage",
    "LIC-001/only-in": "{number} is not displayed on the homepage; it stands only where visitors do not see it ({places})",
    "LIC-001/image-only": "{number} appears only as an image on the homepage; pixels are not text",
    "LIC-001/needs-render": "{number} is not in the static HTML of the homepage; it may be built by JavaScript (needs a browser)",
    "LIC-002": "displays {values} instead of or beside {number}",
    "LIC-005/outside-footer": "{number} is visible but it stands outside the footer",
    "LIC-005/no-footer": "{number} is visible but no footer region was found",
    "LIC-006": "{number} is in the markup but hidden ({reasons})",
    "LIC-007/missing": "{number} is not displayed on this page's footer",
    "LIC-007/only-in": "{number} is not displayed on this page's footer; it stands only where visitors do not see it ({places})",
    "LIC-007/image-only": "{number} appears only as an image on this page's footer; pixels are not text",
    "LIC-007/needs-render": "{number} is not in the static HTML of this page's footer; it may be built by JavaScript (needs a browser)",
    "NET-001/http": "fetch failed: HTTP {status}",
    "NET-001/error": "fetch failed: {error}",
    "VAL-001": "licence {number} expired on {until}, {days} ago",
    "VAL-002": "the renewal deadline {deadline} passed {days} ago",
    "VAL-003": "licence expires on {until}; file the renewal by {deadline}",
    "RULE-ERROR": "rule {rule} failed: {error}",
}
_FETCH_ERRORS_ZH = {
    "timeout": "超时",
    "connect": "无法连接",
    "tls": "TLS 证书错误",
    "http": "HTTP 错误",
    "too_large": "页面过大",
    "not_html": "不是 HTML 网页",
    "redirect_loop": "重定向循环",
    "too_many_redirects": "重定向次数过多",
    "off_scope_redirect": "重定向到检查范围之外",
    "blocked_redirect": "重定向到 robots.txt 或配置禁止的地址",
    "protocol": "协议错误",
    "bad_url": "地址无效",
}
_FETCH_ERRORS_EN = {
    "timeout": "timeout",
    "connect": "connection failed",
    "tls": "TLS certificate error",
    "http": "HTTP error",
    "too_large": "page too large",
    "not_html": "not HTML",
    "redirect_loop": "redirect loop",
    "too_many_redirects": "too many redirects",
    "off_scope_redirect": "redirect out of scope",
    "blocked_redirect": "redirect to a disallowed or excluded path",
    "protocol": "protocol error",
    "bad_url": "invalid URL",
}

_VERDICTS_ZH = {
    Verdict.COMPLIANT: "合规",
    Verdict.WRONG_NUMBER: "编号错误",
    Verdict.HIDDEN: "已隐藏",
    Verdict.IMAGE_ONLY: "仅图片",
    Verdict.ELSEWHERE: "不在页脚",
    Verdict.NEEDS_RENDER: "需浏览器渲染",
    Verdict.MISSING: "缺失",
    Verdict.FETCH_ERROR: "抓取失败",
    Verdict.NOT_HTML: "非网页",
    Verdict.SKIPPED: "已跳过",
}
_VERDICTS_EN = {
    Verdict.COMPLIANT: "Compliant",
    Verdict.WRONG_NUMBER: "Wrong number",
    Verdict.HIDDEN: "Hidden",
    Verdict.IMAGE_ONLY: "Image only",
    Verdict.ELSEWHERE: "Not in footer",
    Verdict.NEEDS_RENDER: "Needs a browser",
    Verdict.MISSING: "Missing",
    Verdict.FETCH_ERROR: "Fetch error",
    Verdict.NOT_HTML: "Not HTML",
    Verdict.SKIPPED: "Skipped",
}
_VERDICT_HELP_ZH = {
    Verdict.COMPLIANT: "页脚中以可见文字显示了正确的许可证编号。",
    Verdict.WRONG_NUMBER: "页脚显示的是另一个许可证编号（笔误、旧编号或其他公司的编号）。",
    Verdict.HIDDEN: "编号在页脚代码中，但访客看不到（样式隐藏、hidden 属性、折叠、零尺寸或移出屏幕）。",
    Verdict.IMAGE_ONLY: "页脚只以图片形式显示编号；图片不是文字。",
    Verdict.ELSEWHERE: "编号在页面上可见，但不在页脚区域。",
    Verdict.NEEDS_RENDER: "编号只出现在脚本中，或页面由 JavaScript 生成：静态检查无法判定。",
    Verdict.MISSING: "页面上没有显示编号（注释、meta、JSON-LD 或提示文字中的编号不算显示）。",
    Verdict.FETCH_ERROR: "页面无法抓取（网络错误或 HTTP 状态码 ≥ 400）。",
    Verdict.NOT_HTML: "已抓取，但不是 HTML 网页，不作判定。",
    Verdict.SKIPPED: "在检查范围内但未抓取：robots.txt 禁止、被排除或超出上限。",
}
_VERDICT_HELP_EN = {
    Verdict.COMPLIANT: "The correct licence number is visible text in the footer.",
    Verdict.WRONG_NUMBER: "The footer shows a different licence number (a typo, an old or another company's number).",
    Verdict.HIDDEN: "The number is in the footer's markup but a visitor cannot see it (CSS, hidden, collapsed, zero size, off-screen).",
    Verdict.IMAGE_ONLY: "The footer shows the number only as an image; pixels are not text.",
    Verdict.ELSEWHERE: "The number is visible on the page, but not in the footer region.",
    Verdict.NEEDS_RENDER: "The number is only inside scripts, or the page is built by JavaScript: static analysis cannot decide.",
    Verdict.MISSING: "The page does not display the number (a comment, meta tag, JSON-LD or tooltip does not count).",
    Verdict.FETCH_ERROR: "The page could not be fetched (network error or HTTP status ≥ 400).",
    Verdict.NOT_HTML: "Fetched, but not an HTML document; not judged.",
    Verdict.SKIPPED: "In scope but not fetched: disallowed by robots.txt, excluded, or over a cap.",
}

ZH = Catalogue(
    lang="zh",
    html_lang="zh-CN",
    text=_ZH_TEXT,
    verdicts=_VERDICTS_ZH,
    verdict_help=_VERDICT_HELP_ZH,
    severities={Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"},
    statuses={
        RunStatus.RUNNING: "进行中",
        RunStatus.COMPLETE: "已完成",
        RunStatus.FAILED: "失败",
        RunStatus.INTERRUPTED: "已中断",
    },
    triggers={"manual": "手动", "schedule": "定时", "catch-up": "补跑"},
    kinds={
        NumberKind.LICENCE: "经营许可证",
        NumberKind.ICP_FILING: "ICP备案号",
        NumberKind.ICP_ZHENG: "ICP证",
        NumberKind.PUBLIC_SECURITY: "公安备案号",
    },
    wheres={
        Where.TEXT: "文字",
        Where.IMAGE: "图片",
        Where.COMMENT: "注释",
        Where.SCRIPT: "脚本",
        Where.NOSCRIPT: "noscript",
        Where.TEMPLATE: "模板",
        Where.ATTRIBUTE: "属性",
    },
    units={
        "day": ("{n} 天", "{n} 天"),
        "page": ("{n} 个页面", "{n} 个页面"),
        "group": ("{n} 组", "{n} 组"),
        "minute": ("{n} 分钟", "{n} 分钟"),
        "second": ("{n} 秒", "{n} 秒"),
    },
    findings=_ZH_FINDINGS,
    fetch_errors=_FETCH_ERRORS_ZH,
)

EN = Catalogue(
    lang="en",
    html_lang="en",
    text=_EN_TEXT,
    verdicts=_VERDICTS_EN,
    verdict_help=_VERDICT_HELP_EN,
    severities={Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "info"},
    statuses={
        RunStatus.RUNNING: "running",
        RunStatus.COMPLETE: "complete",
        RunStatus.FAILED: "failed",
        RunStatus.INTERRUPTED: "interrupted",
    },
    triggers={"manual": "manual", "schedule": "scheduled", "catch-up": "catch-up"},
    kinds={
        NumberKind.LICENCE: "licence",
        NumberKind.ICP_FILING: "ICP filing",
        NumberKind.ICP_ZHENG: "ICP licence (ICP证)",
        NumberKind.PUBLIC_SECURITY: "public security filing",
    },
    wheres={
        Where.TEXT: "text",
        Where.IMAGE: "image",
        Where.COMMENT: "comment",
        Where.SCRIPT: "script",
        Where.NOSCRIPT: "noscript",
        Where.TEMPLATE: "template",
        Where.ATTRIBUTE: "attribute",
    },
    units={
        "day": ("{n} day", "{n} days"),
        "page": ("{n} page", "{n} pages"),
        "group": ("{n} group", "{n} groups"),
        "minute": ("{n} min", "{n} min"),
        "second": ("{n} s", "{n} s"),
    },
    findings=_EN_FINDINGS,
    fetch_errors=_FETCH_ERRORS_EN,
)

CATALOGUES: dict[str, Catalogue] = {"zh": ZH, "en": EN}


def catalogue(lang: str) -> Catalogue:
    """The catalogue of `lang` ("zh" or "en"); ValueError names the choices otherwise."""
    try:
        return CATALOGUES[lang]
    except KeyError:
        raise ValueError(f"unknown report language {lang!r}: use one of {', '.join(LANGS)}") from None


def finding_text(finding: Finding, lang: str) -> str:
    """The finding's message in `lang`, from its rule's template and params.

    Falls back to the stored English `message` when the rule, its case or a param is unknown: runs
    stored before params existed, rules added later, a RULE-ERROR without params.
    """
    cat = catalogue(lang)
    values = dict(finding.params)
    key = f"{finding.rule}/{values['case']}" if "case" in values else finding.rule
    template = cat.findings.get(key)
    if template is None or not values:
        return finding.message
    if values.get("days", "").isdigit():
        values["days"] = cat.count("day", int(values["days"]))
    if "places" in values:
        names = {w.value: name for w, name in cat.wheres.items()}
        values["places"] = cat.text["list_sep"].join(names.get(p, p) for p in values["places"].split(", "))
    if "error" in values and finding.rule == "NET-001":
        values["error"] = cat.fetch_errors.get(values["error"], values["error"])
    try:
        return template.format_map(values)
    except (KeyError, IndexError, ValueError):
        return finding.message
