"""A site with endless session-id links and a small page cap: the URLs refused are counted exactly by reason
and only a sample is stored as rows (issue 12: max_pages = 500 gave 1,000,001 rows and 4.0 GB)."""

from __future__ import annotations

import itertools
import json
import sqlite3
from contextlib import closing
from pathlib import Path

from click.testing import CliRunner

from crawler.cli import cli
from crawler.ledger import SKIPPED_ROWS
from crawler.static_server import serve_handler
from tests.conftest import LOCAL_PROFILE, audit_args
from tests.integration.quiet_handler import QuietHandler

LINKS = 50  # fresh ?sid= URLs on every page
MAX_PAGES = 40
_SIDS = itertools.count()


class _SessionIds(QuietHandler):
    """Every page links to LINKS new pages, each with a session id never served before."""

    def do_GET(self) -> None:
        if self.path.startswith("/robots.txt"):
            self.send_error(404)
            return
        links = "".join(f'<a href="/p/{n}?sid={next(_SIDS):08x}">{n}</a>' for n in range(LINKS))
        html = f"<html><body><main>{links}</main><footer>陕B2-20210271</footer></body></html>"
        self.reply(200, html, "text/html; charset=utf-8")


def _profile(tmp_path: Path) -> Path:
    text = LOCAL_PROFILE.read_text("utf-8").replace(
        "[crawl]\n", f"[crawl]\nuse_sitemap = false\nmax_pages = {MAX_PAGES}\nmax_query_variants = 0\n"
    )
    path = tmp_path / "sid.toml"
    path.write_text(text, "utf-8")
    return path


def test_urls_refused_by_the_page_cap_are_counted_exactly_and_stored_only_as_a_sample(tmp_path: Path) -> None:
    json_path = tmp_path / "run.json"
    with serve_handler(_SessionIds) as base:
        args = audit_args(base, tmp_path, "--json", str(json_path), config=_profile(tmp_path))
        result = CliRunner().invoke(cli, args)

    assert result.exit_code in (0, 2), result.output
    refused = LINKS * MAX_PAGES - (MAX_PAGES - 1)  # every link of every fetched page, less those admitted
    with closing(sqlite3.connect(tmp_path / "a.db")) as conn:
        rows = dict(conn.execute("SELECT verdict = 'skipped', count(*) FROM pages GROUP BY 1").fetchall())
    assert rows == {0: MAX_PAGES, 1: SKIPPED_ROWS}  # rows stored <= the sample cap + pages
    run = json.loads(json_path.read_text("utf-8"))["run"]
    assert run["skipped"] == {
        "total": refused,
        "rows": SKIPPED_ROWS,
        "by_reason": {"max_pages": refused},
        "exact": True,
    }
    assert run["counts"]["pages"] == MAX_PAGES + SKIPPED_ROWS  # as before: the rows stored


def test_the_report_says_how_many_urls_were_skipped_beyond_the_rows_listed(tmp_path: Path) -> None:
    with serve_handler(_SessionIds) as base:
        result = CliRunner().invoke(
            cli, audit_args(base, tmp_path, "--lang", "en", config=_profile(tmp_path))
        )
    assert result.exit_code in (0, 2), result.output
    html = (tmp_path / "out" / "run-1.html").read_text("utf-8")
    refused = LINKS * MAX_PAGES - (MAX_PAGES - 1)
    assert f"{refused:,} (max_pages {refused:,}); only the first {SKIPPED_ROWS:,} are listed" in html
