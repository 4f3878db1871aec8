"""The crawl frontier: which URLs to visit, in what order, and which are skipped and why; pure."""

from __future__ import annotations

import re
from collections import Counter, deque
from dataclasses import dataclass, field

from crawler.urls import Scope, normalise_url, normalised_in_scope

# Refused URLs (over a cap, excluded, too deep) remembered so that each is counted once: about 15 MB.
# Beyond, a site with endless session ids would grow the seen-set with every link; refusals are then
# still returned (and counted) but not remembered, so a URL linked twice may be counted twice.
REFUSED_MEMORY = 100_000


@dataclass(frozen=True, slots=True)
class Visit:
    """A URL admitted for fetching, with its depth and how it was found."""

    url: str
    depth: int
    via: str  # "start", "link" or "sitemap"


@dataclass(frozen=True, slots=True)
class Skip:
    """An in-scope URL that will not be fetched, with the reason recorded for it."""

    url: str
    depth: int
    reason: str


@dataclass
class Frontier:
    """Breadth-first frontier over normalised URLs, bounded by page, depth and query-variant caps.

    Holds URLs, never responses. Off-scope URLs (a scheme, host or port none of the scope's origins
    has) are dropped silently: they are not part of the site.
    `max_query_variants` (0 = no limit) bounds the URLs admitted per path that differ only in the
    query string, so an endless calendar (?month=N linking to N+1) cannot eat the page budget.
    At most `refused_memory` refused URLs are remembered (`forgetting` once one was not).
    """

    scope: Scope
    max_pages: int
    max_depth: int
    exclude: tuple[re.Pattern[str], ...] = ()
    max_query_variants: int = 0
    seen: set[str] = field(default_factory=set)
    queue: deque[Visit] = field(default_factory=deque)
    admitted: int = 0
    # Too deep when first seen, but a shallower link may still reach them while workers run.
    too_deep: dict[str, Skip] = field(default_factory=dict)
    variants: Counter[str] = field(default_factory=Counter)  # admitted URLs with a query, per path
    refused_memory: int = REFUSED_MEMORY
    forgetting: bool = False

    def offer(self, raw_url: str, depth: int, via: str, base: str | None = None) -> Skip | None:
        """Consider one discovered URL; queue it, drop it, or return the Skip to record."""
        url = normalise_url(raw_url, base)
        if url is None or not normalised_in_scope(url, self.scope) or url in self.seen:
            return None
        if depth > self.max_depth:
            skip = Skip(url, depth, f"over max_depth {self.max_depth}")
            if url in self.too_deep or self._remember():
                self.too_deep.setdefault(url, skip)
                return None
            return skip  # not remembered: recorded now (a shallower link may still admit it)
        path, _, query = url.partition("?")
        refusal = self._refusal(url, path, query)
        if refusal is not None:
            if url in self.too_deep or self._remember():
                self.seen.add(url)
                self.too_deep.pop(url, None)
            return Skip(url, depth, refusal)
        self.seen.add(url)
        self.too_deep.pop(url, None)
        self.admitted += 1
        self.variants[path] += bool(query)
        self.queue.append(Visit(url, depth, via))
        return None

    def _refusal(self, url: str, path: str, query: str) -> str | None:
        if any(p.search(url) for p in self.exclude):
            return "excluded by the profile's crawl.exclude"
        if query and self.max_query_variants and self.variants[path] >= self.max_query_variants:
            return f"over max_query_variants {self.max_query_variants} for {path}"
        if self.admitted >= self.max_pages:
            return f"over max_pages {self.max_pages}"
        return None

    def _remember(self) -> bool:
        """Whether one more refused URL fits in memory; once not, `forgetting` is set."""
        if len(self.seen) - self.admitted + len(self.too_deep) < self.refused_memory:
            return True
        self.forgetting = True
        return False

    def leftovers(self) -> list[Skip]:
        """The too-deep URLs no shallower link reached: recorded as skipped once the crawl is over."""
        skips, self.too_deep = list(self.too_deep.values()), {}
        self.seen.update(s.url for s in skips)
        return skips

    def pop(self) -> Visit | None:
        """The next URL to fetch, or None when the frontier is empty."""
        return self.queue.popleft() if self.queue else None
