"""Chromium started with the product's flags reaches no server by itself: every request of a rendered
page must pass the route handler (which serves the document from memory and fetches in-scope files),
so a speculative prefetch or preconnect to a CDN named in a crawled page cannot leave the machine."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser
from playwright.sync_api import Error as PlaywrightError

from crawler.static_server import serve_folder


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_the_browser_alone_reaches_no_server(browser: Browser, tmp_path: Path, host: str) -> None:
    (tmp_path / "index.html").write_text("<p>ok</p>", "utf-8")
    asked: list[str] = []
    with serve_folder(tmp_path, log=asked) as base:
        page = browser.new_page()
        try:
            with pytest.raises(PlaywrightError, match="ERR_NAME_NOT_RESOLVED"):
                page.goto(f"{base.replace('127.0.0.1', host)}/index.html", timeout=5000)
        finally:
            page.close()
    assert asked == []
