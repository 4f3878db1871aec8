"""URL normalisation and scope tests used by the frontier; pure."""

from __future__ import annotations

import functools
import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}
# Parameters that only track where a visitor came from; they never change the page.
_TRACKING = re.compile(
    r"^(utm_\w+|gclid|fbclid|msclkid|yclid|dclid|mc_cid|mc_eid|_hsenc|_hsmi|spm|igshid)$", re.I
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")  # httpx refuses them; a browser would not follow them either
MAX_URL_LENGTH = 4096
_IGNORED_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "sms:", "ftp:", "file:")


# Pages of a site repeat the same links (navigation, footer): remembering the latest answers makes
# the frontier's test of a known link a lookup. Bounded, so memory stays flat on big sites.
@functools.lru_cache(maxsize=4096)
def normalise_url(url: str, base: str | None = None) -> str | None:
    """Canonical form of an http(s) URL, or None for anything that is not one.

    Resolves against `base`, drops the fragment, lower-cases scheme and host, removes the default
    port and tracking parameters (utm_*, gclid, …), and gives an empty path as '/'.
    """
    url = url.strip()
    if (
        not url
        or len(url) > MAX_URL_LENGTH
        or url.lower().startswith(_IGNORED_SCHEMES)
        or _CONTROL.search(url)
    ):
        return None
    if base is not None:
        url = urljoin(base, url)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if scheme not in _DEFAULT_PORTS or not host:
        return None
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    if ":" in host:  # IPv6 literal
        netloc = f"[{host}]" if port in (None, _DEFAULT_PORTS[scheme]) else f"[{host}]:{port}"
    return urlunsplit((scheme, netloc, parts.path or "/", _without_tracking(parts.query), ""))


def _without_tracking(query: str) -> str:
    pairs = parse_qsl(query, keep_blank_values=True)
    if not any(_TRACKING.match(k) for k, _ in pairs):
        return query  # untouched: re-encoding could change what the server sees ('?a' vs '?a=')
    return urlencode([(k, v) for k, v in pairs if not _TRACKING.match(k)])


@functools.lru_cache(maxsize=4096)
def host_of(url: str) -> str:
    """The lower-case host of a URL ('' when it has none)."""
    return (urlsplit(url).hostname or "").lower()


def in_scope(url: str, hosts: frozenset[str]) -> bool:
    """True when the URL's host is one of the crawl's hosts (exact match: www. is a different host)."""
    return host_of(url) in hosts


def origin_of(url: str) -> str:
    """scheme://host[:port] of a URL, the key for robots.txt and rate limits."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def is_homepage(url: str) -> bool:
    """A URL whose path is the site root (or an index file at the root)."""
    path = urlsplit(url).path
    return (
        path in ("", "/") or re.fullmatch(r"/(index|default)\.(html?|php|aspx?|jsp)", path, re.I) is not None
    )
