"""The report's footer-templates table: one row per footer variant (rules.templates), broken ones first,
with the verdict mix of its pages, an example page, the footer text with the licence highlighted and,
from browser mode, the footer's picture embedded as a data: URI."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from reports.evidence import Link, Segment, highlight, licence_key, link, verdict_tone
from reports.findings import worst_severity
from reports.messages import Catalogue
from rules.model import NumberHit, Severity, Verdict, Where
from rules.numbers import NumberKind, find_numbers
from rules.records import FooterShot, RunRecord
from rules.templates import NO_FOOTER, Template, group_templates, light_page
from rules.text import normalise

TEMPLATES_SHOWN = 50  # rows; the rest are counted in one line (a footer with per-page text, say)
EXCERPT_CHARS = 180  # of footer text per row, around the first licence number
RULES_SHOWN = 6
PICTURE_TYPES = frozenset({"image/png", "image/jpeg"})  # what a stored picture may be embedded as
PICTURE_VIEWPORT = "desktop"


@dataclass(frozen=True, slots=True)
class Picture:
    """A footer's picture as the report embeds it."""

    src: str  # data:<type>;base64,…
    alt: str
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class VerdictCount:
    """One verdict among a template's pages, with how many pages have it."""

    label: str
    count: int
    tone: str


@dataclass(frozen=True, slots=True)
class TemplateRow:
    """One footer variant."""

    tone: str  # bad when some page does not display the licence properly, warn when undecidable, else ok
    verdicts: tuple[VerdictCount, ...]
    pages: int
    example: Link
    footer_found: bool
    footer: tuple[Segment, ...]  # excerpt of the example's visible footer text, licence numbers marked
    unseen: tuple[str, ...]  # licence numbers in the footer a visitor cannot read, with where and why
    rules: str  # error and warning rule ids found on its pages, worst first
    picture: Picture | None = None  # runs in browser mode only


@dataclass(frozen=True, slots=True)
class TemplatesView:
    """The footer-templates section: its rows, an intro line, and notes on rows left out and old runs."""

    rows: tuple[TemplateRow, ...]
    intro: str
    capped: str
    legacy: str


def _cut(text: str, start: int, end: int) -> tuple[int, int]:
    """Move a window's edges to the nearest space inside it, so no number is cut in half."""
    if start > 0 and (space := text.find(" ", start, end)) >= 0:
        start = space + 1
    if end < len(text) and (space := text.rfind(" ", start, end)) > start:
        end = space
    return start, end


def excerpt(text: str, key: str, limit: int = EXCERPT_CHARS) -> tuple[Segment, ...]:
    """At most `limit` characters of footer text around its first licence number (else its start),
    cut at spaces, "…" where cut, licence numbers marked as `highlight` does."""
    text = normalise(text).strip()
    if len(text) <= limit:
        return highlight(text, key)
    first = next((m for m in find_numbers(text) if m.kind is NumberKind.LICENCE), None)
    start = 0 if first is None else max(0, min(first.start - limit // 3, len(text) - limit))
    start, end = _cut(text, start, start + limit)
    if first is not None and not start <= first.start < first.end <= end:
        start, end = first.start, max(first.end, min(len(text), first.start + limit))  # keep the number whole
    head = (Segment("…"),) if start > 0 else ()
    tail = (Segment("…"),) if end < len(text) else ()
    return (*head, *highlight(text[start:end], key), *tail)  # NFKC would turn "…" into "..."


def _unseen(hit: NumberHit, cat: Catalogue) -> str:
    why = hit.hidden_reason or ("" if hit.visible else cat.text["number_invisible"])
    return " · ".join(part for part in (hit.value, cat.wheres[hit.where], why) if part)


def _rules(template: Template) -> str:
    findings = [f for p in template.pages for f in p.findings if f.severity is not Severity.INFO]
    ranked = sorted({f.rule: f for f in findings}.values(), key=lambda f: (-f.severity.rank, f.rule))
    ids = [f.rule for f in ranked]
    return " ".join(ids[:RULES_SHOWN]) + (" …" if len(ids) > RULES_SHOWN else "")


def _tone(template: Template) -> str:
    if template.broken_pages:
        return "bad"
    if worst_severity(f for p in template.pages for f in p.findings) is Severity.ERROR:
        return "bad"
    return "ok" if all(v is Verdict.COMPLIANT for v, _ in template.verdicts) else "warn"


def picture(shot: FooterShot | None, url: str, cat: Catalogue) -> Picture | None:
    """The embeddable picture of a stored footer picture; None without one, or for a type a report
    must not embed (the data: URI carries only base64, so nothing in it needs escaping)."""
    if shot is None or shot.media_type not in PICTURE_TYPES or not shot.data:
        return None
    src = f"data:{shot.media_type};base64,{base64.b64encode(shot.data).decode('ascii')}"
    return Picture(src, cat.say("templates_picture_alt", url=url), shot.width, shot.height)


def template_row(template: Template, key: str, cat: Catalogue, shot: FooterShot | None = None) -> TemplateRow:
    """The row of one footer variant, shown by its example page (and `shot`, its picture)."""
    page = template.example
    unseen = tuple(
        _unseen(h, cat)
        for h in page.numbers
        if h.in_footer and h.kind is NumberKind.LICENCE and not (h.visible and h.where is Where.TEXT)
    )
    return TemplateRow(
        tone=_tone(template),
        verdicts=tuple(VerdictCount(cat.verdicts[v], n, verdict_tone(v)) for v, n in template.verdicts),
        pages=len(template.pages),
        example=link(page.url),
        footer_found=template.fingerprint != NO_FOOTER,
        footer=excerpt(page.footer_text, key),
        unseen=unseen,
        rules=_rules(template),
        picture=picture(shot, page.url, cat),
    )


def templates_view(record: RunRecord, cat: Catalogue) -> TemplatesView:
    """Every footer variant of the run's judged pages, broken ones first, at most TEMPLATES_SHOWN rows."""
    templates = group_templates(record.pages, keep=light_page)
    key = licence_key(record.info.licence.number)
    shots = {s.fingerprint: s for s in record.footer_shots if s.viewport == PICTURE_VIEWPORT}
    shown, rest = templates[:TEMPLATES_SHOWN], templates[TEMPLATES_SHOWN:]
    pages = sum(len(t.pages) for t in templates)
    broken = sum(1 for t in templates if t.broken_pages)
    intro = cat.say(
        "templates_intro",
        pages=cat.count("page", pages),
        variants=cat.count("variant", len(templates)),
        broken=broken,
    )
    capped = cat.say(
        "templates_capped",
        variants=cat.count("variant", len(rest)),
        pages=cat.count("page", sum(len(t.pages) for t in rest)),
    )
    return TemplatesView(
        rows=tuple(template_row(t, key, cat, shots.get(t.fingerprint)) for t in shown),
        intro=intro if templates else "",
        capped=capped if rest else "",
        legacy=cat.text["templates_legacy"] if any(t.text_only for t in templates) else "",
    )
