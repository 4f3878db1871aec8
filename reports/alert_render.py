"""An alert as plain text, as robot markdown and as a Feishu "post"; values from pages neutralised; pure.

Robot markdown dialects differ (DingTalk and WeCom each support their own subset, neither documents
backslash escapes), so escaping cannot be relied on: markup characters in values are replaced by
their full-width look-alikes, which every dialect shows as text, and "://" is broken so that no page
text turns into a link or an image beacon. Only our own report link is a link.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from reports.alert import Alert, Line

VALUE_LIMIT = 160  # characters of one value: keeps WeCom's 4096-byte markdown limit out of reach

_MARKUP = str.maketrans(
    {
        "\\": "＼",
        "`": "｀",
        "*": "＊",
        "_": "＿",
        "[": "［",
        "]": "］",
        "(": "（",
        ")": "）",
        "#": "＃",
        "<": "＜",
        ">": "＞",
        "!": "！",
        "|": "｜",
        "~": "～",
        "@": "＠",
        "&": "＆",
        "$": "＄",
    }
)


def _clip(value: str) -> str:
    value = " ".join(value.split())  # no newline from a page can start a heading, quote or list
    return value if len(value) <= VALUE_LIMIT else value[: VALUE_LIMIT - 1] + "…"


def neutralise(value: str) -> str:
    """A value shown as inert text in any robot markdown: one line, no markup, no links."""
    return _clip(value).translate(_MARKUP).replace("://", "：//")


def _plain(line: Line) -> str:
    template, values = line
    return template.format_map({k: _clip(v) for k, v in values.items()})


def _markdown(line: Line) -> str:
    template, values = line
    return template.format_map({k: neutralise(v) for k, v in values.items()})


def _is_url(location: str) -> bool:
    return location.startswith(("http://", "https://"))


def alert_title(alert: Alert) -> str:
    """The alert's one-line title, as plain text."""
    return _plain(alert.title)


def alert_text(alert: Alert) -> str:
    """The alert as plain text: title, facts, top findings, report location."""
    out = [_plain(alert.title), "", *(_plain(line) for line in alert.lines)]
    if alert.top:
        out += ["", f"{alert.top_heading}:", *(f"- {_plain(line)}" for line in alert.top)]
    out += ["", f"{alert.report_label}: {alert.report}"]
    return "\n".join(out)


def _safe_link(url: str) -> str:
    # Our own (profile) URL, but still: no character may close the markdown link early.
    return quote(url, safe=":/?&=%#~+,;@-._")


def alert_markdown(alert: Alert) -> str:
    """The alert as robot markdown: a heading, one paragraph per fact, a list of top findings, a link."""
    out = [f"### {_markdown(alert.title)}", *(_markdown(line) for line in alert.lines)]
    if alert.top:
        out.append(f"**{alert.top_heading}**")
        out += [f"- {_markdown(line)}" for line in alert.top]
    if _is_url(alert.report):
        out.append(f"[{alert.report_label}]({_safe_link(alert.report)})")
    else:
        out.append(f"{alert.report_label}：{neutralise(alert.report)}")
    return "\n\n".join(out)


def feishu_post(alert: Alert, lang: str) -> dict[str, Any]:
    """The `content` of a Feishu/Lark "post" (rich text): every value is a text element, never markup.

    Shape per the Feishu custom-bot guide (open.feishu.cn/document/ukTMukTMukTM/ucTM5YjL3ETO24yNxkjN):
    {"post": {"zh_cn": {"title": …, "content": [[{"tag": "text", "text": …}, {"tag": "a", …}], …]}}}.
    """
    rows: list[list[dict[str, str]]] = [[{"tag": "text", "text": _plain(line)}] for line in alert.lines]
    if alert.top:
        rows.append([{"tag": "text", "text": f"{alert.top_heading}:"}])
        rows += [[{"tag": "text", "text": f"- {_plain(line)}"}] for line in alert.top]
    if _is_url(alert.report):
        rows.append([{"tag": "a", "text": alert.report_label, "href": alert.report}])
    else:
        rows.append([{"tag": "text", "text": f"{alert.report_label}: {alert.report}"}])
    locale = "zh_cn" if lang == "zh" else "en_us"
    return {"post": {locale: {"title": alert_title(alert), "content": rows}}}
