"""Held-out gate (issue 8): real homepages nobody here wrote (tests/heldout/), each judged as
`--render always` judges it, against a profile expecting that page's own licence number.

Each page is served from 127.0.0.1, extracted and judged statically as the audit does, then passed
through the audit's browser step (`BrowserPass` with `crawl.render = "always"`) in one Chromium for
all pages; the browser may fetch only the page's own host, as the crawl scope allows. The labels
in tests/heldout/manifest.json are what desktop Chromium shows (read off screenshots, never off
this code). The bar: at least 95% of verdicts right, and no page that is not compliant reported
`compliant`. The static figures (`--render never`) are printed beside them, not gated.
"""

from __future__ import annotations

import asyncio
import functools
import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from crawler.config import CrawlConfig
from crawler.decode import decode_body
from crawler.extract import extract
from crawler.render.browser import Renderer, find_chromium
from crawler.render.confirm import BrowserPass
from crawler.static_server import serve_folder
from rules.judge import judge_page
from rules.model import LicenceFacts
from rules.numbers import parse_licence
from rules.policy import Policy

ROOT = Path(__file__).resolve().parents[2]
HELDOUT = ROOT / "tests" / "heldout"
MANIFEST = HELDOUT / "manifest.json"
TODAY = date(2026, 1, 15)
MIN_ACCURACY = 0.95
MIN_PAGES = 40
# `--render never` right on 40 of the 42 pages (issue 13: 21 while small static pages were taken for
# JavaScript shells and the footer was the last footer-like block); the two left need a browser.
MIN_NEVER_RIGHT = 40
# `--render always` right on all 42 since the footer joins consecutive footer-like blocks (hexun.com).
MIN_ALWAYS_RIGHT = 42
JUDGED = ("compliant", "wrong-number", "hidden", "image-only", "elsewhere", "needs-render", "missing")
PAGE_KEYS = frozenset({"file", "site", "source", "expected_licence", "verdict", "pattern", "reason"})
COMMIT = re.compile(r"[0-9a-f]{40}")


@dataclass(frozen=True, slots=True)
class Label:
    """One held-out page as the manifest describes it."""

    file: str
    site: str
    licence: str  # the number the profile expects: the page's own, else the stand-in
    verdict: str
    pattern: str


@dataclass(frozen=True, slots=True)
class Judged:
    """What the static path and `--render always` made of one held-out page, next to its label."""

    label: Label
    never: str
    always: str
    rendered: int  # pages the browser step rendered for this page (always: 1)


def manifest() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(MANIFEST.read_text(encoding="utf-8"))
    return data


def labels() -> list[Label]:
    data = manifest()
    return [
        Label(
            p["file"],
            p["site"],
            p["expected_licence"] or data["stand_in_licence"],
            p["verdict"],
            p["pattern"],
        )
        for p in data["pages"]
    ]


def _policy(licence: str) -> Policy:
    facts = LicenceFacts(number=licence, holder="held-out site", valid_until=date(2030, 1, 1))
    return Policy(licence=facts, today=TODAY)


async def _judge_all(base: str) -> list[Judged]:
    crawl = CrawlConfig(render="always", render_timeout=15.0)
    renderer = await Renderer.launch(find_chromium(""), concurrency=4, page_timeout=crawl.render_timeout)

    async def same_site(url: str) -> bool:
        return url.startswith(base + "/")  # the crawl scope: the page's own host, nothing else

    async def one(label: Label) -> Judged:
        url = f"{base}/{label.file}"
        html, _ = decode_body((HELDOUT / label.file).read_bytes(), None)
        extracted = extract(html, url, url, is_homepage=True)
        policy = _policy(label.licence)
        static = judge_page(extracted.facts, policy)
        browser = BrowserPass(crawl, renderer, "", policy)
        _, rendered = await browser.confirm(html, extracted, static, [], same_site)
        return Judged(label, static.verdict.value, rendered.verdict.value, browser.rendered)

    try:
        return list(await asyncio.gather(*(one(label) for label in labels())))
    finally:
        await renderer.close()


@functools.cache
def judged() -> tuple[Judged, ...]:
    """Every held-out page judged both ways; one server and one browser for the whole session."""
    with serve_folder(HELDOUT) as base:
        return tuple(asyncio.run(_judge_all(base)))


def _figures(results: tuple[Judged, ...], mode: str) -> tuple[int, int]:
    """(verdicts right, non-compliant pages judged compliant) in one mode."""
    right = sum(getattr(r, mode) == r.label.verdict for r in results)
    false_compliant = sum(getattr(r, mode) == "compliant" != r.label.verdict for r in results)
    return right, false_compliant


def accuracy_table(results: tuple[Judged, ...]) -> list[str]:
    """Per expected verdict: pages, right statically, right in `always`; then the totals and misses."""
    pages = Counter(r.label.verdict for r in results)
    never = Counter(r.label.verdict for r in results if r.never == r.label.verdict)
    always = Counter(r.label.verdict for r in results if r.always == r.label.verdict)
    lines = [f"{'expected verdict':<18}{'pages':>7}{'never right':>13}{'always right':>14}"]
    lines += [
        f"{v:<18}{pages[v]:>7}{never[v]:>13}{always[v]:>14}"
        for v in [*JUDGED, *sorted(set(pages) - set(JUDGED))]
        if pages[v]
    ]
    lines.append(f"{'all':<18}{len(results):>7}{sum(never.values()):>13}{sum(always.values()):>14}")
    for mode in ("never", "always"):
        right, false_compliant = _figures(results, mode)
        lines.append(
            f"--render {mode}: {right}/{len(results)} right ({100 * right / max(len(results), 1):.1f}%); "
            f"non-compliant pages judged compliant: {false_compliant}"
        )
    for r in results:
        if r.always != r.label.verdict:
            lines.append(
                f"  always wrong: {r.label.site}: {r.always}, expected {r.label.verdict} ({r.label.pattern})"
            )
    return lines


class _HeldoutReport:
    """A plugin registered while the gate runs: prints the accuracy table in the terminal summary."""

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        terminalreporter.section("held-out gate (tests/heldout)")
        for line in accuracy_table(judged()):
            terminalreporter.write_line(line)


@pytest.fixture(scope="module", autouse=True)
def _print_accuracy(request: pytest.FixtureRequest) -> None:
    manager = request.config.pluginmanager
    if not manager.has_plugin("icp-audit-heldout-gate"):
        manager.register(_HeldoutReport(), "icp-audit-heldout-gate")


def test_always_gets_at_least_95_percent_right() -> None:
    results = judged()
    print("\n".join(["", *accuracy_table(results)]))
    right, _ = _figures(results, "always")
    assert right >= MIN_ACCURACY * len(results), "\n".join(accuracy_table(results))
    assert right >= MIN_ALWAYS_RIGHT, "\n".join(accuracy_table(results))


def test_never_judges_small_static_pages_itself() -> None:
    """A small static page with a script is judged on what it shows, not left to a browser as a shell."""
    right, _ = _figures(judged(), "never")
    assert right >= MIN_NEVER_RIGHT, "\n".join(accuracy_table(judged()))


def test_always_reports_no_non_compliant_page_compliant() -> None:
    wrongly = [r.label.site for r in judged() if r.always == "compliant" != r.label.verdict]
    assert wrongly == []


def test_static_reports_no_non_compliant_page_compliant() -> None:
    """The static path may say `needs-render` where it cannot see, but never vouches for a page."""
    wrongly = [r.label.site for r in judged() if r.never == "compliant" != r.label.verdict]
    assert wrongly == []


def test_always_renders_every_page_and_leaves_nothing_to_a_browser() -> None:
    results = judged()
    assert all(r.rendered == 1 for r in results)
    assert not any(r.always == "needs-render" for r in results)


def test_a_footer_the_pages_own_script_shows_is_compliant_only_in_the_browser() -> None:
    """189.cn starts its footer display:none and shows it from a same-site request's callback."""
    page = next(r for r in judged() if r.label.site == "189.cn")
    assert (page.never, page.always) == ("hidden", "compliant")


# ---------------------------------------------------------------- the held-out set itself


def test_manifest_describes_every_page_and_only_those() -> None:
    data = manifest()
    files = sorted(p["file"] for p in data["pages"])
    assert files == sorted(f"pages/{p.name}" for p in (HELDOUT / "pages").glob("*.html"))
    assert len(files) >= MIN_PAGES
    assert len(set(files)) == len(files)
    assert parse_licence(data["stand_in_licence"]) is not None


@pytest.mark.parametrize("entry", manifest()["pages"], ids=lambda e: str(e["site"]))
def test_each_page_names_its_source_and_a_verdict_with_a_reason(entry: dict[str, Any]) -> None:
    assert set(entry) == PAGE_KEYS
    assert entry["verdict"] in JUDGED
    assert entry["reason"]
    assert entry["pattern"]
    source = entry["source"]
    assert source["repo"] == manifest()["source_licence"]["repo"]
    assert source["path"] == f"pagesource/{entry['site']}"
    assert COMMIT.fullmatch(source["commit"])
    text = (HELDOUT / entry["file"]).read_text(encoding="utf-8")
    assert "held-out excerpt" in text  # every page says what was left out
    assert not re.search(r"""\bsrc\s*=\s*["']?\s*(?:https?:)?//(?![^/"'\s]*\.invalid\b)""", text)
    if entry["verdict"] == "compliant":
        # the expected number is one the page really carries, as written
        assert parse_licence(entry["expected_licence"]) is not None
        assert entry["expected_licence"] in text
