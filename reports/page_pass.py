"""One pass over a stored run's pages for the HTML report: what each section needs, without holding every
page whole (a big run's pages are read from the database a chunk at a time); reports layer."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from reports.evidence import evidence_key, is_failing
from rules.records import PageRecord
from rules.templates import light_page, page_fingerprint, worse


@dataclass(frozen=True, slots=True)
class ReportPages:
    """The run's pages three ways, in the run's order, each as its section reads them.

    `light`: every page without footer text, numbers and finding texts (counts, cards, the table).
    `failing`: the failing pages; those with the same evidence share one copy of it, so the section's
    grouping is unchanged and a thousand identical footers are held once.
    `templates`: `light`, but each footer template's example page (its worst) whole.
    """

    light: tuple[PageRecord, ...]
    failing: tuple[PageRecord, ...]
    templates: tuple[PageRecord, ...]

    @classmethod
    def of(cls, pages: Iterable[PageRecord]) -> ReportPages:
        """Go through `pages` once."""
        light: list[PageRecord] = []
        failing: list[PageRecord] = []
        shared: dict[tuple[object, ...], PageRecord] = {}
        examples: dict[str, tuple[int, PageRecord]] = {}  # fingerprint -> (index, its worst page so far)
        for index, page in enumerate(pages):
            light.append(light_page(page))
            if is_failing(page):
                first = shared.setdefault(evidence_key(page), page)
                same = replace(
                    page, footer_text=first.footer_text, numbers=first.numbers, findings=first.findings
                )
                failing.append(page if first is page else same)
            if (key := page_fingerprint(page)) and (key not in examples or worse(page, examples[key][1])):
                examples[key] = (index, page)
        templates = list(light)
        for index, page in examples.values():
            templates[index] = page
        return cls(tuple(light), tuple(failing), tuple(templates))
