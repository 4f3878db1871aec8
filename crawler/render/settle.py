"""The settle wait of one render: after load, until the network is quiet and the document's text has
stopped changing (no short timer still due), bounded; why a render is incomplete when it never settles; I/O.

A footer line a timer adds after load is part of what a visitor sees; a document whose text keeps
changing, or whose parser never reached its end, is not a finished page and keeps its static facts.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.async_api import Page

SETTLE_SECONDS = 3.0  # at most this long after load for the network and the DOM to go quiet
QUIET_MS = 300  # the DOM is settled once its text has not changed for this long and no short timer is due

# Installed before any page script (every document of a tab): when the document's text last changed
# (childList and characterData mutations; attribute changes such as a carousel's are not text) and
# which timers set with a delay within the settle bound have not fired yet, so the settle wait sees
# a footer line a timer adds 1.5 s after load. Non-writable: a page cannot fake being settled later.
SETTLE_SCRIPT = """(() => {
  if (window.top !== window || window.__icpAuditQuiet) return;
  const state = { last: Date.now(), due: new Set() };
  const set = window.setTimeout, clear = window.clearTimeout;
  window.setTimeout = function (fn, delay, ...rest) {
    if (typeof fn !== 'function' || !(Number(delay || 0) <= SETTLE_MS)) return set.call(window, fn, delay, ...rest);
    const id = set.call(window, function () { state.due.delete(id); return fn.apply(this, rest); }, delay);
    state.due.add(id);
    return id;
  };
  window.clearTimeout = function (id) { state.due.delete(id); return clear.call(window, id); };
  new MutationObserver(() => { state.last = Date.now(); })
    .observe(document, { childList: true, subtree: true, characterData: true });
  Object.defineProperty(window, '__icpAuditQuiet', {
    value: (ms, timers) => (!timers || state.due.size === 0) && Date.now() - state.last >= ms,
  });
})()""".replace("SETTLE_MS", str(int(SETTLE_SECONDS * 1000)))
_QUIET = "([ms, timers]) => !window.__icpAuditQuiet || window.__icpAuditQuiet(ms, timers)"


async def settle(page: Page, bound: float) -> str:
    """Wait, at most `bound` seconds after load, for the network to go quiet, then for the DOM's text
    to stay unchanged for QUIET_MS with no short timer due; why the render is incomplete when the
    document never finished loading or its text was still changing at the bound, else ""."""
    from playwright.async_api import Error  # imported by now: a browser is running

    deadline = asyncio.get_running_loop().time() + bound
    with contextlib.suppress(Error):  # a page that keeps polling: judge it as it is then
        await page.wait_for_load_state("networkidle", timeout=bound * 1000)
    left = max(deadline - asyncio.get_running_loop().time(), 0.0)
    settled = False
    with contextlib.suppress(Error):  # a timer chain that never ends: only the text's changes count
        await page.wait_for_function(_QUIET, arg=[QUIET_MS, True], polling=100, timeout=left * 1000 + 1)
        settled = True
    try:
        if await page.evaluate("() => document.readyState") == "loading":
            return "the document never finished loading"  # a blocking script held the parser
        settled = settled or await page.evaluate(_QUIET, [QUIET_MS, False])
    except Error:
        return ""  # the snapshot that follows fails the render if the page is gone
    return "" if settled else f"its text was still changing {bound:g} s after load"
