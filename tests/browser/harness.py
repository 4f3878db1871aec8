"""Browser-test harness: headless Debian Chromium, a page that records what it did, font probes, the CLI."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserType, Dialog, Page, Route

from crawler.render.browser import CHROMIUM_FLAGS

CHROMIUM = Path("/usr/bin/chromium")  # Debian's package (.ci/run installs it); never a downloaded browser
ARGS = list(CHROMIUM_FLAGS)  # the product's own flags: the tests start Chromium as an audit does
Reports = dict[tuple[str, str], Path]  # ("run" | "index", "zh" | "en") -> the HTML file
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")  # Chinese characters: what tofu would hit first
BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def icp_audit(*args: str) -> subprocess.CompletedProcess[str]:
    """The CLI in a child process: Playwright's sync API holds this process's event loop (no asyncio.run here)."""
    return subprocess.run(
        [sys.executable, "-m", "crawler", *args], capture_output=True, text=True, timeout=60, check=False
    )


def launch(chromium: BrowserType, env: Mapping[str, str] | None = None) -> Browser:
    """The installed Chromium, headless, with nothing in the background that could reach the network."""
    if not CHROMIUM.is_file():
        raise RuntimeError(
            f"{CHROMIUM} is missing: run `apt-get install chromium fonts-noto-cjk` (see README)"
        )
    return chromium.launch(executable_path=str(CHROMIUM), args=ARGS, env=env)


@dataclass
class Visit:
    """A report opened from its file, and everything it tried to do while open."""

    page: Page
    url: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def _route(self, route: Route) -> None:
        # the file itself loads; anything else (http, https, another file) is refused and recorded
        if route.request.url == self.url:
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def _dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def assert_quiet(self) -> None:
        """No console error, no uncaught exception, no dialog, and no request beyond the file itself."""
        assert self.console_errors == []
        assert self.page_errors == []
        assert self.dialogs == []
        assert self.blocked == []
        assert self.requests == [self.url]


@contextmanager
def open_file(
    browser: Browser, path: Path, *, bypass_csp: bool = False, width: int = 1280
) -> Iterator[Visit]:
    """Open `path` from its file:// URL in a fresh context (JavaScript on) that records console, requests, dialogs."""
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=bypass_csp)
    context.set_default_timeout(5_000)  # a missing element fails in seconds, not pytest's two minutes
    try:
        page = context.new_page()
        visit = Visit(page, path.resolve().as_uri())
        page.on("console", lambda m: visit.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: visit.page_errors.append(str(e)))
        page.on("request", lambda r: visit.requests.append(r.url))
        page.on("dialog", visit._dialog)
        context.route("**/*", visit._route)
        page.goto(visit.url, wait_until="load")
        yield visit
    finally:
        context.close()


def screenshot(page: Page, name: str) -> Path:
    """A full-page PNG under test-artifacts/screenshots/ (overwritten each run), for people to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# Marks each rendered element whose own text nodes hold Chinese (the first of each distinct text: a label
# repeated 30 times is drawn the same way 30 times) and returns those texts in document order.
_MARK_HAN = """() => {
  const han = /[\\u3400-\\u4dbf\\u4e00-\\u9fff]/;
  const seen = new Set();
  for (const el of document.body.querySelectorAll('*')) {
    const own = [...el.childNodes].filter(n => n.nodeType === Node.TEXT_NODE).map(n => n.data).join('');
    if (!han.test(own) || seen.has(own) || !el.checkVisibility()) continue;
    el.setAttribute('data-han-probe', '');
    seen.add(own);
  }
  return [...seen];
}"""


def han_fonts(page: Page) -> list[tuple[str, list[dict[str, Any]]]]:
    """For each rendered element with Chinese text: that text and the platform fonts Chromium drew it with.

    CSS.getPlatformFontsForNode names the font files that actually produced the glyphs of the node's
    own text (after fallback), so tofu shows as a non-CJK family (e.g. DejaVu Sans) drawing the Han.
    """
    texts: list[str] = page.evaluate(_MARK_HAN)
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        nodes = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": "[data-han-probe]"})["nodeIds"]
        fonts = [cdp.send("CSS.getPlatformFontsForNode", {"nodeId": n})["fonts"] for n in nodes]
        return list(zip(texts, fonts, strict=True))
    finally:
        cdp.detach()


def tofu(found: list[tuple[str, list[dict[str, Any]]]]) -> list[str]:
    """The texts whose Chinese characters were not all drawn by a CJK font (fonts-noto-cjk), with the fonts used."""
    bad = []
    for text, fonts in found:
        cjk_glyphs = sum(f["glyphCount"] for f in fonts if "CJK" in f["familyName"])
        if cjk_glyphs < len(HAN.findall(text)):
            bad.append(f"{text.strip()[:40]!r}: {[(f['familyName'], f['glyphCount']) for f in fonts]}")
    return bad
