"""Unit tests of the history index: the inline SVG trend chart and the index.html page."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from reports import render_index
from reports.trend import (
    HEIGHT,
    LEFT,
    PLOT_H,
    PLOT_W,
    TOP,
    TREND_RUNS,
    TrendPoint,
    error_scale,
    trend_points,
    trend_svg,
    x_of,
    y_of_errors,
    y_of_share,
)
from rules.model import LicenceFacts
from rules.records import Counts, RunInfo, RunStatus

STARTED = datetime(2026, 11, 26, 18, 30, tzinfo=UTC)
GENERATED = datetime(2026, 11, 26, 19, 0, tzinfo=UTC)
LICENCE = LicenceFacts(
    number="陕B2-20210271", holder="西安朝前智能科技有限公司", valid_until=date(2027, 8, 30)
)


def run(
    run_id: int,
    *,
    compliant: int = 8,
    non_compliant: int = 2,
    errors: int = 3,
    site: str = "朝前科技官网",
    status: RunStatus = RunStatus.COMPLETE,
    counts: bool = True,
) -> RunInfo:
    return RunInfo(
        id=run_id,
        site=site,
        status=status,
        trigger="schedule",
        started_at=STARTED + timedelta(days=run_id),
        finished_at=None,
        tool_version="1.0",
        licence=LICENCE,
        today=date(2026, 11, 27),
        counts=Counts(
            pages=compliant + non_compliant + 1,
            compliant=compliant,
            non_compliant=non_compliant,
            fetch_errors=1,
            errors=errors,
            warnings=0,
            infos=0,
        )
        if counts
        else None,
    )


def numbers(svg: str, tag: str, attr: str) -> list[float]:
    return [float(m) for m in re.findall(rf'<{tag} [^>]*?\b{attr}="([-\d.]+)"', svg)]


# --- the chart ---------------------------------------------------------------------------------


def test_points_are_the_last_runs_oldest_first() -> None:
    runs = [run(i) for i in range(100, 0, -1)]  # newest first, as list_runs gives them
    points = trend_points(runs)
    assert len(points) == TREND_RUNS
    assert [p.run_id for p in points] == list(range(100 - TREND_RUNS + 1, 101))


@pytest.mark.parametrize(
    ("compliant", "non_compliant", "share"),
    [(8, 2, 80.0), (0, 5, 0.0), (3, 0, 100.0), (0, 0, None)],
)
def test_share_is_of_judged_pages(compliant: int, non_compliant: int, share: float | None) -> None:
    (point,) = trend_points([run(1, compliant=compliant, non_compliant=non_compliant)])
    assert point.share == share


def test_one_dot_and_one_bar_per_run() -> None:
    svg = trend_svg(trend_points([run(i, errors=i) for i in range(1, 8)]), title="t")
    assert svg.count("<circle") == 7
    assert svg.count('<rect x="') == 7
    assert svg.count("<polyline") == 1


def test_values_are_scaled_to_the_axes() -> None:
    runs = [run(1, compliant=0, non_compliant=4, errors=0), run(2, compliant=1, non_compliant=1, errors=5)]
    runs.append(run(3, compliant=4, non_compliant=0, errors=10))
    svg = trend_svg(trend_points(runs), title="t")
    assert numbers(svg, "circle", "cy") == [TOP + PLOT_H, TOP + PLOT_H / 2, TOP]
    assert numbers(svg, "circle", "cx") == [LEFT, LEFT + PLOT_W / 2, LEFT + PLOT_W]
    assert numbers(svg, "rect", "y") == [TOP + PLOT_H, TOP + PLOT_H / 2, TOP]
    assert numbers(svg, "rect", "height") == [0, PLOT_H / 2, PLOT_H]


@pytest.mark.parametrize(("top", "scale"), [(0, 1), (1, 1), (3, 5), (7, 10), (11, 20), (480, 500)])
def test_error_axis_rounds_up(top: int, scale: int) -> None:
    assert error_scale([TrendPoint(1, None, top)]) == scale
    assert y_of_errors(top, scale) == pytest.approx(TOP + PLOT_H * (1 - top / scale))


def test_axis_labels() -> None:
    svg = trend_svg(trend_points([run(i, errors=8) for i in range(1, 11)]), title="t")
    labels = re.findall(r"<text [^>]*>([^<]*)</text>", svg)
    assert {"0%", "50%", "100%"} <= set(labels)
    assert {"0", "5", "10"} <= set(labels)  # 8 errors: the axis tops at 10
    assert {"#1", "#10"} <= set(labels)


def test_empty_history_draws_nothing() -> None:
    assert trend_points([]) == []
    assert trend_svg([], title="t") == ""


def test_single_run_sits_in_the_middle() -> None:
    svg = trend_svg(trend_points([run(7, compliant=3, non_compliant=1)]), title="t")
    assert numbers(svg, "circle", "cx") == [x_of(0, 1)] == [LEFT + PLOT_W / 2]
    assert numbers(svg, "circle", "cy") == [y_of_share(75.0)]
    assert "<polyline" not in svg
    assert svg.count("#7") >= 1


def test_runs_that_judged_nothing_break_the_line() -> None:
    runs = [run(1), run(2), run(3, compliant=0, non_compliant=0), run(4), run(5), run(6, counts=False)]
    svg = trend_svg(trend_points(runs), title="t")
    assert svg.count("<circle") == 4
    assert svg.count("<polyline") == 2
    assert svg.count('<rect x="') == 5  # no counts, no bar


def test_svg_stays_inside_its_box_and_escapes_the_title() -> None:
    svg = trend_svg(trend_points([run(1), run(2)]), title='<script>"x"</script>')
    assert "<script" not in svg
    assert "&lt;script&gt;" in svg
    assert all(0 <= y <= HEIGHT for y in numbers(svg, "circle", "cy"))


# --- the page ----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_index_lists_runs_newest_first_and_links_existing_reports(lang: str) -> None:
    html = render_index([run(1), run(3), run(2)], lang=lang, generated_at=GENERATED, linked={1, 3})
    table = html[html.index('<table class="runs">') :]
    assert table.index("#3") < table.index("#2") < table.index("#1")
    assert '<a href="run-3.html">' in html
    assert '<a href="run-1.html">' in html
    assert 'href="run-2.html"' not in html
    assert "80.0%" in html
    assert "<svg" in html
    assert f'<html lang="{"zh-CN" if lang == "zh" else "en"}"' in html


def test_index_in_chinese_by_default_with_china_time() -> None:
    html = render_index([run(1)], generated_at=GENERATED)
    for word in ("历次审计", "定时", "已完成"):
        assert word in html
    assert "2026-11-28 02:30 (UTC+8)" in html  # started 18:30 UTC the day after the 26th


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_hostile_site_name_is_escaped_and_page_is_self_contained(lang: str) -> None:
    evil = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'
    html = render_index([run(1, site=evil), run(2, counts=False)], lang=lang, generated_at=GENERATED)
    assert "&lt;script&gt;" in html
    for forbidden in ("<script", "<img", 'src="http', "url(", "@import", "<link", "<iframe"):
        assert forbidden not in html


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_empty_index_renders(lang: str) -> None:
    html = render_index([], lang=lang, generated_at=GENERATED)
    assert "<svg" not in html
    assert ("还没有审计记录" if lang == "zh" else "No audits are stored yet") in html
