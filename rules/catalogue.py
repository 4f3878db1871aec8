"""Metadata of every rule: id, bilingual title, default severity, legal basis and fix advice; pure data.

Ids follow reference/icp-rules.md §6 and are never reused. Reports show the advice next to findings.
"""

from __future__ import annotations

from dataclasses import dataclass

from rules.model import Severity


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """What a report says about a rule, in Chinese and English."""

    id: str
    title_zh: str
    title_en: str
    severity: Severity
    basis: str
    advice_zh: str
    advice_en: str
    scope: str  # "homepage", "page" or "site"


_LAW292 = "《互联网信息服务管理办法》第十二条、第二十二条"
_LICENCE_NOTE = "经营许可证特别规定事项及领证须知（网站主页显著位置、页面底部标明许可证编号）"
_ORDER42 = "《电信业务经营许可管理办法》（工业和信息化部令第42号）：有效期5年，届满提前90日申请延续"

CATALOGUE: tuple[RuleInfo, ...] = (
    RuleInfo(
        "LIC-001",
        "首页未显示经营许可证编号",
        "Licence number not displayed on the homepage",
        Severity.ERROR,
        f"{_LAW292}；{_LICENCE_NOTE}",
        "在首页底部以可见文字标明经营许可证编号（如“增值电信业务经营许可证：陕B2-20210271”）。",
        "Show the licence number as visible text at the bottom of the homepage.",
        "homepage",
    ),
    RuleInfo(
        "LIC-002",
        "显示的许可证编号与登记的不一致",
        "Displayed licence number differs from the licence",
        Severity.ERROR,
        _LAW292,
        "核对页脚中的许可证编号，只显示本公司许可证上的编号，删除旧的或其他公司的编号。",
        "Show only the number printed on your own licence; remove old or foreign numbers.",
        "page",
    ),
    RuleInfo(
        "LIC-005",
        "许可证编号不在页面底部",
        "Licence number not in the footer",
        Severity.WARNING,
        _LICENCE_NOTE,
        "把许可证编号移到页脚（页面底部的版权/备案信息区）。",
        "Move the licence number into the page footer (the copyright/filing block).",
        "page",
    ),
    RuleInfo(
        "LIC-006",
        "许可证编号存在但访客看不到",
        "Licence number present but not visible",
        Severity.ERROR,
        f"{_LAW292}（“显著位置”）",
        "去掉隐藏该编号的样式（display:none、visibility:hidden、hidden 属性等），使其正常显示。",
        "Remove the styling that hides the number (display:none, visibility:hidden, hidden, …).",
        "page",
    ),
    RuleInfo(
        "LIC-007",
        "页面底部未显示许可证编号",
        "Licence number missing from this page's footer",
        Severity.ERROR,
        _LICENCE_NOTE,
        "在全站公共页脚模板中加入许可证编号，使每个页面底部都显示。",
        "Add the licence number to the shared footer template so every page shows it.",
        "page",
    ),
    RuleInfo(
        "NET-001",
        "页面抓取失败",
        "Page could not be fetched",
        Severity.WARNING,
        "抓取结果（无法核查该页面）",
        "检查该地址能否正常访问（状态码、证书、超时），修复后重新审计。",
        "Check the URL loads (status code, certificate, timeout), then audit again.",
        "page",
    ),
    RuleInfo(
        "VAL-001",
        "经营许可证已过期",
        "Licence has expired",
        Severity.ERROR,
        f"{_ORDER42}；《互联网信息服务管理办法》第十九条；《电信条例》第六十九条",
        "立即在电信业务市场综合管理信息系统（dxzhgl.miit.gov.cn）核实续期状态；已续期的在配置中填写 renewed_until。",
        "Check the renewal at dxzhgl.miit.gov.cn now; if renewed, set renewed_until in the profile.",
        "site",
    ),
    RuleInfo(
        "VAL-002",
        "续期申请截止日已过",
        "Renewal deadline has passed",
        Severity.ERROR,
        _ORDER42,
        "有效期届满前90日须提出延续申请；请确认是否已提交，已获批的在配置中填写 renewed_until。",
        "Renewal is due 90 days before expiry; confirm it was filed and record renewed_until.",
        "site",
    ),
    RuleInfo(
        "VAL-003",
        "许可证即将到期，进入续期准备期",
        "Licence expires soon: renewal window open",
        Severity.WARNING,
        _ORDER42,
        "准备续期材料，并在有效期届满前90日之前提交延续申请。",
        "Prepare the renewal and file it more than 90 days before expiry.",
        "site",
    ),
)

RULES_BY_ID: dict[str, RuleInfo] = {r.id: r for r in CATALOGUE}
