"""A rendered page's DOM snapshot (what `dom_script` returns) → the same `PageFacts` the static path
builds, with the same recognisers; pure.

Numbers are found in the joined text of the segments, then in their visible part alone (hidden text
may split a number a visitor reads whole), as `crawler.hits` does for the static walk. Numbers in
scripts are not recorded: the browser ran them, so what they show is already in the text.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Any

from crawler.extract import FOOTER_TEXT_MAX
from crawler.hits import BADGE_GAP_MAX, Joined, join_all, join_some
from crawler.textscan import find_numbers, normalise, normalise_many
from crawler.walk import context
from rules.model import NumberHit, PageFacts, Signal, Where
from rules.numbers import NumberKind, NumberMatch

# The channels of `dom_script` that are not read on screen; scripts are left out (see above).
_WHERE = {
    "comment": Where.COMMENT,
    "noscript": Where.NOSCRIPT,
    "template": Where.TEMPLATE,
    "attribute": Where.ATTRIBUTE,
    "image": Where.IMAGE,
}


@dataclass(frozen=True, slots=True)
class Segment:
    """One run of rendered text: separator before it, visibility, footer, link, centring, badge."""

    text: str
    sep: str
    visible: bool
    reason: str | None
    footer: bool
    href: str | None
    centred: bool | None
    in_badge_link: bool  # its link holds an image
    after_image: bool  # the block's last thing before it was a visible image


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What the in-page script saw of one rendered page."""

    segments: tuple[Segment, ...]
    other: tuple[tuple[str, str, bool, str | None], ...]  # (channel, text, in footer, href)
    links: tuple[str, ...]
    footer_how: str
    footer_found: bool


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def parse_snapshot(data: Any) -> Snapshot:
    """The script's JSON as typed values; malformed entries (a hostile page may not tamper with the
    script, but stays defensive) are dropped."""
    if not isinstance(data, dict):
        raise ValueError("the page returned no DOM snapshot")
    segments = tuple(
        Segment(
            text=s.get("t") or "",
            sep=s.get("s") or "",
            visible=bool(s.get("v")),
            reason=_str(s.get("r")),
            footer=bool(s.get("f")),
            href=_str(s.get("h")),
            centred=s.get("c") if isinstance(s.get("c"), bool) else None,
            in_badge_link=bool(s.get("g")),
            after_image=bool(s.get("ib")),
        )
        for s in data.get("segs", [])
        if isinstance(s, dict) and isinstance(s.get("t"), str)
    )
    other = tuple(
        (o["w"], o["t"], bool(o.get("f")), _str(o.get("h")))
        for o in data.get("other", [])
        if isinstance(o, dict) and o.get("w") in _WHERE and isinstance(o.get("t"), str)
    )
    links = tuple(
        u for u in data.get("links", []) if isinstance(u, str) and u.startswith(("http:", "https:"))
    )
    return Snapshot(segments, other, links, str(data.get("how") or "none"), bool(data.get("found")))


def _span(m: NumberMatch, joined: Joined) -> tuple[int, int]:
    first = max(0, bisect_right(joined.starts, m.start) - 1)
    return first, max(first, bisect_left(joined.starts, m.end) - 1)


def _badge(m: NumberMatch, joined: Joined, segs: list[Segment], first: int) -> bool:
    if m.kind is not NumberKind.PUBLIC_SECURITY:
        return False
    if any(s.in_badge_link for s in segs):
        return True
    label = joined.text[joined.starts[first] : m.start].strip()
    return segs[0].after_image and len(label) <= BADGE_GAP_MAX and not any(c.isdigit() for c in label)


def _text_hits(snap: Snapshot, texts: list[str]) -> list[NumberHit]:
    seps = [s.sep for s in snap.segments]
    full = join_all(texts, seps)
    passes = [full]
    if not all(s.visible for s in snap.segments):
        passes.append(join_some(texts, seps, [s.visible for s in snap.segments]))
    hits: list[NumberHit] = []
    seen: set[tuple[str, int]] = set()
    for joined in passes:
        for m in find_numbers(joined.text):
            first, last = _span(m, joined)
            segs = [snap.segments[joined.index[k]] for k in range(first, last + 1)]
            reason = next((s.reason or "hidden" for s in segs if not s.visible), None)
            key = (m.value, joined.index[first])
            if key in seen:
                continue
            if reason is None:
                seen.add(key)
            elif joined is not full:
                continue
            hits.append(
                NumberHit(
                    m.kind,
                    m.value,
                    m.key,
                    Where.TEXT,
                    segs[0].footer,
                    reason is None,
                    next((s.href for s in segs if s.href), None),
                    reason,
                    context(joined.text, m.start, m.end),
                    " ".join(joined.text[m.start : m.end].split()),
                    centred=segs[0].centred if segs[0].footer else None,
                    badge=_badge(m, joined, segs, first),
                )
            )
    return hits


def _other_hits(snap: Snapshot) -> list[NumberHit]:
    hits: list[NumberHit] = []
    for channel, raw, footer, href in snap.other:
        text = normalise(raw)
        for m in find_numbers(text):
            hits.append(
                NumberHit(
                    m.kind,
                    m.value,
                    m.key,
                    _WHERE[channel],
                    footer,
                    False,
                    href,
                    None,
                    context(text, m.start, m.end),
                    " ".join(text[m.start : m.end].split()),
                )
            )
    return hits


def _footer_text(snap: Snapshot, texts: list[str]) -> str:
    parts = [t for s, t in zip(snap.segments, texts, strict=True) if s.footer and s.visible]
    return " ".join(" ".join(parts).split())[:FOOTER_TEXT_MAX]


def rendered_facts(
    snap: Snapshot, url: str, final_url: str, *, is_homepage: bool, signals: tuple[Signal, ...] = ()
) -> PageFacts:
    """The `PageFacts` of a rendered page; `signals` come from the static extraction (they weigh
    scripts and forms, which rendering does not change)."""
    texts = normalise_many([s.text for s in snap.segments])
    numbers = _dedupe([*_text_hits(snap, texts), *_other_hits(snap)])
    footer_found = snap.footer_found or any(s.footer for s in snap.segments)
    return PageFacts(
        url=url,
        final_url=final_url,
        is_homepage=is_homepage,
        footer_found=footer_found,
        footer_how=snap.footer_how if footer_found else "none",
        footer_text=_footer_text(snap, texts),
        numbers=tuple(numbers),
        js_shell=False,  # the browser built the page: nothing is left for a browser to decide
        signals=signals,
    )


def _dedupe(hits: list[NumberHit]) -> list[NumberHit]:
    """One hit per distinct (number, place, visibility, link); the same line twice adds nothing."""
    return list({(h.kind, h.value, h.where, h.in_footer, h.visible, h.href): h for h in hits}.values())
