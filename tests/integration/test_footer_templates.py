"""Footer templates on the local company site: pages grouped by footer, in the JSON export and the report,
also for a run stored before fingerprints were recorded."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from crawler.cli import cli
from reports.messages import ZH
from tests.conftest import LocalSite, audit_args

# The variants of tests/sites/company (see its expected.json notes), each a set of page paths:
SHARED = {  # the site-wide footer, unchanged
    "/", "/about.html", "/map.html", "/news.html", "/old-page.html", "/sitemap-only.html",
    "/products/iot.html",  # full-width digits: the same after NFKC
    "/products/vision.html",
    "/gbk.html", "/gb2312.html",  # decoded from GBK: the same text
}  # fmt: skip
HIDDEN = {"/hidden-css.html", "/hidden-class.html", "/hidden-sheet.html"}  # inline style, <style>, a sheet
BARE = {"/missing.html", "/elsewhere.html"}  # no licence in the footer (elsewhere shows it in its body)
ARTICLES = {"/news/20250612.html", "/news/20251020.html", "/news/20260115.html"}  # label 经营许可证编号
# One page each: careers (<div class=copyright>), comment-only, contact (ICP证 label), footer-frame,
# frame-footer, image-only, longer-number, products (licence split across <span>s), wrong, and the
# JavaScript shell app.html, which has no footer.
ALONE = 10
VARIANTS = 4 + ALONE


def _path(url: str) -> str:
    return urlsplit(url).path


@pytest.fixture(scope="module")
def audited(company_site: LocalSite, tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("templates")
    args = audit_args(company_site.base, work, "--json", str(work / "run.json"), "--today", "2026-11-27")
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    return work


def _groups(export: dict[str, object]) -> dict[str, set[str]]:
    pages = export["pages"]
    assert isinstance(pages, list)
    groups: dict[str, set[str]] = {}
    for p in pages:
        if p["footer_fingerprint"] is not None:
            groups.setdefault(p["footer_fingerprint"], set()).add(_path(p["url"]))
    return groups


def test_pages_group_into_the_sites_footer_variants(audited: Path) -> None:
    export = json.loads((audited / "run.json").read_text("utf-8"))
    groups = _groups(export)
    assert len(groups) == VARIANTS
    found = sorted(groups.values(), key=len, reverse=True)
    for variant in (SHARED, HIDDEN, ARTICLES, BARE):
        assert variant in found
    assert sum(len(g) == 1 for g in found) == ALONE
    assert all(fp.startswith("f1-") or fp == "none" for fp in groups)


def test_the_broken_variant_is_one_template_listed_before_the_good_ones(audited: Path) -> None:
    export = json.loads((audited / "run.json").read_text("utf-8"))
    templates = export["templates"]
    assert len(templates) == VARIANTS
    by_example = {_path(t["example_url"]): t for t in templates}
    hidden = next(t for path, t in by_example.items() if path in HIDDEN)
    assert hidden["pages"] == 3
    assert hidden["verdicts"] == {"hidden": 3}
    bare = next(t for path, t in by_example.items() if path in BARE)
    assert bare["verdicts"] == {"elsewhere": 1, "missing": 1}  # one footer, two verdicts
    shared = by_example["/"]  # the homepage shows the shared template
    assert shared["pages"] == len(SHARED)
    assert shared["verdicts"] == {"compliant": len(SHARED)}
    broken = [t["broken_pages"] > 0 for t in templates]
    assert broken == sorted(broken, reverse=True)  # every broken template before every other one
    assert templates[0]["pages"] == 3  # the biggest broken template first


def test_the_report_has_one_row_per_variant(audited: Path) -> None:
    html = (audited / "out" / "latest.html").read_text("utf-8")
    table = re.search(r'<section class="templates".*?</section>', html, re.S)
    assert table
    assert ZH.text["templates_heading"] in table[0]
    assert len(re.findall(r'<td class="tpl-', table[0])) == VARIANTS
    assert ZH.text["templates_legacy"] not in table[0]


def test_a_run_stored_without_fingerprints_is_grouped_by_text(audited: Path, tmp_path: Path) -> None:
    """An older version stored no fingerprint: reports group by footer text and numbers alone, so the
    page whose licence is split across <span>s joins the shared template (same text, other structure)."""
    db = tmp_path / "old.db"
    with sqlite3.connect(audited / "a.db") as source, sqlite3.connect(db) as copy:
        source.backup(copy)  # the pages may still be in the write-ahead log
        copy.execute("update pages set footer_fingerprint = ''")
    source.close()
    copy.close()
    runner = CliRunner()
    out = tmp_path / "out"
    result = runner.invoke(cli, ["report", "--run", "latest", "--db", str(db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        cli, ["export", "--run", "latest", "--db", str(db), "-o", str(tmp_path / "old.json")]
    )
    assert result.exit_code == 0, result.output
    groups = _groups(json.loads((tmp_path / "old.json").read_text("utf-8")))
    assert len(groups) == VARIANTS - 1
    assert SHARED | {"/products.html"} in groups.values()
    assert all(fp.startswith("t1-") or fp == "none" for fp in groups)
    html = (out / "run-1.html").read_text("utf-8")
    assert ZH.text["templates_legacy"] in html
