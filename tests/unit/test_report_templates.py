"""The report's footer-templates table and the JSON export's `templates` array."""

from __future__ import annotations

import html as htmllib
import re

import pytest

from reports import render_run, run_to_json
from reports.footers import TEMPLATES_SHOWN, excerpt
from reports.messages import EN, ZH
from rules.model import Verdict
from rules.records import PageRecord
from tests.unit.test_reports import (
    GENERATED,
    NUMBER,
    XSS_ATTR,
    XSS_SCRIPT,
    hit,
    lic007,
    make_record,
    page,
    text_of,
)

BASE = "https://chaoqiankeji.com"
GOOD = "f1-00000000000good"
BARE = "f1-00000000000bare"


def section(html: str) -> str:
    """The footer-templates section of a rendered report."""
    match = re.search(r'<section class="templates".*?</section>', html, re.S)
    assert match, "no footer-templates section"
    return match[0]


def site_pages() -> tuple[PageRecord, ...]:
    """Twenty pages on the good template, three on one without the licence, one page not fetched."""
    good = [page(f"{BASE}/p{i:02d}", footer_fingerprint=GOOD) for i in range(20)]
    bare = [
        page(f"{BASE}/m{i}", Verdict.MISSING, findings=(lic007(),), footer_fingerprint=BARE) for i in range(3)
    ]
    gone = page(f"{BASE}/gone", Verdict.FETCH_ERROR, status=404, footer_found=False, numbers=())
    return (*good, *bare, gone)


def test_one_row_per_template_broken_first_with_counts_and_the_licence_highlighted() -> None:
    html = render_run(make_record(site_pages()), generated_at=GENERATED)
    table = section(html)
    rows = re.findall(r"<tr>\s*<td class=\"tpl-(\w+)\">.*?</tr>", table, re.S)
    assert rows == ["bad", "ok"]
    assert ZH.text["templates_heading"] in table
    text = text_of(table)
    assert "已检查的 23 个页面共使用 2 种页脚，其中 1 种有问题" in text
    first, second = re.findall(r"<tr>.*?</tr>", table, re.S)[1:]
    assert '<td class="n">3</td>' in first
    assert f'href="{BASE}/m0"' in first
    assert ZH.verdicts[Verdict.MISSING] in first
    assert '<td class="n">20</td>' in second
    assert f'<mark class="ours">{NUMBER}</mark>' in second


def test_a_template_whose_pages_disagree_shows_the_verdict_mix() -> None:
    pages = (
        page(f"{BASE}/a", Verdict.MISSING, footer_fingerprint=BARE),
        page(f"{BASE}/b", Verdict.ELSEWHERE, footer_fingerprint=BARE),
        page(f"{BASE}/c", Verdict.MISSING, footer_fingerprint=BARE),
    )
    table = section(render_run(make_record(pages), lang="en", generated_at=GENERATED))
    assert f"{EN.verdicts[Verdict.ELSEWHERE]} 1</span>" in table
    assert f"{EN.verdicts[Verdict.MISSING]} 2</span>" in table
    assert EN.text["templates_heading"] in table


def test_hostile_footer_text_urls_and_reasons_are_escaped_in_the_table() -> None:
    hostile = page(
        f"javascript:alert(1)//{XSS_ATTR}",
        Verdict.HIDDEN,
        footer_text=f"{XSS_SCRIPT} {XSS_ATTR} 增值电信业务经营许可证：",
        numbers=(hit(visible=False, hidden_reason=f"display:none on {XSS_SCRIPT}"),),
        footer_fingerprint="f1-0000000hostile",
    )
    html = render_run(make_record((hostile,)), generated_at=GENERATED)
    table = section(html)
    assert "<script" not in html
    assert "<script" not in table
    assert "<img" not in table
    assert 'href="javascript:' not in table
    assert htmllib.escape(XSS_SCRIPT, quote=False) in table
    assert XSS_ATTR not in table
    assert f"javascript:alert(1)//{XSS_ATTR}" in htmllib.unescape(table)  # the example URL, as text
    assert ZH.text["templates_unseen"] in table
    assert f"{NUMBER} · {ZH.wheres[hit().where]} · display:none on" in htmllib.unescape(table)


def test_runs_stored_before_fingerprints_are_grouped_by_text_and_say_so() -> None:
    old = (*(page(f"{BASE}/p{i}") for i in range(4)), page(f"{BASE}/m", Verdict.MISSING))
    table = section(render_run(make_record(old), generated_at=GENERATED))
    assert ZH.text["templates_legacy"] in table
    assert len(re.findall(r'<td class="tpl-', table)) == 2
    fresh = section(render_run(make_record(site_pages()), generated_at=GENERATED))
    assert ZH.text["templates_legacy"] not in fresh


def test_many_variants_are_capped_with_a_line_counting_the_rest() -> None:
    extra = 7
    pages = tuple(
        page(f"{BASE}/v{i}", footer_fingerprint=f"f1-{i:016x}") for i in range(TEMPLATES_SHOWN + extra)
    )
    table = section(render_run(make_record(pages), lang="en", generated_at=GENERATED))
    assert len(re.findall(r'<td class="tpl-', table)) == TEMPLATES_SHOWN
    assert f"{extra} footer variants ({extra} pages) more are not listed" in text_of(table)


def test_no_judged_page_says_so() -> None:
    gone = page(f"{BASE}/gone", Verdict.FETCH_ERROR, status=404, footer_found=False, numbers=())
    table = section(render_run(make_record((gone,)), generated_at=GENERATED))
    assert ZH.text["templates_none"] in table
    assert "<table" not in table


@pytest.mark.parametrize("before", [0, 40, 400])
def test_the_excerpt_keeps_the_licence_number_whole_and_marked(before: int) -> None:
    text = "关于我们 " * before + f"增值电信业务经营许可证：{NUMBER} " + "联系我们 " * 200
    parts = excerpt(text, NUMBER, limit=120)
    shown = "".join(p.text for p in parts)
    assert [p.text for p in parts if p.mark == "ours"] == [NUMBER]
    assert len(shown) <= 120 + 2
    assert shown.endswith("…")
    assert shown.startswith("…") == (before > 10)


def test_json_export_lists_templates_and_each_page_names_its_own() -> None:
    doc = run_to_json(make_record(site_pages()))
    templates = doc["templates"]
    assert isinstance(templates, list)
    assert [t["fingerprint"] for t in templates] == [BARE, GOOD]
    bare = templates[0]
    assert bare == {
        "fingerprint": BARE,
        "pages": 3,
        "verdicts": {"missing": 3},
        "broken_pages": 3,
        "example_url": f"{BASE}/m0",
        "footer_found": True,
        "footer_text": "© 2026 西安朝前智能科技有限公司",
    }
    pages = doc["pages"]
    assert isinstance(pages, list)
    by_url = {p["url"]: p["footer_fingerprint"] for p in pages}
    assert by_url[f"{BASE}/p00"] == GOOD
    assert by_url[f"{BASE}/gone"] is None
