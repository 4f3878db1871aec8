"""Shared fixtures: local static sites on 127.0.0.1 with OS-assigned ports, and the CLI runner."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.static_server import serve_folder

SITES = Path(__file__).parent / "sites"
LOCAL_PROFILE = Path(__file__).parent / "profiles" / "local.toml"  # no rate limit, short timeouts


def audit_args(base: str, tmp_path: Path, *extra: str, config: Path = LOCAL_PROFILE) -> list[str]:
    """`icp-audit audit` of a local site with the fast profile, its database and reports under tmp_path."""
    db, out = str(tmp_path / "a.db"), str(tmp_path / "out")
    return ["audit", "--config", str(config), "--start-url", f"{base}/", "--db", db, "--out", out, *extra]


class LocalSite:
    """A fixture site being served: its base URL and every path the server was asked for."""

    def __init__(self, base: str, log: list[str]) -> None:
        self.base = base
        self.log = log


@pytest.fixture(scope="session")
def company_site() -> Iterator[LocalSite]:
    """tests/sites/company served on 127.0.0.1, /old-page.html redirecting to /new-page.html."""
    log: list[str] = []
    with serve_folder(SITES / "company", redirects={"/old-page.html": "/new-page.html"}, log=log) as base:
        yield LocalSite(base, log)
