"""The one httpx client of a run, built from the profile; I/O."""

from __future__ import annotations

from http.cookiejar import CookieJar, DefaultCookiePolicy

import httpx

from crawler import __version__
from crawler.body import ACCEPT_ENCODING
from crawler.config import Profile

PROJECT_URL = "https://pypi.org/project/icp-audit/"
USER_AGENT = f"icp-audit/{__version__} (+{PROJECT_URL})"
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def make_client(profile: Profile) -> httpx.AsyncClient:
    """An AsyncClient with the profile's timeouts and concurrency, our User-Agent and env proxies.

    Redirects are followed by `fetch` itself (each hop is checked against the scope), never by httpx.
    Certificates are always verified. Cookies are the run's (`FetchSettings.cookies`): httpx's own
    jar accepts none, so a cookie it cannot send (a non-ASCII value) never reaches a request.
    """
    crawl = profile.crawl
    return httpx.AsyncClient(
        headers={
            "User-Agent": USER_AGENT,
            "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
            "Accept-Encoding": ACCEPT_ENCODING,
        },
        timeout=httpx.Timeout(crawl.timeout, connect=min(crawl.timeout, 10.0)),
        limits=httpx.Limits(
            max_connections=crawl.concurrency * 2, max_keepalive_connections=crawl.concurrency
        ),
        follow_redirects=False,
        cookies=CookieJar(DefaultCookiePolicy(allowed_domains=[])),
        http2=True,
        # Proxies come from the environment, but never for a crawl of this machine (demo, tests).
        trust_env=not profile.site.hosts <= LOOPBACK,
    )
