"""Labelling aid for the held-out pages: a PNG of each page as desktop Chromium shows it; I/O.

Run from the repository root: `python tests/heldout/screenshots.py [site ...]`. Each page is served
from 127.0.0.1, opened at 1366×900 with every request to another host aborted (browser mode's scope
rule), given the load event plus up to 3 s of network quiet, and saved full-page under
test-artifacts/heldout/<site>.png for a person to look at. It never judges anything: the labels in
manifest.json come from looking at these pictures, not from the audit.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from pathlib import Path

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Route, async_playwright

from crawler.render.browser import CHROMIUM_FLAGS, find_chromium
from crawler.static_server import serve_folder

HERE = Path(__file__).resolve().parent
OUT = HERE.parents[1] / "test-artifacts" / "heldout"
SETTLE_MS = 3000


async def shoot(base: str, sites: list[str]) -> None:
    """Save one screenshot per site; a page that fails to load is reported, not fatal."""
    OUT.mkdir(parents=True, exist_ok=True)
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=find_chromium(""), args=list(CHROMIUM_FLAGS))
        context = await browser.new_context(viewport={"width": 1366, "height": 900})

        async def same_host_only(route: Route) -> None:
            if route.request.url.startswith(base + "/"):
                await route.continue_()
            else:
                await route.abort()

        await context.route("**/*", same_host_only)
        for site in sites:
            page = await context.new_page()
            try:
                await page.goto(f"{base}/pages/{site}.html", wait_until="load", timeout=10_000)
                # a page that keeps the network busy is shot as it stands
                with contextlib.suppress(PlaywrightError):
                    await page.wait_for_load_state("networkidle", timeout=SETTLE_MS)
                await page.screenshot(path=str(OUT / f"{site}.png"), full_page=True)
                print(f"{site}: {OUT / f'{site}.png'}")
            except PlaywrightError as exc:
                print(f"{site}: could not be shot: {exc}", file=sys.stderr)
            finally:
                await page.close()
        await browser.close()


def main(argv: list[str]) -> int:
    sites = argv or sorted(p.stem for p in (HERE / "pages").glob("*.html"))
    with serve_folder(HERE) as base:
        asyncio.run(shoot(base, sites))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
