"""Sitemaps (sitemaps.org: XML, an index of them, or text): the page URLs a site lists, read through
`fetch`; every problem said, never silent.

A sitemap is written by strangers: its entries may be malformed URLs, it may be cut off, huge, not
gzip although named .gz, or an index naming thousands of others. Parsing is one linear pass (an
unclosed `<loc>` costs nothing more), each file is read up to the protocol's own limits, and whatever
could not be used is returned as a problem against the sitemap's URL for the site finding NET-003.
"""

from __future__ import annotations

import html
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import httpx

from crawler.fetch import FetchResult, FetchSettings, fetch
from crawler.urls import normalise_url

MAX_SITEMAPS = 20  # files per origin: sitemap indexes can fan out; bound the work
MAX_SITEMAP_BYTES = 52_428_800  # 50 MiB uncompressed, the protocol's limit for one file
MAX_SITEMAP_URLS = 50_000  # entries of one file, the protocol's limit
BAD_EXAMPLES = 3  # malformed entries quoted per sitemap
_LOC_TAG = re.compile(rb"<(/?)loc\s*>", re.I)
_ROOT = re.compile(rb"<(sitemapindex|urlset)[\s>]")
_GZIP_MAGIC = b"\x1f\x8b"

Problem = tuple[str, str]  # (URL of the sitemap or robots.txt, what could not be used)


@dataclass(slots=True)
class Parsed:
    """One sitemap file read: its kind, the URLs it lists, the entries that are no URL, whether cut."""

    is_index: bool
    urls: list[str] = field(default_factory=list)
    bad: list[str] = field(default_factory=list)
    cut: bool = False


@dataclass(slots=True)
class Found:
    """What the sitemaps of one origin gave: page URLs (normalised) and problems."""

    pages: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def locs(body: bytes) -> Iterator[bytes]:
    """The text of each `<loc>…</loc>`, in one pass: a `<loc>` left open is dropped at the next one."""
    start: int | None = None
    for tag in _LOC_TAG.finditer(body):
        if not tag.group(1):
            start = tag.end()
        elif start is not None:
            yield body[start : tag.start()]
            start = None


def parse_sitemap(body: bytes, limit: int = MAX_SITEMAP_URLS) -> Parsed | None:
    """The entries of an XML sitemap or sitemap index, or of a text sitemap (one URL a line), at most
    `limit`; None for a body that is neither. Pure and linear in the body."""
    root = _ROOT.search(body)
    if root is not None:
        entries = (html.unescape(raw.decode("utf-8", "replace")) for raw in locs(body))
        return _entries(Parsed(is_index=root.group(1) == b"sitemapindex"), entries, limit)
    if body[:1024].lstrip()[:4].lower() == b"http":  # sitemaps.org allows plain text, e.g. sitemap.txt
        lines = (line.decode("utf-8", "replace") for line in body.splitlines() if line.strip())
        return _entries(Parsed(is_index=False), lines, limit)
    return None


def _entries(parsed: Parsed, entries: Iterator[str], limit: int) -> Parsed:
    for entry in entries:
        if len(parsed.urls) + len(parsed.bad) >= limit:
            parsed.cut = True
            break
        text = entry.strip()
        url = normalise_url(text)
        if url is None:
            parsed.bad.append(text[:200])  # enough to quote; a huge entry is not kept whole
        else:
            parsed.urls.append(url)
    return parsed


def gunzip(data: bytes, limit: int) -> tuple[bytes, str]:
    """Inflate a .xml.gz sitemap to at most `limit` bytes: (bytes, problem or "")."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error as exc:
        return b"", f"corrupt gzip file ({exc}): not read"
    if len(out) > limit:
        return out[:limit], f"larger than {limit:,} bytes uncompressed: only the first {limit:,} were read"
    if not inflater.eof:
        return out, f"gzip file ends early: the first {len(out):,} bytes were read"
    return out, ""


def _content(result: FetchResult, url: str) -> tuple[Parsed | None, list[Problem]]:
    """The sitemap in a fetch result, parsed, with what was wrong with it."""
    problems: list[Problem] = []
    if result.body is None:
        return None, [(url, f"could not be fetched: {_failure(result)}")]
    body = result.body
    if result.truncated:
        problems.append((url, f"larger than {len(body):,} bytes: only the first {len(body):,} were read"))
    if body[:2] == _GZIP_MAGIC:
        body, problem = gunzip(body, MAX_SITEMAP_BYTES)
        if problem:
            problems.append((url, problem))
    parsed = parse_sitemap(body)
    if parsed is None:
        if body:
            problems.append((url, "not a sitemap: no <urlset> or <sitemapindex>, nor URLs one a line"))
        return None, problems
    return parsed, problems + _entry_problems(url, parsed)


def _failure(result: FetchResult) -> str:
    if result.status is not None and result.status >= 400:
        return f"HTTP {result.status}"
    what = result.error.value if result.error else "no body"
    return f"{what}: {result.error_detail}" if result.error_detail else what


def _entry_problems(url: str, parsed: Parsed) -> list[Problem]:
    problems: list[Problem] = []
    if parsed.bad:
        examples = ", ".join(repr(b[:100]) for b in parsed.bad[:BAD_EXAMPLES])
        problems.append((url, f"{len(parsed.bad)} entries are not http(s) URLs and were ignored: {examples}"))
    if parsed.cut:
        problems.append((url, f"lists more than {MAX_SITEMAP_URLS:,} URLs: the rest were ignored"))
    return problems


async def read_sitemaps(
    client: httpx.AsyncClient,
    listed: list[str],
    settings: FetchSettings,
    may_fetch: Callable[[str], bool],
    *,
    source: str,
    guessed: bool = False,
) -> Found:
    """Page URLs listed by the sitemaps `source` (robots.txt) names and the indexes they name (bounded).

    `may_fetch` (scope and robots) is asked about every sitemap, also those an index names. `guessed`:
    `listed` is the conventional /sitemap.xml nobody named, whose absence is no problem.
    """
    found, queue, seen = Found(), list[str](), set[str]()
    for raw in dict.fromkeys(listed):
        url = normalise_url(raw)
        if url is None:
            found.problems.append((source, f"names a sitemap that is no http(s) URL: {raw[:100]!r}"))
        else:
            _admit(url, source, queue, seen, may_fetch, found)
    for read, url in enumerate(queue):
        if read == MAX_SITEMAPS:
            unread = len(queue) - read
            found.problems.append((url, f"not read: over {MAX_SITEMAPS} sitemaps ({unread} left unread)"))
            break
        result = await fetch(client, url, settings)
        parsed, problems = _content(result, url)
        if not (guessed and read == 0 and parsed is None):  # no sitemap where none was named: none meant
            found.problems += problems
        if parsed is None:
            continue
        for entry in parsed.urls:
            if parsed.is_index:
                _admit(entry, url, queue, seen, may_fetch, found)
            else:
                found.pages.append(entry)
    return found


def _admit(
    url: str, source: str, queue: list[str], seen: set[str], may_fetch: Callable[[str], bool], found: Found
) -> None:
    if url in seen:
        return
    seen.add(url)
    if may_fetch(url):
        queue.append(url)
    else:
        found.problems.append((url, f"named by {source} but not read: outside the crawl scope or disallowed"))
