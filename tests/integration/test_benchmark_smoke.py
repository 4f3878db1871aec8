"""The crawl benchmark command still runs end to end (smoke test only: no timing is asserted)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from benchmarks.site import fault_of, render_page
from tests.fuzz.families import FAMILIES

ROOT = Path(__file__).resolve().parents[2]
PAGES = 50


def test_benchmark_command_prints_every_row(tmp_path: Path) -> None:
    """`python -m benchmarks.run` at N=50 (as the README says, one repeat) prints the whole table."""
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--pages", str(PAGES), "--repeat", "1", "--inner", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    assert re.search(r"^server: (nginx|threaded Python)", out, re.M)
    for row in ("bare loop", "audit", "ratio"):
        assert re.search(rf"^\s+{PAGES}\s+{row}\s", out, re.M), f"no {row!r} row in:\n{out}"
    assert "warning" not in out  # both crawls fetched every page of the site
    for line in ("render the HTML report", "JSON export", "CSV export", "tests/corpus", "generated ("):
        assert line in out
    assert "budgets (issue 7):" in out
    assert f"N={PAGES}: audit ≥ 75%" in out


def test_generated_site_is_deterministic_and_about_40_kb() -> None:
    """Same N, same bytes; pages near 40 KB; about 5% non-compliant."""
    assert render_page(7, 1000) == render_page(7, 1000)
    sizes = [len(render_page(i, 1000).encode()) for i in range(40)]
    assert all(38_000 <= s <= 42_000 for s in sizes), sizes
    faults = [fault_of(i) for i in range(1000)]
    assert 40 <= sum(f is not None for f in faults) <= 60


def test_fuzz_benchmark_prints_every_family_and_judges_random_pages() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.fuzz", "--examples", "20", "--scale", "1", "--repeat", "1"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode in (0, 2), done.stdout + done.stderr  # 2: a family flagged (one repeat is noisy)
    assert all(f.name in done.stdout for f in FAMILIES)
    assert "20 random pages judged to valid verdicts" in done.stdout
