"""Browser-test fixtures: one Playwright driver and one headless Chromium for the whole tests/browser package.

Package scope, not session scope: Playwright's sync API keeps its event loop marked running while it is
open, so a session-long browser would make every later `asyncio.run` (the CLI tests) fail.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Playwright, sync_playwright

pytest.register_assert_rewrite("tests.browser.harness")  # so assert_quiet() failures show the values

from tests.browser.harness import Reports, icp_audit, launch  # noqa: E402
from tests.conftest import LocalSite, audit_args  # noqa: E402


def audit_company_site(base: str, work: Path) -> Reports:
    """Two audits of the company site (Chinese reports, the second with a diff), then run 2 re-rendered in English."""
    for _ in range(2):
        done = icp_audit(*audit_args(base, work, "--today", "2026-11-27"))
        assert done.returncode == 2, done.stderr  # the site has non-compliant pages
    en = work / "en"
    done = icp_audit("report", "--run", "2", "--lang", "en", "--db", str(work / "a.db"), "--out", str(en))
    assert done.returncode == 0, done.stderr
    out = work / "out"
    return {
        ("run", "zh"): out / "run-2.html",
        ("index", "zh"): out / "index.html",
        ("run", "en"): en / "run-2.html",
        ("index", "en"): en / "index.html",
    }


@pytest.fixture(scope="package", autouse=True)
def company_reports(
    company_site: LocalSite, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Future[Reports]]:
    """The company-site audits, started in a worker thread as the package starts: they run (in child
    processes) while the other modules audit their own sites and drive the browser."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        yield pool.submit(audit_company_site, company_site.base, tmp_path_factory.mktemp("browser-audit"))


@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    """The Playwright driver (a local subprocess talking over pipes; it downloads nothing)."""
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """The installed Debian Chromium, headless, shared by every browser test."""
    chromium = launch(playwright.chromium)
    yield chromium
    chromium.close()
