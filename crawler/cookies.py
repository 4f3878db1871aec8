"""The cookies of one run, kept per host and never stored: what servers set, sent back as browsers do; pure.

Some sites set a cookie and redirect to the same URL until it comes back (a consent or city cookie).
Cookies are written by strangers: a value may be UTF-8 (`city=西安`), huge or malformed. They are
kept as the bytes that came (browsers send them back as they came), and a cookie a browser would
refuse (control characters, over COOKIE_MAX_BYTES) is ignored, never an error. Deliberately
stricter than browsers in one way: a cookie is only ever sent to the host that set it (the Domain
attribute is ignored), so one host's cookies never reach another.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

COOKIE_MAX_BYTES = 4096  # name + value, as RFC 6265bis and browsers limit one cookie
COOKIES_PER_HOST = 50  # the oldest go first past this (browsers keep about as many per site)
ATTRIBUTE_MAX_BYTES = 1024  # a longer attribute value is ignored (RFC 6265bis §5.6)
_CONTROL = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]")  # a cookie holding one is refused whole


@dataclass(frozen=True, slots=True)
class _Cookie:
    name: bytes
    value: bytes
    path: str
    secure: bool
    expires: float | None  # seconds since the epoch; None: for the whole run


@dataclass(slots=True)
class CookieJar:
    """Cookies by host, for one run only; `now` is the clock expiry is judged against."""

    now: Callable[[], float] = time.time
    hosts: dict[str, dict[tuple[bytes, str], _Cookie]] = field(default_factory=dict)

    def store(self, url: str, set_cookies: Iterable[bytes]) -> None:
        """Keep the cookies a response to `url` sets (raw Set-Cookie values); bad ones are ignored."""
        host, path = _host_path(url)
        if not host:
            return
        for raw in set_cookies:
            cookie = _parse(raw, path, self.now())
            if cookie is None:
                continue
            jar = self.hosts.setdefault(host, {})
            key = (cookie.name, cookie.path)
            jar.pop(key, None)
            if cookie.expires is None or cookie.expires > self.now():
                jar[key] = cookie  # an expiry in the past (Max-Age=0) only deletes
            while len(jar) > COOKIES_PER_HOST:
                del jar[next(iter(jar))]

    def header(self, url: str) -> bytes | None:
        """The Cookie header a browser would send with a request for `url`, or None."""
        if not self.hosts:  # most sites set none: no URL to parse for every request
            return None
        host, path = _host_path(url)
        jar = self.hosts.get(host)
        if not jar:
            return None
        secure, now = url[:6].lower() == "https:", self.now()
        chosen = [
            c
            for c in jar.values()
            if (secure or not c.secure)
            and (c.expires is None or c.expires > now)
            and _path_matches(path, c.path)
        ]
        chosen.sort(key=lambda c: -len(c.path))  # longer paths first, as RFC 6265 §5.4 orders them
        return b"; ".join(c.name + b"=" + c.value if c.name else c.value for c in chosen) or None


def _host_path(url: str) -> tuple[str, str]:
    try:
        parts = urlsplit(url)
        return (parts.hostname or "").lower(), parts.path or "/"
    except ValueError:
        return "", "/"


def _parse(raw: bytes, request_path: str, now: float) -> _Cookie | None:
    """One Set-Cookie value as RFC 6265bis §5.6 parses it, or None when a browser would ignore it."""
    pair, *attributes = raw.split(b";")
    name, eq, value = pair.partition(b"=")
    name, value = (name.strip(), value.strip()) if eq else (b"", name.strip())
    if (not name and not value) or len(name) + len(value) > COOKIE_MAX_BYTES or _CONTROL.search(raw):
        return None
    path, secure, expires, max_age = _default_path(request_path), False, None, None
    for attribute in attributes:
        key, _, val = attribute.partition(b"=")
        key, val = key.strip().lower(), val.strip()
        if len(val) > ATTRIBUTE_MAX_BYTES:
            continue
        if key == b"secure":
            secure = True
        elif key == b"path" and val.startswith(b"/"):
            path = val.decode("utf-8", "replace")
        elif key == b"max-age" and re.fullmatch(rb"-?\d{1,12}", val):
            max_age = now + int(val) if int(val) > 0 else 0.0
        elif key == b"expires":
            expires = _date(val)
    return _Cookie(name, value, path, secure, max_age if max_age is not None else expires)


def _date(value: bytes) -> float | None:
    try:
        return parsedate_to_datetime(value.decode("ascii")).timestamp()
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError, IndexError):
        return None  # an unreadable date: a cookie for the run, as for no date at all


def _default_path(path: str) -> str:
    """RFC 6265 §5.1.4: the request path up to its last '/', or '/' when that leaves nothing."""
    if not path.startswith("/") or path.count("/") == 1:
        return "/"
    return path[: path.rfind("/")]


def _path_matches(request: str, cookie: str) -> bool:
    if request == cookie:
        return True
    return request.startswith(cookie) and (cookie.endswith("/") or request[len(cookie)] == "/")
