"""The report folder's index.html: every stored run, newest first, with the trend chart on top."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from markupsafe import Markup

from reports.html import environment
from reports.messages import Catalogue, catalogue
from reports.trend import TREND_RUNS, compliant_share, trend_points, trend_svg
from reports.view import CHINA_TIME, when
from rules.records import RunInfo, RunStatus


@dataclass(frozen=True, slots=True)
class IndexRow:
    """One stored run in the table; `href` is empty when its report file is not in the folder."""

    id: int
    href: str
    site: str
    status: str
    tone: str
    trigger: str
    started: str
    pages: str
    share: str
    errors: str
    error_tone: str


@dataclass(frozen=True, slots=True)
class IndexView:
    """Everything index.html shows, in the report language."""

    html_lang: str
    t: Mapping[str, str]
    trend: Markup  # SVG drawn from numbers by reports.trend; its labels are escaped there
    trend_note: str
    rows: tuple[IndexRow, ...]
    generated: str


def _row(info: RunInfo, cat: Catalogue, tz: tzinfo, linked: Collection[int] | None) -> IndexRow:
    counts, none = info.counts, cat.text["none"]
    share = compliant_share(info)
    errors = "" if counts is None else str(counts.errors)
    return IndexRow(
        id=info.id,
        href=f"run-{info.id}.html" if linked is None or info.id in linked else "",
        site=info.site,
        status=cat.statuses[info.status],
        tone={RunStatus.COMPLETE: "ok", RunStatus.FAILED: "bad"}.get(info.status, "warn"),
        trigger=cat.triggers.get(info.trigger, info.trigger),
        started=when(info.started_at, tz),
        pages=none if counts is None else str(counts.pages),
        share=none if share is None else f"{share:.1f}%",
        errors=errors or none,
        error_tone="bad" if counts is not None and counts.errors else "",
    )


def build_index_view(
    runs: Sequence[RunInfo],
    *,
    lang: str,
    generated_at: datetime,
    tz: tzinfo | None = None,
    linked: Collection[int] | None = None,
) -> IndexView:
    """The index's view model: rows newest first, the chart over the last TREND_RUNS runs oldest first."""
    cat = catalogue(lang)
    zone = tz or CHINA_TIME
    ordered = sorted(runs, key=lambda r: r.id, reverse=True)
    points = trend_points(ordered)
    return IndexView(
        html_lang=cat.html_lang,
        t=cat.text,
        trend=Markup(trend_svg(points, title=cat.text["index_trend_heading"])),
        trend_note=cat.say("index_trend_note", runs=len(points), limit=TREND_RUNS),
        rows=tuple(_row(r, cat, zone, linked) for r in ordered),
        generated=cat.say("index_generated", when=when(generated_at, zone)),
    )


def render_index(
    runs: Sequence[RunInfo],
    *,
    lang: str = "zh",
    generated_at: datetime,
    tz: tzinfo | None = None,
    linked: Collection[int] | None = None,
) -> str:
    """index.html in `lang` ("zh" or "en"): every run in `runs`, newest first, with the trend chart.

    `linked` holds the ids whose run-<id>.html exists beside the index (None: link every run).
    """
    view = build_index_view(runs, lang=lang, generated_at=generated_at, tz=tz, linked=linked)
    return environment().get_template("index.html").render(v=view)
