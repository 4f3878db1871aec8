"""Peak memory of a whole audit with its report and JSON export, on a generated site; prints a table.

    python -m benchmarks.audit_memory [--pages 20000] [--concurrency 16]

The site of benchmarks.site (N ~40 KB pages) is served from 127.0.0.1 as benchmarks.run serves it, and
`icp-audit audit --render never --json FILE` crawls it in its own process: crawl, judging processes,
SQLite writes, the HTML report and the JSON export. Peak RSS as benchmarks.run measures it: the processes'
peak together (sampled) and its upper bound (the audit's own peak plus each child's own). Not a test.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from benchmarks.run import TODAY, compile_sources, icp_audit_command, run_measured, write_profile
from benchmarks.servers import serve
from benchmarks.site import generate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20_000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workdir", type=Path, help="keep the site (reused when run again) and the run here")
    args = parser.parse_args()
    compile_sources()
    with tempfile.TemporaryDirectory(prefix="icp-bench-memory-") as tmp:
        work = args.workdir or Path(tmp)
        for stale in work.glob("a.db*"):
            stale.unlink()
        generate(work / "site", args.pages)
        with serve(work / "site") as served:
            profile = write_profile(work, served.base, args.pages, args.concurrency)
            command = [
                *icp_audit_command(),
                "audit",
                *("--config", str(profile), "--start-url", f"{served.base}/", "--db", str(work / "a.db")),
                *("--out", str(work / "reports"), "--json", str(work / "run.json"), "--today", TODAY),
                *("--render", "never", "--fail-on", "never", "--log-format", "json"),
            ]
            sample, _ = run_measured(command)
        json_mb = (work / "run.json").stat().st_size / 1e6
        report_mb = next((work / "reports").glob("run-*.html")).stat().st_size / 1e6
    print(
        f"{'pages':>7} {'wall':>8} {'CPU':>8} {'peak RSS together':>18} {'upper bound':>12} {'report':>8} {'JSON':>8}"
    )
    print(
        f"{args.pages:>7,} {sample.wall:>6.0f} s {sample.cpu:>6.0f} s {sample.rss_mb:>15.0f} MB"
        f" {sample.rss_bound_mb:>9.0f} MB {report_mb:>5.1f} MB {json_mb:>5.1f} MB"
    )


if __name__ == "__main__":
    main()
