"""URL normalisation and scope tests (crawler/urls.py)."""

from __future__ import annotations

import pytest

from crawler.urls import Scope, in_scope, is_homepage, normalise_url


@pytest.mark.parametrize(
    ("raw", "base", "expected"),
    [
        ("HTTP://Example.COM", None, "http://example.com/"),
        ("https://example.com:443/a", None, "https://example.com/a"),
        ("http://example.com:80/a", None, "http://example.com/a"),
        ("http://example.com:8080/a", None, "http://example.com:8080/a"),
        ("https://example.com/a#frag", None, "https://example.com/a"),
        ("https://example.com/a?utm_source=x&utm_medium=y&id=3", None, "https://example.com/a?id=3"),
        ("https://example.com/a?gclid=1", None, "https://example.com/a"),
        ("https://example.com/a?b=1&a=2", None, "https://example.com/a?b=1&a=2"),
        ("https://example.com/a?x", None, "https://example.com/a?x"),
        ("../b.html", "https://example.com/dir/sub/a.html", "https://example.com/dir/b.html"),
        ("/c.html", "https://example.com/dir/a.html", "https://example.com/c.html"),
        ("  about.html  ", "http://127.0.0.1:8000/", "http://127.0.0.1:8000/about.html"),
        ("mailto:a@b.c", None, None),
        ("tel:+861234", None, None),
        ("javascript:void(0)", None, None),
        ("data:text/html,hi", None, None),
        ("ftp://example.com/", None, None),
        ("", None, None),
        ("http://[::1]:8080/x", None, "http://[::1]:8080/x"),
        ("http://example.com:99999/", None, None),
    ],
)
def test_normalise_url(raw: str, base: str | None, expected: str | None) -> None:
    assert normalise_url(raw, base) == expected


def test_scope_is_exact_host() -> None:
    hosts = Scope.of(["chaoqiankeji.com"])
    assert in_scope("https://chaoqiankeji.com/a", hosts)
    assert not in_scope("https://www.chaoqiankeji.com/a", hosts)
    assert not in_scope("https://chaoqiankeji.com.evil.example/", hosts)


@pytest.mark.parametrize(
    ("url", "home"),
    [
        ("https://x.cn/", True),
        ("https://x.cn/index.html", True),
        ("https://x.cn/about.html", False),
        ("https://x.cn/news/index.html", False),
    ],
)
def test_homepage(url: str, home: bool) -> None:
    assert is_homepage(url) is home
