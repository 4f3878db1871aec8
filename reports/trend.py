"""The history trend chart: compliant share and error count per run, drawn as inline SVG from numbers.

No JavaScript, no chart library, no crawled text: every label in the SVG is a number we format here
(and it is escaped anyway). The legend and any words stay in the HTML template, where Jinja escapes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from rules.records import RunInfo

TREND_RUNS = 60  # the chart shows this many most recent runs
WIDTH, HEIGHT = 720, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 44, 14, 30  # margins around the plot, room for the axis labels
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
SHARE_TICKS = (0, 25, 50, 75, 100)
LABEL_GAP = 12  # axis labels clear the half bar (up to 8) that the first and last runs put past the plot


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """One run on the chart: its id, compliant share of judged pages in % (None: none judged), errors."""

    run_id: int
    share: float | None
    errors: int | None  # None when the run has no counts


def compliant_share(info: RunInfo) -> float | None:
    """Compliant pages as % of judged pages (compliant + non-compliant); None when nothing was judged."""
    counts = info.counts
    if counts is None:
        return None
    judged = counts.compliant + counts.non_compliant
    return 100.0 * counts.compliant / judged if judged else None


def trend_points(runs: Sequence[RunInfo], limit: int = TREND_RUNS) -> list[TrendPoint]:
    """The last `limit` runs, oldest first (whatever order `runs` comes in)."""
    recent = sorted(runs, key=lambda r: r.id)[-limit:] if limit > 0 else []
    return [
        TrendPoint(r.id, compliant_share(r), None if r.counts is None else r.counts.errors) for r in recent
    ]


def error_scale(points: Sequence[TrendPoint]) -> int:
    """The top of the error axis: the largest error count rounded up to 1, 2 or 5 times a power of ten."""
    top = max((p.errors or 0 for p in points), default=0)
    step = 1
    while True:
        for factor in (1, 2, 5):
            if top <= step * factor:
                return step * factor
        step *= 10


def x_of(index: int, count: int) -> float:
    """The horizontal centre of the `index`-th of `count` runs; a single run sits in the middle."""
    if count <= 1:
        return LEFT + PLOT_W / 2
    return LEFT + PLOT_W * index / (count - 1)


def y_of_share(share: float) -> float:
    """The height of a share (0..100 %) on the left axis."""
    return TOP + PLOT_H * (1 - max(0.0, min(100.0, share)) / 100)


def y_of_errors(errors: int, scale: int) -> float:
    """The height of an error count on the right axis, whose top is `scale`."""
    return TOP + PLOT_H * (1 - min(errors, scale) / scale)


def _n(value: float) -> str:
    return f"{value:.1f}"


def _text(x: float, y: float, label: str, anchor: str, cls: str) -> str:
    return f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" class="{cls}">{escape(label)}</text>'


def _axes(points: Sequence[TrendPoint], scale: int) -> list[str]:
    parts: list[str] = []
    for tick in SHARE_TICKS:
        y = y_of_share(tick)
        parts.append(f'<line x1="{LEFT}" y1="{_n(y)}" x2="{LEFT + PLOT_W}" y2="{_n(y)}" class="grid"/>')
        parts.append(_text(LEFT - LABEL_GAP, y + 4, f"{tick}%", "end", "axis share"))
    for tick in sorted({0, scale // 2, scale} if scale % 2 == 0 else {0, scale}):
        parts.append(
            _text(LEFT + PLOT_W + LABEL_GAP, y_of_errors(tick, scale) + 4, str(tick), "start", "axis errors")
        )
    count = len(points)
    shown = {0, count - 1} | ({count // 2} if count > 4 else set())
    for index in sorted(shown):
        parts.append(
            _text(x_of(index, count), HEIGHT - 10, f"#{points[index].run_id}", "middle", "axis runs")
        )
    return parts


def _bars(points: Sequence[TrendPoint], scale: int) -> list[str]:
    width = max(2.0, min(16.0, PLOT_W / max(len(points), 1) * 0.5))
    parts = []
    for index, point in enumerate(points):
        if point.errors is None:
            continue
        y = y_of_errors(point.errors, scale)
        x = x_of(index, len(points)) - width / 2
        height = TOP + PLOT_H - y
        parts.append(
            f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(width)}" height="{_n(height)}" class="err">'
            f"<title>#{point.run_id}: {point.errors}</title></rect>"
        )
    return parts


def _share_line(points: Sequence[TrendPoint]) -> list[str]:
    """Polylines through the shares, broken where a run judged no page; a dot per run with a share."""
    parts: list[str] = []
    segment: list[str] = []
    dots: list[str] = []
    count = len(points)
    for index, point in enumerate(points):
        if point.share is None:
            if len(segment) > 1:
                parts.append(f'<polyline points="{" ".join(segment)}" class="share"/>')
            segment = []
            continue
        x, y = x_of(index, count), y_of_share(point.share)
        segment.append(f"{_n(x)},{_n(y)}")
        dots.append(
            f'<circle cx="{_n(x)}" cy="{_n(y)}" r="3" class="share">'
            f"<title>#{point.run_id}: {point.share:.1f}%</title></circle>"
        )
    if len(segment) > 1:
        parts.append(f'<polyline points="{" ".join(segment)}" class="share"/>')
    return parts + dots


def trend_svg(points: Sequence[TrendPoint], *, title: str) -> str:
    """The chart as one <svg> element; "" when there is no run to draw. `title` is escaped."""
    if not points:
        return ""
    scale = error_scale(points)
    body = [*_axes(points, scale), *_bars(points, scale), *_share_line(points)]
    return (
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
        f'role="img" aria-label="{escape(title)}" class="trend">'
        f"<title>{escape(title)}</title>" + "".join(body) + "</svg>"
    )
