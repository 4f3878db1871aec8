"""A deterministic generated site of N realistic ~40 KB Chinese pages for the crawl benchmark.

Every page has a header, a navigation bar of 30 links, an article of Chinese text, ~10 links to
other pages and a footer with the licence, ICP filing and 公安 filing numbers in the forms the bundled
chaoqiankeji.com profile expects. About 5% of the pages are non-compliant in one of four ways (wrong
licence number, no licence, licence hidden, licence only in the body). The same N always gives the
same bytes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from html import escape
from pathlib import Path

LICENCE = "陕B2-20210271"
WRONG_LICENCE = "陕B2-20210217"  # two digits swapped
FILING_ICP = "陕ICP备2021012345号-1"
FILING_PUBLIC_SECURITY = "陕公网安备61019002000123号"
HOLDER = "西安朝前智能科技有限公司"
NAV_LINKS = 30
OTHER_LINKS = 10
CHILDREN = 8  # page i links to pages 8i+1 … 8i+8: every page is reachable within log8(N) hops
NON_COMPLIANT_EVERY = 20  # one page in 20 (5%) is non-compliant
TARGET_BYTES = 40_000
FAULTS = ("wrong-number", "missing", "hidden", "elsewhere")

_WORDS = (  # noqa: SIM905
    "人工智能 大数据 云计算 数字化转型 智能客服 知识图谱 数据分析 私有化部署 行业解决方案 政务服务 "
    "智慧教育 医疗信息化 金融科技 信息安全 平台建设 系统集成 软件开发 技术支持 运维服务 用户体验 "
    "产品发布 合作伙伴 研发团队 创新驱动 客户需求 项目交付 质量管理 标准规范 服务体系 西安高新区"
).split()
_GLUE = "我们坚持以客户为中心，持续提升产品与服务质量，为各行业提供稳定可靠的技术方案。".split("，")  # noqa: SIM905
_SECTIONS = (  # noqa: SIM905
    "首页 公司简介 产品服务 解决方案 新闻动态 行业资讯 技术文章 客户案例 合作伙伴 招贤纳士 "
    "联系我们 下载中心 常见问题 服务支持 开发文档 接口说明 价格方案 免费试用 活动专题 媒体报道 "
    "企业荣誉 发展历程 社会责任 投资者关系 隐私政策 用户协议 网站地图 意见反馈 在线客服 English"
).split()

_STYLE = """
body{margin:0;font-family:"PingFang SC","Microsoft YaHei",sans-serif;color:#333;background:#fff}
.container{max-width:1200px;margin:0 auto;padding:0 16px}
.site-header{background:#0b3d91;color:#fff}.site-header a{color:#fff;text-decoration:none}
.nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap}.nav li{margin-right:18px}
.breadcrumb{font-size:13px;color:#888;margin:12px 0}.article h1{font-size:28px}
.article p{line-height:1.8;text-indent:2em}.related li{margin:4px 0}
.sidebar{float:right;width:280px}.sidebar h3{border-bottom:2px solid #0b3d91}
.site-footer{background:#f5f5f5;color:#666;text-align:center;font-size:13px;padding:24px 0}
.site-footer a{color:#666}.hide-me{display:none}
"""


@dataclass(frozen=True, slots=True)
class Site:
    """Where a generated site lives and what is in it."""

    root: Path
    pages: int
    non_compliant: int
    bytes_total: int


def page_path(i: int) -> str:
    """The URL path of page i (page 0 is the homepage)."""
    return "/" if i == 0 else f"/p/{i:06d}.html"


def fault_of(i: int) -> str | None:
    """How page i is non-compliant, or None for a compliant page (deterministic, ~5%)."""
    if i == 0 or i % NON_COMPLIANT_EVERY != 7:
        return None
    return FAULTS[(i // NON_COMPLIANT_EVERY) % len(FAULTS)]


def links_of(i: int, n: int) -> list[int]:
    """The ~10 other pages page i links to in its body: its children in the tree, then random ones."""
    rng = random.Random(i * 7919 + n)
    out = [c for c in range(CHILDREN * i + 1, CHILDREN * i + CHILDREN + 1) if c < n]
    while len(out) < OTHER_LINKS and n > len(out) + 1:
        j = rng.randrange(n)
        if j != i and j not in out:
            out.append(j)
    return out


def _sentence(rng: random.Random) -> str:
    words = rng.choices(_WORDS, k=rng.randint(4, 8))
    return "、".join(words[:2]) + "是" + "与".join(words[2:4]) + "的重要方向，" + rng.choice(_GLUE) + "。"


def _paragraph(rng: random.Random) -> str:
    return "".join(_sentence(rng) for _ in range(rng.randint(5, 9)))


def _footer(fault: str | None) -> str:
    licence = {"wrong-number": WRONG_LICENCE}.get(fault or "", LICENCE)
    licence_line = f"增值电信业务经营许可证：{licence}"
    if fault == "hidden":
        licence_line = f'<span class="hide-me">{licence_line}</span>'
    if fault in ("missing", "elsewhere"):
        licence_line = ""
    return f"""<footer class="site-footer">
  <div class="container">
    <p class="links"><a href="/">首页</a> | <a href="/p/000001.html">关于我们</a> | <a href="/p/000002.html">联系我们</a> | <a href="/p/000003.html">隐私政策</a> | <a href="/p/000004.html">网站地图</a></p>
    <p>Copyright © 2021-2026 {HOLDER} 版权所有 | 地址：陕西省西安市高新区科技路 | 电话：029-88888888</p>
    <p><a href="https://beian.miit.gov.cn/" target="_blank" rel="noopener noreferrer">{FILING_ICP}</a> {licence_line}</p>
    <p><a href="https://beian.mps.gov.cn/#/query/webSearch?code=61019002000123" target="_blank" rel="noreferrer"><img src="/static/beian.png" alt="公安备案" width="14">{FILING_PUBLIC_SECURITY}</a></p>
  </div>
</footer>"""


def render_page(i: int, n: int) -> str:
    """The HTML of page i of an n-page site."""
    rng = random.Random(i)
    fault = fault_of(i)
    title = f"{rng.choice(_SECTIONS)} · {rng.choice(_WORDS)}{rng.choice(_WORDS)} 第{i}期"
    nav = "".join(
        f'<li><a href="{page_path(k)}">{escape(_SECTIONS[k % len(_SECTIONS)])}</a></li>'
        for k in range(min(NAV_LINKS, n))
    )
    related = "".join(
        f'<li><a href="{page_path(j)}" title="相关文章{j}">{rng.choice(_WORDS)}{rng.choice(_WORDS)}（第{j}期）</a></li>'
        for j in links_of(i, n)
    )
    parts = [
        f"""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} - {HOLDER}</title>
<meta name="keywords" content="{"，".join(rng.sample(_WORDS, 6))}">
<link rel="stylesheet" href="/static/site.css">
<style>{_STYLE}</style>
</head>
<body>
<header class="site-header">
  <div class="container">
    <a class="logo" href="/"><img src="/static/logo.png" alt="朝前科技"></a>
    <form class="search" action="/search"><input name="q" placeholder="搜索"><button>搜索</button></form>
    <nav class="nav"><ul>{nav}</ul></nav>
  </div>
</header>
<div class="container">
<p class="breadcrumb"><a href="/">首页</a> &gt; <a href="{page_path(i // CHILDREN)}">上级栏目</a> &gt; {escape(title)}</p>
<aside class="sidebar"><h3>相关阅读</h3><ul class="related">{related}</ul></aside>
<article class="article">
<h1>{escape(title)}</h1>
<p class="meta">发布时间：2026-01-{1 + i % 28:02d} 来源：{HOLDER} 浏览次数：{rng.randint(100, 9999)}</p>
"""
    ]
    size = sum(len(p.encode()) for p in parts) + 1500
    while size < TARGET_BYTES:
        para = f'<div class="section"><p>{_paragraph(rng)}</p></div>\n'
        parts.append(para)
        size += len(para.encode())
    if fault == "elsewhere":
        parts.append(f"<p>本公司持有增值电信业务经营许可证（{LICENCE}）。</p>\n")
    parts.append("</article>\n</div>\n")
    parts.append(_footer(fault))
    parts.append('\n<script src="/static/stat.js" async></script>\n</body>\n</html>\n')
    return "".join(parts)


def generate(root: Path, n: int) -> Site:
    """Write an n-page site under `root` (cleared of old pages first); idempotent for the same n."""
    (root / "p").mkdir(parents=True, exist_ok=True)
    (root / "static").mkdir(exist_ok=True)
    for old in (root / "p").glob("*.html"):
        if int(old.stem) >= n:
            old.unlink()
    total = 0
    for i in range(n):
        body = render_page(i, n).encode()
        target = root / "index.html" if i == 0 else root / "p" / f"{i:06d}.html"
        if not target.exists() or target.read_bytes() != body:
            target.write_bytes(body)
        total += len(body)
    (root / "static" / "site.css").write_text(_STYLE, encoding="utf-8")
    (root / "static" / "stat.js").write_text("/* analytics */\n", encoding="utf-8")
    (root / "robots.txt").write_text("User-agent: *\nAllow: /\n", encoding="utf-8")
    faults = sum(fault_of(i) is not None for i in range(n))
    return Site(root, n, faults, total)
