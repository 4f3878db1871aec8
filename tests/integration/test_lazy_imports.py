"""A static audit loads neither Playwright nor Alembic (issue 7: 7 MB and 9.5 MB of RSS on every run), nor
the modules of the other commands; `--version` loads no dependency but click (issue 7: start-up time)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import LocalSite, audit_args

ROOT = Path(__file__).resolve().parents[2]
# What a static audit, with no [notify] channel and no --json, has no use for: the browser, migrations,
# the other commands, the exports, the alert channels, the scheduler and charset detection.
NOT_FOR_A_STATIC_AUDIT = (
    "playwright",
    "alembic",
    "crawler.cli_data",
    "crawler.cli_notify",
    "crawler.exports",
    "crawler.notify_email",
    "crawler.notify_http",
    "reports.alert",
    "smtplib",
    "apscheduler",
    "charset_normalizer",  # only for undeclared pages that are neither UTF-8 nor GBK
)
# Runs the console script's entry point, then, at exit, prints which of the modules named in argv[1]
# (comma-separated) were loaded.
SCRIPT = """
import atexit, sys
watched = sys.argv[1].split(",")
atexit.register(lambda: print("LOADED", sorted(m for m in watched if m in sys.modules)))
sys.argv = ["icp-audit", *sys.argv[2:]]
from crawler.cli import main
main()
"""


def _loaded(watched: tuple[str, ...], *args: str) -> tuple[str, str]:
    """Run `icp-audit ARGS`; the last line it printed (LOADED [...]) and the tail of its output."""
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, ",".join(watched), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return done.stdout.splitlines()[-1], done.stdout[-2000:] + done.stderr[-2000:]


def test_a_static_audit_of_a_new_database_imports_neither_playwright_nor_alembic(
    company_site: LocalSite, tmp_path: Path
) -> None:
    args = audit_args(company_site.base, tmp_path, "--render", "never")

    last, output = _loaded(NOT_FOR_A_STATIC_AUDIT, *args)

    assert last == "LOADED []", output
    assert (tmp_path / "a.db").stat().st_size > 0  # the audit ran and stored its run
    assert list((tmp_path / "out").iterdir())  # and wrote its report


def test_the_browser_module_imports_playwright_only_when_a_browser_starts() -> None:
    script = "import sys, crawler.render.browser, crawler.audit; print('playwright' in sys.modules)"

    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60
    )

    assert (done.returncode, done.stdout, done.stderr) == (0, "False\n", "")


def test_version_imports_no_dependency_but_click() -> None:
    heavy = ("sqlalchemy", "pydantic", "httpx", "jinja2", "rich", "asyncio", "rules", "crawler.audit")

    last, output = _loaded(heavy, "--version")

    assert last == "LOADED []", output
    assert "icp-audit, version" in output


def test_an_audit_starts_crawling_without_the_report_templates() -> None:
    # What the audit command imports before its crawl starts, and opening a database: Jinja2 and the
    # report views load when the report is written, after the crawl.
    script = (
        "import sys, crawler.jobs, crawler.logs, crawler.outcome, crawler.profiles, crawler.progress, "
        "crawler.audit, crawler.client, storage.database; "
        "print(sorted(m for m in ('jinja2', 'reports', 'crawler.cli_data') if m in sys.modules))"
    )

    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60
    )

    assert (done.returncode, done.stdout, done.stderr) == (0, "[]\n", "")


def test_catching_a_storage_error_does_not_load_sqlalchemy() -> None:
    script = "import sys; from storage import StorageError; print('sqlalchemy' in sys.modules)"

    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60
    )

    assert (done.returncode, done.stdout, done.stderr) == (0, "False\n", "")


def test_the_json_export_loads_no_template_engine_and_every_reports_name_resolves() -> None:
    script = (
        "import sys, reports; from reports import dumps_run; jinja = 'jinja2' in sys.modules; "
        "print(jinja, all(getattr(reports, name) for name in reports.__all__))"
    )

    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60
    )

    assert (done.returncode, done.stdout, done.stderr) == (0, "False True\n", "")


def test_listing_runs_loads_neither_the_crawler_nor_the_report_templates(tmp_path: Path) -> None:
    crawler_and_templates = ("crawler.audit", "httpx", "pydantic", "jinja2", "crawler.cli_notify")

    last, output = _loaded(crawler_and_templates, "runs", "--db", str(tmp_path / "a.db"))

    assert last == "LOADED []", output
