"""Three audits of the company site into one database: each run's JSON, report and `diff` show the changes.

The fixture site is static, so the page set changes through the cap: run 1 fetches 3 pages (the
rest of what it discovered is recorded as skipped), run 2 crawls everything, run 3 is capped again.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner, Result

from crawler.cli import cli
from tests.conftest import LOCAL_PROFILE, LocalSite

Export = dict[str, object]


def _audit(site: LocalSite, work: Path, n: int, max_pages: int | None) -> Result:
    args = [
        "audit",
        "--config",
        str(LOCAL_PROFILE),
        "--start-url",
        f"{site.base}/",
        "--db",
        str(work / "audit.db"),
        "--out",
        str(work / "out"),
        "--json",
        str(work / f"run-{n}.json"),
        "--today",
        "2026-11-27",
    ]
    return CliRunner().invoke(cli, [*args, *(["--max-pages", str(max_pages)] if max_pages else [])])


@pytest.fixture(scope="module")
def runs(company_site: LocalSite, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Export]]:
    work = tmp_path_factory.mktemp("diff")
    exports: list[Export] = []
    for n, cap in ((1, 3), (2, None), (3, 3)):
        result = _audit(company_site, work, n, cap)
        assert result.exit_code == 2, result.output
        exports.append(json.loads((work / f"run-{n}.json").read_text("utf-8")))
    return work, exports


def _urls(export: Export) -> set[str]:
    return {str(p["url"]) for p in export["pages"]}  # type: ignore[attr-defined]


def _keys(found: list[dict[str, str | None]]) -> set[tuple[str | None, str | None]]:
    return {(f["rule"], urlsplit(f["url"]).path if f["url"] else None) for f in found}


def test_the_first_run_has_no_diff(runs: tuple[Path, list[Export]]) -> None:
    _, exports = runs
    assert exports[0]["diff"] is None


def test_the_second_run_shows_pages_added_and_new_findings(runs: tuple[Path, list[Export]]) -> None:
    _, (first, second, _) = runs
    diff = second["diff"]
    assert isinstance(diff, dict)
    assert diff["against_run"] == 1
    added = diff["pages"]["added"]
    assert added
    assert set(added) == _urls(second) - _urls(first)
    assert diff["pages"]["gone"] == []
    new = _keys(diff["findings"]["new"])
    assert {("LIC-002", "/wrong.html"), ("NET-001", "/gone.html")} <= new
    assert ("VAL-001", None) in _keys(diff["findings"]["open"])  # the expired licence, a site finding
    f = diff["findings"]["new"][0]
    assert set(f) == {"rule", "url", "severity", "message"}


def test_the_third_run_shows_pages_gone_and_resolved_findings(runs: tuple[Path, list[Export]]) -> None:
    _, (_, second, third) = runs
    diff = third["diff"]
    assert isinstance(diff, dict)
    assert diff["against_run"] == 2
    assert set(diff["pages"]["gone"]) == _urls(second) - _urls(third)
    assert diff["pages"]["gone"]
    assert ("LIC-002", "/wrong.html") in _keys(diff["findings"]["resolved"])


def test_diff_command_prints_counts_then_new_and_resolved(runs: tuple[Path, list[Export]]) -> None:
    work, (_, second, _) = runs
    db = str(work / "audit.db")
    result = CliRunner().invoke(cli, ["diff", "1", "2", "--db", db])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    diff = second["diff"]
    assert isinstance(diff, dict)
    new, still = len(diff["findings"]["new"]), len(diff["findings"]["open"])
    assert lines[0].startswith("run 2 (朝前科技官网) against run 1:")
    assert f"{new} new, 0 resolved, {still} still open" in lines[0]
    assert lines[1] == "new:"
    assert any("LIC-002" in line and "/wrong.html" in line for line in lines)

    latest = CliRunner().invoke(cli, ["diff", "--db", db])
    assert latest.output.splitlines()[0].startswith("run 3 (朝前科技官网) against run 2:")
    assert "resolved:" in latest.output
    first = CliRunner().invoke(cli, ["diff", "1", "--db", db])
    assert "no earlier complete run" in first.output


def test_the_report_and_export_carry_the_diff(runs: tuple[Path, list[Export]]) -> None:
    work, exports = runs
    assert "自上次以来的变化" not in (work / "out" / "run-1.html").read_text("utf-8")
    html = (work / "out" / "run-2.html").read_text("utf-8")
    assert "自上次以来的变化" in html
    assert html.index("自上次以来的变化") < html.index("/wrong.html")
    result = CliRunner().invoke(cli, ["export", "--run", "2", "--db", str(work / "audit.db")])
    assert json.loads(result.output)["diff"] == exports[1]["diff"]
    en = CliRunner().invoke(
        cli,
        ["report", "--run", "3", "--lang", "en", "--db", str(work / "audit.db"), "--out", str(work / "en")],
    )
    assert en.exit_code == 0, en.output
    assert "Since the previous run" in (work / "en" / "run-3.html").read_text("utf-8")
