"""One Chromium per run through Playwright: finding the installed browser, a small pool of pages,
rendering one page with every request outside the crawl scope blocked; I/O.

The page's own document is the HTML the crawler already fetched (robots.txt and the rate limit were
applied to that fetch), handed to the browser from memory; only its same-site subresources (style
sheets, scripts, frames, pictures) go to the network, each through the caller's `allow` check, and
only as GET or HEAD without a body: an audit reads a site, it never posts to it (a page script's
fetch POST, form submission, sendBeacon or DELETE is aborted and logged). Never downloads a browser.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urldefrag

from crawler.client import USER_AGENT
from crawler.footer_heuristics import FOOTER_NAME_PARTS, INLINE_TAGS, SECTIONING_TAGS
from crawler.render.dom_script import DOM_LIMITS, DOM_SCRIPT
from crawler.render.picture import capture_footer
from crawler.render.settle import SETTLE_SCRIPT, SETTLE_SECONDS, settle
from crawler.urls import normalise_url

if TYPE_CHECKING:  # Playwright itself is imported when a browser starts: 7 MB no static audit needs
    from playwright.async_api import (
        Browser,
        BrowserContext,
        FloatRect,
        Page,
        Playwright,
        Route,
    )
    from playwright.async_api._context_manager import PlaywrightContextManager

CHROMIUM_ENV = "ICP_AUDIT_CHROMIUM"
SYSTEM_CHROMIUM = "/usr/bin/chromium"
INSTALL_HINT = f"install one (apt-get install chromium) or set {CHROMIUM_ENV} to its path"
CHROMIUM_FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Chromium reaches no server itself (no name resolves, IP literals included): documents are served
    # from memory and in-scope subresources fetched by the route handler (route.fetch runs in
    # Playwright's driver), so a speculative prefetch or preconnect to a CDN named in a crawled page
    # cannot leave the machine.
    "--host-resolver-rules=MAP * ~NOTFOUND",
)
SUBRESOURCES_MAX = 200  # requests one page may make; a page that keeps requesting is cut off
FORWARDED_METHODS = frozenset({"GET", "HEAD"})  # reading only: anything else is aborted
ABORTS_KEPT = 10  # aborted requests logged and kept per page (a script may post in a loop); the rest counted
CACHE_MAX_BYTES = 64_000_000  # subresources kept for the run
SHOT_MAX_WIDTH, SHOT_MAX_HEIGHT, SHOT_MARGIN = 1366.0, 480.0, 8.0  # CSS pixels of a footer picture
LOAD_SECONDS = 5.0  # at most this long for the load event
WARM_SECONDS = 30.0  # at most this long to open the first tab of each viewport, before any page is timed
WARM_HTML = '<meta charset="utf-8"><footer>增值电信业务经营许可证 B2-20210271 ICP备案</footer>'

log = logging.getLogger("icp_audit.run")
Allow = Callable[[str], Awaitable[bool]]
Wanted = Callable[[Any], bool]  # given the in-page script's JSON: is this footer's picture wanted?
_SCROLL_DOWN = "() => window.scrollTo(0, Math.max(document.documentElement.scrollHeight, document.body ? document.body.scrollHeight : 0))"


class BrowserUnavailable(Exception):
    """No usable Chromium: not found, or it would not start; the message says which and how to fix."""


@dataclass(frozen=True, slots=True)
class Viewport:
    """A window size and the user agent that goes with it."""

    name: str
    width: int
    height: int
    mobile: bool = False


DESKTOP = Viewport("desktop", 1366, 900)
MOBILE = Viewport("mobile", 375, 667, mobile=True)


def find_chromium(configured: str) -> str:
    """The browser to run: the profile's `crawl.chromium`, else $ICP_AUDIT_CHROMIUM, else the system
    chromium (/usr/bin/chromium or `chromium` on PATH). A path named explicitly is never replaced by
    another one. Raises `BrowserUnavailable` with the fix."""
    named = configured or os.environ.get(CHROMIUM_ENV, "")
    if named:
        source = "crawl.chromium" if configured else CHROMIUM_ENV
        path = Path(named)
        if not (path.is_file() and os.access(path, os.X_OK)):
            raise BrowserUnavailable(f"{source}={named} is not an executable browser; {INSTALL_HINT}")
        return named
    if os.access(SYSTEM_CHROMIUM, os.X_OK):
        return SYSTEM_CHROMIUM
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        raise BrowserUnavailable(f"no Chromium found; {INSTALL_HINT}")
    return found


def _user_agent(viewport: Viewport) -> str:
    device = "Linux; Android 14; Pixel 8" if viewport.mobile else "X11; Linux x86_64"
    mobile = " Mobile" if viewport.mobile else ""
    return f"Mozilla/5.0 ({device}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/150.0 {mobile}Safari/537.36 {USER_AGENT}".replace(
        "  ", " "
    )


@dataclass
class _Job:
    """The page a pooled tab is rendering: its URL, the HTML to serve for it, the scope check."""

    url: str
    html: str
    allow: Allow
    requests: int = 0
    served: bool = False  # the document was handed over; any further navigation of the tab is refused
    left: str = ""  # where the page tried to navigate after it was served (then its render is incomplete)
    blocked: int = 0  # requests not forwarded: off scope, refused (recorded by `allow`), over the cap
    aborted: list[tuple[str, str]] = field(default_factory=list)  # (method, URL) of the first writes
    writes: int = 0  # requests aborted because they would write (all of them, kept or not)

    def abort_write(self, method: str, url: str) -> None:
        """Record and log (the first ABORTS_KEPT of a page) a request that would write: never forwarded."""
        self.writes += 1
        if self.writes <= ABORTS_KEPT:
            self.aborted.append((method, url[:300]))
            fields = {"page": self.url, "method": method, "url": url[:300], "count": self.writes}
            log.info(
                "browser request aborted: %s %s (from %s; only GET and HEAD without a body are forwarded)",
                method,
                url[:300],
                self.url,
                extra={"event": "browser_request_aborted", "fields": fields},
            )


class RenderFailed(Exception):
    """One page could not be rendered (timeout, crash); the page keeps its static judgement."""


class Renderer:
    """A launched Chromium with one context per viewport and a bounded pool of tabs."""

    def __init__(
        self,
        playwright: Playwright,
        browser: Browser,
        contexts: dict[str, BrowserContext],
        *,
        concurrency: int,
        timeout: float,
    ) -> None:
        self._playwright, self._browser, self._contexts = playwright, browser, contexts
        self._slots = asyncio.Semaphore(concurrency)
        self._idle: dict[str, list[tuple[Page, list[_Job]]]] = {name: [] for name in contexts}
        self.timeout = timeout
        self._cache = _Cache()

    @classmethod
    async def launch(
        cls,
        executable: str,
        *,
        concurrency: int = 2,
        page_timeout: float = 15.0,
        viewports: tuple[Viewport, ...] = (DESKTOP,),
    ) -> Renderer:
        """Start the browser at `executable`; `BrowserUnavailable` when it will not start."""
        try:
            playwright = await async_playwright().start()
        except Exception as exc:  # the driver (a bundled Node.js) died: Playwright raises a bare Exception
            detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise BrowserUnavailable(
                f"Playwright's driver would not start ({detail[:200]}; a missing system library such as"
                f" libatomic1?); {INSTALL_HINT}"
            ) from exc
        try:
            browser = await playwright.chromium.launch(
                executable_path=executable, args=list(CHROMIUM_FLAGS), timeout=30_000
            )
        except _error() as exc:
            await playwright.stop()
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise BrowserUnavailable(f"{executable} would not start ({first[:200]}); {INSTALL_HINT}") from exc
        contexts = {}
        for vp in viewports:
            contexts[vp.name] = await browser.new_context(
                viewport={"width": vp.width, "height": vp.height},
                is_mobile=vp.mobile,
                has_touch=vp.mobile,
                user_agent=_user_agent(vp),
                locale="zh-CN",
                service_workers="block",
                accept_downloads=False,
            )
        renderer = cls(playwright, browser, contexts, concurrency=concurrency, timeout=page_timeout)
        await renderer._warm()
        return renderer

    async def close(self) -> None:
        """Close every tab, the browser and Playwright."""
        try:
            await self._browser.close()
        finally:
            await self._playwright.stop()

    async def __aenter__(self) -> Renderer:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def snapshot(
        self,
        url: str,
        html: str,
        allow: Allow,
        viewport: str = DESKTOP.name,
        *,
        outline: str | None = None,
        picture: Wanted | None = None,
    ) -> Any:
        """Render `html` as the document at `url` and return the in-page script's JSON; the text
        holding the digits `outline` is outlined, and when `picture` wants it, the footer's picture
        is added (`footer_shot`, a `FooterShot` without fingerprint). Raises `RenderFailed` on a
        timeout or a browser error."""
        async with self._slots:
            try:
                page, job_box = await self._tab(viewport)
            except _error() as exc:  # the browser went away: every page left keeps its static verdict
                raise RenderFailed(f"{url}: {str(exc).splitlines()[0][:200]}") from exc
            job = _Job(urldefrag(url).url, html, allow)
            job_box[:] = [job]
            ok = False
            try:
                async with asyncio.timeout(self.timeout):
                    result = await self._render(page, job, outline, picture)
                if job.left and isinstance(result, dict):
                    result["incomplete"] = f"navigated away to {job.left}"
                ok = True
                return result
            except (TimeoutError, _error()) as exc:
                reason = "timed out" if isinstance(exc, TimeoutError) else str(exc).splitlines()[0][:200]
                raise RenderFailed(f"{url}: {reason}") from exc
            finally:
                job_box[:] = []
                if ok:
                    ok = await _blank(page)  # stops the page's timers and reloads before the next one
                if ok:
                    self._idle[viewport].append((page, job_box))
                else:  # a tab that timed out may still be busy: never reuse it
                    await _close_quietly(page)

    async def _warm(self) -> None:
        """Open one tab per viewport and lay out Chinese text in it, untimed: otherwise the run's first
        render (the homepage's) pays Chromium's cold start, a renderer process and the CJK fonts, some
        6 s on a loaded 2-core machine, inside its render_timeout, and may keep its static verdict."""
        for viewport in self._contexts:
            with contextlib.suppress(_error()):  # a failure here shows again, counted, on a page
                page, job_box = await self._tab(viewport)
                await page.set_content(WARM_HTML, timeout=WARM_SECONDS * 1000)
                if await _blank(page):
                    self._idle[viewport].append((page, job_box))

    async def _tab(self, viewport: str) -> tuple[Page, list[_Job]]:
        idle = self._idle[viewport]
        if idle:
            return idle.pop()
        page = await self._contexts[viewport].new_page()
        job_box: list[_Job] = []

        async def route(r: Route) -> None:
            await _route(r, page, job_box, self._cache)

        await page.route("**/*", route)
        await page.add_init_script(SETTLE_SCRIPT)
        return page, job_box

    async def _render(self, page: Page, job: _Job, outline: str | None, picture: Wanted | None) -> Any:
        # "commit", then a bounded wait for load: a script that navigates away while the page loads
        # (refused with a 204) leaves Playwright waiting for a load that never comes
        await page.goto(job.url, wait_until="commit", timeout=self.timeout * 1000)
        with contextlib.suppress(_error()):  # a subresource that never finishes: judge what is there
            await page.wait_for_load_state("load", timeout=min(LOAD_SECONDS, self.timeout / 2) * 1000)
        with contextlib.suppress(_error()):  # a visitor scrolls down to the footer: lazy ones load
            await page.evaluate(_SCROLL_DOWN)
        unsettled = await settle(page, min(SETTLE_SECONDS, self.timeout / 4))
        options = {
            "footerParts": list(FOOTER_NAME_PARTS),
            "sectioning": sorted(SECTIONING_TAGS),
            "inline": sorted(INLINE_TAGS),
            "outline": outline,
            "limits": DOM_LIMITS,
        }
        await page.evaluate("() => window.scrollTo(0, 0)")  # fixed boxes back where the page starts
        result = await page.evaluate(DOM_SCRIPT, options)
        if unsettled and isinstance(result, dict):
            result["incomplete"] = unsettled
        box = result.get("box") if picture is not None and isinstance(result, dict) else None
        if box and picture is not None and picture(result):
            with contextlib.suppress(_error()):  # no picture is no reason to lose the judgement
                result["footer_shot"] = await capture_footer(page, _shot_clip(box))
        return result


def async_playwright() -> PlaywrightContextManager:
    """Playwright's entry point, imported when a browser starts: no static audit pays its 7 MB."""
    from playwright.async_api import async_playwright as entry

    return entry()


def _error() -> type[Exception]:
    """Playwright's error class; only code that runs once a browser started raises or catches it, and
    by then Playwright is imported (so this costs a dictionary look-up)."""
    from playwright.async_api import Error

    return Error


def _shot_clip(box: dict[str, float]) -> FloatRect:
    """The footer's box with a margin, at most SHOT_MAX_WIDTH × SHOT_MAX_HEIGHT from its top left."""
    x, y = max(0.0, box["x"] - SHOT_MARGIN), max(0.0, box["y"] - SHOT_MARGIN)
    width = min(box["width"] + 2 * SHOT_MARGIN, SHOT_MAX_WIDTH)
    height = min(box["height"] + 2 * SHOT_MARGIN, SHOT_MAX_HEIGHT)
    return {"x": x, "y": y, "width": max(width, 1.0), "height": max(height, 1.0)}


async def _blank(page: Page) -> bool:
    """Leave the rendered page for about:blank; False when the tab does not obey in a second."""
    try:
        await page.goto("about:blank", timeout=1000)
    except _error():
        return False
    return True


async def _close_quietly(page: Page) -> None:
    with contextlib.suppress(_error()):  # the browser already closed it
        await page.close()


@dataclass
class _Cache:
    """Subresources fetched this run (routing turns the browser's HTTP cache off): a style sheet or
    script shared by every page is fetched once."""

    entries: dict[str, tuple[int, dict[str, str], bytes]] = field(default_factory=dict)
    size: int = 0


async def _fetch_cached(route: Route, cache: _Cache) -> None:
    request = route.request
    hit = cache.entries.get(request.url) if request.method == "GET" else None
    if hit is not None:
        status, headers, body = hit
        await route.fulfill(status=status, headers=headers, body=body)
        return
    response = await route.fetch(max_redirects=0, timeout=10_000)
    body = await response.body()
    if request.method == "GET" and response.status == 200 and cache.size + len(body) <= CACHE_MAX_BYTES:
        cache.entries[request.url] = (response.status, response.headers, body)
        cache.size += len(body)
    await route.fulfill(response=response, body=body)


def _as_asked(url: str) -> str:
    """A URL in one form whoever wrote it: the browser asks for the page's URL in its own (host lower
    case and punycode, path and query percent-encoded), the crawler has it as the server named it."""
    return unquote(normalise_url(url) or url)


async def _route(route: Route, page: Page, job_box: list[_Job], cache: _Cache) -> None:
    """Serve the page's own document from memory; let a same-site subresource through when the
    crawler may fetch it; block everything else (third parties, analytics, navigation away)."""
    request = route.request
    job = job_box[0] if job_box else None
    url = urldefrag(request.url).url
    try:
        if job is not None and request.is_navigation_request() and request.frame == page.main_frame:
            if not job.served and (url == job.url or _as_asked(url) == _as_asked(job.url)):
                job.served = True
                await route.fulfill(
                    status=200, headers={"content-type": "text/html; charset=utf-8"}, body=job.html
                )
            else:  # a script navigating away or reloading: 204 leaves the document as it stopped
                job.left = job.left or url[:300]  # a visitor sees another page: this render is incomplete
                if request.method not in FORWARDED_METHODS:  # a form posted to the page's own window
                    job.abort_write(request.method, request.url)
                await route.fulfill(status=204)
            return
        if job is not None and (request.method not in FORWARDED_METHODS or request.post_data_buffer):
            job.abort_write(request.method, request.url)
            await route.abort("blockedbyclient")
            return
        if job is None or job.requests >= SUBRESOURCES_MAX or not await job.allow(request.url):
            if job is not None:
                job.blocked += 1  # a count: a page that keeps requesting must not grow a list
            await route.abort("blockedbyclient")
            return
        job.requests += 1
        await _fetch_cached(route, cache)
    except _error():
        pass  # the page went away while its request was being routed
