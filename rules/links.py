"""What a filing number links to: the host of an href and the query inside a '#/…?' fragment; pure."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import SplitResult, parse_qs, urlsplit

LINKS_MEMO = 1024  # hrefs whose host and parameters are remembered (a site's footer repeats them)


def _split(href: str) -> SplitResult | None:
    try:
        return urlsplit(href.strip())
    except ValueError:  # a malformed netloc such as "http://[::1"
        return None


@lru_cache(maxsize=LINKS_MEMO)
def host_of(href: str) -> str:
    """The lower-case host of an absolute URL without port or trailing dot; "" when it has none."""
    parts = _split(href)
    try:
        host = parts.hostname if parts is not None else None
    except ValueError:
        return ""
    return (host or "").rstrip(".")


@lru_cache(maxsize=LINKS_MEMO)
def fragment_param(href: str, name: str) -> str | None:
    """A parameter of the query inside the fragment (`#/query/webSearch?code=…`), or None."""
    parts = _split(href)
    _, sep, query = (parts.fragment if parts is not None else "").partition("?")
    values = parse_qs(query).get(name) if sep else None
    return values[0].strip() if values else None


@lru_cache(maxsize=LINKS_MEMO)
def query_param(href: str, name: str) -> str | None:
    """A parameter of the URL's own query (`?recordcode=…`), or None."""
    parts = _split(href)
    values = parse_qs(parts.query).get(name) if parts is not None else None
    return values[0].strip() if values else None


def mentions_host(href: str, hosts: frozenset[str]) -> str | None:
    """Which of `hosts` the path of a link names, for an href written without `https://`
    (`<a href="beian.miit.gov.cn">`) that the browser resolved on the page's own site; else None."""
    parts = _split(href)
    path = parts.path.lower() if parts is not None else ""
    return next((h for h in sorted(hosts, key=len, reverse=True) if h in path), None)
