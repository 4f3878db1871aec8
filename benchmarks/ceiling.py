"""The ceiling of one process: the bare loop plus the judging every page needs (decode, extract, page rules).

What `icp-audit audit` would reach with nothing else (no fetch wrapper, storage, report): its pages/s
beside the bare loop's is the highest ratio a single-process audit can have (benchmarks/README.md).
Run as `python -m benchmarks.ceiling PROFILE START_URL`; prints the number of HTML pages judged.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterable
from datetime import date

import httpx

from benchmarks.bare import PageWork, crawl
from crawler.audit import make_policy
from crawler.client import make_client
from crawler.decode import decode_body
from crawler.extract import extract
from crawler.profiles import load_profile, with_overrides
from rules.judge import judge_page
from rules.policy import Policy

TODAY = date(2026, 1, 15)


def judging(policy: Policy, start: str) -> PageWork:
    """The ceiling's work per page: decode, extract and judge it, then follow its links."""

    def work(url: str, response: httpx.Response) -> Iterable[str]:
        html, _ = decode_body(response.content, response.headers.get("content-type", ""))
        extracted = extract(html, url, url, is_homepage=url == start)
        judge_page(extracted.facts, policy)
        return extracted.links

    return work


async def main(profile_path: str, start: str) -> int:
    profile = with_overrides(load_profile(profile_path), start_urls=(start,))
    policy = make_policy(profile, TODAY)
    async with make_client(profile) as client:
        return await crawl(
            client, start, profile.crawl.concurrency, profile.crawl.max_pages, judging(policy, start)
        )


if __name__ == "__main__":
    print(asyncio.run(main(sys.argv[1], sys.argv[2])))
