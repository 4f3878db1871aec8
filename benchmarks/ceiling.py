"""The ceiling of one process: the bare loop plus the judging every page needs (decode, extract, page rules).

What `icp-audit audit` would reach with nothing else (no fetch wrapper, storage, report): its pages/s
beside the bare loop's is the highest ratio a single-process audit can have (benchmarks/README.md).
Run as `python -m benchmarks.ceiling PROFILE START_URL`; prints the number of HTML pages judged.
"""

from __future__ import annotations

import asyncio
import sys
from collections import deque
from datetime import date
from urllib.parse import urlsplit

import httpx

from crawler.audit import make_policy
from crawler.client import make_client
from crawler.decode import decode_body
from crawler.extract import extract
from crawler.profiles import load_profile, with_overrides
from rules.judge import judge_page
from rules.policy import Policy

TODAY = date(2026, 1, 15)


async def crawl(client: httpx.AsyncClient, start: str, workers: int, max_pages: int, policy: Policy) -> int:
    """Breadth-first over same-host links from `start`, judging every HTML page; returns the pages."""
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
                kind = response.headers.get("content-type", "")
                if response.status_code == 200 and "html" in kind:
                    pages += 1
                    html, _ = decode_body(response.content, kind)
                    extracted = extract(html, url, url, is_homepage=url == start)
                    judge_page(extracted.facts, policy)
                    for link in extracted.links:
                        if link not in seen and urlsplit(link).netloc == host and len(seen) < max_pages:
                            seen.add(link)
                            queue.append(link)
            finally:
                active -= 1
                wake.set()

    await asyncio.gather(*(worker() for _ in range(workers)))
    return pages


async def main(profile_path: str, start: str) -> int:
    profile = with_overrides(load_profile(profile_path), start_urls=(start,))
    policy = make_policy(profile, TODAY)
    async with make_client(profile) as client:
        return await crawl(client, start, profile.crawl.concurrency, profile.crawl.max_pages, policy)


if __name__ == "__main__":
    print(asyncio.run(main(sys.argv[1], sys.argv[2])))
