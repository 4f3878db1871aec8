"""Grouping and quoting of number hits, shared by the ICP and 公安 filing rules; pure."""

from __future__ import annotations

from collections.abc import Iterable

from rules.model import NumberHit


def by_value(hits: Iterable[NumberHit]) -> dict[str, list[NumberHit]]:
    """Hits grouped by the number they show, in page order (one finding per number, not per copy)."""
    groups: dict[str, list[NumberHit]] = {}
    for hit in hits:
        groups.setdefault(hit.value, []).append(hit)
    return groups


def link_evidence(hit: NumberHit) -> str:
    """The text around a number and, when it is a link, where it points."""
    context = hit.context or hit.value
    return f"{context} → {hit.href}" if hit.href else context
