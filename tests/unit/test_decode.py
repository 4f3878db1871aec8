"""Decoding page bytes: header charset, then <meta>, then detection (crawler/decode.py)."""

from __future__ import annotations

import pytest

from crawler.decode import SNIFF_BYTES, decode_body, sniffs_as_html

TEXT = "<p>西安朝前智能科技有限公司 朱镕基 堃 增值电信业务经营许可证：陕B2-20210271</p>"


def test_header_charset_wins() -> None:
    assert decode_body(TEXT.encode("gbk"), "text/html; charset=GBK")[0] == TEXT


def test_gb2312_label_decodes_gbk_only_characters() -> None:
    html = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">' + TEXT
    text, encoding = decode_body(html.encode("gbk"), "text/html")
    assert text == html
    assert encoding == "gb18030"


def test_meta_charset_when_header_has_none() -> None:
    html = '<meta charset="gbk">' + TEXT
    assert decode_body(html.encode("gbk"), "text/html")[0] == html


def test_undeclared_gbk_is_detected() -> None:
    html = TEXT * 3
    assert decode_body(html.encode("gbk"), None)[0] == html


def test_invalid_bytes_are_replaced_not_raised() -> None:
    text, _ = decode_body(b"<p>ok \xff\xfe\xfa</p>", "text/html; charset=utf-8")
    assert text.startswith("<p>ok ")
    assert "\ufffd" in text


def test_unknown_label_falls_back() -> None:
    assert decode_body("<p>中文</p>".encode(), "text/html; charset=x-klingon")[0] == "<p>中文</p>"


def test_utf8_bom() -> None:
    assert decode_body(b"\xef\xbb\xbf<p>\xe4\xb8\xad</p>", "text/html; charset=gbk")[0] == "<p>中</p>"


def test_hostile_labels_fall_back_instead_of_raising() -> None:
    for label in ("undefined", "hex", "base64", "rot13", "idna"):
        text, encoding = decode_body(
            f'<meta charset="{label}"><p>陕B2-20210271</p>'.encode(), f"text/html; charset={label}"
        )
        assert "陕B2-20210271" in text, label
        assert encoding == "utf-8"


def test_meta_utf16_on_an_ascii_readable_page_means_utf8() -> None:
    assert decode_body('<meta charset="utf-16"><p>中文</p>'.encode(), None)[0].endswith("<p>中文</p>")


def test_short_undeclared_gbk_footer_is_not_mistaken_for_big5() -> None:
    html = "<footer>增值电信业务经营许可证：陕B2-20210271</footer>"
    assert decode_body(html.encode("gbk"), "text/html") == (html, "gb18030")


@pytest.mark.parametrize(
    ("body", "html"),
    [
        (b"<!DOCTYPE html><html>", True),
        (b"\xef\xbb\xbf<!doctype HTML>", True),  # a UTF-8 BOM, then the doctype
        (b"\xef\xbb\xbf\n  <html lang=zh>", True),
        (b"<!-- header -->\n<html>", True),
        (b"<!--header--><html>", True),  # no space after <!--: still a comment opener
        (b" \t\r\n\x0c<body>", True),
        (b"<p>text", True),
        (b"<a href=x>", True),
        (b"<address>", False),  # <a must be followed by a space or >
        (b"%PDF-1.7 <html>", False),
        (b"\x89PNG\r\n\x1a\n<html>", False),
        (b"GIF89a<html>", False),
        (b"\xff\xfe<\x00h\x00", False),  # UTF-16: text/plain, as the spec says
        (b"", False),
        (b"plain text <html>", False),
        (b" " * SNIFF_BYTES + b"<html>", False),  # only the first 1445 bytes are looked at
    ],
)
def test_bodies_without_content_type_are_sniffed_as_browsers_do(body: bytes, html: bool) -> None:
    assert sniffs_as_html(body) is html
