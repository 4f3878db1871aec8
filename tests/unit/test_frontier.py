"""The frontier: de-duplication, scope, caps and the skip reasons it records (crawler/frontier.py)."""

from __future__ import annotations

import re

from crawler.frontier import Frontier
from crawler.urls import Scope

HOSTS = Scope.of(["127.0.0.1"])


def test_duplicates_and_tracking_variants_are_visited_once() -> None:
    f = Frontier(HOSTS, max_pages=10, max_depth=3)
    for raw in ("http://127.0.0.1/a", "http://127.0.0.1/a#x", "http://127.0.0.1/a?utm_source=z", "/a"):
        assert f.offer(raw, 1, "link", base="http://127.0.0.1/") is None
    assert [v.url for v in f.queue] == ["http://127.0.0.1/a"]


def test_off_scope_urls_are_dropped_silently() -> None:
    f = Frontier(HOSTS, max_pages=10, max_depth=3)
    assert f.offer("https://www.example.com/partner", 1, "link") is None
    assert not f.queue


def test_caps_and_exclusions_become_skips() -> None:
    f = Frontier(HOSTS, max_pages=1, max_depth=1, exclude=(re.compile(r"/admin/"),))
    assert f.offer("http://127.0.0.1/", 0, "start") is None
    over_pages = f.offer("http://127.0.0.1/b", 1, "link")
    excluded = f.offer("http://127.0.0.1/admin/x", 1, "link")
    assert over_pages is not None
    assert "max_pages" in over_pages.reason
    assert excluded is not None
    assert "exclude" in excluded.reason
    assert f.offer("http://127.0.0.1/b", 1, "link") is None  # a skip is recorded once
    assert [v.url for v in f.queue] == ["http://127.0.0.1/"]


def test_too_deep_is_decided_at_the_end_so_a_shallower_link_still_wins() -> None:
    f = Frontier(HOSTS, max_pages=10, max_depth=1)
    assert f.offer("http://127.0.0.1/x", 2, "link") is None  # seen first from a deep page
    assert f.offer("http://127.0.0.1/y", 2, "link") is None
    assert f.offer("http://127.0.0.1/x", 1, "link") is None  # then from a shallow one
    assert [v.url for v in f.queue] == ["http://127.0.0.1/x"]
    (leftover,) = f.leftovers()
    assert leftover.url == "http://127.0.0.1/y"
    assert "max_depth" in leftover.reason
    assert f.leftovers() == []


def test_query_variants_per_path_are_capped() -> None:
    f = Frontier(HOSTS, max_pages=100, max_depth=100, max_query_variants=2)
    skips = [f.offer(f"http://127.0.0.1/calendar?month={n}", 1, "link") for n in range(4)]
    assert skips[:2] == [None, None]
    assert [s.reason if s else None for s in skips[2:]] == [
        "over max_query_variants 2 for http://127.0.0.1/calendar"
    ] * 2
    assert f.offer("http://127.0.0.1/calendar", 1, "link") is None  # the bare path is not a variant
    assert f.offer("http://127.0.0.1/news?id=1", 1, "link") is None  # counted per path
    unlimited = Frontier(HOSTS, max_pages=100, max_depth=100, max_query_variants=0)
    assert all(unlimited.offer(f"http://127.0.0.1/c?m={n}", 1, "link") is None for n in range(60))


def test_refused_urls_remembered_are_bounded_and_those_forgotten_still_come_back_as_skips() -> None:
    # Issue 12: an endless session-id site made the seen-set grow with every link refused by the cap.
    f = Frontier(HOSTS, max_pages=2, max_depth=1, refused_memory=100)
    skips = [f.offer(f"http://127.0.0.1/p/{n}?sid={n:x}", 1, "link") for n in range(5_000)]
    deep = [f.offer(f"http://127.0.0.1/deep/{n}", 2, "link") for n in range(5_000)]
    assert len(f.seen) + len(f.too_deep) <= 2 + 100
    assert len(f.queue) == 2
    assert sum(s is not None for s in skips) == 5_000 - 2  # each refusal is still returned to be counted
    assert f.forgetting  # so the counts are of links offered, not of distinct URLs, from here on
    assert all(s is not None and "max_depth" in s.reason for s in deep if s is not None)
    assert sum(s is not None for s in deep) + len(f.leftovers()) == 5_000


def test_refusals_within_the_memory_are_counted_once_per_url() -> None:
    f = Frontier(HOSTS, max_pages=1, max_depth=1, refused_memory=100)
    f.offer("http://127.0.0.1/", 0, "start")
    first = [f.offer(f"http://127.0.0.1/p/{n}", 1, "link") for n in range(50)]
    again = [f.offer(f"http://127.0.0.1/p/{n}", 1, "link") for n in range(50)]
    assert all(s is not None for s in first)
    assert again == [None] * 50
    assert not f.forgetting
