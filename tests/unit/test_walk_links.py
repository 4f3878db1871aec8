"""Links beyond <a href>: <link rel=alternate> versions of a page and <iframe src> documents."""

from __future__ import annotations

import pytest

from crawler.extract import Extracted, extract

URL = "https://www.example.com/news/a.html"


def page(body: str, head: str = "") -> str:
    return f"<!doctype html><html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"


def run(html: str) -> Extracted:
    return extract(html, URL, URL, is_homepage=False)


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        pytest.param("<link rel='alternate' hreflang='en' href='/en/a.html'>", "/en/a.html", id="hreflang"),
        pytest.param("<link rel='Alternate' media='only screen' href='b.html'>", "/news/b.html", id="mobile"),
        pytest.param(
            "<link rel='alternate' type='text/html; charset=utf-8' href='/c'>", "/c", id="html-type"
        ),
        pytest.param("<link rel='alternate' type='application/rss+xml' href='/feed.xml'>", None, id="feed"),
        pytest.param("<link rel='alternate stylesheet' href='/dark.css'>", None, id="alt-sheet"),
        pytest.param("<link rel='canonical' href='/canonical'>", None, id="canonical"),
        pytest.param("<link rel='alternate'>", None, id="no-href"),
    ],
)
def test_link_rel_alternate_is_a_link(markup: str, expected: str | None) -> None:
    links = run(page("<p>x</p>", head=markup)).links
    assert links == ((f"https://www.example.com{expected}",) if expected else ())


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        pytest.param(
            "<iframe src='/embed/map.html'></iframe>", ("https://www.example.com/embed/map.html",), id="src"
        ),
        pytest.param(
            "<iframe src='v.html#t'></iframe>", ("https://www.example.com/news/v.html#t",), id="relative"
        ),
        pytest.param(
            "<iframe src='https://video.example.org/p'></iframe>",
            ("https://video.example.org/p",),
            id="other-site",
        ),
        pytest.param("<iframe srcdoc='x' src='/ignored.html'></iframe>", (), id="srcdoc-wins"),
        pytest.param("<iframe src='javascript:void(0)'></iframe>", (), id="javascript"),
    ],
)
def test_iframe_src_is_a_link(markup: str, expected: tuple[str, ...]) -> None:
    """Off-site frames are links too: the frontier drops what is out of scope."""
    assert run(page(markup)).links == expected
