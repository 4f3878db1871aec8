"""Pages that fight the browser: an endless loop costs one page its render (within the timeout) and
never the crawl; navigating away, reloading, dialogs and popups leave the page as it stands, and a
navigation marks the snapshot incomplete (the browser pass then keeps the static judgement)."""

from __future__ import annotations

import asyncio
import time

import pytest

from crawler.render.browser import Renderer, RenderFailed, find_chromium
from crawler.render.rendered import parse_snapshot, rendered_facts

URL = "https://www.chaoqiankeji.com/"
FOOTER = "<footer>增值电信业务经营许可证：陕B2-20210271</footer>"
JUDGED = {
    "navigates away": FOOTER + "<script>location.href = 'https://evil.example/'</script>",
    "reloads itself": FOOTER + "<script>setTimeout(function () { location.reload() }, 20)</script>",
    "dialogs and popups": FOOTER
    + "<script>alert(1); confirm(2); window.open('https://evil.example/')</script>",
}
ENDLESS = FOOTER + "<script>while (true) {}</script>"
TIMEOUT = 2.0


async def _nothing(url: str) -> bool:
    return False


incomplete_by_page: dict[str, str] = {}  # page → why its snapshot is incomplete ("" when complete)


async def _render_all() -> tuple[dict[str, list[str]], float, str]:
    renderer = await Renderer.launch(find_chromium(""), concurrency=2, page_timeout=TIMEOUT)
    try:
        shown: dict[str, list[str]] = {}
        for name, html in JUDGED.items():
            data = await renderer.snapshot(URL, html, _nothing)
            incomplete_by_page[name] = str(data.get("incomplete") or "")
            snap = parse_snapshot(data)
            facts = rendered_facts(snap, URL, URL, is_homepage=True)
            shown[name] = [h.value for h in facts.numbers if h.visible and h.in_footer]
        start = time.monotonic()
        try:
            await renderer.snapshot(URL, ENDLESS, _nothing)
            failure = ""
        except RenderFailed as exc:
            failure = str(exc)
        elapsed = time.monotonic() - start
        # the pool recovers: the next page renders in a fresh tab
        snap = parse_snapshot(await renderer.snapshot(URL, FOOTER, _nothing))
        shown["after the endless loop"] = [
            h.value for h in rendered_facts(snap, URL, URL, is_homepage=True).numbers
        ]
    finally:
        await renderer.close()
    return shown, elapsed, failure


@pytest.fixture(scope="module")
def rendered() -> tuple[dict[str, list[str]], float, str]:
    return asyncio.run(_render_all())


@pytest.mark.parametrize("name", [*JUDGED, "after the endless loop"])
def test_the_page_is_judged_as_it_stands(
    rendered: tuple[dict[str, list[str]], float, str], name: str
) -> None:
    assert rendered[0][name] == ["陕B2-20210271"]


def test_an_endless_loop_fails_that_page_within_the_timeout(
    rendered: tuple[dict[str, list[str]], float, str],
) -> None:
    _, elapsed, failure = rendered
    assert "timed out" in failure
    assert TIMEOUT <= elapsed < TIMEOUT + 3


def test_a_navigation_marks_the_snapshot_incomplete(
    rendered: tuple[dict[str, list[str]], float, str],
) -> None:
    assert incomplete_by_page == {
        "navigates away": "navigated away to https://evil.example/",
        "reloads itself": f"navigated away to {URL}",
        "dialogs and popups": "",  # a popup opens another window; this one stays
    }
