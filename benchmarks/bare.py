"""The bare loop: the floor our stack allows for a crawl (fetch with httpx, parse with Lexbor, follow links).

The same `httpx.AsyncClient` settings as an audit (crawler.client.make_client on the same profile),
the same number of workers, a seen-set of URLs; nothing else: no extraction, rules or storage.
Run as `python -m benchmarks.bare PROFILE START_URL`; prints the number of HTML pages fetched.
"""

from __future__ import annotations

import asyncio
import sys
from collections import deque
from collections.abc import Callable, Iterable
from urllib.parse import urldefrag, urljoin, urlsplit

import httpx
from selectolax.lexbor import LexborHTMLParser

from crawler.client import make_client
from crawler.profiles import load_profile, with_overrides

# What a crawl does with one fetched HTML page: (url, response) -> the URLs it links to.
PageWork = Callable[[str, httpx.Response], Iterable[str]]


def parse_links(url: str, response: httpx.Response) -> Iterable[str]:
    """The bare loop's work per page: a Lexbor parse and its <a href> targets, nothing else."""
    for a in LexborHTMLParser(response.content).css("a[href]"):
        href = a.attributes.get("href")
        if href:
            yield urldefrag(urljoin(url, href)).url


async def crawl(
    client: httpx.AsyncClient, start: str, workers: int, max_pages: int, work: PageWork = parse_links
) -> int:
    """Breadth-first over same-host links from `start`, doing `work` on every HTML page; returns the pages."""
    host = urlsplit(start).netloc
    seen = {start}
    queue: deque[str] = deque([start])
    active = 0
    pages = 0
    wake = asyncio.Event()

    async def worker() -> None:
        nonlocal active, pages
        while True:
            if not queue:
                if active == 0:
                    wake.set()
                    return
                wake.clear()
                await wake.wait()
                continue
            url = queue.popleft()
            active += 1
            try:
                response = await client.get(url)
                if response.status_code == 200 and "html" in response.headers.get("content-type", ""):
                    pages += 1
                    for link in work(url, response):
                        if link not in seen and urlsplit(link).netloc == host and len(seen) < max_pages:
                            seen.add(link)
                            queue.append(link)
            finally:
                active -= 1
                wake.set()

    await asyncio.gather(*(worker() for _ in range(workers)))
    return pages


async def main(profile_path: str, start: str) -> int:
    profile = with_overrides(load_profile(profile_path), start_urls=(start,), max_pages=None, max_depth=None)
    async with make_client(profile) as client:
        return await crawl(client, start, profile.crawl.concurrency, profile.crawl.max_pages)


if __name__ == "__main__":
    print(asyncio.run(main(sys.argv[1], sys.argv[2])))
