"""A static audit loads neither Playwright nor Alembic (issue 7: 7 MB and 9.5 MB of RSS on every run)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import LocalSite, audit_args

ROOT = Path(__file__).resolve().parents[2]
# Runs the console script's entry point, then, at exit, prints which of the heavy modules were loaded.
SCRIPT = """
import atexit, sys
atexit.register(lambda: print("LOADED", sorted(m for m in ("playwright", "alembic") if m in sys.modules)))
sys.argv = ["icp-audit", *sys.argv[1:]]
from crawler.cli import main
main()
"""


def test_a_static_audit_of_a_new_database_imports_neither_playwright_nor_alembic(
    company_site: LocalSite, tmp_path: Path
) -> None:
    args = audit_args(company_site.base, tmp_path, "--render", "never")

    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, *args], cwd=ROOT, capture_output=True, text=True, timeout=60
    )

    assert done.stdout.splitlines()[-1] == "LOADED []", done.stdout[-2000:] + done.stderr[-2000:]
    assert (tmp_path / "a.db").stat().st_size > 0  # the audit ran and stored its run
    assert list((tmp_path / "out").iterdir())  # and wrote its report


def test_the_browser_module_imports_playwright_only_when_a_browser_starts() -> None:
    script = "import sys, crawler.render.browser, crawler.audit; print('playwright' in sys.modules)"

    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60
    )

    assert (done.returncode, done.stdout, done.stderr) == (0, "False\n", "")
