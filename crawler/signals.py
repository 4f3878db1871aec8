"""Page features the scope and e-commerce rules weigh (rules.model.Signal), found in a walked page; pure.

Each signal carries short evidence (an element, a script host, a phrase) for the human who decides.
Detection is deliberately conservative where a false alarm is likely (search services); the word
lists and hosts are data below. At most MAX_PER_KIND signals of a kind, deduplicated by evidence.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from urllib.parse import parse_qsl, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from rules.model import Signal, SignalKind

MAX_PER_KIND = 10
EVIDENCE_MAX = 120
PHRASE_CONTEXT = 10  # characters of the same line quoted on each side of a phrase
SCRIPT_SCAN_MAX = 200_000  # characters of inline script searched for SDK and API names
DIRECTORY_MIN_SITES = 30  # outside the footer, links to this many other sites make a 网址导航-like directory
RESULTS_MIN_SITES = 5  # …and this many on a page that shows results for a query

# Customer-service widgets run by a vendor (host or URL part → vendor), in script src, code or links.
CHAT_VENDORS = {
    "53kf.com": "53KF", "meiqia.com": "美洽", "live800.com": "Live800", "ntalker.com": "小能",
    "xiaoneng.cn": "小能", "qiyukf.com": "网易七鱼", "sobot.com": "智齿", "udesk.cn": "Udesk",
    "kefu.easemob.com": "环信客服", "work.weixin.qq.com/kfid": "企业微信客服", "affim.baidu.com": "爱番番",
    "qiao.baidu.com": "百度商桥", "wpa.qq.com": "QQ 在线客服", "looyu.com": "乐语", "tawk.to": "tawk.to",
    "crisp.chat": "Crisp", "widget.intercom.io": "Intercom", "zdassets.com": "Zendesk",
    "livechatinc.com": "LiveChat", "tidio.co": "Tidio",
}  # fmt: skip
# Instant-messaging SDKs (user-to-user chat), by host or name in script src or code.
IM_SDKS = {
    "easemob": "环信", "rongcloud": "融云", "ronghub.com": "融云", "rongimlib": "融云",
    "tim-js-sdk": "腾讯云 IM", "tim-wx-sdk": "腾讯云 IM", "tencentcloud-chat": "腾讯云 IM",
    "tencentcloud/chat": "腾讯云 IM", "nim_web_sdk": "网易云信", "nim.getinstance": "网易云信",
    "netease.im": "网易云信", "yunxin.163.com": "网易云信", "goeasy.io": "GoEasy", "jmessage-sdk": "极光 IM",
}  # fmt: skip
# Real-time voice and video (WebRTC and its SDKs), in script src or code.
RTC_APIS = {
    "getusermedia": "getUserMedia", "rtcpeerconnection": "RTCPeerConnection", "trtc-js-sdk": "腾讯云 TRTC",
    "trtc.createclient": "腾讯云 TRTC", "agorartc": "声网 Agora", "zegoexpressengine": "ZEGO",
}  # fmt: skip
IM_WORDS = ("私信", "聊天室", "在线聊天", "群聊")
RTC_WORDS = ("语音通话", "视频通话", "视频聊天", "语音聊天")
SHOP_WORDS = ("加入购物车", "购物车", "立即购买", "立即下单", "去结算", "立即结算")
LICENCE_WORDS = ("电子营业执照", "营业执照", "亮照")
LICENCE_HOST = "gsxt.gov.cn"  # 国家企业信用信息公示系统, and its 亮照 service zzlz.gsxt.gov.cn
SEARCH_NAMES = frozenset({"q", "wd", "kw", "keyword", "keywords", "search", "query", "s", "key", "word"})
_WORDS = re.compile(
    "|".join(sorted({*IM_WORDS, *RTC_WORDS, *SHOP_WORDS, *LICENCE_WORDS}, key=len, reverse=True))
)
# Every word of _WORDS holds one of these: where none stands, the text holds no word (a few memchr
# scans cost a fraction of the pattern's). Characters rare in ordinary pages, except 私信 (隐私 is not).
WORD_HINTS = ("私信", "聊", "音", "频", "购", "即", "结", "执", "亮")
_SEARCH_PHRASE = re.compile(r"网址导航|搜索引擎(?!优化|营销|推广|排名|收录|竞价|广告|seo|sem)", re.I)
_CART_URL = re.compile(r"[/?&=](?:cart|shoppingcart|checkout|basket)(?:[/?#&=._-]|$)", re.I)
_PRICE = re.compile(r"¥\s?\d[\d,]*(?:\.\d{1,2})?")
_SOCKET = re.compile(r"""wss?://[^\s"'`)]{1,200}""", re.I)
_NEW_SOCKET = re.compile(r"new\s+websocket\s*\(([^;)]{1,160})")  # in lower-cased code
_CHAT_PATH = re.compile(r"chat|/im(?:[/?.]|$)|message|msg|talk|conversation", re.I)
_HOST_IN_CODE = re.compile(r"//([a-z0-9][a-z0-9.-]*\.[a-z]{2,})(/[\w./-]{0,40})?")
_TWO_LEVEL = frozenset({"com", "net", "org", "gov", "edu", "ac", "co"})


def _host(url: str) -> str:
    """The lower-case host of an absolute http(s) URL, without port or user ('' for other URLs)."""
    if not url.startswith(("http://", "https://")):
        return ""
    netloc = url.split("/", 3)[2].rpartition("@")[2]
    if netloc.startswith("["):
        return netloc.partition("]")[0][1:].lower()
    return netloc.partition(":")[0].lower()


def _origin(url: str) -> str:
    """`scheme://host/` of an absolute http(s) URL: the links that start so stay on its host."""
    parts = url.split("/", 3)
    return (
        "/".join(parts[:3]) + "/" if len(parts) >= 3 and url.startswith(("http://", "https://")) else "\x00"
    )


def _rest(url: str) -> str:
    """Path, query and fragment of an absolute http(s) URL."""
    parts = url.split("/", 3)
    return "/" + parts[3] if len(parts) == 4 else "/"


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EVIDENCE_MAX else text[: EVIDENCE_MAX - 1] + "…"


@lru_cache(maxsize=4096)
def site_of(host: str) -> str:
    """The registrable part of a host, near enough (example.com.cn, example.com): two labels, or three
    under a two-level country suffix."""
    labels = host.lower().rstrip(".").split(".")
    keep = 3 if len(labels) >= 3 and labels[-2] in _TWO_LEVEL and len(labels[-1]) == 2 else 2
    return ".".join(labels[-keep:])


class _Found:
    """Signals in order of discovery, deduplicated and bounded per kind."""

    def __init__(self) -> None:
        self.items: dict[tuple[SignalKind, str], None] = {}
        self.count: dict[SignalKind, int] = {}

    def add(self, kind: SignalKind, evidence: str) -> None:
        key = (kind, _clip(evidence))
        if key in self.items or self.count.get(kind, 0) >= MAX_PER_KIND:
            return
        self.items[key] = None
        self.count[kind] = self.count.get(kind, 0) + 1

    def signals(self) -> tuple[Signal, ...]:
        return tuple(Signal(kind, evidence) for kind, evidence in self.items)


def _search_forms(tree: LexborHTMLParser, found: _Found) -> None:
    for el in tree.css("form, input[type=search i]"):
        attrs = el.attributes
        if el.tag == "input":
            if not _in_form(el):
                found.add(SignalKind.SITE_SEARCH, "input[type=search]")
            continue
        action = (attrs.get("action") or "").strip()
        named = [
            i.attributes.get("name") or ""
            for i in el.css("input")
            if (i.attributes.get("name") or "").lower() in SEARCH_NAMES
            or (i.attributes.get("type") or "").lower() == "search"
        ]
        searchy = (attrs.get("role") or "").lower() == "search" or "search" in action.lower()
        if named or searchy:
            role = "[role=search]" if (attrs.get("role") or "").lower() == "search" else ""
            where = f"[action={action}]" if action else ""
            field = (
                f" input[name={named[0]}]" if named and named[0] else " input[type=search]" if named else ""
            )
            found.add(SignalKind.SITE_SEARCH, f"form{role}{where}{field}")


def _in_form(node: LexborNode) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag == "form":
            return True
        parent = parent.parent
    return False


def _search_services(
    trees: list[LexborHTMLParser], page_url: str, anchors: list[tuple[str, bool]], found: _Found, named: bool
) -> None:
    """`named`: the page's text or title names a search engine or 网址导航 somewhere."""
    for tree in trees if named else ():
        for el in tree.css("title, h1, h2, h3"):
            text = el.text(deep=True)
            if _SEARCH_PHRASE.search(text):
                found.add(SignalKind.SEARCH_SERVICE, f"<{el.tag}> {text.strip()}")
    page_host = _host(page_url)
    page_site = site_of(page_host)
    inside = _origin(page_url)
    outside: dict[str, None] = {}
    for url in [url for url, in_footer in anchors if not in_footer and not url.startswith(inside)]:
        host = _host(url)
        if host and host != page_host and (site := site_of(host)) != page_site:
            outside[site] = None
    sites = list(outside)
    example = ", ".join(sites[:3])
    if len(sites) >= DIRECTORY_MIN_SITES:
        found.add(
            SignalKind.SEARCH_SERVICE, f"links to {len(sites)} other sites outside the footer ({example}, …)"
        )
    query = [
        (k, v) for k, v in parse_qsl(urlsplit(page_url).query) if k.lower() in SEARCH_NAMES and v.strip()
    ]
    if query and len(sites) >= RESULTS_MIN_SITES:
        k, v = query[0]
        found.add(
            SignalKind.SEARCH_SERVICE, f"results for ?{k}={v} link {len(sites)} other sites ({example}, …)"
        )


def _by_table(where: str, texts: list[str], table: dict[str, str], kind: SignalKind, found: _Found) -> None:
    """Each text holding a needle of `table` (lower case); all texts are searched as one string first."""
    if not texts:
        return
    blob = "\n".join(texts).lower()
    for needle, name in table.items():
        if needle in blob:
            for text in texts:
                if needle in text.lower():
                    found.add(kind, f"{name}: {where} {needle if where == 'script code' else text}")


def _path_of(url: str) -> str:
    try:
        return urlsplit(url).path
    except ValueError:  # "ws://[::1/im" in a page's script: a malformed URL is no path, not an error
        return ""


def _scripts(srcs: list[str], code: str, found: _Found) -> None:
    """Vendors, SDKs and APIs by script src, by hosts named in inline code, and by names in it."""
    _by_table("script src", srcs, CHAT_VENDORS, SignalKind.CHAT_VENDOR, found)
    im_srcs = [s for s in srcs if "kefu.easemob.com" not in s.lower()]
    _by_table("script src", im_srcs, IM_SDKS, SignalKind.INSTANT_MESSAGING, found)
    _by_table("script src", srcs, RTC_APIS, SignalKind.VOICE_VIDEO, found)
    if not code:
        return
    hosts = [m[1] + (m[2] or "") for m in _HOST_IN_CODE.finditer(code)]
    _by_table("script code", hosts, CHAT_VENDORS, SignalKind.CHAT_VENDOR, found)
    im_code = code.replace("kefu.easemob.com", "") if "kefu.easemob.com" in code else code
    _by_table("script code", [im_code], IM_SDKS, SignalKind.INSTANT_MESSAGING, found)
    _by_table("script code", [code], RTC_APIS, SignalKind.VOICE_VIDEO, found)
    for m in _SOCKET.finditer(code):
        if _CHAT_PATH.search(_path_of(m[0])):
            found.add(SignalKind.INSTANT_MESSAGING, f"WebSocket {m[0]}")
    for m in _NEW_SOCKET.finditer(code):  # a URL built from parts: new WebSocket("ws://" + host + "/im/")
        if _CHAT_PATH.search(m[1]):
            found.add(SignalKind.INSTANT_MESSAGING, f"new WebSocket({' '.join(m[1].split())})")


def _phrases(text: str, visible: Callable[[int], bool], words: Iterable[str]) -> Iterable[str]:
    """Each word that stands in the visible text, with a little of its line around it; `words` are
    those the text holds somewhere (`_WORDS`)."""
    for word in words:
        start = text.find(word)
        while start != -1 and not visible(start):
            start = text.find(word, start + 1)
        if start != -1:
            end = start + len(word)
            left = max(text.rfind("\n", 0, start) + 1, start - PHRASE_CONTEXT)
            right = text.find("\n", end)
            yield " ".join(
                text[left : min(right if right != -1 else len(text), end + PHRASE_CONTEXT)].split()
            )


def _shop(
    text: str, visible: Callable[[int], bool], links: list[str], present: Iterable[str], found: _Found
) -> None:
    """A cart, checkout or buy button together with a visible price."""
    price = next((m[0] for m in _PRICE.finditer(text) if visible(m.start())), None) if "¥" in text else None
    if price is None:
        return
    affordance = [f"text {p}" for p in _phrases(text, visible, [w for w in SHOP_WORDS if w in present])][:1]
    if not affordance and _CART_URL.search("\n".join(_rest(u).partition("#")[0] for u in links)):
        affordance = [f"link {u}" for u in links if _CART_URL.search(_rest(u).partition("#")[0])][:1]
    if affordance:
        found.add(SignalKind.SHOP, f"{affordance[0]}; price {price}")


def _business_licence(
    text: str, visible: Callable[[int], bool], links: list[str], present: Iterable[str], found: _Found
) -> None:
    """A link to the 国家企业信用信息公示系统 (亮照), or 营业执照 in the visible text."""
    for url in links if LICENCE_HOST in "\n".join(links) else ():
        host = _host(url)
        if host == LICENCE_HOST or host.endswith("." + LICENCE_HOST):
            found.add(SignalKind.BUSINESS_LICENCE, f"link {url}")
    for phrase in _phrases(text, visible, [w for w in LICENCE_WORDS if w in present]):
        found.add(SignalKind.BUSINESS_LICENCE, f"text {phrase}")
        break  # 电子营业执照 also holds 营业执照: one phrase says enough


def page_signals(
    trees: list[LexborHTMLParser],
    *,
    page_url: str,
    anchors: list[tuple[str, bool]],
    script_srcs: list[str],
    script_texts: list[str],
    frame_srcs: list[str],
    titles: list[str],
    text: str,
    visible: Callable[[int], bool],
) -> tuple[Signal, ...]:
    """The signals of a page: its parsed documents (the page, then its frames), the absolute hrefs of
    its links with their footer membership, its scripts, frames and titles, and its rendered text
    (normalised, with `visible` telling which offsets a visitor sees)."""
    found = _Found()
    for tree in trees:
        _search_forms(tree, found)
    named = any(  # 航 and 擎 first: one character is found faster than four, and both are rare
        (("航" in t and "网址导航" in t) or ("擎" in t and "搜索引擎" in t))
        and _SEARCH_PHRASE.search(t) is not None
        for t in (text, *titles)
    )
    _search_services(trees, page_url, anchors, found, named)
    code = "\n".join(script_texts)[:SCRIPT_SCAN_MAX].lower()
    _scripts(script_srcs + frame_srcs, code, found)
    links = list(dict.fromkeys([url for url, _ in anchors]))
    same_host = _origin(page_url)
    _by_table(
        "link", [u for u in links if not u.startswith(same_host)], CHAT_VENDORS, SignalKind.CHAT_VENDOR, found
    )
    present = frozenset(_WORDS.findall(text) if any(h in text for h in WORD_HINTS) else ())
    for phrase in _phrases(text, visible, [w for w in IM_WORDS if w in present]):
        found.add(SignalKind.INSTANT_MESSAGING, f"text {phrase}")
    for phrase in _phrases(text, visible, [w for w in RTC_WORDS if w in present]):
        found.add(SignalKind.VOICE_VIDEO, f"text {phrase}")
    _shop(text, visible, links, present, found)
    _business_licence(text, visible, links, present, found)
    return found.signals()
