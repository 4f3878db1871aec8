"""robots.txt `Crawl-delay` slows the crawl of its host below the profile's rate (here: unlimited)."""

from __future__ import annotations

import time
from pathlib import Path

from click.testing import CliRunner

from crawler.cli import cli
from crawler.static_server import serve_folder
from tests.conftest import audit_args

PAGES = ("a.html", "b.html", "c.html")


class TimedLog(list[str]):
    """The server's request log, with the monotonic time of each request."""

    def __init__(self) -> None:
        super().__init__()
        self.times: dict[str, float] = {}

    def append(self, path: str) -> None:
        self.times.setdefault(path, time.monotonic())
        super().append(path)


def test_crawl_delay_spaces_the_requests(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "robots.txt").write_text("User-agent: *\nCrawl-delay: 0.3\n", "utf-8")
    links = "".join(f"<a href='/{p}'>{p}</a>" for p in PAGES)
    (site / "index.html").write_text(f"<html><body>{links}<footer>©</footer></body></html>", "utf-8")
    for name in PAGES:
        (site / name).write_text("<html><body><p>x</p><footer>©</footer></body></html>", "utf-8")
    log = TimedLog()
    with serve_folder(site, log=log) as base:
        result = CliRunner().invoke(
            cli,
            audit_args(base, tmp_path),
        )
    assert result.exit_code in (0, 2), result.output
    pages = ["/", *(f"/{p}" for p in PAGES)]
    assert set(pages) <= set(log)
    times = sorted(log.times[p] for p in pages)
    assert times[-1] - times[0] >= 0.8  # three gaps of 0.3 s (concurrency 4, no rate limit otherwise)
