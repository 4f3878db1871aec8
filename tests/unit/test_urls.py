"""URL normalisation and scope tests (crawler/urls.py)."""

from __future__ import annotations

import tracemalloc

import pytest

from crawler.urls import (
    Scope,
    host_of,
    in_scope,
    is_homepage,
    normalise_host,
    normalise_url,
    normalised_in_scope,
    origin_of,
    scope_entry,
)


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


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("Example.COM", "example.com"),
        ("example.com.", "example.com"),
        ("例子.测试", "xn--fsqu00a.xn--0zwm56d"),
        ("例子。测试", "xn--fsqu00a.xn--0zwm56d"),  # the ideographic full stop separates labels (UTS #46)
        ("ＥＸＡＭＰＬＥ.com", "example.com"),  # full-width letters fold as a browser folds them
        ("XN--FSQU00A.xn--0zwm56d.", "xn--fsqu00a.xn--0zwm56d"),
        ("Bücher.de", "xn--bcher-kva.de"),
        ("::1", "::1"),
        ("", None),
        (".", None),
    ],
)
def test_hosts_have_one_normalised_form(host: str, expected: str | None) -> None:
    assert normalise_host(host) == expected


def test_urls_origins_and_hosts_use_the_normalised_host() -> None:
    assert normalise_url("http://例子.测试.:8080/a") == "http://xn--fsqu00a.xn--0zwm56d:8080/a"
    assert origin_of("HTTPS://例子.测试:443/x?y") == "https://xn--fsqu00a.xn--0zwm56d"
    assert origin_of("http://[::1]:80/") == "http://[::1]"
    assert origin_of("http://h:99999/") == ""
    assert origin_of("mailto:a@b.c") == ""
    assert host_of("http://WWW.例子.测试./") == "www.xn--fsqu00a.xn--0zwm56d"


@pytest.mark.parametrize(
    ("entry", "origins"),
    [
        ("example.com", {"http://example.com", "https://example.com"}),  # a bare host: its default ports
        ("Example.COM.", {"http://example.com", "https://example.com"}),
        ("例子.测试", {"http://xn--fsqu00a.xn--0zwm56d", "https://xn--fsqu00a.xn--0zwm56d"}),
        ("example.com:8443", {"http://example.com:8443", "https://example.com:8443"}),
        ("example.com:80", {"http://example.com", "https://example.com:80"}),
        ("[::1]:8080", {"http://[::1]:8080", "https://[::1]:8080"}),
        ("::1", {"http://[::1]", "https://[::1]"}),
        ("https://example.com:8443", {"https://example.com:8443"}),
        ("https://example.com:443/", {"https://example.com"}),
    ],
)
def test_allowed_hosts_entries_stand_for_origins(entry: str, origins: set[str]) -> None:
    assert set(scope_entry(entry)) == origins


@pytest.mark.parametrize(
    "entry",
    [
        "",
        "a b",
        "example.com/path",
        "example.com:",
        "example.com:0",
        "example.com:99999",
        "a:b:c",
        "[::1",
        "[example.com]",
        "user@example.com",
        "http://h/x",
        "http://[::1",
        "https://h:99999",
        "ftp://h",
    ],
)
def test_a_bad_allowed_hosts_entry_says_how_to_write_it(entry: str) -> None:
    with pytest.raises(ValueError, match="write it like"):
        scope_entry(entry)


def test_scope_is_scheme_host_and_port() -> None:
    scope = Scope.of(["chaoqiankeji.com"], ["http://127.0.0.1:8123/"])
    # a bare host: http and https on their default ports, so the site's http→https redirect is followed
    assert in_scope("http://chaoqiankeji.com/a", scope)
    assert in_scope("https://chaoqiankeji.com:443/a", scope)
    assert in_scope("HTTPS://ChaoQianKeJi.com./a", scope)
    assert not in_scope("https://chaoqiankeji.com:8443/a", scope)
    assert not in_scope("http://chaoqiankeji.com:443/", scope)
    # a start URL on another port: exactly its origin
    assert in_scope("http://127.0.0.1:8123/x", scope)
    assert not in_scope("http://127.0.0.1:8124/x", scope)
    assert not in_scope("https://127.0.0.1:8123/x", scope)
    assert not in_scope("http://127.0.0.1/x", scope)
    assert scope.hosts == frozenset({"chaoqiankeji.com", "127.0.0.1"})


def test_a_start_url_on_a_default_port_stands_for_its_host() -> None:
    scope = Scope.of([], ["http://例子.测试/"])
    assert in_scope("https://xn--fsqu00a.xn--0zwm56d/", scope)
    assert in_scope("http://例子.测试:80/a", scope)
    assert not in_scope("http://www.例子.测试/", scope)


@pytest.mark.parametrize(
    "raw",
    [
        "http://chaoqiankeji.com",
        "HTTPS://ChaoQianKeJi.com.:443?x=1",
        "https://chaoqiankeji.com:8443/a",
        "http://127.0.0.1:8123/x#y",
        "http://127.0.0.1:8124/",
        "http://[::1]:8080/a?b",
        "http://[::1]/",
        "http://例子.测试/新闻",
        "http://user:pw@chaoqiankeji.com/",
    ],
)
def test_the_frontiers_shortcut_agrees_with_in_scope(raw: str) -> None:
    scope = Scope.of(["chaoqiankeji.com", "[::1]:8080", "例子.测试"], ["http://127.0.0.1:8123/"])
    url = normalise_url(raw)
    assert url is not None
    assert normalised_in_scope(url, scope) is in_scope(raw, scope)


def test_long_urls_and_names_are_not_remembered() -> None:
    """The host and origin of a URL are remembered by its scheme://netloc, never the whole URL (a page
    script's requests may be megabytes long), and long names not at all: memory stays flat."""
    scope = Scope.of([], ["http://127.0.0.1:8123/"])
    tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot()
        for i in range(100):
            url = f"http://127.0.0.1:8123/x?{i}={'a' * 100_000}"
            assert in_scope(url, scope)
            assert host_of(url) == "127.0.0.1"
            assert host_of(f"http://{'例' * 2_000}{i}.cn/") == ""  # longer than any name: none
            assert normalise_host(f"{'a' * 600}{i}.cn") == f"{'a' * 600}{i}.cn"  # not remembered
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    kept = sum(s.size_diff for s in after.compare_to(before, "filename"))
    assert kept < 1_000_000  # 100 URLs of 100 KB: 10 MB if they were kept
