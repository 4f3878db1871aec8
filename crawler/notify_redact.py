"""The alert channels' secrets, and `redact`, the one function that blanks them from whatever is stored or printed.

Every value read from a `*_env` variable the profile names (webhook URLs, signing secrets, the SMTP
login) and every value made from one (a webhook URL's query values, the signatures sent, the SMTP AUTH
exchange) is registered here when it is read or made. `redact` replaces each of them in every form a
receiver may echo it: raw, percent-encoded (upper- or lower-case hex, `+` or `%20` for a space),
JSON-escaped (`\\/` or not, `\\uXXXX` or not), HTML-escaped and base64. The registry is process-wide
because a log record is formatted wherever a handler sits, far from the profile that named the secret.
"""

from __future__ import annotations

import base64
import html
import json
import os
import re
import threading
from collections.abc import Iterable
from urllib.parse import parse_qsl, quote, quote_plus, unquote, urlsplit

MASK = "[redacted]"
MIN_SECRET = 4  # a shorter value (`v=1`) is no secret, and blanking it would garble every line
MIN_PATH_TOKEN = 16  # a URL path segment this long may be a token (Feishu's /hook/<uuid>, Slack's)
DETAIL_CHARS = 300  # a delivery's detail, after redaction: one line this long at most

_lock = threading.Lock()
_secrets: set[str] = set()
_pattern: re.Pattern[str] | None = None
_PERCENT = re.compile(r"%[0-9A-F]{2}")


def _encodings(value: str) -> set[str]:
    """`value` in every form a receiver may echo it."""
    bases = {value, unquote(value), quote(value, safe=""), quote_plus(value), quote(value, safe="/")}
    bases |= {_PERCENT.sub(lambda m: m.group().lower(), b) for b in bases}
    forms = set(bases)
    for base in bases:
        for ascii_only in (True, False):
            escaped = json.dumps(base, ensure_ascii=ascii_only)[1:-1]
            forms |= {escaped, escaped.replace("/", "\\/")}
        forms |= {html.escape(base), html.escape(base, quote=False)}
    forms.add(base64.b64encode(value.encode()).decode())
    return {f for f in forms if len(f) >= MIN_SECRET}


def register(*values: str) -> None:
    """Remember secrets: from now on `redact` blanks each of them in every encoding."""
    global _pattern
    with _lock:
        fresh = {v for v in values if len(v) >= MIN_SECRET} - _secrets
        if not fresh:
            return
        _secrets.update(fresh)
        forms = set().union(*(_encodings(s) for s in _secrets))
        # Longest first, so that a URL is blanked whole rather than around its token.
        _pattern = re.compile("|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)))


def register_url(url: str) -> None:
    """A webhook URL: the whole of it, its path with the query, its password, each query value
    (`access_token`, `key`, `timestamp`, `sign`, …, as written and decoded) and each path segment long
    enough to be a token."""
    parts = urlsplit(url)
    values = [url, f"{parts.path}?{parts.query}" if parts.query else "", parts.password or ""]
    values += [v for pair in parts.query.split("&") for v in pair.split("=", 1)[1:]]  # as written
    values += [v for _, v in parse_qsl(parts.query, keep_blank_values=True)]  # decoded
    values += [s for s in parts.path.split("/") if len(s) >= MIN_PATH_TOKEN]
    register(*values)


def register_value(value: str) -> None:
    """A value read from a `*_env` variable: a URL as `register_url`, anything else as a secret."""
    if "://" in value:
        register_url(value)
    else:
        register(value)


def register_env(names: Iterable[str]) -> None:
    """Register the values of these environment variables that are set (the profile's `*_env` names)."""
    for name in names:
        if value := os.environ.get(name, ""):
            register_value(value)


def register_login(username: str, password: str) -> None:
    """An SMTP login: the password, and the base64 of AUTH PLAIN as smtplib sends it (AUTH LOGIN sends
    each half in base64, a form `redact` knows already). A username from the profile is no secret."""
    register(password, base64.b64encode(f"\0{username}\0{password}".encode()).decode())


def redact(text: str) -> str:
    """`text` with every registered secret, in every encoding, replaced by MASK."""
    pattern = _pattern
    return text if pattern is None else pattern.sub(MASK, text)


def delivery_detail(text: str) -> str:
    """A delivery's detail as stored and printed: redacted, then one line, then clipped (a secret cut in
    half by a clip before redaction would no longer match)."""
    line = " ".join(redact(text).split())
    return line if len(line) <= DETAIL_CHARS else line[: DETAIL_CHARS - 1] + "…"
