"""Judging one fetched HTML page: extract its facts, apply the page rules, fingerprint its footer; pure.

The same function runs in the crawler's event loop and in a judging process (crawler.judge_worker), so
a page gets the same verdict wherever it is judged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from crawler.decode import decode_body
from crawler.extract import Extracted, extract
from rules.judge import Judgement, judge_page
from rules.policy import Policy
from rules.templates import facts_fingerprint


@dataclass(frozen=True)
class PageInput:
    """A fetched HTML page to judge: where it came from, and its bytes as fetched.

    The page is decoded where it is first needed, once: in a judging process from the bytes it is
    sent (cheaper than sending decoded text, which pickling re-encodes), or here for judging in the
    crawler's process and for the browser pass. No __slots__, so `text` can be cached.
    """

    url: str
    final_url: str
    is_homepage: bool
    body: bytes
    content_type: str | None = None

    @cached_property
    def text(self) -> str:
        """The page decoded as a browser would (HTTP charset, <meta>, then detection)."""
        return decode_body(self.body, self.content_type)[0]

    def __getstate__(self) -> dict[str, object]:
        """What a judging process is sent: the fields, never text decoded here."""
        return {name: value for name, value in self.__dict__.items() if name != "text"}


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
