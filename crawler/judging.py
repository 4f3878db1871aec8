"""Judging one fetched HTML page: extract its facts, apply the page rules, fingerprint its footer; pure.

The same function runs in the crawler's event loop and in a judging process (crawler.judge_worker), so
a page gets the same verdict wherever it is judged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from crawler.decode import decode_body
from crawler.extract import Extracted, extract
from rules.judge import Judgement, judge_page
from rules.policy import Policy
from rules.templates import facts_fingerprint


@dataclass(frozen=True, slots=True)
class PageInput:
    """A fetched HTML page to judge: where it came from, and its bytes as fetched.

    The page is decoded where it is judged: a judging process decodes the bytes itself, which is
    cheaper than sending decoded text through a pipe (pickling a str re-encodes it).
    """

    url: str
    final_url: str
    is_homepage: bool
    body: bytes
    content_type: str | None = None

    def text(self) -> str:
        """The page decoded as a browser would (HTTP charset, <meta>, then detection)."""
        return decode_body(self.body, self.content_type)[0]


@dataclass(frozen=True, slots=True)
class Judged:
    """One page judged: what extraction found, the verdict with its findings, the footer's fingerprint."""

    extracted: Extracted
    judgement: Judgement
    fingerprint: str


def judge_html(
    html: str,
    page: PageInput,
    policy: Policy,
    stylesheets: Mapping[str, str],
    frames: Mapping[str, str],
) -> Judged:
    """Extract `html` (the page's text) with the style sheets and frame documents known so far, and judge it."""
    extracted = extract(
        html,
        page.url,
        page.final_url,
        is_homepage=page.is_homepage,
        stylesheets=stylesheets,
        frames=frames,
    )
    return Judged(extracted, judge_page(extracted.facts, policy), facts_fingerprint(extracted.facts))
