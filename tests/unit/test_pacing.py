"""crawler.pacing and the robots.txt Crawl-delay that slows it (crawler.robots)."""

from __future__ import annotations

import asyncio
import time

import pytest
from protego import Protego

from crawler.pacing import HostPacer
from crawler.robots import CRAWL_DELAY_CAP, Robots


@pytest.mark.parametrize(
    ("robots_txt", "delay"),
    [
        pytest.param("User-agent: *\nCrawl-delay: 0.3\n", 0.3, id="star-group"),
        pytest.param(
            "User-agent: *\nCrawl-delay: 1\n\nUser-agent: icp-audit\nCrawl-delay: 4\n", 4.0, id="ours"
        ),
        pytest.param("User-agent: otherbot\nCrawl-delay: 9\n", 0.0, id="other-bot"),
        pytest.param("User-agent: *\nDisallow: /x\n", 0.0, id="none"),
        pytest.param("User-agent: *\nCrawl-delay: soon\n", 0.0, id="junk"),
        pytest.param("User-agent: *\nCrawl-delay: -2\n", 0.0, id="negative"),
        pytest.param("User-agent: *\nCrawl-delay: 3600\n", CRAWL_DELAY_CAP, id="capped"),
    ],
)
def test_crawl_delay_for_our_token(robots_txt: str, delay: float) -> None:
    assert Robots("https://x.cn", Protego.parse(robots_txt)).crawl_delay == delay


@pytest.mark.parametrize(
    "robots", [Robots("https://x.cn", None), Robots("https://x.cn", None, unreachable=True)]
)
def test_no_robots_no_delay(robots: Robots) -> None:
    assert robots.crawl_delay == 0.0


@pytest.mark.parametrize(
    ("rate", "delays", "interval"),
    [
        pytest.param(0, [], 0.0, id="unlimited"),
        pytest.param(2, [], 0.5, id="rate"),
        pytest.param(2, [3.0], 3.0, id="delay-slower"),
        pytest.param(2, [0.1], 0.5, id="rate-slower"),
        pytest.param(0, [0.3], 0.3, id="delay-without-rate"),
        pytest.param(2, [3.0, 1.0], 3.0, id="largest-delay-wins"),
        pytest.param(2, [0.0], 0.5, id="zero-delay-ignored"),
    ],
)
def test_interval_is_the_slower_of_rate_and_delay(rate: float, delays: list[float], interval: float) -> None:
    pacer = HostPacer(rate)
    for delay in delays:
        pacer.honour_delay("x.cn", delay)
    assert pacer.interval("x.cn") == interval
    assert pacer.interval("other.cn") == (1 / rate if rate else 0.0)  # per host


def test_wait_spaces_requests_by_the_crawl_delay() -> None:
    async def three_waits() -> float:
        pacer = HostPacer(0)
        pacer.honour_delay("x.cn", 0.05)
        start = time.monotonic()
        for _ in range(3):
            await pacer.wait("x.cn")
        await pacer.wait("other.cn")  # another host is not held back
        return time.monotonic() - start

    assert asyncio.run(three_waits()) >= 0.1
