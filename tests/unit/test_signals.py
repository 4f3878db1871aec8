"""Page signals for the scope and e-commerce rules: HTML snippets → (kind, evidence) pairs."""

from __future__ import annotations

import pytest

from crawler.extract import extract
from crawler.signals import EVIDENCE_MAX, MAX_PER_KIND, site_of
from rules.model import Signal, SignalKind

URL = "https://www.example.com/products/a.html"
FOOTER = "<footer>© 2024 西安朝前智能科技有限公司 陕B2-20210271</footer>"
K = SignalKind


def signals(body: str, head: str = "", url: str = URL) -> tuple[Signal, ...]:
    html = f"<!doctype html><html><head><meta charset='utf-8'><title>朝前科技</title>{head}</head><body>{body}</body></html>"
    return extract(html, url, url, is_homepage=True).facts.signals


def kinds(body: str, head: str = "", url: str = URL) -> set[SignalKind]:
    return {s.kind for s in signals(body, head, url)}


def evidence(body: str, kind: SignalKind, head: str = "", url: str = URL) -> list[str]:
    return [s.evidence for s in signals(body, head, url) if s.kind is kind]


def external_links(n: int, where: str = "div") -> str:
    return (
        f"<{where}>"
        + "".join(f"<a href='https://site{i}.com.cn/'>站点{i}</a>" for i in range(n))
        + f"</{where}>"
    )


# (body, head, kind, evidence that must be among the signals of that kind)
FOUND = [
    (
        "<form role='search' action='/'><input name='s'></form>",
        "",
        K.SITE_SEARCH,
        "form[role=search][action=/] input[name=s]",
    ),
    (
        "<form action='/search.php'><input type='text' name='keyword'></form>",
        "",
        K.SITE_SEARCH,
        "form[action=/search.php] input[name=keyword]",
    ),
    ("<form><input name='wd'><button>搜索</button></form>", "", K.SITE_SEARCH, "form input[name=wd]"),
    ("<input type='search' placeholder='搜索'>", "", K.SITE_SEARCH, "input[type=search]"),
    (
        "<form action='/s'><input type='SEARCH' name='x'></form>",
        "",
        K.SITE_SEARCH,
        "form[action=/s] input[name=x]",
    ),
    ("<h1>网址导航</h1>", "", K.SEARCH_SERVICE, "<h1> 网址导航"),
    ("<p>x</p>", "", K.SEARCH_SERVICE, "<title> 某某搜索引擎"),
    (
        external_links(30),
        "",
        K.SEARCH_SERVICE,
        "links to 30 other sites outside the footer (site0.com.cn, site1.com.cn, site2.com.cn, …)",
    ),
    (
        "<script src='https://tb.53kf.com/code/code/10181581/2'></script>",
        "",
        K.CHAT_VENDOR,
        "53KF: script src https://tb.53kf.com/code/code/10181581/2",
    ),
    (
        "<script>(function(m,ei,q,i,a,j,s){m[i]=m[i]||function(){(m[i].a=m[i].a||[]).push(arguments)};"
        "j=ei.createElement(q),s=ei.getElementsByTagName(q)[0];j.async=true;j.charset='UTF-8';"
        "j.src='https://static.meiqia.com/dist/meiqia.js';s.parentNode.insertBefore(j,s)})"
        "(window,document,'script','_MEIQIA');_MEIQIA('entId','12345');</script>",
        "",
        K.CHAT_VENDOR,
        "美洽: script code meiqia.com",
    ),
    (
        "<a href='https://work.weixin.qq.com/kfid/kfc0123456789'>在线客服</a>",
        "",
        K.CHAT_VENDOR,
        "企业微信客服: link https://work.weixin.qq.com/kfid/kfc0123456789",
    ),
    (
        "<a href='http://wpa.qq.com/msgrd?v=3&uin=12345&site=qq&menu=yes'>QQ咨询</a>",
        "",
        K.CHAT_VENDOR,
        "QQ 在线客服: link http://wpa.qq.com/msgrd?v=3&uin=12345&site=qq&menu=yes",
    ),
    (
        "<script src='https://kefu.easemob.com/webim/easemob.js'></script>",
        "",
        K.CHAT_VENDOR,
        "环信客服: script src https://kefu.easemob.com/webim/easemob.js",
    ),
    (
        "<script src='https://cdn.ronghub.com/RongIMLib-5.4.min.js'></script>",
        "",
        K.INSTANT_MESSAGING,
        "融云: script src https://cdn.ronghub.com/RongIMLib-5.4.min.js",
    ),
    (
        "<script src='/js/tim-js-sdk.js'></script>",
        "",
        K.INSTANT_MESSAGING,
        "腾讯云 IM: script src https://www.example.com/js/tim-js-sdk.js",
    ),
    (
        "<script>var nim = NIM.getInstance({appKey: k})</script>",
        "",
        K.INSTANT_MESSAGING,
        "网易云信: script code nim.getinstance",
    ),
    (
        "<script src='/static/easemob-websdk.js'></script>",
        "",
        K.INSTANT_MESSAGING,
        "环信: script src https://www.example.com/static/easemob-websdk.js",
    ),
    (
        "<script>const ws = new WebSocket('wss://im.example.com/chat/ws?u=1')</script>",
        "",
        K.INSTANT_MESSAGING,
        "WebSocket wss://im.example.com/chat/ws?u=1",
    ),
    (
        '<script>s = new WebSocket("ws://" + host + "/im/")</script>',
        "",
        K.INSTANT_MESSAGING,
        'new WebSocket("ws://" + host + "/im/")',
    ),
    ("<ul><li><a href='/msg'>私信</a></li></ul>", "", K.INSTANT_MESSAGING, "text 私信"),
    ("<h2>在线聊天室</h2>", "", K.INSTANT_MESSAGING, "text 在线聊天室"),
    (
        "<script>navigator.mediaDevices.getUserMedia({audio: true})</script>",
        "",
        K.VOICE_VIDEO,
        "getUserMedia: script code getusermedia",
    ),
    (
        "<script>const pc = new RTCPeerConnection(cfg)</script>",
        "",
        K.VOICE_VIDEO,
        "RTCPeerConnection: script code rtcpeerconnection",
    ),
    ("<button>发起视频通话</button>", "", K.VOICE_VIDEO, "text 发起视频通话"),
    (
        "<div class='item'><p>智能音箱</p><p>￥ 199.00</p><button>加入购物车</button></div>",
        "",
        K.SHOP,
        "text 加入购物车; price ¥ 199.00",
    ),
    (
        "<p>标准版 ¥1,299</p><a href='/cart/add?id=1'>买</a>",
        "",
        K.SHOP,
        "link https://www.example.com/cart/add?id=1; price ¥1,299",
    ),
    (
        "<p>¥99</p><form action='/checkout'><button>去付款</button></form><a href='/checkout'>付款</a>",
        "",
        K.SHOP,
        "link https://www.example.com/checkout; price ¥99",
    ),
    (
        "<footer><a href='https://zzlz.gsxt.gov.cn/businessCheck/verifKey.do?serial=9144'><img src='/lz.png'></a></footer>",
        "",
        K.BUSINESS_LICENCE,
        "link https://zzlz.gsxt.gov.cn/businessCheck/verifKey.do?serial=9144",
    ),
    ("<footer><a href='/licence.jpg'>营业执照</a></footer>", "", K.BUSINESS_LICENCE, "text 营业执照"),
]


@pytest.mark.parametrize(("body", "head", "kind", "expected"), FOUND)
def test_signal_found(body: str, head: str, kind: SignalKind, expected: str) -> None:
    head = head or ("<title>某某搜索引擎</title>" if expected.startswith("<title>") else "")
    assert expected in evidence(body + FOOTER, kind, head)


# Pages a human should not be asked about: (body, head, url, the kind that must not be there)
NOT_FOUND = [
    (
        "<form action='/login'><input name='user'><input type='password' name='pw'></form>",
        "",
        URL,
        K.SITE_SEARCH,
    ),
    (
        "<h1>搜索引擎优化（SEO）服务</h1><p>百度搜索引擎推广</p>",
        "<title>搜索引擎营销</title>",
        URL,
        K.SEARCH_SERVICE,
    ),
    (external_links(12), "", URL, K.SEARCH_SERVICE),  # 友情链接
    (external_links(40, "footer"), "", URL, K.SEARCH_SERVICE),
    ("".join(f"<a href='/p/{i}'>产品{i}</a>" for i in range(60)), "", URL, K.SEARCH_SERVICE),
    (
        "".join(f"<a href='https://m{i}.example.com/'>分站{i}</a>" for i in range(40)),
        "",
        URL,
        K.SEARCH_SERVICE,
    ),
    ("<p>网址导航</p>", "", URL, K.SEARCH_SERVICE),  # a word in body text is not a heading
    ("<script src='https://kefu.easemob.com/webim/easemob.js'></script>", "", URL, K.INSTANT_MESSAGING),
    ("<script>new WebSocket('wss://quote.example.com/stock/ticks')</script>", "", URL, K.INSTANT_MESSAGING),
    ("<p hidden>私信</p><p style='display:none'>视频通话</p>", "", URL, K.INSTANT_MESSAGING),
    ("<p hidden>私信</p><p style='display:none'>视频通话</p>", "", URL, K.VOICE_VIDEO),
    ("<p>售价 ¥199</p>", "", URL, K.SHOP),
    ("<a href='/cart'>购物车</a>", "", URL, K.SHOP),
    ("<a href='/cartoon'>动画</a><p>¥5</p>", "", URL, K.SHOP),
    ("<p hidden>加入购物车 ¥199</p>", "", URL, K.SHOP),
    ('<script type=\'application/ld+json\'>{"x": "getUserMedia"}</script>', "", URL, K.VOICE_VIDEO),
]


@pytest.mark.parametrize(("body", "head", "url", "kind"), NOT_FOUND)
def test_signal_not_found(body: str, head: str, url: str, kind: SignalKind) -> None:
    assert kind not in kinds(body + FOOTER, head, url)


def test_plain_company_page_has_no_signals() -> None:
    body = "<header><nav><a href='/'>首页</a><a href='/about'>关于我们</a></nav></header><main><p>专注人工智能。</p></main>"
    assert signals(body + FOOTER) == ()


def test_results_page_linking_other_sites() -> None:
    body = "<ol>" + "".join(f"<li><a href='https://r{i}.net/a'>结果{i}</a></li>" for i in range(6)) + "</ol>"
    found = evidence(body + FOOTER, K.SEARCH_SERVICE, url="https://www.example.com/s?wd=%E5%85%AC%E5%8F%B8")
    assert found == ["results for ?wd=公司 link 6 other sites (r0.net, r1.net, r2.net, …)"]
    assert K.SEARCH_SERVICE not in kinds(body + FOOTER, url="https://www.example.com/news")


def test_signals_in_a_frame_document() -> None:
    body = "<main>x</main><footer><iframe srcdoc=\"<form action='/search'><input name='q'></form>\"></iframe></footer>"
    assert evidence(body, K.SITE_SEARCH) == ["form[action=/search] input[name=q]"]


def test_signals_are_deduplicated_and_bounded() -> None:
    forms = "".join(f"<form action='/search/{i}'><input name='q'></form>" for i in range(15))
    found = evidence(forms + forms + FOOTER, K.SITE_SEARCH)
    assert len(found) == MAX_PER_KIND
    assert len(set(found)) == len(found)


def test_evidence_is_short() -> None:
    long_url = "https://tb.53kf.com/code/client/" + "a" * 300
    (found,) = evidence(f"<script src='{long_url}'></script>" + FOOTER, K.CHAT_VENDOR)
    assert len(found) == EVIDENCE_MAX
    assert found.endswith("…")


@pytest.mark.parametrize(
    ("host", "site"),
    [
        ("www.example.com", "example.com"),
        ("a.b.example.com.cn", "example.com.cn"),
        ("beian.miit.gov.cn", "miit.gov.cn"),
        ("example.cn", "example.cn"),
        ("localhost", "localhost"),
        ("WWW.Example.COM.", "example.com"),
    ],
)
def test_site_of(host: str, site: str) -> None:
    assert site_of(host) == site


def test_sdk_names_need_their_whole_name() -> None:
    body = "<script>var objMessage = {}; function sendMessage(m) { return objMessage }</script>"
    assert kinds(body + FOOTER) == set()
