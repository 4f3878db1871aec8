"""A short strip after the footer, named like one or not, is read as the footer's bottom lines."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from crawler.footer_heuristics import TAIL_MAX_CHARS
from crawler.footer_region import locate_footer


def _region_text(html: str) -> str:
    tree = LexborHTMLParser(html)
    region = locate_footer(tree.body)
    assert tree.body is not None
    return " ".join(n.text(deep=True, strip=True) for n in tree.body.traverse() if n.mem_id in region.roots)


def test_a_bare_block_after_the_footer_joins_it() -> None:
    html = (
        "<body><main><p>正文</p></main><div class='footer'><a href='/about'>关于我们</a></div>"
        "<div><p>陕B2-20210271</p><p>© 2026 西安朝前智能科技有限公司</p></div><script>x()</script></body>"
    )
    assert "陕B2-20210271" in _region_text(html)


def test_a_long_tail_after_the_footer_stays_out() -> None:
    tail = "很长的正文。" * (TAIL_MAX_CHARS // 6 + 1)  # a misplaced footer high up a page
    html = f"<body><div class='footer'>关于我们</div><div><p>{tail}</p><p>陕B2-20210271</p></div></body>"
    assert "陕B2-20210271" not in _region_text(html)


def test_sectioning_content_after_the_footer_stays_out() -> None:
    html = "<body><div class='footer'>关于我们</div><article><p>陕B2-20210271</p></article></body>"
    assert "陕B2-20210271" not in _region_text(html)
