"""Numbers in a walked page's rendered text, mapped back to their segments: visibility (text coloured
like its background included), footer membership, link, raw text, centring and the police badge; pure.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate

from crawler.computed_style import StyleLookup
from crawler.textscan import find_numbers
from crawler.walk import Ctx, Image, Walk, context
from rules.model import NumberHit, Where
from rules.numbers import NumberKind, NumberMatch

BADGE_GAP_MAX = 12  # characters of label ("公安备案号：") allowed between a badge image and its number

HitKey = tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class Joined:
    """Segments joined into one text: where each kept segment starts, and which segment it is."""

    text: str
    starts: list[int]
    index: list[int]

    def segment_at(self, offset: int) -> int:
        """The segment (walk index) the character at `offset` belongs to (or the separator before it)."""
        return self.index[max(0, bisect_right(self.starts, offset) - 1)]


def join_all(texts: list[str], seps: list[str]) -> Joined:
    """Every segment, each after its separator."""
    parts = [""] * (2 * len(texts))
    parts[0::2], parts[1::2] = seps, texts
    ends = list(accumulate(map(len, parts), initial=0))
    return Joined("".join(parts), ends[1::2], list(range(len(texts))))


def join_some(texts: list[str], seps: list[str], keep: list[bool]) -> Joined:
    """Only the kept segments; a skipped one still separates its neighbours as it did."""
    parts: list[str] = []
    starts: list[int] = []
    index: list[int] = []
    pos, sep = 0, ""
    for i, text in enumerate(texts):
        if seps[i] == "\n" or not sep:
            sep = seps[i]  # the strongest separator since the last kept segment
        if not keep[i]:
            continue
        if parts and sep:
            parts.append(sep)
            pos += 1
        starts.append(pos)
        index.append(i)
        parts.append(text)
        pos += len(text)
        sep = ""
    return Joined("".join(parts), starts, index)


def _span(m: NumberMatch, joined: Joined) -> tuple[int, int]:
    first = max(0, bisect_right(joined.starts, m.start) - 1)
    return first, max(first, bisect_left(joined.starts, m.end) - 1)


def _short_label(text: str) -> bool:
    text = text.strip()
    return len(text) <= BADGE_GAP_MAX and not any(c.isdigit() for c in text)


class TextHits:
    """The numbers of one walked page's rendered text; `texts` are its segments, normalised."""

    def __init__(self, walk: Walk, texts: list[str]) -> None:
        self.walk, self.texts = walk, texts
        self.lookup = StyleLookup()
        self.full = join_all(texts, walk.seps)
        self._images: dict[int, list[Image]] | None = None
        self._checked: set[int] = set()

    def hits(self) -> list[tuple[HitKey, NumberHit]]:
        """Numbers in the rendered text; then in its visible part alone, where hidden text split them."""
        walk, full = self.walk, self.full
        matches = find_numbers(full.text)
        for m in matches if walk.colours else ():
            self._camouflage(full, *_span(m, full))
        hits = [self._hit(m, full) for m in matches]
        keep = [c.visible for c in walk.ctxs]
        if all(keep):
            return hits
        seen = {(hit.value, key[0]) for key, hit in hits if hit.visible}
        shown = join_some(self.texts, walk.seps, keep)
        for m in find_numbers(shown.text):
            if walk.colours:
                self._camouflage(shown, *_span(m, shown))
            key, hit = self._hit(m, shown)
            if (hit.value, key[0]) not in seen:
                hits.append((key, hit))
        return hits

    def _camouflage(self, joined: Joined, first: int, last: int) -> None:
        """Hide the visible segments of a number whose text is coloured like its background."""
        ctxs, nodes = self.walk.ctxs, self.walk.nodes
        for k in range(first, last + 1):
            i = joined.index[k]
            if i in self._checked or not ctxs[i].visible:
                continue
            self._checked.add(i)
            reason = self.lookup.camouflage(nodes[i], ctxs[i].late)
            if reason is not None:
                ctxs[i] = ctxs[i].hidden(reason)

    def _hit(self, m: NumberMatch, joined: Joined) -> tuple[HitKey, NumberHit]:
        walk = self.walk
        first, last = _span(m, joined)
        segs: list[Ctx] = [walk.ctxs[joined.index[k]] for k in range(first, last + 1)]
        reason = next((c.hiding.reason for c in segs if not c.visible), None)
        href = next((c.href for c in segs if c.href), None)
        node = walk.nodes[joined.index[first]]
        hit = NumberHit(
            m.kind, m.value, m.key, Where.TEXT, segs[0].footer, reason is None, href, reason,
            context(joined.text, m.start, m.end),
            raw=" ".join(joined.text[m.start : m.end].split()),
            centred=self.lookup.centred(node, segs[0].late) if segs[0].footer else None,
            badge=m.kind is NumberKind.PUBLIC_SECURITY and self._badge(m, joined, first, last),
        )  # fmt: skip
        return (joined.index[first], 1, m.start), hit

    def _badge(self, m: NumberMatch, joined: Joined, first: int, last: int) -> bool:
        """An image in the number's own link, or right before it (or right after it, when the image
        says it is a badge) in the same block, with at most a short label between."""
        walk = self.walk
        i0, i1 = joined.index[first], joined.index[last]
        if any(walk.ctxs[i].link in walk.linked_images for i in range(i0, i1 + 1) if walk.ctxs[i].link):
            return True
        if self._images is None:
            self._images = {}
            for image in walk.images:
                self._images.setdefault(image.segment, []).append(image)
        before = joined.text[joined.starts[first] : m.start]
        if _short_label(before) and any(
            img.visible and img.block == walk.blocks[i0] for img in self._images.get(i0, ())
        ):
            return True
        after = joined.text[m.end : joined.starts[last] + len(self.texts[i1])]
        return _short_label(after) and any(
            img.visible and img.badge_hint and img.block == walk.blocks[i1]
            for img in self._images.get(i1 + 1, ())
        )

    def visible_at(self) -> Callable[[int], bool]:
        """Whether the character at an offset of the full text is visible."""
        full, ctxs = self.full, self.walk.ctxs
        return lambda offset: ctxs[full.segment_at(offset)].visible
