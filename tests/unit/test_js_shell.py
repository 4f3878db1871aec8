"""The JavaScript-shell rule (issue 13 item 4): decided from the markup (an empty mount point, a
framework's bundle or boot code, a <noscript> saying JavaScript is needed), not from a character count
alone. Small old static pages are judged on what they show (`missing` without the number); real SPA
shells are `needs-render` in static mode, never `missing`.

The pages are our own, modelled on the shapes of real ones: a 2010 company homepage, a table layout,
a frameset-era page, and the index.html that Vue CLI, Vite, Create React App, Angular CLI, Nuxt and
Next.js build."""

from __future__ import annotations

import pytest

from crawler.extract import extract
from rules.model import Verdict
from tests.fuzz.families import judge

URL = "http://127.0.0.1:9/"
OLD_HOMEPAGE = """<html><head><meta charset="gb2312"><title>西安市新城区宏达机电设备有限公司</title>
<script language="javascript">function MM_swapImage(){}</script></head>
<body bgcolor="#FFFFFF" onload="MM_preloadImages('images/menu_on.gif')">
<center><img src="images/banner.jpg" width="778" height="120"><br>
<a href="index.htm">首页</a> | <a href="about.htm">公司简介</a> | <a href="product.htm">产品展示</a> |
<a href="contact.htm">联系我们</a><br>
<p>本公司成立于1998年，主要经营各类机电设备、电线电缆、五金工具的批发与零售，欢迎新老客户来电洽谈。</p>
<p>地址：西安市新城区解放路123号 电话：029-87654321 传真：029-87654322</p>
<p>Copyright &copy; 2010 西安市新城区宏达机电设备有限公司 版权所有</p></center></body></html>"""
TABLE_LAYOUT = """<html><body><table width="760" align="center"><tr><td><img src="logo.gif"></td></tr>
<tr><td><a href="/">首页</a> <a href="/news/">新闻中心</a> <a href="/job/">人才招聘</a></td></tr>
<tr><td>欢迎访问我们的网站！本站提供产品信息与技术支持。</td></tr>
<tr><td align="center" class="bottom">版权所有 &copy; 2009 某某科技 技术支持：某某网络</td></tr></table>
<script src="/js/jquery-1.4.2.min.js"></script></body></html>"""
SMALL_NO_SCRIPT = "<html><body><h1>建设中</h1><p>网站正在建设中，敬请期待。</p></body></html>"
FRAMESET = """<html><head><script>if (top != self) top.location = self.location;</script></head>
<frameset rows="80,*"><frame src="top.htm"><frame src="main.htm"></frameset>
<noframes><body>您的浏览器不支持框架。请<a href="main.htm">点击这里</a>。</body></noframes></html>"""
FRAME_DOCUMENT = """<html><head><script language="JavaScript">window.status="欢迎光临";</script></head>
<body topmargin="0"><table width="100%"><tr><td align="center"><font size="2">地址：西安市碑林区南大街1号
电话：029-87000000 版权所有 &copy; 2003-2010 西安某某旅行社</font></td></tr></table></body></html>"""
COUNTER = """<html><body><p>欢迎光临 西安朝前智能科技有限公司</p><p>电话：029-88886666</p>
<script src="http://js.users.51.la/123456.js"></script></body></html>"""
DOCUMENT_WRITE = """<html><body><main><p>朝前科技提供软件开发服务。</p></main><footer><p>© 2026 朝前科技</p>
<script>document.write('<p>增值电信业务经营许可证：陕B2-' + '20210271</p>')</script></footer></body></html>"""
CNZZ = """<html><body><p>欢迎光临 西安朝前智能科技有限公司</p><div class="foot">© 2010 朝前科技
<script>var cnzz_protocol = (("https:" == document.location.protocol) ? "https://" : "http://");
document.write(unescape("%3Cspan id='cnzz_stat_icon_1234'%3E%3C/span%3E%3Cscript src='" + cnzz_protocol +
"s9.cnzz.com/stat.php?id=1234' type='text/javascript'%3E%3C/script%3E"));</script></div></body></html>"""
STATIC = [
    pytest.param(OLD_HOMEPAGE, id="2010-homepage-195-chars-one-script"),
    pytest.param(TABLE_LAYOUT, id="table-layout-jquery"),
    pytest.param(SMALL_NO_SCRIPT, id="small-no-script"),
    pytest.param(COUNTER, id="small-with-counter-script"),
    pytest.param(CNZZ, id="small-with-cnzz-document-write"),
]
VUE_CLI = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>朝前科技</title>
<link href="/js/app.3f9a1c2e.js" rel="preload" as="script"></head><body>
<noscript><strong>We're sorry but 朝前科技 doesn't work properly without JavaScript enabled. Please enable it
to continue.</strong></noscript><div id="app"></div>
<script src="/js/chunk-vendors.8e2a1b3c.js"></script><script src="/js/app.3f9a1c2e.js"></script></body></html>"""
VITE = """<!DOCTYPE html><html><head><script type="module" crossorigin src="/assets/index-4b8f0a2c.js"></script>
</head><body><div id="app"></div></body></html>"""
CRA = """<!doctype html><html lang="en"><head><title>React App</title>
<script defer="defer" src="/static/js/main.a1b2c3d4.js"></script></head><body>
<noscript>You need to enable JavaScript to run this app.</noscript><div id="root"></div></body></html>"""
ANGULAR = """<!doctype html><html><head><base href="/"></head><body><app-root></app-root>
<script src="runtime.0a1b2c3d4e5f.js" type="module"></script><script src="polyfills.1a2b3c4d.js" type="module">
</script><script src="main.5e6f7a8b.js" type="module"></script></body></html>"""
NUXT = """<!doctype html><html><head></head><body><div id="__nuxt"><div class="loading">加载中…</div></div>
<script>window.__NUXT__={config:{}}</script><script src="/_nuxt/entry.1a2b3c.js"></script></body></html>"""
NEXT = """<!DOCTYPE html><html><head></head><body><div id="__next"></div>
<script id="__NEXT_DATA__" type="application/json">{"props":{}}</script>
<script src="/_next/static/chunks/main-1a2b3c4d.js" defer></script></body></html>"""
CHINESE_NOSCRIPT = """<html><body><noscript>请开启浏览器的 JavaScript 功能后访问本站。</noscript>
<div class="wrap"><span>朝前科技</span></div><script src="/static/init.js"></script></body></html>"""
INLINE_BOOT = """<html><body><div id="main"></div><p>朝前科技</p>
<script>new Vue({el: '#main', render: h => h(App)})</script></body></html>"""
SHELLS = [
    pytest.param(DOCUMENT_WRITE, id="footer-written-by-document-write"),
    pytest.param(VUE_CLI, id="vue-cli"),
    pytest.param(VITE, id="vite"),
    pytest.param(CRA, id="create-react-app"),
    pytest.param(ANGULAR, id="angular"),
    pytest.param(NUXT, id="nuxt-loading"),
    pytest.param(NEXT, id="next"),
    pytest.param(CHINESE_NOSCRIPT, id="noscript-needs-js-zh"),
    pytest.param(INLINE_BOOT, id="inline-vue-boot"),
]


def is_shell(html: str) -> bool:
    return extract(html, URL, URL, is_homepage=True).facts.js_shell


@pytest.mark.parametrize("html", STATIC)
def test_a_small_static_page_is_no_shell_and_missing_without_its_number(html: str) -> None:
    assert not is_shell(html)
    assert judge(html).judgement.verdict is Verdict.MISSING


@pytest.mark.parametrize("html", SHELLS)
def test_a_framework_shell_needs_a_browser_never_missing(html: str) -> None:
    assert is_shell(html)
    assert judge(html).judgement.verdict is Verdict.NEEDS_RENDER


def test_a_frameset_page_shows_nothing_itself_and_is_never_missing() -> None:
    # its text is in frame documents this path does not read: `missing` would be a guess
    assert judge(FRAMESET).judgement.verdict is Verdict.NEEDS_RENDER


def test_a_frameset_eras_frame_document_is_no_shell() -> None:
    assert not is_shell(FRAME_DOCUMENT)
    assert judge(FRAME_DOCUMENT).judgement.verdict is Verdict.MISSING


def test_a_page_showing_nothing_but_a_script_is_a_shell() -> None:
    assert is_shell("<html><body><img src='/banner.jpg'><script src='/a.js'></script></body></html>")


def test_a_mount_point_with_the_content_in_it_is_no_shell() -> None:
    filled = "<div id='app'>" + "<p>朝前科技提供人工智能与大数据服务。</p>" * 20 + "</div>"
    assert not is_shell(f"<html><body>{filled}<script src='/js/app.3f9a1c2e.js'></script></body></html>")
