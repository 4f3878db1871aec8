"""Turn a page's bytes into text: HTTP charset, then <meta charset>/http-equiv, then detection; pure."""

from __future__ import annotations

import codecs
import re

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
# Browsers decode these labels as the superset: a page labelled gb2312 routinely holds GBK characters.
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "iso-8859-1": "cp1252",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "latin1": "cp1252",
    "big5": "big5hkscs",
}


# WHATWG: a page cannot really be UTF-16 when its <meta> could be read as ASCII; browsers use UTF-8.
_NOT_FOR_PAGES = frozenset({"undefined", "idna", "punycode", "raw_unicode_escape", "unicode_escape", "utf-7"})


def charset_from_content_type(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type header, if any."""
    if not content_type:
        return None
    match = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", content_type, re.I)
    return match.group(1) if match else None


def _usable(label: str | None) -> str | None:
    """The codec for a declared label, or None for unknown labels and codecs that are not text encodings."""
    if not label:
        return None
    label = _SUPERSETS.get(label.lower(), label.lower())
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None
    # codecs.lookup also knows base64, hex, rot13, idna, "undefined": a hostile page may name them.
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_FOR_PAGES:
        return None
    return info.name


def sniff_charset(body: bytes) -> str | None:
    """The charset a <meta> tag in the first 4 KB declares, if any."""
    match = _META_CHARSET.search(body[:4096])
    return match.group(1).decode("ascii", "replace") if match else None


def decode_body(body: bytes, content_type: str | None) -> tuple[str, str]:
    """Decode page bytes; returns (text, encoding used). Invalid bytes become U+FFFD, never an error."""
    if body.startswith(codecs.BOM_UTF8):
        return body[3:].decode("utf-8", "replace"), "utf-8"
    header, meta = _usable(charset_from_content_type(content_type)), _usable(sniff_charset(body))
    if meta and meta.startswith("utf-16"):
        meta = "utf-8"
    for encoding in (header, meta):
        if encoding:
            return body.decode(encoding, "replace"), encoding
    for encoding in ("utf-8", "gb18030"):
        # Undeclared pages on Chinese sites are UTF-8 or GBK; both decode strictly far more reliably
        # than statistical detection guesses on a short page.
        try:
            return body.decode(encoding), encoding
        except UnicodeDecodeError:
            pass
    # Imported here: only undeclared pages that are neither UTF-8 nor GBK need it (4 MB per process).
    import charset_normalizer

    best = charset_normalizer.from_bytes(body[:65536]).best()
    encoding = _usable(best.encoding) if best else None
    encoding = encoding or "utf-8"
    return body.decode(encoding, "replace"), encoding


# WHATWG MIME Sniffing §7.1, the HTML rows of "identifying a resource with an unknown MIME type":
# after whitespace, one of these (case-insensitive) followed by a space or '>'.
SNIFF_BYTES = 1445  # the spec's resource header: no more of the body is ever looked at
_SNIFF_WHITESPACE = b"\t\n\x0c\r "
_SNIFF_HTML = (
    b"<!doctype html",
    b"<html",
    b"<head",
    b"<script",
    b"<iframe",
    b"<h1",
    b"<div",
    b"<font",
    b"<table",
    b"<a",
    b"<style",
    b"<title",
    b"<b",
    b"<body",
    b"<br",
    b"<p",
)


def sniffs_as_html(body: bytes) -> bool:
    """Whether a body served without a Content-Type is HTML, as browsers sniff it.

    The WHATWG rows, with two additions that only ever send a page to be judged rather than left
    out unjudged: a UTF-8 byte-order mark before them is skipped (the spec would call the body
    text/plain; the page says it is UTF-8 and its markup is the rest), and a comment opener counts
    whatever follows it (`<!--header-->`: Firefox sniffs HTML, the spec wants a space after `<!--`).
    PDF, PNG and other binary bodies start with none of these and stay not HTML.
    """
    head = body[:SNIFF_BYTES]
    if head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8) :]
    head = head.lstrip(_SNIFF_WHITESPACE).lower()
    if head.startswith(b"<!--"):
        return True
    return any(head.startswith(tag) and head[len(tag) : len(tag) + 1] in (b" ", b">") for tag in _SNIFF_HTML)
