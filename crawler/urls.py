"""URL normalisation and the crawl scope (scheme + host + port); pure.

Hosts are compared in one form everywhere: lower case, no trailing dot, IDNA (punycode) for
internationalised names, so `http://例子.测试/` and `http://xn--fsqu00a.xn--0zwm56d/` are one site.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import idna

_DEFAULT_PORTS = {"http": 80, "https": 443}
# Parameters that only track where a visitor came from; they never change the page.
_TRACKING = re.compile(
    r"^(utm_\w+|gclid|fbclid|msclkid|yclid|dclid|mc_cid|mc_eid|_hsenc|_hsmi|spm|igshid)$", re.I
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")  # httpx refuses them; a browser would not follow them either
MAX_URL_LENGTH = 4096
_IGNORED_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "sms:", "ftp:", "file:")
HOST_MAX = 1024  # characters of a host name as written (UTS #46 may drop some: more than 253)
CACHED_PART_MAX = 300  # characters of a host or scheme://netloc whose answers are remembered


# Pages of a site repeat the same links (navigation, footer): remembering the latest answers makes
# the frontier's test of a known link a lookup. Bounded, so memory stays flat on big sites.
@functools.lru_cache(maxsize=4096)
def normalise_url(url: str, base: str | None = None) -> str | None:
    """Canonical form of an http(s) URL, or None for anything that is not one.

    Resolves against `base`, drops the fragment, lower-cases the scheme, normalises the host
    (`normalise_host`: lower case, no trailing dot, punycode), removes the default port and tracking
    parameters (utm_*, gclid, …), and gives an empty path as '/'.
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
    host = normalise_host(parts.hostname or "")
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


def normalise_host(host: str) -> str | None:
    """A host name as the crawl compares it: lower case, no trailing dot, IDNA A-labels (punycode) for
    an internationalised name (UTS #46 mapping, as browsers do: full-width letters and 。 fold too);
    None when it is empty or no valid name. IPv6 literals come without brackets and stay as they are."""
    # remembered only when short: a hostile page's 4,000-character names must not fill the cache
    return _normalise_host_cached(host) if len(host) <= CACHED_PART_MAX else _normalise_host(host)


def _normalise_host(host: str) -> str | None:
    host = host.strip()
    if len(host) > HOST_MAX:
        return None  # no valid name (at most 253 characters once encoded): not worth IDNA's time
    if not host.isascii():
        try:
            host = idna.encode(host, uts46=True).decode("ascii")
        except UnicodeError:  # idna.IDNAError is one
            try:  # IDNA 2003 (the standard codec) still takes some names IDNA 2008 refuses
                host = host.encode("idna").decode("ascii")
            except UnicodeError:
                return None
    host = host.lower().rstrip(".")
    return host or None


_normalise_host_cached = functools.lru_cache(maxsize=4096)(_normalise_host)
# scheme://netloc, all that decides a URL's host and origin (urlsplit ends the netloc at / ? #)
_ORIGIN_PART = re.compile(r"[^/?#]*(?://[^/?#]*)?")


def _origin_part(url: str) -> str:
    found = _ORIGIN_PART.match(url.strip())
    return found[0] if found else ""


def host_of(url: str) -> str:
    """The normalised host of a URL ('' when it has none or it is malformed)."""
    part = _origin_part(url)
    return _host_of_cached(part) if len(part) <= CACHED_PART_MAX else _host_of(part)


def _host_of(part: str) -> str:
    try:
        return normalise_host(urlsplit(part).hostname or "") or ""
    except ValueError:
        return ""


def origin_of(url: str) -> str:
    """scheme://host[:port] of a URL, normalised (the default port left out): the key for robots.txt and
    the crawl scope; '' for a URL that is not http(s) or is malformed."""
    part = _origin_part(url)
    return _origin_of_cached(part) if len(part) <= CACHED_PART_MAX else _origin_of(part)


def _origin_of(part: str) -> str:
    try:
        parts = urlsplit(part)
        port = parts.port
    except ValueError:
        return ""
    scheme, host = parts.scheme.lower(), normalise_host(parts.hostname or "")
    if scheme not in _DEFAULT_PORTS or not host:
        return ""
    return _origin(scheme, host, port)


# Keyed by scheme://netloc only (never a whole URL: a browser request may be megabytes long).
_host_of_cached = functools.lru_cache(maxsize=4096)(_host_of)
_origin_of_cached = functools.lru_cache(maxsize=4096)(_origin_of)


def _origin(scheme: str, host: str, port: int | None) -> str:
    netloc = f"[{host}]" if ":" in host else host  # an IPv6 literal
    return f"{scheme}://{netloc}" if port in (None, _DEFAULT_PORTS[scheme]) else f"{scheme}://{netloc}:{port}"


@dataclass(frozen=True, slots=True)
class Scope:
    """The origins (scheme://host[:port], normalised) a crawl may request; everything else is off-site."""

    origins: frozenset[str]

    @classmethod
    def of(cls, entries: Iterable[str], start_urls: Iterable[str] = ()) -> Scope:
        """The scope of `allowed_hosts` entries (see `scope_entry`) and start URLs: a start URL on its
        scheme's default port stands for its host (http and https, so the site's own http→https
        redirect is followed); one on another port for exactly its origin."""
        origins: set[str] = set()
        for entry in entries:
            origins.update(scope_entry(entry))
        for url in start_urls:
            origin = origin_of(url)
            if origin:
                default = urlsplit(origin).port is None
                origins.update(_on_port(host_of(url), None) if default else (origin,))
        return cls(frozenset(origins))

    @property
    def hosts(self) -> frozenset[str]:
        """The normalised host names in scope, whatever the port."""
        return frozenset(host_of(o) for o in self.origins)

    def __contains__(self, url: object) -> bool:
        return isinstance(url, str) and origin_of(url) in self.origins


_HOST_PORT = re.compile(r"(?P<host>\[[^\]]*\]|[^:\[\]]+)(?::(?P<port>\d{1,5}))?")
_NOT_IN_HOST = re.compile(r"[\s/?#@\\]")


def scope_entry(entry: str) -> tuple[str, ...]:
    """The origins one `allowed_hosts` entry stands for; raises ValueError saying how to write it.

    `host` is that host on the default ports (http://host and https://host); `host:port` is that port
    under either scheme (a port speaks one of them; the other fails to connect); `scheme://host[:port]`
    is exactly that origin. Hosts are normalised (lower case, no trailing dot, punycode).
    """
    text = entry.strip()
    if "://" in text:
        origin = origin_of(text)  # '' for a malformed one (urlsplit below then parses)
        parts = urlsplit(text) if origin else None
        if parts is None or parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
            raise ValueError(
                f"{entry!r} is not an origin (write it like https://example.com or example.com:8443)"
            )
        return (origin,)
    bare_ipv6 = text.count(":") > 1 and not text.startswith("[")
    matched = None if bare_ipv6 else _HOST_PORT.fullmatch(text)
    name = text if bare_ipv6 else matched["host"].strip("[]") if matched else ""
    host = normalise_host(name)
    port = int(matched["port"]) if matched and matched["port"] else None
    if (
        host is None
        or _NOT_IN_HOST.search(host)
        or ((":" in host or text.startswith("[")) and not _is_ipv6(host))
        or (port is not None and not 0 < port < 65536)
    ):
        raise ValueError(f"{entry!r} is not a host name (write it like example.com or example.com:8443)")
    return _on_port(host, port)


def _is_ipv6(host: str) -> bool:
    try:
        ipaddress.IPv6Address(host)
    except ValueError:
        return False
    return True


def _on_port(host: str, port: int | None) -> tuple[str, str]:
    """http and https origins of `host` on `port` (None: each scheme's default port)."""
    return (_origin("http", host, port), _origin("https", host, port))


def normalised_in_scope(url: str, scope: Scope) -> bool:
    """`in_scope` for a URL `normalise_url` returned: its scheme://host[:port] is already the origin's
    form, so it is cut out rather than parsed again (the frontier asks this for every link)."""
    return url[: url.find("/", url.find("//") + 2)] in scope.origins


def in_scope(url: str, scope: Scope) -> bool:
    """True when the URL's origin (scheme, host and port) is in the crawl's scope: www. is another
    host, another port another site."""
    return url in scope


def is_homepage(url: str) -> bool:
    """A URL whose path is the site root (or an index file at the root)."""
    path = urlsplit(url).path
    return (
        path in ("", "/") or re.fullmatch(r"/(index|default)\.(html?|php|aspx?|jsp)", path, re.I) is not None
    )
