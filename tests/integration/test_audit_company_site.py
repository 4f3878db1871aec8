"""The whole pipeline on a local copy of a company site, run through the CLI as a user runs it."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner, Result

from crawler.cli import cli
from tests.conftest import LOCAL_PROFILE, SITES, LocalSite

EXPECTED: dict[str, str] = {
    k: v
    for k, v in json.loads((SITES / "company" / "expected.json").read_text("utf-8")).items()
    if k != "_notes"
}


@pytest.fixture(scope="module")
def audited(
    company_site: LocalSite, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Result, Path, LocalSite]:
    """One audit of the company site (module-scoped: every test below reads the same run)."""
    work = tmp_path_factory.mktemp("audit")
    before = len(company_site.log)  # the server is shared by the session: keep only this audit's requests
    result = CliRunner().invoke(
        cli,
        [
            "audit",
            "--config",
            str(LOCAL_PROFILE),
            "--start-url",
            f"{company_site.base}/",
            "--db",
            str(work / "audit.db"),
            "--out",
            str(work / "out"),
            "--json",
            str(work / "run.json"),
            "--today",
            "2026-11-27",
        ],
    )
    return result, work, LocalSite(company_site.base, company_site.log[before:])


def _path(url: str) -> str:
    return urlsplit(url).path


def test_exit_code_is_2_because_pages_are_non_compliant(audited: tuple[Result, Path, LocalSite]) -> None:
    result, _, _ = audited
    assert result.exit_code == 2, result.output
    assert "report:" in result.output


def test_every_page_gets_its_expected_verdict(audited: tuple[Result, Path, LocalSite]) -> None:
    _, work, _ = audited
    export = json.loads((work / "run.json").read_text("utf-8"))
    got = {_path(p["url"]): p["verdict"] for p in export["pages"]}
    assert got == EXPECTED


def test_every_url_is_recorded_exactly_once(audited: tuple[Result, Path, LocalSite]) -> None:
    _, work, _ = audited
    urls = [p["url"] for p in json.loads((work / "run.json").read_text("utf-8"))["pages"]]
    assert len(urls) == len(set(urls))
    assert {urlsplit(u).hostname for u in urls} == {"127.0.0.1"}  # the off-site links were never taken


def test_robots_disallowed_page_is_never_requested(audited: tuple[Result, Path, LocalSite]) -> None:
    _, _, site = audited
    assert not [p for p in site.log if p.startswith("/private/")]
    assert site.log.count("/css/legal.css") == 1  # a same-site stylesheet is fetched once per run
    assert site.log.count("/footer-frame.html") == 2  # a footer frame once as a frame, once as a page
    assert "/robots.txt" in site.log


def test_database_holds_the_run_pages_and_findings(audited: tuple[Result, Path, LocalSite]) -> None:
    _, work, _ = audited
    with sqlite3.connect(work / "audit.db") as db:
        status, site = db.execute("select status, site from runs").fetchone()
        pages = db.execute("select count(*) from pages").fetchone()[0]
        rules = {r for (r,) in db.execute("select distinct rule from findings")}
    assert status == "complete"
    assert site == "朝前科技官网"
    assert pages == len(EXPECTED)
    assert {"VAL-001", "VAL-002", "LIC-002", "LIC-006", "LIC-007", "LIC-005", "NET-001"} <= rules


def test_the_page_reached_only_through_the_sitemap_is_named(audited: tuple[Result, Path, LocalSite]) -> None:
    _, work, site = audited
    export = json.loads((work / "run.json").read_text("utf-8"))
    (orphans,) = [f for f in export["site_findings"] if f["rule"] == "NET-002"]
    assert orphans["severity"] == "info"
    assert orphans["evidence"].splitlines() == [f"{site.base}/sitemap-only.html"]


def test_json_export_follows_the_contract(audited: tuple[Result, Path, LocalSite]) -> None:
    _, work, _ = audited
    export = json.loads((work / "run.json").read_text("utf-8"))
    assert export["schema"] == "icp-audit/run/v1"
    assert export["licence"]["number"] == "陕B2-20210271"
    assert export["licence"]["days_left"] == -89
    assert export["run"]["counts"]["pages"] == len(EXPECTED)
    assert export["diff"] is None
    redirect = next(p for p in export["pages"] if _path(p["url"]) == "/old-page.html")
    assert _path(redirect["final_url"]) == "/new-page.html"
    assert [_path(u) for u in redirect["redirects"]] == ["/old-page.html"]
    assert redirect["size"] > 0
    gone = next(p for p in export["pages"] if _path(p["url"]) == "/gone.html")
    assert gone["status"] == 404
    assert [f["rule"] for f in gone["findings"]] == ["NET-001"]
    skipped = next(p for p in export["pages"] if p["verdict"] == "skipped")
    assert skipped["status"] is None
    assert "robots.txt" in skipped["error"]


def test_report_is_self_contained_and_leads_with_the_expiry(audited: tuple[Result, Path, LocalSite]) -> None:
    _, work, _ = audited
    reports = sorted(p.name for p in (work / "out").iterdir() if not p.name.startswith("."))
    assert reports == ["index.html", "latest.html", "run-1.html"]
    index = (work / "out" / "index.html").read_text("utf-8")
    assert '<a href="run-1.html">' in index
    assert "<svg" in index
    assert "<script" not in index
    html = (work / "out" / "run-1.html").read_text("utf-8")
    mode = (work / "out" / "run-1.html").stat().st_mode
    assert mode & 0o044 == 0o044  # readable by others: reports are served and forwarded
    assert "已过期" in html
    assert html.index("2026-08-30") < html.index("/missing.html")
    for external in ("<script", "<link", 'src="http', "@import", "url("):
        assert external not in html


def test_gbk_pages_come_out_as_chinese(audited: tuple[Result, Path, LocalSite]) -> None:
    _, work, _ = audited
    export = json.loads((work / "run.json").read_text("utf-8"))
    for path in ("/gbk.html", "/gb2312.html"):
        page = next(p for p in export["pages"] if _path(p["url"]) == path)
        assert [n["value"] for n in page["numbers"] if n["kind"] == "licence"] == ["陕B2-20210271"]


def test_csv_export_opens_in_excel(audited: tuple[Result, Path, LocalSite]) -> None:
    _, work, _ = audited
    out = work / "run.csv"
    result = CliRunner().invoke(
        cli, ["export", "--format", "csv", "--db", str(work / "audit.db"), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["url", "final_url", "status", "verdict", "findings"]
    assert {_path(r[0]): r[3] for r in rows[1:]} == EXPECTED
    wrong = next(r for r in rows if _path(r[0]) == "/wrong.html")
    assert set(wrong[4].split()) == {"LIC-002", "LIC-007"}


def test_junit_export_fails_the_pages_with_errors(audited: tuple[Result, Path, LocalSite]) -> None:
    _, work, _ = audited
    result = CliRunner().invoke(cli, ["export", "--format", "junit", "--db", str(work / "audit.db")])
    assert result.exit_code == 0, result.output
    suite = ElementTree.fromstring(result.output).find("testsuite")
    assert suite is not None
    cases = {c.get("name"): c.find("failure") is not None for c in suite.iter("testcase")}
    assert cases.pop("site") is True  # the licence expired
    failed = {_path(str(url)) for url, bad in cases.items() if bad}
    assert failed == {
        p for p, v in EXPECTED.items() if v in {"missing", "wrong-number", "hidden", "image-only"}
    }


def test_report_rerenders_in_english_and_runs_lists_the_run(audited: tuple[Result, Path, LocalSite]) -> None:
    _, work, _ = audited
    out = work / "en"
    result = CliRunner().invoke(
        cli, ["report", "--run", "1", "--lang", "en", "--db", str(work / "audit.db"), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    html = (out / "run-1.html").read_text("utf-8")
    assert '<html lang="en"' in html
    assert "expired" in html.lower()
    runs = CliRunner().invoke(cli, ["runs", "--db", str(work / "audit.db")])
    assert "complete" in runs.output
    assert "朝前科技官网" in runs.output


def test_url_list_audits_just_the_listed_pages_verbosely(company_site: LocalSite, tmp_path: Path) -> None:
    listed = tmp_path / "urls.txt"
    listed.write_text(
        f"# two pages\n{company_site.base}/wrong.html\n\n{company_site.base}/about.html\n", "utf-8"
    )
    result = CliRunner().invoke(
        cli,
        [
            "audit",
            "--config",
            str(LOCAL_PROFILE),
            "--url-list",
            str(listed),
            "--db",
            str(tmp_path / "a.db"),
            "--out",
            str(tmp_path / "o"),
            "--json",
            str(tmp_path / "r.json"),
            "--verbose",
        ],
    )
    assert result.exit_code == 2, result.output
    pages = json.loads((tmp_path / "r.json").read_text("utf-8"))["pages"]
    assert {_path(p["url"]): p["verdict"] for p in pages} == {
        "/wrong.html": "wrong-number",
        "/about.html": "compliant",
    }
    assert "wrong-number" in result.output  # the verbose line of /wrong.html
