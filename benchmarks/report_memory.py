"""Report memory benchmark: peak RSS of `icp-audit report` and of the JSON/CSV exports of a big stored run;
prints a table.

    python -m benchmarks.report_memory [--pages 20000] [--repeat 1]

A run of N pages is written straight into a SQLite file (no crawl): each page has a 2,000-character
footer, five numbers with their context and eight findings with evidence, every string distinct, one page
in ten failing, as a large real site's run looks. Each command then runs in its own process; its peak RSS
is wait4's ru_maxrss (the command starts no children). Not a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from rules.model import Finding, NumberHit, Severity, Verdict, Where
from rules.numbers import NumberKind
from rules.records import PageRecord, RunStatus
from storage import Database

LICENCE_NUMBER = "陕B2-20210271"
NOW = datetime(2026, 1, 15, tzinfo=UTC)
COMMANDS = {  # label: (arguments, the file written)
    "report (HTML)": (["report", "--run", "latest", "--out", "{out}"], "run-1.html"),
    "export json": (["export", "--run", "latest", "--format", "json", "-o", "{out}/run.json"], "run.json"),
    "export csv": (["export", "--run", "latest", "--format", "csv", "-o", "{out}/run.csv"], "run.csv"),
}


def _page(n: int) -> PageRecord:
    failing = n % 10 == 0
    footer = f"页脚 {n} " + "版权所有 西安朝前智能科技有限公司 地址：陕西省西安市高新区 " * 40
    hits = tuple(
        NumberHit(
            NumberKind.LICENCE,
            LICENCE_NUMBER,
            LICENCE_NUMBER,
            Where.TEXT,
            in_footer=True,
            visible=not failing,
            href=f"https://example.cn/licence/{n}/{k}",
            context=f"{n}-{k} 增值电信业务经营许可证：{LICENCE_NUMBER} " * 5,
            raw=LICENCE_NUMBER,
        )
        for k in range(5)
    )
    findings = tuple(
        Finding(
            f"LIC-00{k % 9 + 1}",
            Severity.ERROR if failing and k == 0 else Severity.INFO,
            f"Finding {k} on page {n}: the licence number is shown as expected",
            f"{n}/{k} " + "证据 evidence " * 25,
            (("page", str(n)), ("k", str(k))),
        )
        for k in range(8)
    )
    return PageRecord(
        url=f"https://example.cn/articles/{n}.html?session=0{n:08x}",
        final_url=f"https://example.cn/articles/{n}.html",
        status=200,
        content_type="text/html; charset=utf-8",
        depth=1 + n % 7,
        verdict=Verdict.HIDDEN if failing else Verdict.COMPLIANT,
        footer_found=True,
        footer_text=footer,
        is_homepage=n == 0,
        numbers=hits,
        findings=findings,
        redirects=(f"https://example.cn/a/{n}",),
        size=40_000 + n,
        elapsed_ms=12,
        footer_fingerprint=f"f{n % 3}",
    )


def build(path: Path, pages: int) -> None:
    """One complete run of `pages` pages, written in batches as an audit writes it."""
    from crawler.audit import make_policy
    from crawler.profiles import load_profile

    licence = make_policy(load_profile(None), date(2026, 1, 15)).licence
    with Database.open(str(path)) as db:
        run_id = db.start_run(
            site="朝前科技官网",
            trigger="manual",
            tool_version="0",
            licence=licence,
            today=NOW.date(),
            started_at=NOW,
        )
        for start in range(0, pages, 500):
            db.add_pages(run_id, [_page(n) for n in range(start, min(pages, start + 500))])
        db.finish_run(run_id, status=RunStatus.COMPLETE, finished_at=NOW)


def measure(db: Path, out: Path, args: list[str]) -> tuple[float, float]:
    """(seconds, peak RSS MB) of one `icp-audit` command in its own process."""
    command = [sys.executable, "-m", "crawler", *(a.format(out=out) for a in args), "--db", str(db)]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) not in (0, 2):
        raise SystemExit(f"{' '.join(command)} failed")
    return time.perf_counter() - started, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db, out = Path(tmp) / "big.db", Path(tmp) / "out"
        out.mkdir()
        started = time.perf_counter()
        build(db, args.pages)
        size = db.stat().st_size / 1e6
        print(
            f"{args.pages:,} pages stored in {time.perf_counter() - started:.1f} s ({size:.0f} MB of SQLite)"
        )
        print(f"{'command':<16} {'time':>8} {'peak RSS':>10} {'output':>10}")
        for label, (command, name) in COMMANDS.items():
            runs = [measure(db, out, command) for _ in range(args.repeat)]
            seconds, peak = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
            written = (out / name).stat().st_size / 1e6
            print(f"{label:<16} {seconds:>6.1f} s {peak:>7.0f} MB {written:>7.1f} MB")


if __name__ == "__main__":
    main()
