"""The browser is handed the page under the URL the crawler fetched it from, written as the server
named it (a redirect to `HTTP://WWW.Example.COM./` or to an internationalised name); Chromium asks for
that URL in its own form (lower case, punycode, …), and the page is still served, rendered and judged."""

from __future__ import annotations

import asyncio

import pytest

from crawler.render.browser import Renderer, find_chromium
from crawler.render.rendered import parse_snapshot, rendered_facts

FOOTER = "<footer>增值电信业务经营许可证：陕B2-20210271</footer>"
URLS = ["HTTP://WWW.ChaoQianKeJi.COM/News", "http://例子.测试/新闻?a=1", "https://chaoqiankeji.com:443/"]


async def _nothing(url: str) -> bool:
    return False


async def _render() -> dict[str, list[str]]:
    renderer = await Renderer.launch(find_chromium(""), concurrency=1, page_timeout=15.0)
    try:
        shown = {}
        for url in URLS:
            snap = parse_snapshot(await renderer.snapshot(url, FOOTER, _nothing))
            facts = rendered_facts(snap, url, url, is_homepage=True)
            shown[url] = [h.value for h in facts.numbers if h.visible and h.in_footer]
    finally:
        await renderer.close()
    return shown


@pytest.fixture(scope="module")
def shown() -> dict[str, list[str]]:
    return asyncio.run(_render())


@pytest.mark.parametrize("url", URLS)
def test_the_page_is_served_under_the_url_as_written(shown: dict[str, list[str]], url: str) -> None:
    assert shown[url] == ["陕B2-20210271"]
