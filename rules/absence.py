"""Why a kind of number is not displayed on a page (hidden, image, script, comment, or nowhere); pure.

The filing rules (BA-001, GA-001) word the result; the licence rules have their own page verdict.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rules.model import NumberHit, PageFacts, Where
from rules.verdict import shown


@dataclass(frozen=True, slots=True)
class Absence:
    """How a number is absent: `case` names the situation, `values` the numbers found anyway."""

    case: str  # "hidden", "image-only", "needs-render", "only-in" or "missing"
    values: str = ""  # the numbers found where a visitor does not read them, ", "-joined
    detail: str = ""  # hidden reasons ("hidden") or the places ("only-in": "comment, script")
    evidence: str = ""

    def params(self) -> dict[str, str]:
        """The message params of a finding about this absence: case, and what each case names."""
        values = {"case": self.case}
        if self.case in ("hidden", "image-only", "only-in"):
            values["values"] = self.values
        if self.case == "hidden":
            values["reasons"] = self.detail
        if self.case == "only-in":
            values["places"] = self.detail
        return values


def distinct_values(hits: Sequence[NumberHit]) -> list[str]:
    """The hits' values, each once, in page order."""
    return list(dict.fromkeys(h.value for h in hits))


def absence(facts: PageFacts, hits: Sequence[NumberHit]) -> Absence | None:
    """None when one of `hits` is shown; else the first situation that applies, in verdict order."""
    if any(shown(h) for h in hits):
        return None
    footer = facts.footer_text if facts.footer_found else ""
    hidden = [h for h in hits if h.where is Where.TEXT]
    if hidden:
        reasons = "; ".join(sorted({h.hidden_reason or "hidden" for h in hidden}))
        return Absence("hidden", ", ".join(distinct_values(hidden)), reasons, hidden[0].context)
    images = [h for h in hits if h.where is Where.IMAGE]
    if images:
        return Absence("image-only", ", ".join(distinct_values(images)), "", images[0].context or footer)
    scripts = [h for h in hits if h.where is Where.SCRIPT]
    if scripts or facts.js_shell:
        return Absence("needs-render", ", ".join(distinct_values(scripts)), "", footer)
    if hits:
        places = ", ".join(sorted({h.where.value for h in hits}))
        return Absence("only-in", ", ".join(distinct_values(hits)), places, hits[0].context or footer)
    return Absence("missing", evidence=footer)
