"""The one verdict of a judged HTML page (DESIGN.md §4), the first of the table that applies; pure."""

from __future__ import annotations

from rules.model import NumberHit, PageFacts, Verdict, Where
from rules.numbers import NumberKind

# How a hidden_reason starts when static analysis could not tell whether the text shows (a filter, a
# clip path, text laid out right to left, a colour on a background it does not know): a browser must.
UNDECIDED = "undecided (needs a browser): "
# How the hidden_reason of a number starts when OCR read it in a footer image's pixels (not its alt
# text): shown to a visitor as a picture, never as text, so it can make a page image-only or
# wrong-number but never compliant.
FROM_PIXELS = "read from the image (OCR): "


def undecided(hit: NumberHit) -> bool:
    """The hit's visibility is not known: only a browser can tell."""
    return not hit.visible and (hit.hidden_reason or "").startswith(UNDECIDED)


def from_pixels(hit: NumberHit) -> bool:
    """OCR read the hit in an image's pixels: the image shows it (alt or title text does not)."""
    return hit.where is Where.IMAGE and (hit.hidden_reason or "").startswith(FROM_PIXELS)


def licence_hits(facts: PageFacts) -> list[NumberHit]:
    """Every licence-number hit on the page, wherever it stands."""
    return [h for h in facts.numbers if h.kind is NumberKind.LICENCE]


def shown(hit: NumberHit) -> bool:
    """A visitor reads this hit: rendered text, not hidden."""
    return hit.where is Where.TEXT and hit.visible


def page_verdict(facts: PageFacts, licence_key: str) -> Verdict:
    """Judge the licence display of one page: compliant, wrong-number, hidden, … or missing."""
    hits = licence_hits(facts)
    ours = [h for h in hits if h.key == licence_key]
    if any(shown(h) and h.in_footer for h in ours):
        return Verdict.COMPLIANT
    if any(h.where is Where.TEXT and h.in_footer and undecided(h) for h in ours):
        return Verdict.NEEDS_RENDER  # shown or not, only a browser tells
    if any(shown(h) and h.in_footer for h in hits):
        return Verdict.WRONG_NUMBER
    if any(h.where is Where.TEXT and not h.visible and h.in_footer for h in ours):
        return Verdict.HIDDEN
    if any(h.where is Where.IMAGE and h.in_footer for h in ours):
        return Verdict.IMAGE_ONLY
    if any(from_pixels(h) and h.in_footer for h in hits):
        return Verdict.WRONG_NUMBER  # the footer's picture shows another licence
    if any(shown(h) for h in ours):
        return Verdict.ELSEWHERE
    if any(h.where is Where.SCRIPT for h in ours) or facts.js_shell:
        return Verdict.NEEDS_RENDER
    return Verdict.MISSING
